"""Keyed pseudonymisation computed inside DuckDB.

A personal value ``v`` becomes ``sha256(key || U+001F || v)`` (64 hex characters). The key comes
from ``Settings.pseudonym_key`` and is bound as the ``$key`` parameter of the staging statement:
it never appears in SQL text, in a table or in the load manifest. The same person gets the same
pseudonym across files and runs (as long as the key is unchanged), so joins and counts still work.
"""

from __future__ import annotations


def hash_sql(expr: str) -> str:
    """SQL for the keyed hash of ``expr`` (NULL stays NULL); needs the ``$key`` parameter."""
    return f"sha256($key || chr(31) || {expr})"

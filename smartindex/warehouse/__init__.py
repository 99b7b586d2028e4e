"""The warehouse layer: the only code that opens DuckDB files and publishes them atomically.

``connection`` opens (read-only or read-write) and queries; ``swap`` writes a copy and swaps it
in with ``os.replace`` so that readers are never blocked and never see half a write.
"""

from __future__ import annotations

from smartindex.warehouse.connection import connect, query_df, table_exists
from smartindex.warehouse.swap import swap_write

__all__ = ["connect", "query_df", "swap_write", "table_exists"]

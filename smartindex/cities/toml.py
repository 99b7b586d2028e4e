"""Reading a city TOML file so that every error names the file, the line and the key.

``tomllib`` returns no positions, so :func:`line_of` finds a key's line by scanning the text:
the table header (``[city]``, the n-th ``[[kelurahan]]``), then the ``key =`` line under it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartindex.errors import DataFileError

Where = tuple[str | int, ...]  # ("city", "timezone") or ("kelurahan", 4, "parent")

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def key_text(where: Where) -> str:
    """``("kelurahan", 4, "parent")`` -> ``kelurahan[5].parent`` (items counted from 1)."""
    out = ""
    for part in where:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _header_line(lines: list[str], table: str, index: int | None) -> int | None:
    seen = -1
    for n, line in enumerate(lines, start=1):
        m = _HEADER.match(line)
        if m and m.group(2) == table and (m.group(1) == "[[") == (index is not None):
            seen += 1
            if index is None or seen == index:
                return n
    return None


def line_of(text: str, where: Where) -> int | None:
    """The 1-based line of ``where`` in a TOML text, or None when it cannot be found."""
    lines = text.splitlines()
    start, rest = 0, list(where)
    if rest and isinstance(rest[0], str):
        index = rest[1] if len(rest) > 1 and isinstance(rest[1], int) else None
        header = _header_line(lines, rest[0], index)
        if header is not None:
            start, rest = header, rest[1 if index is None else 2 :]
    keys = [p for p in rest if isinstance(p, str)]
    if not keys:
        return start or None
    for n in range(start, len(lines)):
        if _HEADER.match(lines[n]):
            break
        m = _KEY.match(lines[n])
        if m and m.group(1) == keys[0]:
            return n + 1
    return start or None


class TomlFile:
    """A parsed TOML file plus what it takes to point at one of its keys."""

    def __init__(self, path: Path, text: str, doc: Mapping[str, Any]) -> None:
        self.path, self.text, self.doc = path, text, doc

    def error(self, where: Where, message: str) -> DataFileError:
        """One-sentence error naming the file, the line (when found) and the key."""
        key = key_text(where)
        return DataFileError(
            self.path, f"key {key!r}: {message}" if key else message, line=line_of(self.text, where)
        )


def read_toml(path: Path) -> TomlFile:
    """Read ``path`` as UTF-8 TOML; a syntax error names its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot read the file ({exc})") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise DataFileError(
            path, f"not valid TOML: {reason}", line=int(m.group(1)) if m else None
        ) from None
    return TomlFile(path, text, doc)

"""Where a key sits in a TOML text: the line of ``[values.status]`` or of ``"Selesai" = ...``.

``tomllib`` gives values but no positions; a mapping error must name the line of the bad key, so
this scans the text once and records the first line of every table header and key (dotted and
quoted keys included). A key inside an inline table or a multi-line array resolves to the line of
its nearest recorded ancestor, which is the line it is written on.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_-]+))\s*')
_HEADER = re.compile(r"^\s*\[\[?(.*?)\]\]?\s*(?:#.*)?$")
_INLINE_KEY = re.compile(
    r'(?:^|[{,])\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)\s*='
)


def split_key(text: str) -> tuple[str, ...] | None:
    """``a."b c".d`` -> ``("a", "b c", "d")``; None when ``text`` is not a TOML key."""
    parts: list[str] = []
    pos = 0
    while True:
        m = _TOKEN.match(text, pos)
        if not m:
            return None
        dq, sq, bare = m.groups()
        parts.append(
            dq.encode().decode("unicode_escape")
            if dq is not None
            else sq
            if sq is not None
            else bare
        )
        pos = m.end()
        if pos == len(text):
            return tuple(parts)
        if text[pos] != ".":
            return None
        pos += 1


def _key_part(line: str) -> str | None:
    """The text before the first ``=`` outside quotes (None for a line without one)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "=":
            return line[:i]
        elif ch == "#":
            return None
    return None


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Every table header and key path of a TOML text -> the line (1-based) it first appears."""
    out: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    in_string = False
    for no, line in enumerate(text.splitlines(), start=1):
        if line.count('"""') % 2 or line.count("'''") % 2:
            in_string = not in_string
            continue
        stripped = line.strip()
        if in_string or not stripped or stripped.startswith("#"):
            continue
        header = _HEADER.match(line) if stripped.startswith("[") else None
        if header:
            keys = split_key(header.group(1))
            if keys is not None:
                table = keys
                out.setdefault(table, no)
            continue
        key_text = _key_part(line)
        keys = split_key(key_text) if key_text is not None else None
        if keys is None:
            continue
        full = table + keys
        out.setdefault(full, no)
        value = line[len(key_text or "") + 1 :]
        if value.lstrip().startswith("{"):
            for m in _INLINE_KEY.finditer(value):
                inner = split_key(m.group(1))
                if inner is not None:
                    out.setdefault(full + inner, no)
    return out


def line_of(lines: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int | None:
    """The line of ``path`` or of its nearest ancestor that has one."""
    for i in range(len(path), 0, -1):
        if path[:i] in lines:
            return lines[path[:i]]
    return None

"""Key positions in a TOML text (smartindex/etl/mapping_toml.py)."""

from __future__ import annotations

from smartindex.etl.mapping_toml import key_lines, line_of, split_key

TEXT = """\
target = "complaints"   # line 1
[input]
format = "csv"
[values.status]
"Dalam Proses" = "in_progress"
'Selesai' = "resolved"
[columns]
resolved_at = { column = "updatedAt", when = { status = ["resolved"] } }
a.b = 1
description = '''
[not.a.table]
x = 1
'''
after = 2
"""


def test_split_key() -> None:
    assert split_key('values."Dalam Proses"') == ("values", "Dalam Proses")
    assert split_key(" a . b ") == ("a", "b")
    assert split_key("a b") is None


def test_key_lines() -> None:
    lines = key_lines(TEXT)
    assert lines[("target",)] == 1
    assert lines[("input", "format")] == 3
    assert lines[("values", "status")] == 4
    assert lines[("values", "status", "Dalam Proses")] == 5
    assert lines[("values", "status", "Selesai")] == 6
    assert lines[("columns", "a", "b")] == 9
    assert ("not", "a", "table") not in lines  # inside a multi-line string
    assert lines[("columns", "after")] == 14


def test_line_of_falls_back_to_the_nearest_ancestor() -> None:
    lines = key_lines(TEXT)
    assert line_of(lines, ("columns", "resolved_at", "when", "status")) == 8
    assert line_of(lines, ("values", "status", "Unknown")) == 4
    assert line_of(lines, ("nowhere",)) is None

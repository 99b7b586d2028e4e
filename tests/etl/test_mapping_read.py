"""Reading source files for mappings (smartindex/etl/mapping_read.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartindex.errors import DataFileError
from smartindex.etl.mapping_read import csv_rows, is_footnote, item_lines
from smartindex.etl.mapping_spec import InputSpec

FOOTER = ("sumber", "catatan", "*")


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("Sumber: BPS Kota Palembang", True),
        ("SUMBER : Dinas PUPR", True),
        ("Sumber", True),
        ("*) angka sementara", True),
        ("Catatan/Note: -", True),
        ("Sumbersari", False),  # a kecamatan in Jember, not a footnote
        ("Gandus", False),
    ],
)
def test_footnotes_are_whole_words(first: str, expected: bool) -> None:
    assert is_footnote([None, first, "x"], FOOTER) is expected


def test_csv_records_are_numbered_by_their_first_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('a,b\n1,"two\nlines"\n3,x\n', encoding="utf-8")
    assert csv_rows(path, InputSpec(format="csv")) == [
        (1, ["a", "b"]),
        (2, ["1", "two\nlines"]),
        (4, ["3", "x"]),
    ]


def test_undecodable_text_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n1,2\n3,\xff\n")
    with pytest.raises(DataFileError, match=r"t\.csv, line 3: not valid utf-8 text"):
        csv_rows(path, InputSpec(format="csv"))


def test_json_item_lines() -> None:
    text = '{"help": "x", "result": {"records": [\n  {"a": 1},\n\n  {"a": "]"}\n]}}'
    assert item_lines(text, "result.records") == [2, 4]
    assert item_lines('[{"a": 1}, {"a": 2}]', "") == [1, 1]

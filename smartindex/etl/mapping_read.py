"""Reading source files for a mapping: CSV, XLSX (one or several sheets) and JSON records,
title rows above the header, footnote rows below the data, and the wide -> long reshape.

The result is a list of :class:`Record`: the raw cells of one source record keyed by header,
with the file and the 1-based row it came from (CSV: the line, header = line 1; XLSX: the Excel
row; JSON: the record's number in its array). Blank rows, title rows, header rows and footnote
rows are not records. Structural problems (no header, a missing column, undecodable text) raise
:class:`~smartindex.errors.DataFileError` naming file, line and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from smartindex.errors import DataFileError
from smartindex.etl.mapping_spec import RESHAPE_NAME, RESHAPE_VALUE, InputSpec, ReshapeSpec

Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | None


@dataclass(frozen=True)
class Record:
    """One source record: raw cells by source column, where it came from."""

    file: str
    row: int
    cells: Mapping[str, Any]
    wide_column: str | None = None  # the header of the reshaped cell (wide -> long)


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _cell(v: object) -> Cell:
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, int | float | bool | dt.datetime | dt.date | dt.time) or v is None:
        return v
    return str(v)


def _decode(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    enc = "utf-8-sig" if encoding.replace("_", "-").lower() in {"utf-8", "utf8"} else encoding
    try:
        return data.decode(enc)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError(
            path, f"not valid {encoding} text (declare input.encoding)", line=line
        ) from None


def csv_rows(path: Path, spec: InputSpec) -> list[tuple[int, list[Cell]]]:
    """(line of the record's start, cells) for every CSV record."""
    reader = csv.reader(
        io.StringIO(_decode(path, spec.encoding), newline=""), delimiter=spec.delimiter
    )
    out: list[tuple[int, list[Cell]]] = []
    start = 1
    try:
        for cells in reader:
            out.append((start, [_cell(c) for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataFileError(path, f"malformed CSV record: {exc}", line=start) from None
    return out


def xlsx_sheets(path: Path, spec: InputSpec) -> list[tuple[str, list[tuple[int, list[Cell]]]]]:
    """(sheet, rows) of the declared sheets (or the only sheet); rows numbered as in Excel."""
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise DataFileError(path, f"not a readable XLSX workbook: {exc}") from None
    try:
        names = list(spec.sheets) or wb.sheetnames
        if not spec.sheets and len(names) > 1:
            raise DataFileError(
                path, f"workbook has sheets {', '.join(names)}; declare input.sheets"
            )
        missing = [s for s in names if s not in wb.sheetnames]
        if missing:
            raise DataFileError(path, f"no sheet named {missing[0]!r}")
        return [
            (
                name,
                [
                    (i, [_cell(v) for v in row])
                    for i, row in enumerate(wb[name].iter_rows(min_row=1, values_only=True), 1)
                ],
            )
            for name in names
        ]
    finally:
        wb.close()


def _header(
    where: str, rows: list[tuple[int, list[Cell]]], spec: InputSpec
) -> tuple[list[str], int]:
    """Column names from the declared header row(s) (per column, the lowest non-blank header
    cell names it) and the index in ``rows`` of the first row after the header."""
    by_line = dict(rows)
    width = max((len(by_line.get(h, [])) for h in spec.header), default=0)
    if width == 0:
        raise DataFileError(
            where, "no header (empty file or empty header row)", line=spec.header[0]
        )
    names = [""] * width
    for h in spec.header:
        for i, v in enumerate(by_line.get(h, [])):
            if not _blank(v):
                names[i] = _header_text(v)
    while names and not names[-1]:
        names.pop()
    last = spec.header[-1]
    return names, next((i for i, (line, _) in enumerate(rows) if line > last), len(rows))


def _header_text(v: Cell) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def is_footnote(cells: list[Cell], footer: tuple[str, ...]) -> bool:
    """Whether the first non-blank cell starts with a footnote word ("Sumber: ...") as a
    whole word: "Sumber" is a footnote, "Sumbersari" (a kecamatan) is not."""
    first = next((str(c).strip().casefold() for c in cells if not _blank(c)), None)
    if first is None:
        return False
    for word in footer:
        rest = first[len(word) : len(word) + 1]
        if first.startswith(word) and not (word[-1:].isalnum() and rest.isalnum()):
            return True
    return False


def table_records(
    where: str, rows: list[tuple[int, list[Cell]]], spec: InputSpec, needed: Iterable[str]
) -> list[Record]:
    """Records of a table (CSV file or sheet) with header, title and footnote rows."""
    names, first = _header(where, rows, spec)
    absent = [c for c in needed if c not in names]
    if absent:
        raise DataFileError(
            where, "missing column the mapping reads", line=spec.header[-1], column=absent[0]
        )
    out = []
    for line, cells in rows[first:]:
        if line in spec.skip or all(_blank(c) for c in cells) or is_footnote(cells, spec.footer):
            continue
        extra = next((i for i, c in enumerate(cells[len(names) :]) if not _blank(c)), None)
        if extra is not None:
            raise DataFileError(where, "value beyond the last header column", line=line)
        values = {n: cells[i] if i < len(cells) else None for i, n in enumerate(names) if n}
        out.append(Record(where, line, values))
    return out


def _flatten(obj: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for k, v in obj.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            yield from _flatten(v, f"{key}.")
        elif isinstance(v, list):
            yield key, json.dumps(v, ensure_ascii=False)
        else:
            yield key, v


def dig(doc: Any, path: str) -> Any:
    """``doc`` at a dotted ``path`` ("" = the document itself); KeyError when absent."""
    for part in filter(None, path.split(".")):
        if not isinstance(doc, dict) or part not in doc:
            raise KeyError(part)
        doc = doc[part]
    return doc


def _parse_json(path: Path, source: str) -> Any:
    try:
        return json.loads(source)
    except json.JSONDecodeError as exc:
        raise DataFileError(path, f"not valid JSON: {exc.msg}", line=exc.lineno) from None


def read_json(path: Path) -> Any:
    """A JSON document; one line naming the file and line when it is not JSON."""
    return _parse_json(path, _decode(path, "utf-8"))


_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")


def _skip(text: str, pos: int, char: str = "") -> int:
    """Past whitespace (and ``char``, when it is next)."""
    pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
    if char and text.startswith(char, pos):
        pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
    return pos


def _value_at(text: str, pos: int, parts: list[str]) -> int:
    """Where the value at the dotted path ``parts`` starts, for a value starting at ``pos``."""
    if not parts:
        return pos
    pos = _skip(text, pos, "{")
    while not text.startswith("}", pos):
        key, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos, ":")
        if key == parts[0]:
            return _value_at(text, pos, parts[1:])
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos, ",")
    raise KeyError(parts[0])


def item_lines(text: str, path: str) -> list[int]:
    """The line (1-based) where each item of the JSON array at ``path`` starts."""
    pos = _skip(text, _value_at(text, _skip(text, 0), list(filter(None, path.split(".")))), "[")
    lines = []
    while not text.startswith("]", pos):
        lines.append(text.count("\n", 0, pos) + 1)
        _, pos = _DECODER.raw_decode(text, pos)
        pos = _skip(text, pos, ",")
    return lines


def json_records(path: Path, spec: InputSpec) -> list[Record]:
    """The objects of the array at ``input.records``, nested keys flattened with dots
    (``extended_attributes.kecamatan``); a list value is kept as JSON text. A record's row is
    the line where its object starts."""
    source = _decode(path, spec.encoding)
    try:
        items = dig(_parse_json(path, source), spec.records)
    except KeyError as exc:
        raise DataFileError(path, f"no key {exc.args[0]!r} on the input.records path") from None
    if not isinstance(items, list):
        raise DataFileError(path, f"input.records {spec.records!r} is not a JSON array")
    lines = item_lines(source, spec.records)
    out = []
    for line, item in zip(lines, items, strict=True):
        if not isinstance(item, dict):
            raise DataFileError(path, "array item is not a JSON object", line=line)
        out.append(Record(str(path), line, {k: _cell(v) for k, v in _flatten(item)}))
    return out


def reshape(records: list[Record], spec: ReshapeSpec, where: str) -> list[Record]:
    """Wide -> long: one record per (row, header matching ``spec.columns``)."""
    if not records:
        return []
    wide = [c for c in records[0].cells if spec.columns.fullmatch(c)]
    if not wide:
        raise DataFileError(where, f"no column matches reshape.columns {spec.columns.pattern!r}")
    out = []
    for r in records:
        kept = {k: v for k, v in r.cells.items() if k in spec.keep}
        for col in wide:
            m = spec.columns.fullmatch(col)
            name = m.group(1) if m and spec.columns.groups else col
            cells = {**kept, RESHAPE_NAME: name, RESHAPE_VALUE: r.cells[col]}
            out.append(Record(r.file, r.row, cells, wide_column=col))
    return out


def read_records(
    path: Path, spec: InputSpec, needed: list[str], shape: ReshapeSpec | None
) -> list[Record]:
    """Every record of one source file, reshaped to long form when the mapping says so."""
    if not path.is_file():
        raise DataFileError(path, "no such file")
    if spec.format == "json":
        return json_records(path, spec)
    tables = (
        [(str(path), csv_rows(path, spec))]
        if spec.format == "csv"
        else [(f"{path}[{name}]", rows) for name, rows in xlsx_sheets(path, spec)]
    )
    out: list[Record] = []
    for where, rows in tables:
        cols = [*needed, *(shape.keep if shape else ())]
        records = table_records(where, rows, spec, cols)
        out += reshape(records, shape, where) if shape else records
    return out

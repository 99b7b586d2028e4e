"""``stage``: the Bukittinggi folder becomes canonical raw files the ETL registry matches,
with region.csv from the profile and every rejected row kept."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from smartindex.etl import load_registry
from smartindex.etl.run import discover
from smartindex.workspace import stage
from smartindex.workspace.stage import cell, output_name

BUKITTINGGI = Path(__file__).resolve().parents[1] / "fixtures" / "cities" / "bukittinggi"


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def test_stage_writes_files_the_registry_accepts(tmp_path: Path) -> None:
    out = tmp_path / "raw"
    result = stage(BUKITTINGGI, out)
    registry = load_registry()
    found = {f.rel: f.source.name for f in discover(registry, out)}
    assert found == {
        "region.csv": "region",
        "complaints_crm.csv": "complaints",
        "population.csv": "population",
    }
    for name, source in found.items():
        src = registry.get(source)
        with (out / name).open(encoding="utf-8") as fh:
            header = next(csv.reader(fh, delimiter=src.delimiter))
        assert header == list(src.all_columns)
    counts = {f.target: (f.rows_read, f.rows_written, f.rows_rejected) for f in result.files}
    assert counts == {"region": (19, 19, 0), "complaints": (40, 39, 1), "population": (20, 20, 0)}


def test_staged_values_are_canonical(tmp_path: Path) -> None:
    stage(BUKITTINGGI, tmp_path)
    tickets = {r["ticket_id"]: r for r in _rows(tmp_path / "complaints_crm.csv")}
    first = tickets["BKT-24-0001"]
    assert (first["created_at"], first["kecamatan_code"], first["kelurahan_code"]) == (
        "2024-01-03 08:15:00",
        "1375010",
        "1375010003",
    )
    assert (first["status"], first["status_raw"], first["channel"]) == (
        "resolved",
        "Selesai",
        "lapor",
    )
    assert tickets["BKT-24-0008"]["kecamatan_code"] == "1375010"  # "Kec. Guguk Panjang"
    assert tickets["BKT-24-0035"]["kecamatan_code"] == "1375010"  # "guguk panjang"
    assert tickets["BKT-24-0005"]["closed_at"] == "2024-01-17 11:00:00"
    assert tickets["BKT-24-0003"]["resolved_at"] == ""
    assert all(r["is_synthetic"] == "true" for r in tickets.values())
    population = _rows(tmp_path / "population.csv")
    city = {r["year"]: r["population"] for r in population if r["kode_wilayah"] == "1375"}
    assert city["2024"] == "124960"
    region = _rows(tmp_path / "region.csv")
    assert [r["kode_wilayah"] for r in region][:2] == ["1375", "1375010"]


def test_rejected_rows_are_kept(tmp_path: Path) -> None:
    result = stage(BUKITTINGGI, tmp_path)
    assert result.rows_rejected == 1
    [row] = _rows(tmp_path / "rejected" / "complaints_crm.csv")
    assert (row["row"], row["column"], row["value"]) == (
        "19",
        "Kecamatan",
        "Mandiangin Koto Selayn",
    )
    assert result.rejected.iloc[0]["mapping"] == "complaints_crm.toml"


def test_output_names_match_patterns() -> None:
    registry = load_registry()
    assert output_name(registry.get("complaints"), "crm") == "complaints_crm.csv"
    assert output_name(registry.get("complaints"), "complaints_crm") == "complaints_crm.csv"
    assert output_name(registry.get("population"), "bps") == "population.csv"
    assert output_name(registry.get("aq_readings"), "x") == "aq_readings.parquet"


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (float("nan"), ""), (True, "true"), (3.0, "3"), (2.5, "2.5"), ("a", "a")],
)
def test_cell(value: object, text: str) -> None:
    assert cell(value) == text


@pytest.mark.slow
def test_staged_folder_loads_through_the_etl(tmp_path: Path) -> None:
    """The real ETL reads every staged file (no file fails, no value fails its type); what it
    still quarantines are Palembang-specific checks of sources.toml (the 1671 code regex and
    Palembang's bounding box), which the multi-city work removes."""
    from smartindex.config import Settings
    from smartindex.etl import run_etl

    raw = tmp_path / "raw"
    stage(BUKITTINGGI, raw)
    settings = Settings(db_path=tmp_path / "w.duckdb", raw_dir=raw)
    report = run_etl(settings, raw_dir=raw, progress=False)
    assert report.ok, report.errors
    assert {f.status for f in report.files} == {"loaded"}
    assert sum(f.rows_read for f in report.files) == 19 + 39 + 20

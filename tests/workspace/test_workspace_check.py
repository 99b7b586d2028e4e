"""``check_workspace``: a fresh folder is valid with most indicators not computable; the
hand-written Bukittinggi folder computes the complaint-based indicators, reports the misspelt
kecamatan, and every problem names its file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smartindex.indicators import load_catalogue
from smartindex.workspace import (
    check_workspace,
    enabling_sources,
    format_report,
    indicator_status,
    init_workspace,
)

BUKITTINGGI = Path(__file__).resolve().parents[1] / "fixtures" / "cities" / "bukittinggi"
COMPLAINT_BASED = {
    "PEO_CIVIC_REPORTERS",
    "GOV_FIRST_RESPONSE_WH",
    "GOV_VERIFIED_3WD",
    "GOV_FOLLOWUP_5WD",
    "GOV_DISPATCH_6H",
    "GOV_RESOLVED_30D",
    "ENV_FLOOD_REPORTS",
}


@pytest.fixture
def city(tmp_path: Path) -> Path:
    """A copy of the Bukittinggi folder to modify."""
    return Path(shutil.copytree(BUKITTINGGI, tmp_path / "bukittinggi"))


def test_fresh_init_is_valid_but_computes_little(tmp_path: Path) -> None:
    init_workspace(tmp_path / "w", "3273", "Kota Bandung")
    report = check_workspace(tmp_path / "w")
    assert report.ok, report.problems
    assert report.available == {"region"}
    assert len(report.computable) < len(report.indicators) / 2
    assert any("no [[kecamatan]]" in w.message for w in report.warnings)
    assert format_report(report).endswith(f"{tmp_path / 'w'}: valid")


def test_bukittinggi_computes_complaint_indicators() -> None:
    report = check_workspace(BUKITTINGGI)
    assert report.ok, [str(p) for p in report.problems]
    assert report.available == {"region", "complaints", "population"}
    computable = set(report.computable)
    # every indicator whose inputs are complaints, population and region, and no other
    catalogue = load_catalogue()
    expected = {
        i.code
        for i in catalogue.indicators
        if set(i.inputs) <= {"complaints", "population", "region"}
    }
    assert computable == expected
    assert computable >= COMPLAINT_BASED
    by_code = {i.code: i for i in report.indicators}
    assert by_code["GOV_IKM"].missing == ("survey_responses",)
    assert by_code["MOB_PT_STOP_ACCESS"].missing == ("transit_stops", "transit_routes")


def test_bukittinggi_reports_the_misspelt_kecamatan() -> None:
    report = check_workspace(BUKITTINGGI)
    complaints = next(s for s in report.sources if s.target == "complaints")
    assert (complaints.rows_read, complaints.rows_mapped, complaints.rows_rejected) == (40, 39, 1)
    [warning] = [w for w in report.warnings if "Selayn" in w.message]
    assert warning.path.name == "pengaduan_2024.csv" and warning.line == 19
    assert "did you mean 'Mandiangin Koto Selayan'?" in str(warning)
    text = format_report(report)
    assert "GOV_RESOLVED_30D         computable" in text
    assert "GOV_IKM                  needs survey_responses" in text


def test_invalid_mapping_names_file_and_line(city: Path) -> None:
    path = city / "mappings" / "complaints_crm.toml"
    text = path.read_text(encoding="utf-8").replace('"Selesai" = "resolved"', '"Selesai" = "done"')
    path.write_text(text, encoding="utf-8")
    report = check_workspace(city)
    assert not report.ok
    [problem] = report.problems
    line = text.splitlines().index('"Selesai" = "done"') + 1
    assert (problem.path, problem.line) == (path, line)
    assert "'done' is not a canonical status" in problem.message
    assert "complaints" not in report.available


def test_invalid_profile_names_file_line_and_key(city: Path) -> None:
    path = city / "profile.toml"
    text = path.read_text(encoding="utf-8").replace('"Asia/Jakarta"', '"Asia/Singapore"', 1)
    path.write_text(text, encoding="utf-8")
    report = check_workspace(city)
    [problem] = report.problems
    assert problem.path == path and problem.line == 14
    assert "city.timezone" in problem.message
    assert report.indicators and not report.computable


def test_unreadable_data_file_is_a_problem(city: Path) -> None:
    data = city / "raw" / "penduduk_kecamatan.csv"
    data.write_text("Judul\nKota;Tahun\nx;1\n", encoding="utf-8")
    report = check_workspace(city)
    [problem] = report.problems
    assert problem.path == data and problem.line == 2
    assert "population" not in report.available


def test_canonical_file_in_raw_is_checked_and_counted(city: Path) -> None:
    good = city / "raw" / "egov_services.csv"
    good.write_text(
        "service_code,service_name_id,service_name_en,agency,launched_on,online_since,source,"
        "is_synthetic\nS1,Izin,Permit,DPMPTSP,2020-01-01,,illustrative,true\n",
        encoding="utf-8",
    )
    report = check_workspace(city)
    assert report.ok and "egov_services" in report.available
    assert "GOV_ONLINE_SERVICES" in report.computable
    good.write_text("service_code,nama\nS1,Izin\n", encoding="utf-8")
    report = check_workspace(city)
    assert [(p.path, p.line) for p in report.problems] == [(good, 1), (good, 1)]
    assert "missing required column(s) service_name_id" in report.problems[0].message
    assert "unknown column(s) nama" in report.problems[1].message


def test_file_matched_by_two_mappings_is_a_problem(city: Path) -> None:
    second = city / "mappings" / "complaints_again.toml"
    second.write_text(
        (city / "mappings" / "complaints_crm.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    report = check_workspace(city)
    assert any("matched by both" in p.message for p in report.problems)


def test_mapping_without_files_is_a_warning(city: Path) -> None:
    (city / "raw" / "penduduk_kecamatan.csv").unlink()
    report = check_workspace(city)
    assert report.ok and "population" not in report.available
    assert any("no file in raw/ matches 'penduduk_*.csv'" in w.message for w in report.warnings)
    assert "PEO_CIVIC_REPORTERS" not in report.computable


def test_enabling_sources_ranks_by_indicators_unlocked() -> None:
    statuses = indicator_status(load_catalogue(), {"region"})
    enabling = enabling_sources(statuses)
    assert next(iter(enabling)) == "official_stats"
    assert "GOV_IKM" in enabling["survey_responses"]


def test_profile_codes_must_be_canonical(city: Path) -> None:
    path = city / "profile.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('categories = ["air_bersih"]', 'categories = ["air_minum"]')
    text = text.replace('"walk_in", "email"]', '"walk_in", "sms"]')
    text = text.replace('slug = "bukittinggi"', 'slug = "bukittinggi"\nboundaries = "geo.json"')
    path.write_text(text, encoding="utf-8")
    report = check_workspace(city)
    lines = text.splitlines()
    assert [(p.line, p.message.split(":")[0]) for p in report.problems] == [
        (lines.index('categories = ["air_minum"]') + 1, "key 'agency[4].categories'"),
        (next(i for i, ln in enumerate(lines) if '"sms"' in ln) + 1, "key 'complaints.channels'"),
    ]
    assert any("geo.json not found" in w.message for w in report.warnings)

"""The sample honours the registry: columns and order, provenance, references, manifest."""

from __future__ import annotations

import json
import re
import tomllib
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from smartindex.sample import write_sample
from smartindex.sample.common import Spec
from smartindex.sample.targets import peer_values

REGISTRY = tomllib.loads(resources.files("smartindex.etl").joinpath("sources.toml").read_text())
SOURCES = {s["name"]: s for s in REGISTRY["source"]}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    write_sample(out, scale=0.05, seed=11, years=(2020, 2021))
    return out


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".parquet":
        return pq.read_table(path).to_pandas().astype(str)
    sep = ";" if path.name == "official_stats.csv" else ","
    return pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)


def _files(sample: Path, source: str) -> list[Path]:
    pattern = SOURCES[source]["pattern"]
    return sorted(p for p in sample.iterdir() if fnmatch(p.name.removesuffix(".gz"), pattern))


def _manifest(sample: Path) -> dict:
    return json.loads((sample / "sample_manifest.json").read_text())["files"]


def _bad_rows(entry: dict, kinds: tuple[str, ...]) -> set[int]:
    return {r for k in kinds for r in entry["defects"].get(k, {}).get("rows", [])}


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_columns_in_registry_order_and_provenance_on_every_row(sample: Path, source: str) -> None:
    files = _files(sample, source)
    assert files, f"no file for {source}"
    for path in files:
        df = _read(path)
        assert list(df.columns) == list(SOURCES[source]["columns"]), path.name
        assert (df["source"].str.len() > 0).all(), path.name
        assert set(df["is_synthetic"]) <= {"true", "false", "True", "False"}, path.name


def test_manifest_row_counts_match_files(sample: Path) -> None:
    for name, entry in _manifest(sample).items():
        assert len(_read(sample / name)) == entry["rows"], name


def test_references_hold_except_for_injected_defects(sample: Path) -> None:
    codes = set(_read(sample / "region.csv")["kode_wilayah"])
    manifest = _manifest(sample)
    skip = ("unknown_kelurahan", "unknown_kecamatan", "missing_required")
    for source, spec in SOURCES.items():
        refs = [
            c
            for c, t in spec.get("expect", {}).get("references", {}).items()
            if t == "region.kode_wilayah"
        ]
        for path in _files(sample, source):
            df = _read(path)
            bad = _bad_rows(manifest[path.name], skip)
            df = df[~(df.index + 1).isin(bad)]
            for col in refs:
                values = set(df[col]) - {""}
                assert values <= codes, (path.name, col, sorted(values - codes)[:5])


def test_injected_defects_are_where_the_manifest_says(sample: Path) -> None:
    manifest = _manifest(sample)
    codes = set(_read(sample / "region.csv")["kode_wilayah"])
    df = _read(sample / "complaints_2020.csv.gz")
    entry = manifest["complaints_2020.csv.gz"]["defects"]
    for row, orig in zip(
        entry["exact_duplicate"]["rows"], entry["exact_duplicate"]["original_rows"], strict=True
    ):
        assert df.iloc[row - 1].equals(df.iloc[orig - 1])
    for row, orig in zip(
        entry["duplicate_key"]["rows"], entry["duplicate_key"]["original_rows"], strict=True
    ):
        a, b = df.iloc[row - 1], df.iloc[orig - 1]
        assert a["ticket_id"] == b["ticket_id"] and not a.equals(b)
    for row in entry["unknown_kelurahan"]["rows"]:
        assert df.iloc[row - 1]["kelurahan_code"] not in codes
    for row in entry["resolved_before_created"]["rows"]:
        assert df.iloc[row - 1]["resolved_at"] < df.iloc[row - 1]["created_at"]
    for row in entry["negative_count"]["rows"]:
        assert int(df.iloc[row - 1]["reopen_count"]) < 0
    note = manifest["complaints_2020.csv.gz"]["notes"]["formula_text"]["rows"][0]
    assert df.iloc[note - 1]["description"] == '=HYPERLINK("http://x","klik")'
    share = sum(e["count"] for e in entry.values()) / len(df)
    assert 0.003 <= share <= 0.12


def test_clean_reference_files_have_no_defects(sample: Path) -> None:
    manifest = _manifest(sample)
    for name in [
        "region.csv",
        "targets.csv",
        "egov_services.csv",
        "aq_sensors.csv",
        "transit_routes.csv",
    ]:
        assert manifest[name]["defects"] == {}, name
    region = _read(sample / "region.csv")
    assert region["kode_wilayah"].is_unique


def test_official_rows_carry_publisher_and_year(sample: Path) -> None:
    stats = _read(sample / "official_stats.csv")
    allowed = set(SOURCES["official_stats"]["expect"]["in_set"]["stat_code"])
    assert set(stats["stat_code"]) == allowed
    official = stats[stats["is_synthetic"] == "false"]
    assert len(official) >= 8
    assert (official["publisher"].str.len() > 0).all()
    assert official["source"].str.contains(r"\b20\d\d\b").all()
    assert (
        not stats[stats["is_synthetic"] == "true"]["source"]
        .str.startswith("synthetic")
        .eq(False)
        .any()
    )
    city = stats[stats["kode_wilayah"] == "1671"]
    assert city.groupby("year")["stat_code"].nunique().eq(len(allowed)).all()
    hdi = official[(official["kode_wilayah"] == "1671") & (official["stat_code"] == "hdi")]
    assert hdi.set_index("year")["value"].to_dict().get("2020") is None  # 2020 not official
    assert re.fullmatch(r"\d+,\d+", stats[stats["stat_code"] == "gini_ratio"]["value"].iloc[0])


def test_peer_values_and_targets_use_catalogue_codes(sample: Path) -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "indicator-codes.md"
    known = set(re.findall(r"^\| ([A-Z]{3}_[A-Z0-9_]+) \|", doc.read_text(), re.M))
    for name in ["targets.csv", "peer_indicator_values.csv"]:
        df = _read(sample / name)
        assert set(df["indicator_code"]) <= known, name
    peers = peer_values(Spec(1.0, 11, 2016, 2025)).to_pandas()
    jak = peers[(peers["kode_wilayah"] == "3171") & ~peers["is_synthetic"]]
    assert "MOB_WIFI_DENSITY" in set(jak["indicator_code"])
    assert set(peers["kode_wilayah"]) == {"3171", "3578", "3273", "1275", "7371", "3374"}

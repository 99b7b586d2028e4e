"""write_sample: byte-identical output for a seed, different output for another, bad arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartindex.errors import SmartIndexError
from smartindex.sample import write_sample

ARGS = {"scale": 0.05, "years": (2019, 2020)}


def _bytes(paths: list[Path]) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in paths}


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    a = _bytes(write_sample(tmp_path / "a", seed=7, **ARGS))
    b = _bytes(write_sample(tmp_path / "b", seed=7, **ARGS))
    assert a.keys() == b.keys()
    assert [n for n in a if a[n] != b[n]] == []


def test_other_seed_changes_record_files(tmp_path: Path) -> None:
    a = _bytes(write_sample(tmp_path / "a", seed=7, **ARGS))
    b = _bytes(write_sample(tmp_path / "b", seed=8, **ARGS))
    for name in [
        "complaints_2019.csv.gz",
        "survey_responses_2020.csv",
        "aq_readings.parquet",
        "region.csv",
    ]:
        assert a[name] != b[name], name


def test_year_files_do_not_depend_on_the_year_range(tmp_path: Path) -> None:
    a = _bytes(write_sample(tmp_path / "a", seed=7, scale=0.05, years=(2020, 2020)))
    b = _bytes(write_sample(tmp_path / "b", seed=7, **ARGS))
    for name in [
        "complaints_2020.csv.gz",
        "egov_transactions_2020.csv.gz",
        "survey_responses_2020.csv",
    ]:
        assert a[name] == b[name], name


def test_files_written_and_gzip_header_has_no_timestamp(tmp_path: Path) -> None:
    paths = write_sample(tmp_path, seed=1, **ARGS)
    assert paths[-1].name == "sample_manifest.json"
    gz = (tmp_path / "complaints_2019.csv.gz").read_bytes()
    assert gz[:2] == b"\x1f\x8b" and gz[4:8] == b"\0\0\0\0"


def test_plain_csv_when_not_compressed(tmp_path: Path) -> None:
    names = {
        p.name
        for p in write_sample(tmp_path, seed=1, scale=0.05, years=(2020, 2020), compress=False)
    }
    assert {"complaints_2020.csv", "egov_transactions_2020.csv"} <= names


@pytest.mark.parametrize(
    "kwargs",
    [
        {"scale": 0},
        {"scale": -1.0},
        {"years": (2025, 2016)},
        {"years": (1999, 2005)},
        {"years": (2090, 2101)},
        {"seed": -3},
        {"years": "2020"},
    ],
)
def test_bad_arguments_raise_smartindex_error(tmp_path: Path, kwargs: dict) -> None:
    with pytest.raises(SmartIndexError):
        write_sample(tmp_path, **kwargs)

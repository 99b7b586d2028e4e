"""The scoring pipeline on the shared real warehouse: what it publishes and how reproducibly."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from smartindex.config import Settings
from smartindex.errors import MethodError, WarehouseError
from smartindex.scoring import compute_scores, load_setup, prune_framework


def frame(db: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql(sql).df()


def test_index_published_for_city_and_every_peer_year(scored_warehouse: Path) -> None:
    top = frame(scored_warehouse, "select * from scores where code = 'INDEX' "
                                  "and comparison = 'cities'")
    years = set(range(2019, 2026))
    assert set(top.loc[top["unit"] == "1671", "year"]) == years
    assert top["score"].between(0, 100).all()
    ranks = top.groupby("year")["rank"].apply(lambda r: sorted(r.dropna().astype(int)))
    assert all(r == list(range(1, len(r) + 1)) for r in ranks)


def test_levels_and_names_follow_the_catalogue(scored_warehouse: Path) -> None:
    levels = frame(scored_warehouse, "select distinct level, level_name from scores order by 1")
    assert levels.values.tolist() == [[1, "indicator"], [2, "factor"], [3, "dimension"],
                                      [4, "index"]]
    dims = frame(scored_warehouse, "select distinct code from scores where level = 3")
    assert set(dims["code"]) == {"economy", "people", "governance", "mobility", "environment",
                                 "living"}


def test_manifest_records_method_catalogue_and_every_input_checksum(scored_warehouse: Path
                                                                     ) -> None:
    manifest = frame(scored_warehouse, "select * from run_manifest").iloc[-1]
    loads = frame(scored_warehouse, "select source_file, sha256 from load_manifest "
                                    "where status in ('loaded', 'replaced')")
    checksums = json.loads(manifest["input_checksums_json"])
    assert checksums == dict(zip(loads["source_file"], loads["sha256"], strict=True))
    method = json.loads(manifest["method_json"])
    assert method["normalise"]["method"] == "minmax" and method["name"] == "palembang-default"
    assert len(manifest["catalogue_digest"]) == 64 and manifest["package_version"]
    weights = frame(scored_warehouse, "select * from score_weights where comparison='cities'")
    assert weights.groupby("parent")["weight"].sum().round(9).eq(1).all()


def test_rank_intervals_contain_the_median(scored_warehouse: Path) -> None:
    ua = frame(scored_warehouse, "select * from uncertainty_ranks")
    assert not ua.empty
    assert (ua["q05"] <= ua["median_rank"]).all() and (ua["median_rank"] <= ua["q95"]).all()
    sens = frame(scored_warehouse, "select * from sensitivity_indices")
    assert set(sens["assumption"]) == {"normalise", "aggregate", "weights", "winsor_max"}


def test_rescoring_gives_identical_numbers(scored_warehouse: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    shutil.copy(scored_warehouse, copy)
    before = frame(copy, "select * from scores order by all")
    run = compute_scores(Settings(db_path=copy), uncertainty_runs=40, seed=2026)
    after = frame(copy, "select * from scores order by all")
    assert run.run_id == before["run_id"].iloc[0]
    pd.testing.assert_frame_equal(before, after)


def test_missing_warehouse_and_bad_method_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(WarehouseError, match=r"nope\.duckdb"):
        compute_scores(Settings(db_path=tmp_path / "nope.duckdb"))
    bad = tmp_path / "m.toml"
    bad.write_text('[normalise]\nmethod = "magic"\n')
    with pytest.raises(MethodError, match=r"normalise\.method"):
        load_setup(bad)


def test_prune_framework_keeps_only_branches_with_data() -> None:
    elements = pd.DataFrame({
        "code": ["INDEX", "d1", "d2", "f1", "f2", "i1", "i2", "i3"],
        "parent": [None, "INDEX", "INDEX", "d1", "d2", "f1", "f1", "f2"]})
    kept = prune_framework(elements, {"i1"})
    assert kept["code"].tolist() == ["INDEX", "d1", "f1", "i1"]

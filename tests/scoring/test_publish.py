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
from smartindex.scoring.publish import existing_only, score_comparison, synthetic_shares
from smartindex.warehouse.cities import use_city


def frame(db: Path, sql: str) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        use_city(con, None)  # the warehouse's only city
        return con.sql(sql).df()


def test_index_published_for_city_and_every_peer_year(scored_warehouse: Path) -> None:
    top = frame(
        scored_warehouse, "select * from scores where code = 'INDEX' and comparison = 'cities'"
    )
    years = set(range(2019, 2026))
    assert set(top.loc[top["area_code"] == "1671", "year"]) == years
    assert top["score"].between(0, 100).all()
    ranks = top.groupby("year")["rank"].apply(lambda r: sorted(r.dropna().astype(int)))
    assert all(r == list(range(1, len(r) + 1)) for r in ranks)


def test_levels_and_names_follow_the_catalogue(scored_warehouse: Path) -> None:
    levels = frame(scored_warehouse, "select distinct level, level_name from scores order by 1")
    assert levels.values.tolist() == [
        [1, "indicator"],
        [2, "factor"],
        [3, "dimension"],
        [4, "index"],
    ]
    dims = frame(scored_warehouse, "select distinct code from scores where level = 3")
    assert set(dims["code"]) == {
        "economy",
        "people",
        "governance",
        "mobility",
        "environment",
        "living",
    }


def test_manifest_records_method_catalogue_and_every_input_checksum(scored_warehouse: Path) -> None:
    manifest = frame(scored_warehouse, "select * from run_manifest").iloc[-1]
    loads = frame(
        scored_warehouse,
        "select source_file, sha256 from load_manifest where status in ('loaded', 'replaced')",
    )
    checksums = json.loads(manifest["input_checksums_json"])
    assert checksums == dict(zip(loads["source_file"], loads["sha256"], strict=True))
    method = json.loads(manifest["method_json"])
    assert method["normalise"]["method"] == "minmax" and method["name"] == "default"
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
    with pytest.raises(MethodError, match="runs must be 0 or more, got -5"):
        compute_scores(Settings(db_path=tmp_path / "nope.duckdb"), uncertainty_runs=-5)


def test_prune_framework_keeps_only_branches_with_data() -> None:
    elements = pd.DataFrame(
        {
            "code": ["INDEX", "d1", "d2", "f1", "f2", "i1", "i2", "i3"],
            "parent": [None, "INDEX", "INDEX", "d1", "d2", "f1", "f1", "f2"],
        }
    )
    kept = prune_framework(elements, {"i1"})
    assert kept["code"].tolist() == ["INDEX", "d1", "f1", "i1"]


def test_areas_are_not_scored_or_imputed_before_they_existed() -> None:
    # issue 10: the engine's full area_code x year grid scored Jakabaring and Ilir Timur III
    # (created 2018) for 2016-17 with values copied back from 2018
    elements = pd.DataFrame(
        {
            "code": ["INDEX", "d", "f", "i1", "i2"],
            "parent": [None, "INDEX", "d", "f", "f"],
            "name": ["Index", "D", "F", "I1", "I2"],
            "direction": [1, 1, 1, 1, -1],
            "weight": 1.0,
            "level": [4, 3, 2, 1, 1],
            "type": ["Aggregate", "Aggregate", "Aggregate", "Indicator", "Indicator"],
        }
    )
    old, new = ["A", "B", "C"], "N"
    values = pd.DataFrame(
        [
            (u, y, c, float(k + y - 2016 + (c == "i2")))
            for k, u in enumerate(old)
            for y in (2016, 2017, 2018)
            for c in ("i1", "i2")
        ]
        + [(new, 2018, c, 9.0) for c in ("i1", "i2")],
        columns=["area_code", "year", "code", "value"],
    ).assign(official_share=0.0)
    setup = load_setup()
    tables = score_comparison(
        values, elements, setup, pd.DataFrame(), runs=0, seed=1, progress=False
    )
    ghost = tables["scores"].query("area_code == @new and year < 2018")
    assert not ghost.empty  # the defect, engine-side
    years = pd.DataFrame(
        {"area_code": [*old, new], "first": [None, None, None, 2018], "last": [None] * 4}
    )
    kept = existing_only(tables, years)
    assert kept["scores"].query("area_code == @new and year < 2018").empty
    assert kept["score_imputation"].query("area_code == @new and year < 2018").empty
    ranks = kept["scores"].query("year == 2016 and code == 'INDEX'")["rank"]
    assert sorted(ranks.astype(int)) == [1, 2, 3]  # ranked among A, B, C
    assert not kept["scores"].query("area_code == @new and year == 2018").empty


def test_published_scores_respect_valid_from(scored_warehouse: Path) -> None:
    late = frame(
        scored_warehouse,
        """
        select s.area_code, s.year from scores s join region r on r.kode_wilayah = s.area_code
        where r.valid_from is not null and s.year < year(r.valid_from)
        union all
        select s.area_code, s.year
        from score_imputation s join region r on r.kode_wilayah = s.area_code
        where r.valid_from is not null and s.year < year(r.valid_from)""",
    )
    assert late.empty


def test_synthetic_share_per_element() -> None:
    elements = pd.DataFrame(
        {"code": ["INDEX", "d", "f", "i1", "i2"], "parent": [None, "INDEX", "d", "f", "f"]}
    )
    values = pd.DataFrame(
        {"area_code": "A", "year": 2024, "code": ["i1", "i2"], "official_share": [1.0, 0.5]}
    )
    shares = synthetic_shares(values, elements).set_index("code")["synthetic_share"]
    assert shares.to_dict() == {"i1": 0.0, "i2": 0.5, "f": 0.25, "d": 0.25, "INDEX": 0.25}


def test_scores_carry_their_synthetic_share(scored_warehouse: Path) -> None:
    scores = frame(scored_warehouse, "select * from scores where comparison = 'kecamatan'")
    measured = scores.dropna(subset=["synthetic_share"])
    assert len(measured) > 0.9 * len(scores)
    assert measured["synthetic_share"].between(0, 1).all()
    assert (scores.loc[scores["level"] == 4, "synthetic_share"] == 1.0).all()  # sample data

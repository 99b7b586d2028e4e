"""measure(): every query runs, the long table's contract, peers, lineage, storage, targets."""

from __future__ import annotations

import dataclasses

import duckdb
import numpy as np
import pytest

from smartindex.errors import CatalogueError, WarehouseError
from smartindex.indicators import (
    measure,
    measure_indicator_values,
    targets_frame,
    validate_queries,
    write_indicator_values,
)
from smartindex.indicators.catalogue import CONTRACT, Catalogue
from smartindex.indicators.measure import (
    COLUMNS,
    excluded_complaints,
    missing_inputs,
    prepare_connection,
    run_indicator,
    table_provenance,
)

CITY = "1671"


def test_every_query_runs_and_returns_the_contract(fixture_con, catalogue):
    prepare_connection(fixture_con, catalogue)
    for ind in catalogue.indicators:
        names = [d[0] for d in fixture_con.execute(ind.sql).description]
        assert names[:5] == list(CONTRACT), ind.code
        frame = run_indicator(fixture_con, ind)
        assert len(frame) > 0, ind.code
        assert CITY in set(frame["area_code"]), ind.code
    validate_queries(fixture_con, catalogue)


def test_every_query_runs_on_an_empty_warehouse(empty_con, catalogue):
    validate_queries(empty_con, catalogue)
    frame = measure(empty_con, catalogue)
    assert list(frame.columns) == list(COLUMNS) and frame.empty


def test_measure_long_table(fixture_con, catalogue):
    frame = measure(fixture_con, catalogue)
    assert list(frame.columns) == list(COLUMNS)
    assert set(frame["code"]) == set(catalogue.codes)
    assert not frame.duplicated(["code", "area_code", "year"]).any()
    assert set(frame["area_level"]) == {"kota", "kecamatan"}
    assert np.isfinite(frame["value"]).all()
    assert frame["coverage"].dropna().between(0, 1).all()
    ratio = frame.dropna(subset=["numerator", "denominator"])
    ratio = ratio[(ratio["numerator"] > 0)]
    scale = ratio["value"] / (ratio["numerator"] / ratio["denominator"])
    typical = scale.groupby(ratio["code"]).transform("median")
    assert ((scale / typical - 1).abs() < 1e-6).all()  # value = k * numerator / denominator


def test_kecamatan_values_where_inputs_have_a_breakdown(fixture_con, catalogue):
    frame = measure(fixture_con, catalogue)
    kec = set(frame.loc[frame["area_level"] == "kecamatan", "code"])
    assert {
        "GOV_VERIFIED_3WD",
        "ENV_PM25",
        "MOB_WIFI_DENSITY",
        "LIV_SAFE_NIGHT",
        "MOB_PT_STOP_ACCESS",
        "MOB_4G_COVERAGE",
        "PEO_CIVIC_REPORTERS",
    } <= kec
    assert "ECO_UNEMPLOYMENT" not in kec and "GOV_ONLINE_SERVICES" not in kec


def test_peer_values_fill_only_missing_computed_values(fixture_con, catalogue):
    frame = measure(fixture_con, catalogue).set_index(["code", "area_code", "year"])
    peer_ikm = frame.loc[("GOV_IKM", "3578", 2024)]
    assert peer_ikm["is_reported"] and peer_ikm["value"] == 80.0
    assert peer_ikm["inputs"] == "peer_indicator_values"
    assert peer_ikm["sources"] == "synthetic: test fixture"  # the row's own source text
    assert peer_ikm["is_synthetic"] and peer_ikm["official_share"] == 0.0
    assert peer_ikm["load_ids"] == "load-peer_indicator_values"
    own = frame.loc[("ECO_NEW_BUSINESS", CITY, 2024)]
    assert not own["is_reported"] and own["value"] == pytest.approx(0.1)  # 999 ignored
    peer_stat = frame.loc[("ECO_UNEMPLOYMENT", "3578", 2024)]  # same formula
    assert not peer_stat["is_reported"] and peer_stat["value"] == 10.0


def test_lineage_names_tables_and_load_ids(fixture_con, catalogue):
    frame = measure(fixture_con, catalogue, codes=["ENV_PM25", "ECO_PATENTS"])
    row = frame[frame["code"] == "ENV_PM25"].iloc[0]
    assert row["inputs"] == "aq_readings,aq_sensors,region"
    assert row["sources"] == "synthetic: test fixture"
    assert row["load_ids"] == "load-aq_readings,load-aq_sensors,load-region"
    assert set(frame["code"]) == {"ENV_PM25", "ECO_PATENTS"}


def test_measure_is_deterministic(fixture_con, catalogue):
    first = measure(fixture_con, catalogue)
    second = measure(fixture_con, catalogue)
    assert first.equals(second)


def test_write_indicator_values_and_read_back(fixture_db, catalogue, tmp_path):
    path = tmp_path / "copy.duckdb"
    path.write_bytes(fixture_db.read_bytes())
    with duckdb.connect(str(path)) as con:
        frame = measure_indicator_values(con, catalogue, codes=["GOV_IKM", "MOB_WIFI_DENSITY"])
        stored = con.execute("select * from indicator_values order by code, area_code, year").df()
        assert list(stored.columns) == list(COLUMNS)
        assert len(stored) == len(frame)
        assert stored["value"].tolist() == pytest.approx(frame["value"].tolist())
        write_indicator_values(con, frame.head(3))
        assert con.execute("select count(*) from indicator_values").fetchone()[0] == 3
        with pytest.raises(CatalogueError, match="lacks column"):
            write_indicator_values(con, frame.drop(columns=["coverage"]))


def test_targets_frame(fixture_con, catalogue, empty_con):
    targets = targets_frame(fixture_con, catalogue)
    assert targets.to_dict("records") == [
        {"area_code": CITY, "year": 2024, "code": "GOV_IKM", "target": 85.0}
    ]
    assert list(targets_frame(duckdb.connect()).columns) == ["area_code", "year", "code", "target"]


def test_failing_query_names_the_indicator(fixture_con, catalogue):
    broken = dataclasses.replace(catalogue.indicator("ENV_PM25"), sql="select * from nowhere")
    with pytest.raises(CatalogueError, match="indicator ENV_PM25: query failed"):
        run_indicator(fixture_con, broken)
    wrong = dataclasses.replace(
        catalogue.indicator("ENV_PM25"),
        sql="select '1671' as area_code, 2024 as year, 1.0 as value",
    )
    with pytest.raises(CatalogueError, match=r"ENV_PM25: query must return .*numerator"):
        run_indicator(fixture_con, wrong)
    dup = dataclasses.replace(
        catalogue.indicator("ENV_PM25"),
        sql="""
        select '1671' as area_code, 2024 as year, 1.0 as value, null as numerator,
               null as denominator from range(2)""",
    )
    with pytest.raises(CatalogueError, match="ENV_PM25: several rows"):
        run_indicator(fixture_con, dup)
    custom = Catalogue(
        version="x",
        digest="",
        dimensions=catalogue.dimensions,
        factors=catalogue.factors,
        indicators=(broken,),
        macros=catalogue.macros,
    )
    with pytest.raises(CatalogueError, match="ENV_PM25"):
        measure(fixture_con, custom)


def test_unknown_code_and_min_n(fixture_con, catalogue):
    with pytest.raises(CatalogueError, match="NOPE_X"):
        measure(fixture_con, catalogue, codes=["NOPE_X"])
    prepare_connection(fixture_con, catalogue)
    strict = dataclasses.replace(catalogue.indicator("LIV_SAFE_NIGHT"), min_n=41)
    assert set(run_indicator(fixture_con, strict)["area_code"]) == {CITY}  # 80 city, 40 per kec


def test_excluded_complaints_are_reported_apart(fixture_con, catalogue):
    out = excluded_complaints(fixture_con, catalogue)
    city = out[out["area_code"] == CITY].set_index("status")["tickets"].to_dict()
    assert city == {"rejected": 1, "returned": 1}


def test_missing_input_tables_skip_their_indicators(fixture_db, catalogue, tmp_path):
    path = tmp_path / "partial.duckdb"
    path.write_bytes(fixture_db.read_bytes())
    with duckdb.connect(str(path)) as con:
        con.execute("drop table complaints")
        missing = missing_inputs(con, catalogue)
        assert set(missing) == {i.code for i in catalogue.indicators if "complaints" in i.inputs}
        frame = measure(con, catalogue)
        assert "GOV_VERIFIED_3WD" not in set(frame["code"])
        assert "ENV_PM25" in set(frame["code"])
        with pytest.raises(WarehouseError, match=r"warehouse lacks table\(s\) \['complaints'\]"):
            validate_queries(con, catalogue)


OFFICIAL = "BPS Kota Palembang, Kota Palembang Dalam Angka 2025"


def test_provenance_official_synthetic_and_mixed(make_row_db, catalogue):
    # issue 10: every value says whether it rests on official or synthetic data, and names
    # the publisher and document, not the warehouse table
    stats = (("unemployment_rate_pct", 7.1), ("new_business_registrations", 500.0))
    con = make_row_db(
        official_stats=[
            {"kode_wilayah": CITY, "year": 2024, "stat_code": code, "value": value}
            for code, value in stats
        ]
    )
    con.execute("update official_stats set is_synthetic = false, source = ?", [OFFICIAL])
    frame = measure(con, catalogue, codes=["ECO_UNEMPLOYMENT", "ECO_NEW_BUSINESS"])
    rows = frame.set_index("code")
    assert not rows.loc["ECO_UNEMPLOYMENT", "is_synthetic"]
    assert rows.loc["ECO_UNEMPLOYMENT", "official_share"] == 1.0
    assert rows.loc["ECO_UNEMPLOYMENT", "sources"] == OFFICIAL
    # an official count over a synthetic population: half official, flagged synthetic
    assert rows.loc["ECO_NEW_BUSINESS", "is_synthetic"]
    assert rows.loc["ECO_NEW_BUSINESS", "official_share"] == 0.5
    assert rows.loc["ECO_NEW_BUSINESS", "sources"] == f"{OFFICIAL} | synthetic: test fixture"
    assert "official_stats" in rows.loc["ECO_NEW_BUSINESS", "inputs"]


def test_record_based_values_carry_their_tables_provenance(fixture_con, catalogue):
    frame = measure(fixture_con, catalogue)
    assert frame["is_synthetic"].all()  # the fixture is synthetic
    assert (frame["official_share"] == 0).all()
    assert not frame["sources"].str.contains("_").any()  # no table names


def test_texts_of_synthetic_rows_are_never_named_as_official_sources():
    con = duckdb.connect()
    con.execute(
        "create table t as select * from (values "
        "('BPS Kota X, Dalam Angka 2024', false), "
        "('hand-written illustrative data (not official)', true), "
        "('synthetic: smartindex sample generator v1', true)) v(source, is_synthetic)"
    )
    share, texts = table_provenance(con, "t")
    assert share == pytest.approx(1 / 3)
    assert texts is not None
    assert texts.split(" | ") == [
        "BPS Kota X, Dalam Angka 2024",
        "synthetic: hand-written illustrative data (not official)",
        "synthetic: smartindex sample generator v1",
    ]

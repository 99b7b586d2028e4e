"""End to end on generated sample data loaded by the ETL (skipped until both exist).

One test function, so that under ``pytest -n 2`` only one worker builds the warehouse.
"""

from __future__ import annotations

import dataclasses

import duckdb
import pandas as pd
import pytest

from smartindex.indicators import measure, validate_queries
from smartindex.indicators.catalogue import Catalogue
from smartindex.indicators.measure import prepare_connection, run_indicator
from smartindex.warehouse.cities import use_city

pytestmark = pytest.mark.slow  # uses the shared sample warehouse (built once per session)

YEARS = range(2022, 2026)
KECAMATAN_LEVEL = {
    "PEO_CIVIC_REPORTERS",
    "GOV_FIRST_RESPONSE_WH",
    "GOV_VERIFIED_3WD",
    "GOV_FOLLOWUP_5WD",
    "GOV_DISPATCH_6H",
    "GOV_RESOLVED_30D",
    "GOV_EGOV_ONLINE_SHARE",
    "MOB_PT_STOP_ACCESS",
    "MOB_FIBRE_HOMES",
    "MOB_4G_COVERAGE",
    "MOB_WIFI_DENSITY",
    "ENV_PM25",
    "ENV_GOOD_AIR_DAYS",
    "ENV_FLOOD_REPORTS",
    "LIV_CCTV_DENSITY",
}
# at scale 0.05 a kecamatan has a handful of respondents (below min_n): the query is checked
SURVEY = {
    "PEO_DIGITAL_LITERACY",
    "PEO_OPENNESS",
    "PEO_INTERNET_USE",
    "GOV_IKM",
    "LIV_SAFE_NIGHT",
    "MOB_HH_INTERNET",
}


def _check_city_years(values: pd.DataFrame, catalogue: Catalogue) -> None:
    city = values[(values["area_code"] == "1671") & values["year"].isin(YEARS)]
    years = city.groupby("code")["year"].nunique()
    thin = {
        code: int(years.get(code, 0))
        for code in catalogue.codes
        if years.get(code, 0) < len(YEARS) // 2
    }
    assert not thin, f"indicators with city values for under half of {list(YEARS)}: {thin}"
    assert len(city) >= 0.8 * len(catalogue.codes) * len(YEARS)


def _check_kecamatan(values: pd.DataFrame) -> None:
    area_codes = values[values["area_level"] == "kecamatan"].groupby("code")["area_code"].nunique()
    missing = {code for code in KECAMATAN_LEVEL if area_codes.get(code, 0) < 10}
    assert not missing, f"too few kecamatan values: {sorted(missing)}"


def _check_survey_breakdown(con: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> None:
    prepare_connection(con, catalogue)
    for code in SURVEY:
        ind = dataclasses.replace(catalogue.indicator(code), min_n=None)
        assert run_indicator(con, ind)["area_code"].str.len().eq(7).sum() >= 10, code


def test_sample_warehouse_end_to_end(sample_warehouse, catalogue):
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        use_city(con, None)  # the warehouse's only city
        validate_queries(con, catalogue)
        values = measure(con, catalogue)
        _check_survey_breakdown(con, catalogue)
    _check_city_years(values, catalogue)
    _check_kecamatan(values)
    pct = values[
        values["code"].isin(
            ["GOV_VERIFIED_3WD", "GOV_RESOLVED_30D", "MOB_4G_COVERAGE", "LIV_SAFE_NIGHT"]
        )
    ]
    assert pct["value"].between(0, 100).all()
    assert values["load_ids"].fillna("").str.len().gt(0).all()

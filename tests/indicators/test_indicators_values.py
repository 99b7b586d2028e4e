"""Hand-computed indicator values on crafted rows (see conftest for the fixture rows)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from smartindex.indicators import measure
from smartindex.indicators.measure import prepare_connection, run_indicator

CITY, KEC_A, KEC_B = "1671", "1671010", "1671020"


@pytest.fixture(scope="module")
def values(fixture_db, catalogue) -> pd.Series:
    with duckdb.connect(str(fixture_db), read_only=True) as con:
        frame = measure(con, catalogue)
    return frame.set_index(["code", "area_code", "year"])["value"]


def test_first_response_median_in_working_hours(values):
    # 7.5-hour days (Perpres 21/2023): 07:30-12:00 and 13:00-16:00, Friday 07:30-11:30 and
    # 13:00-16:30. T1 Fri 15:00 -> Mon 09:00 = 1.5 + 1.5 = 3; T2 Tue 10:00 -> Fri 10:00 over
    # Natal and cuti bersama = 5 + 2.5 = 7.5; T3 Sat -> Mon 07:50 = 1/3; T5 Mon 2 Dec 09:00 ->
    # Mon 16 Dec 10:00 = 6 + 9 x 7.5 + 2.5 = 76; T8 has no response. Rejected/returned excluded.
    assert values[("GOV_FIRST_RESPONSE_WH", KEC_A, 2024)] == pytest.approx(5.25)  # (3+7.5)/2
    assert values[("GOV_FIRST_RESPONSE_WH", KEC_B, 2024)] == pytest.approx((1 / 3 + 76) / 2)
    assert values[("GOV_FIRST_RESPONSE_WH", CITY, 2024)] == pytest.approx(5.25)


def test_complaint_sla_rates(values):
    assert values[("GOV_VERIFIED_3WD", CITY, 2024)] == pytest.approx(60.0)  # T5 4 wd, T8 never
    assert values[("GOV_VERIFIED_3WD", KEC_B, 2024)] == pytest.approx(100 / 3)
    assert values[("GOV_FOLLOWUP_5WD", CITY, 2024)] == pytest.approx(75.0)  # T5 6 wd late
    assert values[("GOV_DISPATCH_6H", CITY, 2024)] == pytest.approx(40.0)
    assert values[("GOV_RESOLVED_30D", CITY, 2024)] == pytest.approx(40.0)  # T1, T5 of 5
    # the 2025 ticket's windows have not elapsed at the extract's as-of time
    assert ("GOV_VERIFIED_3WD", CITY, 2025) not in values.index
    assert ("GOV_DISPATCH_6H", CITY, 2025) not in values.index


def test_complaint_counts_per_population(values):
    assert values[("PEO_CIVIC_REPORTERS", CITY, 2024)] == pytest.approx(4 / 100000 * 1000)
    assert values[("PEO_CIVIC_REPORTERS", KEC_A, 2024)] == pytest.approx(2 / 60000 * 1000)
    # two locations in B: one ~110 m cell shared by T5 and T8, one kelurahan (T3); T6 rejected
    assert values[("ENV_FLOOD_REPORTS", KEC_B, 2024)] == pytest.approx(2 / 40000 * 1e5)
    assert values[("ENV_FLOOD_REPORTS", KEC_A, 2024)] == 0.0


def test_pm25_reference_first_and_corrected_low_cost(values):
    # A: S1 30 on 363 days, 20 and 40 on 1-2 March, 3-4 March invalid -> 10 950 / 365 = 30
    assert values[("ENV_PM25", KEC_A, 2024)] == pytest.approx(30.0)
    # B: S2 (reference) 60 on 1 March; other days only S3, low-cost 36 / 1.20 = 30
    assert values[("ENV_PM25", KEC_B, 2024)] == pytest.approx((60 + 365 * 30) / 366)
    # city: 1 Mar (20 + 60) / 2, 2 Mar 40, 3-4 Mar S3 corrected 30, else S1 30
    assert values[("ENV_PM25", CITY, 2024)] == pytest.approx((40 + 40 + 364 * 30) / 366)
    assert values[("ENV_GOOD_AIR_DAYS", CITY, 2024)] == pytest.approx(100.0)
    assert values[("ENV_GOOD_AIR_DAYS", KEC_B, 2024)] == pytest.approx(100 * 365 / 366)


def test_wifi_density_counts_only_hotspots_active_at_year_end(values):
    # 2023: H1, H2 (retired mid-2024); 2024: H1 and H4 (installed 31 Dec); H3 only in 2025
    assert values[("MOB_WIFI_DENSITY", KEC_A, 2023)] == pytest.approx(2 / 60000 * 1e5)
    assert values[("MOB_WIFI_DENSITY", KEC_A, 2024)] == pytest.approx(1 / 60000 * 1e5)
    assert values[("MOB_WIFI_DENSITY", KEC_B, 2024)] == pytest.approx(1 / 40000 * 1e5)
    assert values[("MOB_WIFI_DENSITY", CITY, 2024)] == pytest.approx(2.0)
    assert values[("MOB_WIFI_DENSITY", "3578", 2024)] == pytest.approx(10 / 2e6 * 1e5)


def test_inventories(values):
    assert values[("LIV_CCTV_DENSITY", CITY, 2023)] == pytest.approx(2 / 40)  # C2 not public
    assert values[("LIV_CCTV_DENSITY", CITY, 2024)] == pytest.approx(1 / 40)  # C3 retired
    assert values[("MOB_FIBRE_HOMES", KEC_A, 2023)] == pytest.approx(60.0)
    assert values[("MOB_FIBRE_HOMES", CITY, 2024)] == pytest.approx(60.0)
    assert values[("MOB_PT_ROUTE_KM", CITY, 2024)] == pytest.approx(43.4)  # R3 closed 2023
    assert values[("MOB_PT_BOARDINGS", CITY, 2024)] == pytest.approx(0.24)
    assert values[("GOV_ONLINE_SERVICES", CITY, 2023)] == pytest.approx(50.0)
    assert values[("GOV_ONLINE_SERVICES", CITY, 2024)] == pytest.approx(200 / 3)
    assert values[("GOV_EGOV_ONLINE_SHARE", KEC_A, 2024)] == pytest.approx(200 / 3)


def test_access_indicators_population_weighted(values):
    # stop 222 m from A1's centroid (A1 = 3/4 of A's area, no kelurahan population rows)
    assert values[("MOB_PT_STOP_ACCESS", KEC_A, 2024)] == pytest.approx(75.0)
    assert values[("MOB_PT_STOP_ACCESS", CITY, 2024)] == pytest.approx(45.0)
    # 4G site on air March 2024 covers B1; the 3G site does not count
    assert values[("MOB_4G_COVERAGE", CITY, 2023)] == 0.0
    assert values[("MOB_4G_COVERAGE", CITY, 2024)] == pytest.approx(40.0)


def test_official_statistics(values):
    assert values[("ECO_PRODUCTIVITY", CITY, 2024)] == pytest.approx(100.0)
    assert values[("GOV_OPEN_DATA", CITY, 2024)] == pytest.approx(75.0)
    assert values[("PEO_VOTER_TURNOUT", CITY, 2024)] == pytest.approx(60.5)  # 2023 result holds
    assert values[("MOB_HH_INTERNET", CITY, 2024)] == pytest.approx(80.0)  # BPS over survey


def test_weighted_survey_share_and_ikm(make_row_db, catalogue):
    respondents = [
        {"respondent_id": "a", "weight": 2.0, "safe_night": 5, "openness": 1},
        {"respondent_id": "b", "weight": 1.0, "safe_night": 4, "openness": None},
        {"respondent_id": "c", "weight": 3.0, "safe_night": 2, "openness": 5},
        {"respondent_id": "d", "weight": 4.0, "safe_night": None, "openness": 4},
    ]
    for i, row in enumerate(respondents):
        row.update(
            {
                "survey_year": 2024,
                "kecamatan_code": KEC_A if i < 3 else KEC_B,
                **{f"ikm_u{k}": 1 + (i + k) % 4 for k in range(1, 10)},
            }
        )
    con = make_row_db(survey_responses=respondents)
    prepare_connection(con, catalogue)

    def run(code: str) -> pd.Series:
        ind = dataclasses.replace(catalogue.indicator(code), min_n=None)
        return run_indicator(con, ind).set_index("area_code")["value"]

    safe = run("LIV_SAFE_NIGHT")
    assert safe[CITY] == pytest.approx(100 * 3 / 6)  # d did not answer
    assert safe[KEC_A] == pytest.approx(100 * 3 / 6)
    assert run("PEO_OPENNESS")[CITY] == pytest.approx(100 * 7 / 9)
    weights = pd.Series([r["weight"] for r in respondents])
    nrr = [
        sum(w * (1 + (i + k) % 4) for i, w in enumerate(weights)) / weights.sum()
        for k in range(1, 10)
    ]
    assert run("GOV_IKM")[CITY] == pytest.approx(25 * sum(nrr) / 9)


def _quarter_rows(sensor: str, valid_days: dict[int, int]) -> list[dict]:
    """Readings of 10 (valid) on the first ``valid_days[q]`` days of each quarter of 2023,
    then invalid ones (suspect flag) for the rest of the quarter."""
    rows = []
    for q, valid in valid_days.items():
        first = date(2023, 3 * q - 2, 1)
        last = date(2023 + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
        for k in range((last - first).days):
            rows.append(
                {
                    "sensor_id": sensor,
                    "date": first + timedelta(days=k),
                    "pm25": 10.0,
                    "n_hours": 24,
                    "qc_flag": "ok" if k < valid else "suspect",
                }
            )
    return rows


def test_pm25_completeness_needs_75_percent_of_days_in_every_quarter(make_row_db, catalogue):
    sensors = [
        {
            "sensor_id": s,
            "kecamatan_code": k,
            "lat": -3.0,
            "lon": 104.7,
            "sensor_type": "reference",
            "installed_on": date(2022, 1, 1),
        }
        for s, k in (("A", KEC_A), ("B", KEC_B))
    ]
    # A: 68 of 90 days in Q1 (75.6 %) and full other quarters -> complete;
    # B: only 67 of 90 in Q1 (74.4 %) -> no annual value although 3 quarters are full
    rows = _quarter_rows("A", {1: 68, 2: 91, 3: 92, 4: 92})
    rows += _quarter_rows("B", {1: 67, 2: 91, 3: 92, 4: 92})
    con = make_row_db(aq_sensors=sensors, aq_readings=rows)
    prepare_connection(con, catalogue)
    out = run_indicator(con, catalogue.indicator("ENV_PM25")).set_index("area_code")
    assert KEC_A in out.index and KEC_B not in out.index
    assert out.loc[KEC_A, "n_valid"] / out.loc[KEC_A, "n_obs"] == pytest.approx(343 / 365)
    assert out.loc[CITY, "value"] == pytest.approx(10.0)


def test_pm25_gandus_style_haze_only_year_is_not_published(make_row_db, catalogue):
    # issue 10: one valid day (or a Sep-Dec haze season only) used to make an annual mean
    sensors = [
        {
            "sensor_id": "S",
            "kecamatan_code": KEC_A,
            "lat": -3.0,
            "lon": 104.7,
            "sensor_type": "low_cost",
            "installed_on": date(2019, 9, 1),
        }
    ]
    rows = [
        {
            "sensor_id": "S",
            "date": date(2019, 9, 1) + timedelta(days=k),
            "pm25": 75.0,
            "n_hours": 24,
            "qc_flag": "ok",
        }
        for k in range(122)
    ]
    con = make_row_db(aq_sensors=sensors, aq_readings=rows)
    prepare_connection(con, catalogue)
    assert run_indicator(con, catalogue.indicator("ENV_PM25")).empty


def test_pm25_excludes_suspect_and_short_days(make_row_db, catalogue):
    sensors = [
        {
            "sensor_id": "S",
            "kecamatan_code": KEC_A,
            "lat": -3.0,
            "lon": 104.7,
            "sensor_type": "reference",
            "installed_on": date(2022, 1, 1),
        }
    ]
    rows = _quarter_rows("S", {1: 90, 2: 91, 3: 92, 4: 92})
    crafted = [(10.0, 24, "ok"), (30.0, 18, "ok"), (500.0, 24, "suspect"), (90.0, 17, "ok")]
    for row, (pm, hours, flag) in zip(rows, crafted, strict=False):
        row.update(pm25=pm, n_hours=hours, qc_flag=flag)
    for row in rows[len(crafted) :]:
        row["pm25"] = 20.0
    con = make_row_db(aq_sensors=sensors, aq_readings=rows)
    prepare_connection(con, catalogue)
    out = run_indicator(con, catalogue.indicator("ENV_PM25")).set_index("area_code")
    assert out.loc[CITY, "value"] == pytest.approx(20.0)  # (10 + 30 + 361 x 20) / 363
    assert out.loc[CITY, "n_valid"] / out.loc[CITY, "n_obs"] == pytest.approx(363 / 365)

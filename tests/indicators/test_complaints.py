"""Complaint stage statistics and outcomes on the crafted tickets of the fixture (conftest)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from smartindex.indicators.complaints import STAGES, outcomes, stage_stats
from smartindex.indicators.measure import prepare_connection, run_indicator

CITY = "1671"


@pytest.fixture()
def stages(fixture_con, catalogue) -> pd.DataFrame:
    return stage_stats(fixture_con, catalogue).set_index(["area_code", "year", "stage"])


def test_every_stage_has_median_p90_and_share(stages):
    city = stages.loc[(CITY, 2024)]
    assert set(city.index) == {s.key for s in STAGES}
    assert city[["median", "share_within_limit", "n_tickets"]].notna().all().all()


def test_lapor_verification_and_forwarding_equals_the_kpi(stages, fixture_con, catalogue):
    # T1, T2 same day, T3 one working day (Sat -> Mon), T5 four, T8 never forwarded: 3 of 5
    row = stages.loc[(CITY, 2024, "verification_forwarding")]
    assert row["share_within_limit"] == pytest.approx(60.0)
    assert (row["limit_value"], row["limit_unit"]) == (3.0, "working_days")
    assert "Perpres 76/2013" in row["basis"] and "62/2018" in row["basis"]
    assert pd.isna(row["mean_hours"])  # LAPOR! sets per-ticket limits, no mean


def test_completion_quantiles_treat_open_tickets_as_longest(stages):
    # T1 235 h, T5 433 h, T2 888 h, T3 and T8 unresolved (longer than any finished one)
    row = stages.loc[(CITY, 2024, "completion")]
    assert (row["n_tickets"], row["n_finished"]) == (5, 3)
    assert row["median"] == pytest.approx(888.0)
    assert pd.isna(row["p90"])  # falls on an unresolved ticket
    assert row["share_within_limit"] == 0.0  # none within 7 days
    # the mean is published only where compared with Jakarta's mean <= 7 days
    assert row["mean_hours"] == pytest.approx((235 + 433 + 888) / 3)
    assert row["jakarta_mean_limit_hours"] == 168.0


def test_outcomes_are_first_class_and_add_up(fixture_con, catalogue):
    out = outcomes(fixture_con, catalogue).set_index(["area_code", "year"])
    city = out.loc[(CITY, 2024)]
    assert city["received"] == 7
    assert (
        city["resolved"],
        city["open"],
        city["rejected_incomplete"],
        city["not_our_authority"],
        city["duplicate"],
    ) == (3, 2, 1, 1, 0)
    shares = [c for c in out.columns if c.endswith("_share")]
    assert (out[shares].sum(axis=1) - 100).abs().max() < 1e-9
    assert city["resolved_share"] == pytest.approx(100 * 3 / 7)


def test_duplicates_leave_the_rates(make_row_db, catalogue):
    base = {"channel": "lapor", "category": "jalan", "kecamatan_code": "1671010"}
    t0 = datetime(2024, 3, 4, 9)
    con = make_row_db(
        complaints=[
            base
            | {
                "ticket_id": "A",
                "status": "resolved",
                "created_at": t0,
                "resolved_at": datetime(2024, 3, 5, 9),
            },
            base | {"ticket_id": "B", "status": "duplicate", "created_at": t0},
            base | {"ticket_id": "C", "status": "received", "created_at": datetime(2024, 6, 1, 9)},
        ]
    )
    prepare_connection(con, catalogue)
    rate = run_indicator(con, catalogue.indicator("GOV_RESOLVED_30D")).set_index("area_code")
    assert rate.loc[CITY, "value"] == 100.0  # B is not an unresolved ticket
    dup = outcomes(con, catalogue).set_index("area_code").loc[CITY]
    assert (dup["received"], dup["duplicate"], dup["resolved"]) == (3, 1, 1)

from __future__ import annotations

from datetime import datetime

import pytest

from smartindex.ops.live import snapshot
from smartindex.ops.store import open_store

NOW = datetime(2024, 5, 8, 12, 0)
MON = "2024-05-06T{}:00+07:00"


@pytest.fixture(scope="module")
def live(tmp_path_factory, put, req):
    store = open_store(tmp_path_factory.mktemp("live") / "ops")
    put(
        store,
        # T1: only received, Friday 10:00 -> coordination (6 h) breached 116 h ago,
        # LAPOR! verification-and-forwarding at risk (89 % of working time used)
        req("T1", agency="DLH", kelurahan_code="1671040004", kecamatan_code="1671040"),
        # T2: dispatched after 5 h (in time), T3 after 7 h (late): both still open
        req(
            "T2",
            requested=MON.format("08:00"),
            agency="Dinas PUPR",
            category="jalan",
            notes=[("dispatched", MON.format("13:00"))],
        ),
        req(
            "T3",
            requested=MON.format("08:00"),
            agency="Dinas PUPR",
            category="jalan",
            notes=[("dispatched", MON.format("15:00"))],
        ),
        # T4-T6 resolved in kelurahan 1671010001 after 24 h, 12 h and 48 h
        req(
            "T4",
            requested=MON.format("08:00"),
            kelurahan_code="1671010001",
            notes=[("dispatched", MON.format("09:00")), ("resolved", "2024-05-07T08:00:00+07:00")],
        ),
        req(
            "T5",
            requested=MON.format("08:00"),
            kelurahan_code="1671010001",
            notes=[("dispatched", MON.format("09:00")), ("resolved", MON.format("20:00"))],
        ),
        req(
            "T6",
            requested="2024-05-05T12:00:00+07:00",
            kelurahan_code="1671010001",
            notes=[("dispatched", MON.format("09:00")), ("resolved", "2024-05-07T12:00:00+07:00")],
        ),
        # T7 returned (not our authority): counts in no stage and not in the backlog
        req("T7", notes=[("bukan wewenang", "2024-05-03T11:00:00+07:00")]),
        # T8 category without SLA
        req("T8", requested=MON.format("10:00"), category="lainnya"),
    )
    return snapshot(store, now=NOW)


def test_totals_and_backlog(live):
    assert live.totals["open"] == 4  # T1, T2, T3, T8
    backlog = live.backlog_agency.set_index("agency")
    assert backlog.loc["Dinas PUPR", "open"] == 2
    assert backlog.loc["DLH", "open"] == 2  # T1 and T8
    assert live.backlog_kecamatan["open"].sum() == 4


def test_oldest_open_first(live):
    assert live.oldest_open["ticket_id"].tolist()[:2] == ["T1", "T2"]
    assert live.oldest_open.iloc[0]["age_days"] == pytest.approx(5 + 2 / 24)  # Fri 10 - Wed 12


def test_overdue_and_at_risk_lists(live):
    overdue = live.overdue.set_index(["ticket_id", "stage"])
    assert overdue.loc[("T1", "jakarta_coordination"), "late_hours"] == pytest.approx(116)
    assert ("T2", "jakarta_coordination") not in overdue.index  # dispatched in time
    risk = live.at_risk.set_index(["ticket_id", "stage"])
    assert risk.loc[("T1", "lapor_verify_forward"), "elapsed_share"] == pytest.approx(1470 / 1650)


def test_compliance_per_stage_and_period(live):
    got = live.compliance.set_index(["stage", "period"])
    # coordination decided within 7 days: T1 late (at its due time), T2 in time, T3 late,
    # T4, T5 in time (1 h), T6 late (21 h), T8 late (due Monday 16:00): 3 of 7
    assert got.loc[("jakarta_coordination", "7d"), "decided"] == 7
    assert got.loc[("jakarta_coordination", "7d"), "share"] == pytest.approx(300 / 7)
    assert got.loc[("jakarta_coordination", "today"), "decided"] == 0
    # LAPOR! verification-and-forwarding: T2-T6 dispatched well within 3 working days
    assert got.loc[("lapor_verify_forward", "30d"), "share"] == pytest.approx(100)
    assert list(live.compliance["period"].unique()) == ["today", "7d", "30d"]


def test_league_table_median_and_p90(live):
    row = live.league.set_index("kelurahan_code").loc["1671010001"]
    assert row["resolved"] == 3
    assert row["median_hours"] == pytest.approx(24)
    assert row["p90_hours"] == pytest.approx(24 + 0.8 * (48 - 24))


def test_category_without_sla_is_reported(live):
    defaults = live.sla_defaults.set_index(["stage", "category"])
    assert defaults.loc[("lapor_resolution", "lainnya"), "tickets"] == 1


def test_open_points_carry_their_state(live):
    states = live.open_points.set_index("ticket_id")["state"]
    assert states["T1"] == "overdue" and len(states) == 4

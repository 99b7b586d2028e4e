"""The live service levels count working days on the city's working week (``SlaTable.week``,
issue #15): due times, the share of a limit used, overdue and at-risk lists and alerts follow
the week, and refresh files compacted under another week are not used."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from smartindex.indicators.calendar import NATIONAL_WEEK
from smartindex.ops.alerts import evaluate
from smartindex.ops.live import snapshot
from smartindex.ops.sla import SlaTable, fingerprint, load_sla
from smartindex.ops.store import Store, compact, open_store, pin

# Monday to Saturday, 08:00-14:00 without breaks (36 h a week)
SIX_DAYS = (((480, 840),),) * 6 + ((),)
NATIONAL = load_sla()
SIX = load_sla(week=SIX_DAYS)
STAGE = "lapor_verify_forward"  # received -> dispatched within 3 working days
# Ticket V is received on Thursday 12 Dec 2024 at 10:00 and not dispatched. Its 3 working days:
#   national: Fri 13, Mon 16, Tue 17 -> due Wed 18 00:00; working minutes from the receipt to
#     the due time: Thu 10:00-16:00 less the 12-13 break 300, Fri 450, Mon 450, Tue 450 = 1650
#   six days: Fri 13, Sat 14, Mon 16 -> due Tue 17 00:00; Thu 10:00-14:00 240, Fri 360,
#     Sat 360, Mon 360 = 1320
MONDAY = datetime(2024, 12, 16, 10)  # national: 300+450+150 = 900 of 1650 used (open);
#   six days: 240+360+360+120 = 1080 of 1320 used (at risk)
TUESDAY = datetime(2024, 12, 17, 10)  # national: 1350 of 1650 used (at risk);
#   six days: 10 hours overdue
EXPECTED = {
    ("national", MONDAY): ("open", 900 / 1650),
    ("six", MONDAY): ("at_risk", 1080 / 1320),
    ("national", TUESDAY): ("at_risk", 1350 / 1650),
    ("six", TUESDAY): ("overdue", 10.0),
}
TABLES = {"national": NATIONAL, "six": SIX}


@pytest.fixture
def ticket_store(store: Store, put, req) -> Store:
    put(store, req("V", requested="2024-12-12T10:00:00+07:00", category="sampah"))
    return store


def _status(store: Store, sla: SlaTable, now: datetime) -> tuple[str, float]:
    """Where ticket V's verification stage is listed in the snapshot at ``now``: overdue (hours
    late), at risk (share of the limit used) or in neither list (open, NaN)."""
    snap = snapshot(store, now=now, sla=sla)
    overdue = snap.overdue.set_index(["ticket_id", "stage"])
    risk = snap.at_risk.set_index(["ticket_id", "stage"])
    if ("V", STAGE) in overdue.index:
        return "overdue", float(overdue.loc[("V", STAGE), "late_hours"])
    if ("V", STAGE) in risk.index:
        return "at_risk", float(risk.loc[("V", STAGE), "elapsed_share"])
    return "open", float("nan")


@pytest.mark.parametrize("week", ["national", "six"])
@pytest.mark.parametrize("now", [MONDAY, TUESDAY])
@pytest.mark.parametrize("compacted", [False, True], ids=["batches", "compacted"])
def test_status_follows_the_week(ticket_store, week, now, compacted) -> None:
    sla = TABLES[week]
    if compacted:
        compact(ticket_store, sla)
        assert pin(ticket_store, sla).outcomes is not None  # the refresh files are read
    state, value = EXPECTED[(week, now)]
    got_state, got_value = _status(ticket_store, sla, now)
    assert got_state == state
    if state != "open":
        assert got_value == pytest.approx(value)


@pytest.mark.parametrize(("week", "rule"), [("national", "at_risk"), ("six", "breached")])
def test_alerts_follow_the_week(ticket_store, week, rule) -> None:
    alerts = [a for a in evaluate(ticket_store, TUESDAY, TABLES[week]) if a.stage == STAGE]
    assert [(a.ticket_id, a.rule) for a in alerts] == [("V", rule)]
    due = {"national": "2024-12-18T00:00:00+07:00", "six": "2024-12-17T00:00:00+07:00"}[week]
    assert alerts[0].due_at == due


def test_refresh_files_of_another_week_are_not_used(
    ticket_store, tmp_path, put, req, same_view
) -> None:
    compact(ticket_store, NATIONAL)
    assert pin(ticket_store, NATIONAL).outcomes is not None
    assert pin(ticket_store, SIX).outcomes is None  # computed on the national week: ignored
    assert _status(ticket_store, SIX, TUESDAY) == pytest.approx(("overdue", 10.0))
    # the same figures as a store never compacted
    fresh = open_store(tmp_path / "fresh")
    put(fresh, req("V", requested="2024-12-12T10:00:00+07:00", category="sampah"))
    want = snapshot(fresh, now=TUESDAY, sla=SIX)
    same_view(snapshot(ticket_store, now=TUESDAY, sla=SIX), want)
    # the next compaction on the city's week writes its own refresh files
    compact(ticket_store, SIX)
    assert pin(ticket_store, SIX).outcomes is not None
    assert pin(ticket_store, NATIONAL).outcomes is None
    same_view(snapshot(ticket_store, now=TUESDAY, sla=SIX), want)


def test_the_week_is_part_of_the_fingerprint() -> None:
    assert fingerprint(SIX) != fingerprint(NATIONAL)
    assert fingerprint(SIX) == fingerprint(NATIONAL, SIX_DAYS)  # an explicit week wins
    # a city on the national week keeps the refresh files compacted without a week
    assert fingerprint(replace(SIX, week=NATIONAL_WEEK)) == fingerprint(NATIONAL)

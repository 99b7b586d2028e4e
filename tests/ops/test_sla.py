from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd
import pytest

from smartindex.errors import DataFileError
from smartindex.ops.sla import install_stages, load_sla


def test_shipped_table_has_the_lapor_and_jakarta_rules_with_citations():
    sla = load_sla()
    stages = {s.key: s for s in sla.stages}
    assert (stages["lapor_verify_forward"].limit, stages["lapor_verify_forward"].unit) == (
        3,
        "working_days",
    )
    assert stages["lapor_followup"].limit == 5
    assert (stages["jakarta_coordination"].limit, stages["jakarta_coordination"].unit) == (
        6,
        "clock_hours",
    )
    assert (stages["jakarta_completion"].limit, stages["jakarta_completion"].unit) == (
        7,
        "calendar_days",
    )
    assert "Perpres 76/2013" in stages["lapor_verify_forward"].citation
    assert {v for (s, _), v in sla.limits.items() if s == "lapor_resolution"} == {2, 5, 14, 60}
    assert all(s.citation for s in sla.stages)


def test_category_without_limit_gets_the_default_and_says_so():
    sla = load_sla()
    assert sla.limit_for("lapor_resolution", "jalan") == (60, False)
    assert sla.limit_for("lapor_resolution", "lainnya") == (14, True)
    assert sla.limit_for("lapor_followup", "anything") == (5, False)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[stage]]\nkey="x"\nprofile="p"\nstart="received"\nend="resolved"\nunit="weeks"\nlimit=1',
            "unit 'weeks'",
        ),
        (
            '[[stage]]\nkey="x"\nprofile="p"\nstart="born"\nend="resolved"\nunit="clock_hours"\n'
            "limit=1",
            "'born' is not a stage event",
        ),
        (
            '[[stage]]\nkey="x"\nprofile="p"\nstart="received"\nend="resolved"\nunit="clock_hours"',
            "exactly one of limit and default_limit",
        ),
        (
            '[[stage]]\nkey="x"\nprofile="p"\nstart="received"\nend="resolved"\n'
            'unit="working_days"\nlimit=1.5',
            "must be whole",
        ),
        ('[[limit]]\nstage="nope"\ncategory="c"\nlimit=1', "unknown stage 'nope'"),
        ("[[stage]\n", "not valid TOML"),
    ],
)
def test_bad_sla_tables_are_refused_with_the_reason(tmp_path, text, message):
    path = tmp_path / "sla.toml"
    path.write_text(text)
    with pytest.raises(DataFileError, match=message):
        load_sla(path)


def _instances(received: datetime, now: datetime, category: str = "sampah") -> pd.DataFrame:
    con = duckdb.connect()
    con.execute(
        """create temp table t as select 'T1' as ticket_id, 'C1' as ticket_code,
        ? as category, 'DLH' as agency, '1671040004' as kelurahan_code,
        '1671040' as kecamatan_code, 'received' as status, ?::timestamp as created_at,
        null::timestamp as verified_at, null::timestamp as dispatched_at,
        null::timestamp as first_response_at, null::timestamp as resolved_at,
        null::timestamp as closed_at, timestamp '9999-12-31' as sort_at""",
        [category, received],
    )
    install_stages(con, load_sla(), tickets="t", now=now)
    return con.execute("select * from open_instances").df().set_index("stage")


def test_due_times_follow_the_holiday_calendar():
    # Received Friday 3 May 2024 10:00. Thursday 9 May (Kenaikan Isa Almasih) and Friday
    # 10 May (cuti bersama) are not working days: the 3rd working day after the 3rd is Wednesday
    # 8 May, so the stage is late from Monday 13 May 00:00 (the 4th working day).
    got = _instances(datetime(2024, 5, 3, 10), now=datetime(2024, 5, 8, 12))
    assert got.loc["lapor_verify_forward", "due_at"] == datetime(2024, 5, 13)
    assert got.loc["lapor_resolution", "due_at"] == datetime(2024, 5, 15)  # sampah: 5 WD
    assert got.loc["jakarta_coordination", "due_at"] == datetime(2024, 5, 3, 16)
    assert got.loc["jakarta_completion", "due_at"] == datetime(2024, 5, 10, 10)
    assert "lapor_followup" not in got.index  # not dispatched: the stage has not started


def test_elapsed_share_counts_working_minutes():
    got = _instances(datetime(2024, 5, 3, 10), now=datetime(2024, 5, 8, 12))
    # The project calendar's schedule (Perpres 21/2023, 7.5 h a day): Friday 07:30-11:30 and
    # 13:00-16:30, Monday-Thursday 07:30-12:00 and 13:00-16:00. From Friday 10:00: 300 min
    # left on Friday, Monday 450, Tuesday 450, Wednesday 07:30-12:00 = 270 -> 1470 elapsed of
    # 300 + 3 x 450 = 1650 until the due time (Monday 13 May 00:00).
    assert got.loc["lapor_verify_forward", "elapsed_share"] == pytest.approx(1470 / 1650)
    assert got.loc["lapor_resolution", "elapsed_share"] == pytest.approx(1470 / 2550)
    assert got.loc["jakarta_completion", "elapsed_share"] == pytest.approx(122 / 168)
    assert got.loc["jakarta_coordination", "is_overdue"]
    assert got.loc["jakarta_coordination", "late_hours"] == pytest.approx(116)
    assert not got.loc["lapor_verify_forward", "is_overdue"]


def test_a_category_without_sla_uses_the_default():
    got = _instances(datetime(2024, 5, 3, 10), now=datetime(2024, 5, 8, 12), category="banjir_rob")
    assert got.loc["lapor_resolution", "is_default"]
    assert got.loc["lapor_resolution", "limit_value"] == 14
    assert not got.loc["lapor_verify_forward", "is_default"]

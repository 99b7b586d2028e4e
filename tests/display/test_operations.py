from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd

from smartindex.display.i18n import t
from smartindex.display.operations import (
    backlog_chart,
    compliance_table,
    labelled_stages,
    source_lines,
    stage_label,
    ticket_map,
    with_names,
)


def test_stage_labels_in_both_languages_and_unknown_keys_kept():
    assert stage_label("lapor_followup", "id").startswith("LAPOR!: tindak lanjut")
    assert stage_label("lapor_followup", "en").startswith("LAPOR!: agency follow-up")
    assert stage_label("my_stage", "en") == "my_stage"


def test_every_canonical_status_and_category_has_a_word_in_both_languages():
    registry = tomllib.loads(Path("smartindex/etl/sources.toml").read_text())
    complaints = next(s for s in registry["source"] if s["name"] == "complaints")
    allowed = complaints["expect"]["in_set"]
    frame = pd.DataFrame({"status": allowed["status"]})
    for lang in ("id", "en"):
        words = labelled_stages(frame, lang)["status"].tolist()
        assert not set(words) & set(allowed["status"]), lang  # no code shown as a code
    for column in ("status", "category"):
        for code in allowed[column]:
            for lang in ("id", "en"):
                assert t(f"ops.{column}.{code}", lang) != f"ops.{column}.{code}", (code, lang)
    out = labelled_stages(pd.DataFrame({"status": ["returned", "new_code"]}), "id")
    assert out["status"].tolist() == ["Dikembalikan (bukan wewenang)", "new_code"]
    out = labelled_stages(pd.DataFrame({"category": ["banjir_drainase"]}), "en")
    assert out["category"].tolist() == ["Flooding and drainage"]


def test_compliance_table_one_row_per_stage_share_and_count_per_period():
    frame = pd.DataFrame(
        {
            "stage": ["lapor_followup"] * 3,
            "period": ["today", "7d", "30d"],
            "decided": [0, 4, 10],
            "on_time": [0, 3, 9],
            "share": [float("nan"), 75.0, 90.0],
        }
    )
    got = compliance_table(frame, "en")
    assert list(got.columns) == [
        "Stage",
        "Today (%)",
        "Today (n)",
        "7 days (%)",
        "7 days (n)",
        "30 days (%)",
        "30 days (n)",
    ]
    assert got.iloc[0]["7 days (%)"] == 75.0 and got.iloc[0]["30 days (n)"] == 10
    assert pd.isna(got.iloc[0]["Today (%)"])


def test_source_names_and_errors_cannot_inject_markdown():
    sources = pd.DataFrame(
        {
            "name": ["![x](http://127.0.0.1:9/a.png)"],
            "minutes_since_success": [float("nan")],
            "consecutive_failures": [2],
            "last_error": ["<b>down</b>"],
        }
    )
    line = source_lines(sources, "en")[0]
    assert "\\!\\[x\\]" in line and "\\<b\\>" in line
    assert "never" in line and "2 consecutive failures" in line


def test_names_next_to_codes():
    frame = pd.DataFrame({"kecamatan_code": ["1671040"], "kelurahan_code": ["1671040004"]})
    got = with_names(frame, {"1671040": "Ilir Barat I", "1671040004": "Siring Agung"}.get)
    assert (got.loc[0, "kecamatan"], got.loc[0, "kelurahan"]) == ("Ilir Barat I", "Siring Agung")


def test_map_without_shapes_says_so_and_fetches_nothing():
    points = pd.DataFrame(
        {
            "ticket_id": ["T1"],
            "lat": [-2.95],
            "lon": [104.75],
            "agency": ["DLH"],
            "category": ["sampah"],
            "state": ["overdue"],
        }
    )
    spec = ticket_map(points, pd.DataFrame(), "en").to_dict()
    assert "No boundary polygons" in str(spec)
    assert "http" not in str({k: v for k, v in spec.items() if k != "$schema"})


def test_backlog_bars_split_open_into_overdue_at_risk_and_rest():
    frame = pd.DataFrame({"agency": ["DLH"], "open": [5], "overdue": [2], "at_risk": [1]})
    spec = backlog_chart(frame, "agency", "en", label="Agency").to_dict()
    values = next(iter(spec["datasets"].values()))
    assert [v["tickets"] for v in values] == [2, 1, 2]

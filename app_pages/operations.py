"""Operasi / Operations: open backlog, service levels and sources of the live complaint tickets.

The live part is a fragment that reruns itself every ``REFRESH`` seconds (no full page reload);
every figure comes from ``smartindex.ops.snapshot``; this page only labels and lays out. The
city (time zone, working week of the service levels) is the profile ``smartindex app --city``
hands over (``SMARTINDEX_PROFILE``), else the profile of the warehouse's city under
data/cities, as ``smartindex ops`` and the follower ``smartindex demo`` starts use it.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from app_pages import common
from smartindex import ops
from smartindex.cities import default_profile, load_profile, settings_for
from smartindex.config import Settings, cities_dir
from smartindex.display import operations as view
from smartindex.display.i18n import format_number, t
from smartindex.display.markdown import escape_markdown
from smartindex.errors import SmartIndexError
from smartindex.ops.model import local_zone

REFRESH = 15
METRICS = ("open", "overdue", "at_risk", "received_today", "resolved_today", "quarantined")
STAGE_COLS = ("ticket_code", "stage", "agency", "kecamatan", "kelurahan", "due_at")
OLDEST = ("ticket_code", "category", "agency", "kecamatan", "kelurahan", "status", "created_at")
LEAGUE = ("kelurahan", "kecamatan", "resolved", "median_hours", "p90_hours")
SLA = ("stage", "profile", "unit", "limit", "default_limit", "citation")
res, lang = common.results(), common.view().lang


def city_settings(base: Settings, code: str) -> Settings:
    """``base`` with the city's profile (the one handed over, else the one of city ``code``
    under data/cities); ``base`` (national week) when there is none."""
    given = os.environ.get("SMARTINDEX_PROFILE")
    try:
        profile = load_profile(Path(given)) if given else None
        if profile is None or profile.bps_code != code:  # another city of the warehouse
            profile = default_profile(code, cities_dir())
        return settings_for(profile, base)
    except SmartIndexError:  # no profile (checked by `smartindex app` when it hands one over)
        return base


settings = city_settings(Settings.from_env(), res.city)
store = ops.Store(ops.default_store(settings.db_path, res.city))  # one store per city
zone = local_zone(settings)  # the city's zone: the store's naive times are local there
sla = ops.load_sla(week=settings.work_week)  # the city's working week, as the annual KPIs
st.title(t("ops.title", lang))


def section(key: str, frame, names: tuple[str, ...], note: str | None = None, download="") -> None:
    """A heading and a table (codes named, kecamatan/kelurahan names next to codes)."""
    st.subheader(t(key, lang))
    frame = view.labelled_stages(view.with_names(frame, res.area_name), lang)
    labels, decimals = view.columns(names, lang), {"elapsed_share": 2}
    common.table(frame, lang, labels=labels, decimals=decimals, download=download)
    if note:
        st.caption(t(note, lang))


@st.fragment(run_every=REFRESH)
def live() -> None:
    if not store.root.is_dir():
        st.info(t("ops.no_store", lang, path=escape_markdown(store.root), city=res.city))
        return
    snap = ops.snapshot(store, sla=sla, tz=zone)
    clock, abbr = f"{snap.now:%Y-%m-%d %H:%M}", snap.now.replace(tzinfo=zone).tzname()
    st.caption(t("ops.caption", lang, seconds=REFRESH, clock=clock, zone=abbr))
    for col, key in zip(st.columns(len(METRICS)), METRICS, strict=True):
        col.metric(t(f"ops.metric.{key}", lang), format_number(snap.totals[key], lang, 0))
    st.subheader(t("ops.sources", lang))
    for line in view.source_lines(snap.sources, lang):
        st.markdown(line)
    backlogs = ((snap.backlog_agency, "agency", None), (snap.backlog_kecamatan, "kecamatan", 1))
    for col, (frame, name, names) in zip(st.columns(2), backlogs, strict=True):
        col.subheader(t(f"ops.backlog_{name}", lang))
        with col:
            common.chart(
                view.backlog_chart(
                    frame,
                    frame.columns[0],
                    lang,
                    label=t(f"ops.col.{name}", lang),
                    name_of=res.area_name if names else None,
                )
            )
    st.subheader(t("ops.map", lang))
    common.chart(view.ticket_map(snap.open_points, res.shapes, lang))
    section("ops.overdue", snap.overdue, ("ticket_code", "late_hours", *STAGE_COLS[1:]))
    section("ops.at_risk", snap.at_risk, ("ticket_code", "elapsed_share", *STAGE_COLS[1:]))
    section("ops.oldest", snap.oldest_open, (*OLDEST, "age_days"), download="operations")
    st.subheader(t("ops.compliance", lang))
    common.table(view.compliance_table(snap.compliance, lang), lang)
    st.caption(t("ops.compliance_note", lang))
    section("ops.league", snap.league, LEAGUE, note="ops.league_note")
    with st.expander(t("ops.stages", lang)):
        section("ops.stages", snap.stages.rename(columns={"key": "stage"}), SLA)
        section("ops.sla_defaults", snap.sla_defaults, ("stage", "category", "tickets"))
        section("ops.quarantine", snap.quarantine, ("reason", "records"))


live()

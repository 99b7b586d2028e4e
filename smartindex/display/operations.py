"""Labels, tables and charts of the Operations page (live tickets, service levels, alerts).

The frames come from :func:`smartindex.ops.snapshot`; everything here only labels, reshapes
for display and draws. The map draws open tickets over the kecamatan borders of the shipped
boundary polygons (``Results.shapes``), inline in the spec, with no tile server.
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import pandas as pd

from smartindex.display.charts import finish
from smartindex.display.i18n import format_number, t
from smartindex.display.maps import attribution, kecamatan_borders
from smartindex.display.markdown import escape_markdown

STATES = ("overdue", "at_risk", "open")
STATE_COLOURS = ("#b2182b", "#ef8a62", "#4d4d4d")
PERIODS = ("today", "7d", "30d")


def stage_label(stage: str, lang: str) -> str:
    """The name of an SLA stage (its key when the locale lacks it)."""
    key = f"ops.stage.{stage}"
    text = t(key, lang)
    return stage if text == key else text


def columns(names: tuple[str, ...], lang: str) -> dict[str, str]:
    """Column labels ``ops.col.<name>`` for :func:`display_table`."""
    return {name: t(f"ops.col.{name}", lang) for name in names}


def with_names(frame: pd.DataFrame, name_of: Callable[[str], str]) -> pd.DataFrame:
    """``frame`` with ``kecamatan`` and ``kelurahan`` name columns for the codes it has."""
    names = {
        f"{level}": [name_of(str(c)) for c in frame[f"{level}_code"]]
        for level in ("kecamatan", "kelurahan")
        if f"{level}_code" in frame
    }
    return frame.assign(**names)


def code_label(column: str, code: object, lang: str) -> str:
    """The word for a canonical code of ``column`` (``stage``, ``status``, ``category``,
    ``unit``), from ``ops.<column>.<code>``; the code itself when the locale has no word for
    it (a new code is shown, not hidden)."""
    key = f"ops.{column}.{code}"
    text = t(key, lang)
    return str(code) if text == key else text


def labelled_stages(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with its ``stage``, ``status``, ``category`` and (SLA time) ``unit`` codes
    replaced by words."""
    return frame.assign(
        **{
            col: [code_label(col, c, lang) for c in frame[col]]
            for col in ("stage", "status", "category", "unit")
            if col in frame
        }
    )


def compliance_table(compliance: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per stage (first column: its name), the share on time per period (today / 7 days
    / 30 days) and the number of decided stage instances behind each share."""
    wide = compliance.pivot_table(
        index="stage", columns="period", values=["share", "decided"], aggfunc="first", dropna=False
    )
    out = pd.DataFrame({t("ops.col.stage", lang): [stage_label(str(s), lang) for s in wide.index]})
    for period in PERIODS:
        label = t(f"ops.period.{period}", lang)
        out[f"{label} (%)"] = wide[("share", period)].to_numpy(dtype=float)
        out[f"{label} (n)"] = wide[("decided", period)].fillna(0).to_numpy(dtype="int64")
    return out


def source_lines(sources: pd.DataFrame, lang: str) -> list[str]:
    """One escaped Markdown line per source: last successful pull and consecutive failures."""
    lines = []
    for row in sources.to_dict("records"):
        minutes = row.get("minutes_since_success")
        ago = (
            t("ops.source.never", lang)
            if pd.isna(minutes)
            else t("ops.source.ago", lang, minutes=format_number(minutes, lang, 0))
        )
        text = t(
            "ops.source.line",
            lang,
            name=escape_markdown(row["name"]),
            ago=ago,
            failures=int(row["consecutive_failures"] or 0),
        )
        if row.get("last_error"):
            text += " — " + escape_markdown(str(row["last_error"])[:200])
        lines.append(text)
    return lines


def _borders(shapes: pd.DataFrame) -> alt.Chart | None:
    if shapes.empty:
        return None
    segments = [seg for segs in kecamatan_borders(shapes).values() for seg in segs]
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "MultiLineString",
            "coordinates": [[list(a), list(b)] for a, b in segments],
        },
    }
    chart: alt.Chart = alt.Chart({"values": [feature]}).mark_geoshape(
        filled=False, stroke="#9a9a9a", strokeWidth=0.7
    )
    return chart


def ticket_map(
    points: pd.DataFrame, shapes: pd.DataFrame, lang: str, *, width: int = 560, height: int = 460
) -> alt.TopLevelMixin:
    """Open tickets as dots coloured by state (overdue, at risk, open) over kecamatan borders
    (Mercator; without shapes, the dots alone on the same projection)."""
    names = [t(f"ops.state.{s}", lang) for s in STATES]
    data = points.assign(state_label=[t(f"ops.state.{s}", lang) for s in points["state"]])
    dots = (
        alt.Chart(data[["lat", "lon", "state_label", "agency", "category", "ticket_id"]])
        .mark_circle(size=28, opacity=0.8)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            color=alt.Color(
                "state_label:N",
                title=t("ops.col.state", lang),
                scale=alt.Scale(domain=names, range=list(STATE_COLOURS)),
            ),
            tooltip=[
                alt.Tooltip("ticket_id:N", title=t("ops.col.ticket", lang)),
                alt.Tooltip("agency:N", title=t("ops.col.agency", lang)),
                alt.Tooltip("category:N", title=t("ops.col.category", lang)),
                alt.Tooltip("state_label:N", title=t("ops.col.state", lang)),
            ],
        )
    )
    border = _borders(shapes)
    layers = [border, dots] if border is not None else [dots]
    note = attribution(shapes) if not shapes.empty else t("ops.map.no_shapes", lang)
    chart = (
        alt.layer(*layers)
        .project(type="mercator")
        .properties(
            width=width,
            height=height,
            title=alt.TitleParams(note, fontSize=10, fontWeight="normal", color="#666666"),
        )
    )
    return finish(chart, lang)


def backlog_chart(
    frame: pd.DataFrame,
    column: str,
    lang: str,
    *,
    label: str,
    name_of: Callable[[str], str] | None = None,
) -> alt.TopLevelMixin:
    """Horizontal stacked bars of open tickets per ``column``: overdue, at risk, the rest."""
    names = [t(f"ops.state.{s}", lang) for s in STATES]
    keys = [name_of(str(v)) if name_of else str(v) for v in frame[column]]
    rows = []
    for key, (_, row) in zip(keys, frame.iterrows(), strict=True):
        rest = int(row["open"]) - int(row["overdue"]) - int(row["at_risk"])
        for state, count in zip(names, (row["overdue"], row["at_risk"], rest), strict=True):
            rows.append(
                {"key": key, "state": state, "tickets": int(count), "order": names.index(state)}
            )
    data = pd.DataFrame(rows, columns=["key", "state", "tickets", "order"])
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("key:N", sort=keys, title=label, axis=alt.Axis(labelOverlap=False)),
            x=alt.X("tickets:Q", title=t("ops.col.open", lang), stack="zero"),
            color=alt.Color(
                "state:N",
                title=t("ops.col.state", lang),
                scale=alt.Scale(domain=names, range=list(STATE_COLOURS)),
                legend=alt.Legend(direction="vertical"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("key:N", title=label),
                alt.Tooltip("state:N"),
                alt.Tooltip("tickets:Q", title=t("ops.col.tickets", lang)),
            ],
        )
        .properties(width=380, height=alt.Step(20))
    )
    return finish(chart, lang)

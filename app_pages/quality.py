"""Kualitas data / Data quality: the current load state (rows read / loaded / quarantined per
file) and the load history, quarantine reasons with sample rows, and data coverage per
indicator."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from smartindex.display import charts
from smartindex.display import labels as views
from smartindex.display.i18n import format_number, t

v = common.view()
res = common.results()
st.title(t("page.quality", v.lang))
# the current state, one row per file (what the warehouse holds); the manifest is history
manifest = res.load_current if len(res.load_current) else res.load_manifest
counts = ("rows_read", "rows_loaded", "rows_quarantined")
cols = st.columns(3)
for col, name in zip(cols, counts, strict=True):
    total = manifest[name].sum() if name in manifest else None
    col.metric(t(f"quality.{name}", v.lang), format_number(total, v.lang, 0))

st.subheader(t("quality.manifest", v.lang))
labels = {
    "source_file": t("col.source_file", v.lang),
    "table_name": t("col.table", v.lang),
    **{c: t(f"quality.{c}", v.lang) for c in counts},
    "status": t("col.status", v.lang),
    "finished_at": t("col.finished", v.lang),
    "warnings": t("col.warnings", v.lang),
    "error": t("col.error", v.lang),
}
common.table(
    manifest.assign(status=[t(f"load.{s}", v.lang) for s in manifest["status"]])
    if "status" in manifest
    else manifest,
    v.lang,
    labels=labels,
)
with st.expander(t("quality.history", v.lang)):
    common.table(res.load_manifest, v.lang, labels=labels)
if "rows_quarantined" in manifest and manifest["rows_quarantined"].gt(0).any():
    bad = manifest[manifest["rows_quarantined"] > 0]
    common.chart(
        charts.ranked_bars(
            bad.assign(label=bad["source_file"], value=bad["rows_quarantined"]),
            v.lang,
            title=t("quality.rows_quarantined", v.lang),
            number=",.0f",
            value_title=t("quality.rows_quarantined", v.lang),
        )
    )

st.subheader(t("quality.quarantine", v.lang))
common.table(
    views.coded(res.quarantine_summary, "expectation", "quality.check", v.lang),
    v.lang,
    download="quality",
    labels={
        "table_name": t("col.table", v.lang),
        "source_file": t("col.source_file", v.lang),
        **{c: t(f"col.{c}", v.lang) for c in ("expectation", "columns")},
        "n_rows": t("col.rows", v.lang),
        "example_reason": t("col.example_reason", v.lang),
        "example_row": t("col.example_row", v.lang),
    },
)

st.subheader(t("quality.coverage", v.lang))
audit = res.audit
audit = audit[audit["comparison"] == "cities"] if len(audit) else audit
if len(audit) and "year" in audit:  # one row per indicator for the selected year
    audit = audit[audit["year"] == v.year]
if len(audit):
    names = common.element_names(lang=v.lang)
    audit = audit.assign(
        name=audit["code"].map(names).fillna(audit["code"]), coverage=audit["availability"] * 100
    ).sort_values(["name", "code"])
    common.chart(
        charts.ranked_bars(
            audit.assign(label=audit["name"], value=audit["coverage"]),
            v.lang,
            title=f"{t('quality.coverage', v.lang)} · {v.year}",
            value_title=t("col.coverage", v.lang) + " (%)",
        )
    )
    stats = ("min", "max", "mean", "median", "sd", "skew", "kurt", "outlier")
    common.table(
        audit,
        v.lang,
        download="audit",
        labels={
            "year": t("col.year", v.lang),
            "code": t("col.code", v.lang),
            "name": t("col.name", v.lang),
            "coverage": t("col.coverage", v.lang) + " (%)",
            **{c: t(f"col.{c}", v.lang) for c in stats},
        },
        default_decimals=2,
    )
st.info(t("quality.survey", v.lang))

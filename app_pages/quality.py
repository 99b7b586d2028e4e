"""Kualitas data / Data quality: the load manifest, rows read / loaded / quarantined per source,
quarantine reasons with sample rows, and data coverage per indicator."""

from __future__ import annotations

import streamlit as st

from app_pages import common
from smartindex import charts
from smartindex.i18n import format_number, t

v = common.view()
res = common.results()
st.title(t("page.quality", v.lang))
manifest = res.load_manifest
counts = ("rows_read", "rows_loaded", "rows_quarantined")
cols = st.columns(3)
for col, name in zip(cols, counts, strict=True):
    total = manifest[name].sum() if name in manifest else None
    col.metric(t(f"quality.{name}", v.lang), format_number(total, v.lang, 0))

st.subheader(t("quality.manifest", v.lang))
shown = [c for c in ("source_file", "table_name", *counts, "status", "finished_at", "warnings",
                     "error") if c in manifest]
st.dataframe(manifest[shown], hide_index=True, width="stretch")
if "rows_quarantined" in manifest and manifest["rows_quarantined"].gt(0).any():
    bad = manifest[manifest["rows_quarantined"] > 0]
    common.chart(charts.ranked_bars(
        bad.assign(label=bad["source_file"], value=bad["rows_quarantined"]), v.lang,
        title=t("quality.rows_quarantined", v.lang), value_title=t("quality.rows_quarantined",
                                                                   v.lang)))

st.subheader(t("quality.quarantine", v.lang))
st.dataframe(res.quarantine_summary, hide_index=True, width="stretch")

st.subheader(t("quality.coverage", v.lang))
audit = res.audit
audit = audit[audit["comparison"] == "cities"] if len(audit) else audit
if len(audit):
    names = common.call("whatif.element_names", lang=v.lang)
    common.chart(charts.ranked_bars(
        audit.assign(label=audit["code"].map(names).fillna(audit["code"]),
                     value=audit["availability"] * 100), v.lang,
        title=t("quality.coverage", v.lang), value_title=t("col.coverage", v.lang) + " (%)"))
    st.dataframe(audit, hide_index=True, width="stretch")
st.info(t("quality.survey", v.lang))

"""Report sections on places: the kecamatan (district index, inequality, access) and the peers.

Tables and charts come from the scorecard module's published frames; numbers become strings in
the report's language. Nothing is scored here.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from smartindex.analysis.districts import access_table
from smartindex.analysis.scorecard import (
    Scorecard,
    closest_peers,
    district_table,
    inequality_table,
    peer_table,
)
from smartindex.display import charts, narrative
from smartindex.display.i18n import dimension_name, dimension_short, t
from smartindex.display.numbers import MISSING, format_number, format_percent, format_signed
from smartindex.report.provenance import source_line, source_note
from smartindex.report.sections import DISTRICT_W, table
from smartindex.scoring.results import INDEX_CODE, Results

ACCESS_RADIUS_M = 500.0
PEER_ROW_PX = 46
ASSETS = ("wifi_hotspots", "transit_stops")  # column labels: report.asset.<name>


def _district_index_table(results: Results, card: Scorecard) -> tuple[dict[str, Any], pd.DataFrame]:
    lang = card.lang
    dt = district_table(results, year=card.year)
    idx = dt[dt["code"] == INDEX_CODE].sort_values(["rank", "name"])
    wide = dt[dt["code"] != INDEX_CODE].pivot_table(
        index="area_code", columns="code", values="score", aggfunc="first"
    )
    dims = [c for c in card.dimensions["code"] if c in wide.columns]
    header = [
        t("col.rank", lang),
        t("sidebar.kecamatan", lang),
        t("level.index", lang),
        *[dimension_short(results.catalogue, c, lang) for c in dims],
    ]
    rows = [
        [
            format_number(r["rank"], lang, 0),
            str(r["name"]),
            {"t": format_number(r["score"], lang, 1), "b": True},
            *[
                format_number(wide.at[r["area_code"], c], lang, 1)
                if r["area_code"] in wide.index
                else MISSING
                for c in dims
            ],
        ]
        for r in idx.to_dict("records")
    ]
    return table(header, rows, [1.0, 2.0, 0.9, *[1.35] * len(dims)], "rlr" + "r" * len(dims)), idx


def _inequality_table(results: Results, card: Scorecard) -> tuple[dict[str, Any], pd.DataFrame]:
    lang = card.lang
    ineq = inequality_table(results, year=card.year)
    chapter = {c: i for i, c in enumerate(card.dimensions["code"])}
    dim = ineq[ineq["level"] == "dimension"]
    dim = dim.assign(order=dim["code"].map(chapter)).sort_values(["order", "code"])
    header = [
        t(k, lang)
        for k in ("col.dimension", "ineq.gini", "ineq.theil", "report.cv", "report.score_sd")
    ]
    rows = [
        [
            dimension_name(results.catalogue, r["code"], lang),
            format_number(r["gini"], lang, 3),
            format_number(r["theil"], lang, 3),
            format_number(r["cv"], lang, 3),
            format_number(r.get("score_sd"), lang, 1),
        ]
        for r in dim.to_dict("records")
    ]
    return table(header, rows, [3, 1, 1, 1, 1.2], "lrrrr"), dim


def _access_table(results: Results, card: Scorecard) -> dict[str, Any] | None:
    acc = access_table(results, year=card.year, radius_m=ACCESS_RADIUS_M)
    if acc.empty:
        return None
    wide = 100 * acc.pivot_table(
        index="area_code", columns="asset", values="share", aggfunc="first"
    )
    assets = [a for a in ASSETS if a in wide.columns]
    header = [
        t("sidebar.kecamatan", card.lang),
        *[t(f"report.asset.{a}", card.lang) for a in assets],
    ]
    rows = [
        [results.area_name(u), *[format_percent(wide.at[u, a], card.lang, 1) for a in assets]]
        for u in sorted(wide.index, key=results.area_name)
    ]
    return table(header, rows, [3, *[1.5] * len(assets)], "l" + "r" * len(assets))


def district_basis(results: Results, card: Scorecard) -> str:
    """How many of each dimension's indicators have kecamatan values in the year: a district
    dimension score resting on two indicators moves in steps (e.g. a core/periphery split)."""
    s = results.scores
    have = set(
        s.loc[
            (s["comparison"] == "kecamatan") & (s["level"] == 1) & (s["year"] == card.year), "code"
        ]
    )
    parts = []
    for code in card.dimensions["code"]:
        codes = [i.code for i in results.catalogue.indicators if i.dimension == code]
        n = sum(c in have for c in codes)
        parts.append(
            t(
                "report.district_basis.item",
                card.lang,
                name=dimension_name(results.catalogue, code, card.lang),
                n=n,
                total=len(codes),
            )
        )
    return t("report.district_basis", card.lang, items=", ".join(parts))


def districts_section(results: Results, card: Scorecard, figures: dict[str, Any]) -> dict[str, Any]:
    """District index, best and worst kecamatan, inequality and access."""
    lang = card.lang
    index_table, idx = _district_index_table(results, card)
    access = _access_table(results, card)
    if access is not None:
        access["source"] = source_note("report.src.access", lang, year=card.year)
    ineq_table, dim = _inequality_table(results, card)
    ranked = idx.dropna(subset=["score"]).sort_values("score")
    best = (ranked["name"].iloc[-1], ranked["score"].iloc[-1]) if len(ranked) else None
    worst = (ranked["name"].iloc[0], ranked["score"].iloc[0]) if len(ranked) else None
    ineq_all = dim.dropna(subset=["gini"]).sort_values("gini")
    most = (
        (
            dimension_name(results.catalogue, ineq_all["code"].iloc[-1], lang),
            ineq_all["gini"].iloc[-1],
        )
        if len(ineq_all)
        else None
    )
    text = narrative.district_sentences(
        lang,
        best=best,
        worst=worst,
        gini=ineq_all["gini"].mean() if len(ineq_all) else None,
        cv=ineq_all["cv"].mean() if len(ineq_all) else None,
        most_unequal=most,
    )
    kec = list(idx["area_code"])
    scored = source_line(results, lang=lang, years=[card.year], area_codes=kec, scores=True)
    tone = {b[0]: end for b, end in ((best, "best"), (worst, "worst")) if b}
    if len(ranked):  # no empty axis when no kecamatan has an index
        figures["districts-index"] = charts.ranked_bars(
            idx.assign(
                label=idx["name"], value=idx["score"], tone=[tone.get(n, "") for n in idx["name"]]
            ),
            lang,
            value_title=t("level.index", lang),
            width=DISTRICT_W,
            domain=(0.0, 100.0),
        )
    return {
        "narrative": [*text, district_basis(results, card)],
        "chart": "charts/districts-index.svg" if len(ranked) else None,
        "chart_caption": t("report.district_chart", lang, year=card.year)
        if len(ranked)
        else t("report.no_scores", lang, year=card.year),
        "chart_source": scored,
        "index_table": index_table | {"source": scored},
        "inequality_text": [t("report.inequality_text", lang)],
        "inequality_table": ineq_table
        | {"source": source_line(results, lang=lang, years=[card.year], area_codes=kec)},
        "access_table": access,
        "access_note": t("report.access_note", lang, radius=int(ACCESS_RADIUS_M)),
    }


def _peer_chart_frame(results: Results, card: Scorecard) -> pd.DataFrame:
    s = results.scores
    s = s[(s["comparison"] == "cities") & (s["level"] >= 3) & (s["year"] == card.year)]
    return pd.DataFrame(
        {
            "label": s["code"].map(lambda c: dimension_name(results.catalogue, c, card.lang)),
            "city": s["area_code"].map(results.area_name),
            "value": s["score"],
            "is_home": s["area_code"] == results.city,
            "level": s["level"],
            "order": s["code"]
            .map({c: i + 1 for i, c in enumerate(card.dimensions["code"])})
            .fillna(0),
        }
    ).sort_values(["order", "city"])  # the chapters' order, index first


def peers_section(results: Results, card: Scorecard, figures: dict[str, Any]) -> dict[str, Any]:
    """The city against its peers on the index and the six dimensions."""
    lang = card.lang
    pt = peer_table(results, year=card.year)
    agg = pt[pt["level"].isin(["index", "dimension"])].copy()
    chapter = {c: i + 1 for i, c in enumerate(card.dimensions["code"])}
    agg["order"] = agg["code"].map(chapter).fillna(0)
    agg = agg.sort_values(["order", "code"])
    header = [
        t("col.dimension", lang),
        t("col.score", lang),
        t("col.rank", lang),
        t("report.peer_median", lang),
        t("report.gap", lang),
        t("report.best_peer", lang),
    ]
    rows = [
        [
            dimension_name(results.catalogue, r["code"], lang),
            format_number(r["value"], lang, 1),
            t(
                "col.rank_of",
                lang,
                rank=format_number(r["rank"], lang, 0),
                n=format_number(r["n"], lang, 0),
            ),
            format_number(r["peer_median"], lang, 1),
            format_signed(r["gap_median"], lang),
            f"{results.area_name(str(r['best_peer']))} ({format_number(r['best_value'], lang, 1)})",
        ]
        for r in agg.to_dict("records")
    ]
    ind = pt[pt["level"] == "indicator"].dropna(subset=["gap_median"])
    index_row = agg[agg["code"] == INDEX_CODE]
    close = closest_peers(results, year=card.year)
    text = narrative.peer_sentences(
        lang,
        city=card.area_name,
        rank=int(index_row["rank"].iloc[0]) if len(index_row) else None,
        n=int(index_row["n"].iloc[0]) if len(index_row) else None,
        closest=results.area_name(str(close["peer"].iloc[0])) if len(close) else None,
        above=int((ind["gap_median"] > 0).sum()),
        below=int((ind["gap_median"] < 0).sum()),
    )
    frame = _peer_chart_frame(results, card)
    has_scores = bool(frame["value"].notna().any())
    if has_scores:  # no empty axes for a city without dimension scores
        spec = charts.peer_chart(frame, lang, width=560).to_dict()
        spec["height"] = PEER_ROW_PX * frame["label"].nunique()  # one fixed band per label
        figures["peers"] = spec
    area_codes = sorted(
        set(results.scores.loc[results.scores["comparison"] == "cities", "area_code"])
    )
    peer_source = source_line(
        results, lang=lang, years=[card.year], area_codes=area_codes, scores=True
    )
    return {
        "chart_source": peer_source,
        "narrative": text,
        "chart": "charts/peers.svg" if has_scores else None,
        "chart_caption": t("report.peer_chart", lang, year=card.year, city=card.area_name)
        if has_scores
        else t("report.no_scores", lang, year=card.year),
        "table": table(header, rows, [2.6, 1, 1, 1.3, 1.3, 2.6], "lrrrrl")
        | {"source": peer_source},
        "note": t("report.peer_note", lang, city=card.area_name),
    }

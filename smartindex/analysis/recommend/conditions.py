"""The findings that trigger recommendations, read from the status model of one area and year.

A *finding* is a plain dict: ``kind`` (one of :data:`KINDS`, most urgent first), ``code`` (the
indicator or dimension it is about), ``order`` (a number to rank findings of one kind, lower =
more urgent), ``sentence`` (a :class:`~smartindex.analysis.status.Phrase`: the evidence written
as a locale key with numbers) and the numbers themselves.  Each trigger is a small pure
function ``(ctx, codes, params) -> findings`` chosen by name from :data:`TRIGGERS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from smartindex.analysis import districts, peers, status
from smartindex.analysis.scorecard import indicator_rows, score_block
from smartindex.analysis.status import Phrase
from smartindex.analysis.trends import AnalysisSettings, indicator_meta
from smartindex.scoring.results import Results

KINDS = (
    "breach",
    "sangat_rendah",
    "rendah",
    "worsening",
    "position",
    "divide",
    "dimension_worsening",
    "dimension_position",
    "coverage",
)
"""Finding kinds, most urgent first (the first three and ``worsening`` are the status
model's needs-attention tiers)."""

Finding = dict[str, Any]


@dataclass(frozen=True)
class Context:
    """The status of one area in one year, computed once for all actions."""

    year: int
    area_code: str
    group: str  # 'cities' or 'kecamatan'
    is_home_city: bool  # kecamatan inequality applies to the home city only
    rows: pd.DataFrame  # indicator_rows of the area (status model + names)
    dims: pd.DataFrame  # dimension scores of the area with trend and position
    inequality: pd.DataFrame  # kecamatan inequality in `year` (home city only)
    names: Mapping[str, str]  # area code -> display name
    measured: frozenset[str] = frozenset()  # codes with a value for some area of the group
    dim_names: Mapping[str, str] = field(default_factory=dict)  # dimension -> name in lang
    # rows as plain dicts, computed once (filtering a 60-column frame per trigger costs ~0.1 s)
    records: Mapping[str, Mapping[Any, Any]] = field(default_factory=dict)  # code -> row
    attention: tuple[Mapping[Any, Any], ...] = ()  # status.needs_attention(rows), ranked


def _py(v: object) -> object:
    """Plain Python scalars (NaN/NA -> None, numpy -> int/float)."""
    if v is None or isinstance(v, str | list | tuple | dict):
        return v
    if pd.isna(v):  # type: ignore[call-overload]
        return None
    return v.item() if isinstance(v, np.generic) else v


def _r(v: object, digits: int = 2) -> object:
    """A number rounded for a sentence (None when missing)."""
    x = _py(v)
    return round(float(x), digits) if isinstance(x, int | float) else x


def _at_most(value: object, limit: float) -> bool:
    """``value <= limit`` for a number; False when the value is missing."""
    x = _py(value)
    return isinstance(x, int | float) and x <= limit


def records_of(rows: pd.DataFrame) -> dict[str, dict[Any, Any]]:
    """``code -> row`` of indicator rows as plain dicts."""
    return {str(r["code"]): r for r in rows.to_dict("records")}


def _indicator(row: Mapping[Any, Any], ctx: Context) -> dict[str, object]:
    return {
        "code": row["code"],
        "indicator": row["name"],
        "value": _r(row["value"]),
        "unit": row["unit"],
        "year": ctx.year,
    }


def attention(ctx: Context, codes: list[str], params: Mapping[str, Any]) -> list[Finding]:
    """The area's needs-attention indicators among ``codes`` (breach, lowest grades,
    significant worsening), one finding per indicator plus a worsening sentence when a low
    grade also worsens."""
    wanted = set(codes)
    out: list[Finding] = []
    for row in ctx.attention:
        if row["code"] not in wanted:
            continue
        base = _indicator(row, ctx)
        sentences = []
        if row["tier"] == "breach" and row["standard_kind"] == "bands":
            sentences.append(
                Phrase(
                    "rec.evidence.breach_band",
                    base
                    | {
                        "band": row["standard_band"],
                        "minimum": row["standard_minimum"],
                        "citation": row["standard_citation"],
                    },
                )
            )
        elif row["tier"] == "breach":
            sentences.append(
                Phrase(
                    "rec.evidence.breach",
                    base
                    | {"standard": _r(row["standard_value"]), "citation": row["standard_citation"]},
                )
            )
        if row["grade"] in status.LOW_GRADES and row["grade_basis"] == "target":
            sentences.append(
                Phrase(
                    "rec.evidence.grade",
                    base
                    | {
                        "target": _r(row["target"]),
                        "achievement": _r(row["achievement"], 1),
                        "grade": row["grade"],
                    },
                )
            )
        elif row["grade"] in status.LOW_GRADES and row["tier"] != "breach":
            sentences.append(
                Phrase(
                    "rec.evidence.grade_standard",
                    base
                    | {
                        "standard": _r(row["standard_value"]),
                        "achievement": _r(row["graded_achievement"], 1),
                        "grade": row["grade"],
                        "citation": row["standard_citation"],
                    },
                )
            )
        if row["worsening"]:
            sentences.append(
                Phrase(
                    "rec.evidence.worsening",
                    base
                    | {
                        "first_year": _py(row["first_year"]),
                        "slope": _r(row["slope"], 3),
                        "p_value": _py(row["p_value"]),
                    },
                )
            )
        out.append(
            {
                "kind": row["tier"],
                "code": row["code"],
                "order": _py(row["graded_achievement"]),
                "sentences": sentences,
                **base,
                "target": _r(row["target"]),
                "grade": row["grade"],
                "compliance": _py(row["compliance"]),
            }
        )
    return out


def position(ctx: Context, codes: list[str], params: Mapping[str, Any]) -> list[Finding]:
    """Indicators where the area is in the bottom quartile of its comparison group."""
    limit = float(params.get("percentile", 0.25))
    rows = [
        ctx.records[c]
        for c in codes
        if c in ctx.records and _at_most(ctx.records[c]["percentile"], limit)
    ]
    out: list[Finding] = []
    for row in sorted(rows, key=lambda r: (float(r["percentile"]), str(r["code"]))):
        base = _indicator(row, ctx)
        sentence = Phrase(
            "rec.evidence.position",
            base
            | {
                "rank": int(row["rank"]),
                "n": int(row["n_areas"]),
                "group": ctx.group,
                "median": _r(row["group_median"]),
                "best": ctx.names.get(str(row["best_area"]), str(row["best_area"])),
                "best_value": _r(row["best_value"]),
            },
        )
        out.append(
            {
                "kind": "position",
                "code": row["code"],
                "order": _py(row["percentile"]),
                "sentences": [sentence],
                **base,
                "median": _r(row["group_median"]),
                "best": row["best_area"],
                "best_value": _r(row["best_value"]),
            }
        )
    return out


def divide(ctx: Context, codes: list[str], params: Mapping[str, Any]) -> list[Finding]:
    """Kecamatan inequality (Gini) above ``gini`` (home city only)."""
    if not ctx.is_home_city or ctx.inequality.empty:
        return []
    limit = float(params.get("gini", 0.2))
    ineq = ctx.inequality[ctx.inequality["code"].isin(codes) & (ctx.inequality["gini"] > limit)]
    out: list[Finding] = []
    for row in ineq.sort_values("gini", ascending=False).to_dict("records"):
        code = str(row["code"])
        sentence = Phrase(
            "rec.evidence.divide",
            {
                "indicator": ctx.records[code]["name"],
                "year": ctx.year,
                "gini": _r(row["gini"], 3),
                "threshold": limit,
                "worst": ctx.names.get(str(row["worst_area"]), row["worst_area"]),
                "best": ctx.names.get(str(row["best_area"]), row["best_area"]),
            },
        )
        out.append(
            {
                "kind": "divide",
                "code": code,
                "order": -float(row["gini"]),
                "sentences": [sentence],
                "gini": _r(row["gini"], 3),
                "threshold": limit,
                "worst": row["worst_area"],
            }
        )
    return out


def _dim_base(row: Mapping[Any, Any], ctx: Context) -> dict[str, object]:
    return {
        "code": row["code"],
        "dimension": ctx.dim_names.get(str(row["code"]), row["code"]),
        "score": _r(row["score"], 1),
        "year": ctx.year,
    }


def dimension_position(ctx: Context, codes: list[str], params: Mapping[str, Any]) -> list[Finding]:
    """Dimensions whose score is in the bottom quartile of the comparison group."""
    limit = float(params.get("percentile", 0.25))
    dims = ctx.dims[ctx.dims["percentile"] <= limit]
    out: list[Finding] = []
    for row in dims.sort_values(["percentile", "score"]).to_dict("records"):
        base = _dim_base(row, ctx)
        sentence = Phrase(
            "rec.evidence.dimension_position",
            base
            | {
                "rank": int(row["rank"]),
                "n": int(row["n_areas"]),
                "group": ctx.group,
                "best": ctx.names.get(str(row["best_area"]), str(row["best_area"])),
                "best_score": _r(row["best_value"], 1),
                "median": _r(row["group_median"], 1),
            },
        )
        out.append(
            {
                "kind": "dimension_position",
                "code": row["code"],
                "order": _py(row["percentile"]),
                "sentences": [sentence],
                **base,
                "best": row["best_area"],
                "median": _r(row["group_median"], 1),
            }
        )
    return out


def dimension_worsening(ctx: Context, codes: list[str], params: Mapping[str, Any]) -> list[Finding]:
    """Dimensions whose score worsens significantly (Mann–Kendall)."""
    dims = ctx.dims[
        ctx.dims["verdict"].eq("worsening") & ctx.dims["significant"].fillna(False).astype(bool)
    ]
    out: list[Finding] = []
    for row in dims.sort_values("slope").to_dict("records"):
        base = _dim_base(row, ctx)
        sentence = Phrase(
            "rec.evidence.dimension_worsening",
            base
            | {
                "slope": _r(row["slope"], 2),
                "first_year": _py(row["first_year"]),
                "first_score": _r(row["first_score"], 1),
            },
        )
        out.append(
            {
                "kind": "dimension_worsening",
                "code": row["code"],
                "order": _py(row["slope"]),
                "sentences": [sentence],
                **base,
                "first_score": _r(row["first_score"], 1),
                "first_year": _py(row["first_year"]),
            }
        )
    return out


def coverage(ctx: Context, codes: list[str], params: Mapping[str, Any]) -> list[Finding]:
    """Dimensions where fewer than ``minimum`` (share) of the indicators measured for the
    comparison group (some area of the group has a value that year) have a value."""
    limit = float(params.get("minimum", 0.75))
    out: list[Finding] = []
    rows = ctx.rows[ctx.rows["code"].isin(ctx.measured)]
    for dim, g in rows.groupby("dimension", sort=False):
        have = g["value"].notna()
        share = float(have.mean())
        if share >= limit:
            continue
        missing = ", ".join(g.loc[~have, "name"].astype(str))
        name = ctx.dim_names.get(str(dim), str(dim))
        sentence = Phrase(
            "rec.evidence.coverage",
            {
                "dimension": name,
                "year": ctx.year,
                "coverage": round(share * 100, 1),
                "minimum": round(limit * 100, 1),
                "missing": missing,
            },
        )
        out.append(
            {
                "kind": "coverage",
                "code": dim,
                "order": share,
                "sentences": [sentence],
                "dimension": name,
                "coverage": round(share * 100, 1),
                "minimum": round(limit * 100, 1),
                "n_missing": int((~have).sum()),
            }
        )
    return out


Trigger = Callable[[Context, list[str], Mapping[str, Any]], list[Finding]]
TRIGGERS: dict[str, Trigger] = {
    "attention": attention,
    "position": position,
    "divide": divide,
    "dimension_position": dimension_position,
    "dimension_worsening": dimension_worsening,
    "coverage": coverage,
}
"""Registry of triggers by name (the ``triggers`` list of an action)."""
DIMENSION_TRIGGERS = {"dimension_position", "dimension_worsening", "coverage"}
"""Triggers about dimensions (an action using them has no indicator list)."""


def _dimension_frame(
    results: Results,
    area_code: str,
    year: int,
    *,
    group: str,
    area_codes: list[str],
    settings: AnalysisSettings,
) -> pd.DataFrame:
    """Dimension scores of ``area_code`` with trend, first score and position in its group."""
    block = score_block(results, area_code, year, 3, settings)
    s = results.scores
    s = s[(s["comparison"] == group) & (s["level"] == 3) & s["area_code"].isin(area_codes)]
    ps = peers.peer_stats(
        s.rename(columns={"score": "value"}),
        city=area_code,
        peers=[u for u in area_codes if u != area_code],
        year=year,
    )
    ps = ps[["code", "percentile", "best_peer", "best_value", "peer_median"]].rename(
        columns={"best_peer": "best_area", "peer_median": "group_median"}
    )
    own = s[(s["area_code"] == area_code) & (s["year"] <= year)].sort_values("year")
    first = (
        own.groupby("code")
        .first()[["year", "score"]]
        .rename(columns={"year": "first_year", "score": "first_score"})
    )
    return block.merge(ps, on="code", how="left").merge(
        first, left_on="code", right_index=True, how="left"
    )


def build_context(
    results: Results, *, year: int, area_code: str, lang: str, settings: AnalysisSettings
) -> Context:
    """Compute every frame the triggers read, once."""
    rows = indicator_rows(results, year=year, area_code=area_code, lang=lang, settings=settings)
    group, area_codes = status.comparison_group(results, area_code)
    dims = _dimension_frame(
        results, area_code, year, group=group, area_codes=area_codes, settings=settings
    )
    home = area_code == results.city
    ineq = pd.DataFrame()
    if home:
        meta = indicator_meta(results.catalogue)
        dirs = dict(zip(meta["code"], meta["direction"], strict=True))
        dv = districts.district_values(
            results.indicator_values, results.regions, city=area_code, year=year
        )
        ineq = districts.inequality(dv, dirs)
    names = {str(u): results.area_name(str(u)) for u in results.regions.get("area_code", [])}
    iv = results.indicator_values
    measured = frozenset(
        iv.loc[
            (iv["year"] == year) & iv["area_code"].isin(area_codes) & iv["value"].notna(), "code"
        ]
    )
    return Context(
        records=records_of(rows),
        attention=tuple(status.needs_attention(rows).to_dict("records")),
        year=year,
        area_code=area_code,
        group=group,
        is_home_city=home,
        rows=rows,
        dims=dims,
        inequality=ineq,
        names=names,
        measured=measured,
        dim_names={
            d.key: results.catalogue.name(d.key, lang) for d in results.catalogue.dimensions
        },
    )

"""The one status model every face uses (docs/method.md, "How statuses are decided").

Three things are kept apart and always labelled:

* **achievement** against a target, direction-aware
  (:func:`smartindex.analysis.targets.achievement`), graded with the Permendagri 86/2017
  scale of ``standards.toml`` (sangat tinggi … sangat rendah); an indicator without a target
  has no grade (``tanpa_target``).  Where a legal standard exists (``standards.toml``:
  PP 22/2021 PM2.5, SP4N-LAPOR! time limits, IKM bands of PermenPANRB 14/2017) it decides
  *compliance*; the grade is the worse of the grade against the target and the grade against
  the standard, and a breach caps the grade at ``BREACH_CAP``;
* **position**: rank among the comparison group (peer cities, or the home city's kecamatan),
  direction-aware, rank 1 = best;
* **trend**: Theil–Sen direction and Mann–Kendall significance.

Dimension headlines combine the three but never read as good when the area ranks last, sits in
the bottom quartile, worsens significantly or breaches a standard: the clauses say so
("targets met, but last of 7 peer cities").  Everything returned is codes, numbers and locale
keys with parameters (:class:`Phrase`); the faces translate them (``smartindex.display.status``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from smartindex.analysis import peers
from smartindex.analysis.standards import NO_GRADE, Standards, default_standards
from smartindex.analysis.targets import achievement, target_status
from smartindex.analysis.trends import DEFAULT_SETTINGS, AnalysisSettings, indicator_meta
from smartindex.indicators.access import kecamatan_areas
from smartindex.scoring.results import Results

__all__ = [
    "ATTENTION_TIERS",
    "BREACH_CAP",
    "GOOD_GRADES",
    "LOW_GRADES",
    "MIN_TARGET_SHARE",
    "NO_GRADE",
    "TARGET_CLAUSE",
    "Phrase",
    "comparison_group",
    "dimension_status",
    "headline",
    "indicator_status",
    "needs_attention",
    "overall_status",
    "strengths",
]

GOOD_GRADES = ("sangat_tinggi", "tinggi")
TARGET_CLAUSE = {"sangat_tinggi": "met", "tinggi": "largely_met", "sedang": "partly_met"}
"""Headline wording of a grade (``status.clause.targets_<word>``); the low grades: missed."""
MIN_TARGET_SHARE = 0.5
"""A dimension is graded only when at least this share of its indicators with a value has a
grade (a target or a standard); otherwise one or two targets would speak for all of them."""
LOW_GRADES = ("rendah", "sangat_rendah")
BREACH_CAP = "sedang"
"""The best grade a value breaching a legal standard can get (never a 'good' grade)."""
ATTENTION_TIERS = ("breach", "sangat_rendah", "rendah", "worsening")
"""Needs-attention order: legal breach, then the two lowest grades, then significant worsening
only; within a tier significant worsening first, then lower achievement, then code."""


class Phrase(NamedTuple):
    """A sentence to show: a locale key and its parameters (numbers stay numbers)."""

    key: str
    params: dict[str, object]


def comparison_group(results: Results, area_code: str) -> tuple[str, list[str]]:
    """``('kecamatan', districts)`` for a kecamatan of the home city, else ``('cities',
    home city + peers)``; the list includes ``area_code`` (once per results and area)."""
    return results.memoised(
        ("comparison_group", area_code), lambda: _comparison_group(results, area_code)
    )


def _comparison_group(results: Results, area_code: str) -> tuple[str, list[str]]:
    kec = (
        kecamatan_areas(results.regions, results.city)["area_code"]
        if len(results.regions)
        else pd.Series(dtype=str)
    )
    if area_code in set(kec):
        return "kecamatan", sorted(kec)
    r = results.regions
    if len(r) and "level" in r:
        cities = sorted(r.loc[r["level"] == "kota", "area_code"])
    else:
        s = results.scores
        cities = sorted(set(s.loc[s["comparison"] == "cities", "area_code"]) | {results.city})
    return "cities", cities


def _grade_index(grades: pd.Series, keys: Sequence[str]) -> pd.Series:
    """Position of each grade in ``keys`` (0 = best); NaN for no grade."""
    order = {k: i for i, k in enumerate(keys)}
    return grades.map(order).astype(float)


def _standard_columns(
    rows: pd.DataFrame, std: Standards, settings: AnalysisSettings
) -> pd.DataFrame:
    """Legal standard, achievement against it and compliance per row."""
    out = rows.assign(
        standard_id=None,
        standard_kind=None,
        standard_value=np.nan,
        standard_op=None,
        standard_citation=None,
        standard_band=None,
        standard_minimum=None,
        standard_achievement=np.nan,
        compliance=None,
    )
    for i, row in out.iterrows():
        s = std.by_code.get(str(row["code"]))
        if s is None:
            continue
        out.loc[i, ["standard_id", "standard_kind", "standard_citation"]] = [
            s.id,
            s.kind,
            s.citation,
        ]
        value, sign = float(row["value"]), -1 if s.op == "<=" else 1
        if np.isnan(value):
            continue
        if s.kind == "bands" and s.bands is not None:
            got = s.bands.grade(value)[0]
            ok = s.bands.keys.index(got) <= s.bands.keys.index(s.minimum) if s.minimum else None
            out.loc[i, ["standard_band", "standard_minimum", "compliance"]] = [
                got,
                s.minimum or None,
                None if ok is None else "meets" if ok else "breach",
            ]
            continue
        out.loc[i, "standard_value"] = s.value
        out.loc[i, "standard_op"] = s.op
        out.loc[i, "standard_achievement"] = float(achievement(value, s.value, sign, settings)[()])
        if s.kind == "limit":
            out.loc[i, "compliance"] = "meets" if (value - s.value) * sign >= 0 else "breach"
        else:
            below = value < s.breach_below
            out.loc[i, "compliance"] = (
                "breach" if below else ("meets" if value >= s.value else "partial")
            )
    return out


def _final_grade(rows: pd.DataFrame, std: Standards) -> pd.DataFrame:
    """Grade = worse of target grade and standard grade, capped at BREACH_CAP on a breach."""
    scale = std.scale
    keys = scale.keys
    tgt = pd.Series(scale.grade(rows["achievement"]), index=rows.index)
    sgr = pd.Series(scale.grade(rows["standard_achievement"]), index=rows.index)
    ti, si = _grade_index(tgt, keys), _grade_index(sgr, keys)
    worst = pd.concat([ti, si], axis=1).max(axis=1)
    breach = rows["compliance"].eq("breach")
    cap = float(keys.index(BREACH_CAP))
    worst = worst.where(~(breach & worst.notna()), np.maximum(worst, cap))
    basis = pd.Series(
        np.select([si.notna() & (ti.isna() | (si > ti)), ti.notna()], ["standard", "target"], ""),
        index=rows.index,
    )
    grade = worst.map(lambda i: keys[int(i)] if pd.notna(i) else NO_GRADE)
    basis_ach = np.where(basis == "standard", rows["standard_achievement"], rows["achievement"])
    bounds = [scale.bounds(g) if g != NO_GRADE else (np.nan, np.nan) for g in grade]
    return rows.assign(
        target_grade=tgt.where(tgt.notna(), NO_GRADE),
        grade=grade,
        grade_basis=basis.where(basis != "", None),
        graded_achievement=basis_ach.astype(float),
        grade_lower=[b[0] for b in bounds],
        grade_upper=[b[1] for b in bounds],
    )


def _target_provenance(results: Results, area_code: str, year: int) -> pd.DataFrame:
    """``code, target_document, target_synthetic`` of the area's target in ``year``."""
    t = results.targets
    cols = ["code", "target_document", "target_synthetic"]
    if t.empty or "document" not in t:
        return pd.DataFrame(columns=cols)
    now = t[(t["area_code"] == area_code) & (t["year"] >= year)].sort_values("year")
    now = now.groupby("code", as_index=False).first()
    synthetic = now.get("is_synthetic", pd.Series(False, index=now.index))
    return now.assign(
        target_document=now["document"], target_synthetic=synthetic.fillna(False).astype(bool)
    )[cols]


def _positions(
    results: Results, group: list[str], area_code: str, year: int, meta: pd.DataFrame
) -> pd.DataFrame:
    """Direction-aware rank of ``area_code`` among ``group`` per indicator in ``year``."""
    dirs = dict(zip(meta["code"], meta["direction"], strict=True))
    others = [u for u in group if u != area_code]
    ps = peers.peer_stats(
        results.indicator_values, city=area_code, peers=others, directions=dirs, year=year
    )
    keep = {
        "rank": "rank",
        "n": "n_areas",
        "percentile": "percentile",
        "best_peer": "best_area",
        "best_value": "best_value",
        "peer_median": "group_median",
    }
    return ps[["code", *keep]].rename(columns=keep)


def indicator_status(
    results: Results,
    *,
    year: int,
    area_code: str | None = None,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    standards: Standards | None = None,
) -> pd.DataFrame:
    """Achievement, compliance, grade, position and trend of every catalogue indicator of
    ``area_code`` (default: the home city) in ``year``; one row per indicator, catalogue order
    (computed once per results, year, area and settings: both languages share it)."""
    area = area_code or results.city
    key = ("indicator_status", year, area, settings, id(standards))
    return results.memoised(
        key, lambda: _indicator_status(results, year, area, settings, standards)
    )


def _indicator_status(
    results: Results,
    year: int,
    area_code: str,
    settings: AnalysisSettings,
    standards: Standards | None,
) -> pd.DataFrame:
    std = (standards or default_standards()).for_catalogue(results.catalogue)
    meta = indicator_meta(results.catalogue)
    iv = results.indicator_values
    st = target_status(
        iv[iv["area_code"] == area_code],
        results.targets,
        meta,
        year=year,
        area_codes=[area_code],
        settings=settings,
    )
    rows = meta[["code", "dimension", "factor", "direction"]].merge(
        st.drop(columns=["area_code", "year"]), on="code", how="left"
    )
    rows = _final_grade(_standard_columns(rows, std, settings), std)
    group, area_codes = comparison_group(results, area_code)
    rows = rows.merge(_target_provenance(results, area_code, year), on="code", how="left")
    rows = rows.merge(_positions(results, area_codes, area_code, year, meta), on="code", how="left")
    worse = rows["verdict"].eq("worsening") & rows["significant"].fillna(False).astype(bool)
    better = rows["verdict"].eq("improving") & rows["significant"].fillna(False).astype(bool)
    return rows.assign(
        area_code=area_code, year=year, group=group, worsening=worse, improving=better
    )


def needs_attention(rows: pd.DataFrame) -> pd.DataFrame:
    """Indicators breaching a legal standard, in the two lowest grades, or worsening
    significantly, ranked by :data:`ATTENTION_TIERS` (``tier`` column: the first that applies)."""
    tier = np.select(
        [
            rows["compliance"].eq("breach"),
            rows["grade"].eq("sangat_rendah"),
            rows["grade"].eq("rendah"),
            rows["worsening"].astype(bool),
        ],
        list(ATTENTION_TIERS),
        default="",
    )
    out = rows.assign(tier=tier)
    out = out[out["tier"] != ""].assign(
        _t=lambda f: f["tier"].map({k: i for i, k in enumerate(ATTENTION_TIERS)}),
        _w=lambda f: ~f["worsening"].astype(bool),
    )
    out = out.sort_values(["_t", "_w", "graded_achievement", "code"], na_position="last")
    return out.drop(columns=["_t", "_w"]).reset_index(drop=True)


def strengths(rows: pd.DataFrame) -> pd.DataFrame:
    """Indicators graded *sangat tinggi* that comply with any legal standard and do not worsen
    significantly; ranked by position (best percentile first), then significant improvement,
    then achievement, then code."""
    ok = (
        rows["grade"].eq("sangat_tinggi")
        & ~rows["compliance"].isin(["breach", "partial"])
        & ~rows["worsening"].astype(bool)
    )
    out = rows[ok].assign(
        _p=lambda f: -f["percentile"].fillna(-1.0),
        _i=lambda f: ~f["improving"].astype(bool),
        _a=lambda f: -f["graded_achievement"],
    )
    out = out.sort_values(["_p", "_i", "_a", "code"])
    return out.drop(columns=["_p", "_i", "_a"]).reset_index(drop=True)


# --- dimensions and the index ----------------------------------------------------------------


def _mean_achievement(rows: pd.DataFrame) -> pd.Series:
    """Mean graded achievement per dimension, each indicator capped at 100 (an over-achieved
    indicator does not hide a shortfall on another); NaN when fewer than MIN_TARGET_SHARE of
    the indicators with a value are graded."""
    graded = rows[rows["grade"] != NO_GRADE]
    mean = (
        graded.assign(a=graded["graded_achievement"].clip(upper=100.0))
        .groupby("dimension")["a"]
        .mean()
    )
    share = (
        graded.groupby("dimension").size() / rows[rows["value"].notna()].groupby("dimension").size()
    )
    return mean.where(share.reindex(mean.index).fillna(0) >= MIN_TARGET_SHARE)


def _counts(rows: pd.DataFrame) -> pd.DataFrame:
    g = rows.groupby("dimension")
    return pd.DataFrame(
        {
            "n_indicators": g.size(),
            "n_valued": g["value"].agg(lambda s: int(s.notna().sum())),
            "n_graded": g["grade"].agg(lambda s: int((s != NO_GRADE).sum())),
            "n_breach": g["compliance"].agg(lambda s: int(s.eq("breach").sum())),
            "n_low": g["grade"].agg(lambda s: int(s.isin(LOW_GRADES).sum())),
            "n_worsening": g["worsening"].agg(lambda s: int(s.astype(bool).sum())),
        }
    )


def _position_phrase(rank: object, n: object, group: str) -> tuple[Phrase | None, float]:
    """The position clause and the percentile ((n − rank)/(n − 1), 1 = best; NaN if none)."""
    if pd.isna(rank) or pd.isna(n) or int(n) < 2:  # type: ignore[call-overload]
        return None, float("nan")
    r, k = int(rank), int(n)  # type: ignore[call-overload]
    pct = (k - r) / (k - 1)
    key = "last" if r == k else "first" if r == 1 else "low_rank" if pct <= 0.25 else "rank"
    return Phrase(f"status.clause.{key}", {"rank": r, "n": k, "group": group}), pct


def headline(
    grade: str,
    ach: float,
    *,
    rank: object,
    n: object,
    group: str,
    worsening: bool,
    improving: bool,
    n_breach: int,
    few_targets: tuple[int, int] | None = None,
) -> tuple[str, bool, list[Phrase]]:
    """``(tone, contrast, clauses)`` of a dimension or the index.

    Concerns: last or bottom-quartile position, significant worsening, a legal breach; a
    position in the lower half (below the median) is a *reservation*.  tone: ``good`` (a good
    grade — sangat tinggi or tinggi — with no concern and no reservation), ``poor`` (a low
    grade, a concern without a good grade, or two or more concerns whatever the grade),
    ``none`` (no grade and no position), otherwise ``mixed``.  ``contrast``: a good grade with
    a concern or reservation — the faces join the clauses with "but" ("targets met, but last of
    7 peer cities").
    """
    position, pct = _position_phrase(rank, n, group)
    concerns = int(bool(pct <= 0.25)) + int(worsening) + int(n_breach > 0)
    concern, reservation = concerns > 0, bool(pct < 0.5)
    if grade != NO_GRADE:
        kind = TARGET_CLAUSE.get(grade, "missed")
        first = Phrase(f"status.clause.targets_{kind}", {"grade": grade, "achievement": ach})
    elif few_targets is not None and few_targets[0] > 0:
        first = Phrase(
            "status.clause.few_targets", {"n_graded": few_targets[0], "n": few_targets[1]}
        )
    else:
        first = Phrase("status.clause.no_target", {})
    clauses = [first, *([position] if position is not None else [])]
    if worsening:
        clauses.append(Phrase("status.clause.worsening", {}))
    elif improving:
        clauses.append(Phrase("status.clause.improving", {}))
    if n_breach:
        clauses.append(Phrase("status.clause.breach", {"n": n_breach}))
    good = grade in GOOD_GRADES
    if good and not (concern or reservation):
        tone = "good"
    elif grade in LOW_GRADES or (concern and not good) or concerns >= 2:
        tone = "poor"
    elif grade == NO_GRADE and position is None:
        tone = "none"
    else:
        tone = "mixed"
    return tone, good and (concern or reservation), clauses


def dimension_status(
    rows: pd.DataFrame,
    blocks: pd.DataFrame,
    *,
    group: str,
    order: Iterable[str],
    std: Standards | None = None,
) -> pd.DataFrame:
    """One row per dimension: score, rank, n_areas, trend (from ``blocks``, the area's
    ``score_block`` of level 3), graded achievement, grade, counts, tone and headline."""
    std = std or default_standards()
    dims = pd.DataFrame({"code": list(dict.fromkeys(order))})
    dims = dims.merge(blocks, on="code", how="left")
    dims = dims.merge(_counts(rows), left_on="code", right_index=True, how="left")
    dims["achievement"] = dims["code"].map(_mean_achievement(rows))
    return _with_headline(dims, group, std)


def _true(x: object) -> bool:
    """True for a real boolean True (NaN/None/NA are False)."""
    return isinstance(x, bool | np.bool_) and bool(x)


def _with_headline(frame: pd.DataFrame, group: str, std: Standards) -> pd.DataFrame:
    grades = pd.Series(std.scale.grade(frame["achievement"]), index=frame.index)
    out = frame.assign(grade=grades.where(grades.notna(), NO_GRADE))
    out["band"] = out["grade"].where(out["grade"] != NO_GRADE, None)
    heads = [
        headline(
            str(r["grade"]),
            float(r["achievement"]),
            rank=r.get("rank"),
            n=r.get("n_areas"),
            group=group,
            worsening=r.get("verdict") == "worsening" and _true(r.get("significant")),
            improving=r.get("verdict") == "improving" and _true(r.get("significant")),
            n_breach=int(r.get("n_breach") or 0),
            few_targets=(int(r["n_graded"]), int(r["n_valued"]))
            if pd.notna(r.get("n_graded"))
            else None,
        )
        for r in out.to_dict("records")
    ]
    out["tone"] = [h[0] for h in heads]
    out["contrast"] = [h[1] for h in heads]
    out["headline"] = pd.Series([h[2] for h in heads], index=out.index, dtype=object)
    out["group"] = group
    return out


def overall_status(
    dims: pd.DataFrame, block: Mapping[Any, object], *, group: str, std: Standards | None = None
) -> dict[str, object]:
    """The index: its score block plus the mean dimension achievement, grade and headline."""
    std = std or default_standards()
    ach = dims["achievement"]
    row = dict(block) | {
        "achievement": float(np.nanmean(ach)) if ach.notna().any() else float("nan"),
        "n_breach": int(dims["n_breach"].fillna(0).sum()),
    }
    return {
        str(k): v
        for k, v in _with_headline(pd.DataFrame([row]), group, std).iloc[0].to_dict().items()
    }

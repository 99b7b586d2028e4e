"""Templated report sentences from numbers already computed (texts: ``narrative.*`` keys).

Nothing here scores anything: each function receives values from the scorecard, district and
peer view models and turns them into sentences with :mod:`smartindex.display.numbers`.
Missing inputs drop the sentence rather than printing a placeholder.

>>> index_sentences("en", city="Bukittinggi", year=2024, index=61.23, rank=3, n=7,
...                 change=1.5, prev_year=2023)
['Bukittinggi scored 61.2 of 100 on the smart city index in 2024, rank 3 of 7 compared cities.', \
'Compared with 2023 the index rose by 1.5 points.']
"""

from __future__ import annotations

from smartindex.display.i18n import t
from smartindex.display.numbers import as_number, format_number, format_percent, is_missing

PREFIX = "narrative."  # every sentence is a key ``narrative.<name>`` in the locale files


def _s(key: str, lang: str, **values: object) -> str:
    return t(PREFIX + key, lang, **values)


def _ok(*values: object) -> bool:
    """True when no value is None, NaN, NA or empty."""
    return not any(is_missing(v) for v in values)


def _rank(key: str, lang: str, rank: object, n: object) -> str:
    """Sentence part ``key`` with an integer rank and count; empty when either is missing."""
    r, total = as_number(rank), as_number(n)
    return "" if r is None or total is None else _s(key, lang, rank=int(r), n=int(total))


def index_sentences(
    lang: str,
    *,
    city: str,
    year: int,
    index: object,
    rank: object = None,
    n: object = None,
    change: object = None,
    prev_year: int | None = None,
) -> list[str]:
    """Headline sentences on the overall index, its rank and its change."""
    if not _ok(index):
        return []
    out = [
        _s(
            "index",
            lang,
            city=city,
            index=format_number(index, lang),
            year=year,
            rank=_rank("rank", lang, rank, n),
        )
    ]
    delta = as_number(change)
    if delta is not None and _ok(prev_year):
        if round(delta, 1) == 0:
            out.append(_s("change_flat", lang, prev_year=prev_year))
        else:
            out.append(
                _s(
                    "change",
                    lang,
                    prev_year=prev_year,
                    moved=_s("up" if delta > 0 else "down", lang),
                    delta=format_number(abs(delta), lang),
                )
            )
    return out


def dimensions_sentence(lang: str, scores: dict[str, float]) -> list[str]:
    """Strongest and weakest dimension from ``{display name: score}`` (NaN ignored)."""
    clean = {k: v for k, v in scores.items() if _ok(v)}
    if len(clean) < 2:
        return []
    best, worst = max(clean, key=lambda k: clean[k]), min(clean, key=lambda k: clean[k])
    return [
        _s(
            "dims",
            lang,
            best=best,
            best_score=format_number(clean[best], lang),
            worst=worst,
            worst_score=format_number(clean[worst], lang),
        )
    ]


def dimension_sentences(
    lang: str,
    *,
    name: str,
    year: int,
    score: object,
    rank: object = None,
    n: object = None,
    verdict: str | None = None,
    first_year: int | None = None,
    n_ok: int = 0,
    n_target: int = 0,
    ok_pct: float = 76.0,
    best: tuple[str, float] | None = None,
    worst: tuple[str, float, str] | None = None,
    n_missing: int = 0,
) -> list[str]:
    """A short paragraph on one dimension: score, rank, trend, targets, best and worst."""
    out: list[str] = []
    if _ok(score):
        out.append(
            _s(
                "dim_score",
                lang,
                name=name,
                year=year,
                score=format_number(score, lang),
                rank=_rank("dim_rank", lang, rank, n),
            )
        )
    if _ok(verdict, first_year):
        out.append(_s("dim_trend", lang, first_year=first_year, verdict=verdict))
    if n_target:
        out.append(
            _s(
                "dim_targets",
                lang,
                n_ok=n_ok,
                n_target=n_target,
                pct=format_percent(ok_pct, lang, 0),
            )
        )
    if best and _ok(*best):
        out.append(_s("dim_best", lang, name=best[0], achievement=format_percent(best[1], lang)))
    if worst and _ok(*worst) and worst[0] != (best or ("",))[0]:
        out.append(
            _s(
                "dim_worst",
                lang,
                name=worst[0],
                achievement=format_percent(worst[1], lang),
                verdict=worst[2].lower(),
            )
        )
    if n_missing:
        out.append(_s("dim_missing", lang, n=n_missing, year=year))
    return out


def district_sentences(
    lang: str,
    *,
    best: tuple[str, float] | None,
    worst: tuple[str, float] | None,
    gini: float | None = None,
    cv: float | None = None,
    most_unequal: tuple[str, float] | None = None,
) -> list[str]:
    """Range of the district index, its spread and the most unequal dimension."""
    out: list[str] = []
    if best and worst and _ok(*best, *worst):
        out.append(
            _s(
                "dist_range",
                lang,
                best=best[0],
                best_score=format_number(best[1], lang),
                worst=worst[0],
                worst_score=format_number(worst[1], lang),
            )
        )
    if _ok(gini, cv):
        out.append(
            _s(
                "dist_spread",
                lang,
                gini=format_number(gini, lang, 2),
                cv=format_number(cv, lang, 2),
            )
        )
    if most_unequal and _ok(*most_unequal):
        out.append(
            _s(
                "dist_unequal",
                lang,
                name=most_unequal[0],
                gini=format_number(most_unequal[1], lang, 2),
            )
        )
    return out


def peer_sentences(
    lang: str,
    *,
    city: str,
    rank: object,
    n: object,
    closest: str | None = None,
    above: int | None = None,
    below: int | None = None,
) -> list[str]:
    """The city's place among its peers, its closest peer and its gaps to the median."""
    out: list[str] = []
    r, total = as_number(rank), as_number(n)
    if r is not None and total is not None:
        out.append(_s("peer_rank", lang, n=int(total), city=city, rank=int(r)))
    if _ok(closest):
        out.append(_s("peer_closest", lang, closest=closest))
    if _ok(above, below):
        out.append(_s("peer_gap", lang, above=above, below=below))
    return out

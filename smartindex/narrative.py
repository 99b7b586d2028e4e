"""Templated report sentences (Bahasa Indonesia / English) from numbers already computed.

Nothing here scores anything: each function receives values from the scorecard, district and
peer view models and turns them into sentences with :mod:`smartindex.i18n` number formats.
Missing inputs drop the sentence rather than printing a placeholder.

>>> index_sentences("en", city="Palembang", year=2024, index=61.23, rank=3, n=7,
...                 change=1.5, prev_year=2023)
['Palembang scored 61.2 of 100 on the smart city index in 2024, rank 3 of 7 compared cities.', \
'Compared with 2023 the index rose by 1.5 points.']
"""

from __future__ import annotations

import math

from smartindex.i18n import check_lang, format_number, format_percent

SENTENCES: dict[str, tuple[str, str]] = {
    "index": ("{city} meraih {index} dari 100 pada indeks kota cerdas {year}{rank}.",
              "{city} scored {index} of 100 on the smart city index in {year}{rank}."),
    "rank": (", peringkat {rank} dari {n} kota yang dibandingkan",
             ", rank {rank} of {n} compared cities"),
    "change": ("Dibanding {prev_year} indeks {moved} {delta} poin.",
               "Compared with {prev_year} the index {moved} {delta} points."),
    "change_flat": ("Dibanding {prev_year} indeks tidak berubah.",
                    "Compared with {prev_year} the index was unchanged."),
    "up": ("naik", "rose by"),
    "down": ("turun", "fell by"),
    "dims": ("Dimensi terkuat adalah {best} ({best_score}); yang terlemah {worst} ({worst_score}).",
             "The strongest dimension is {best} ({best_score}); the weakest is {worst} "
             "({worst_score})."),
    "dim_score": ("Skor {name} pada {year} adalah {score} dari 100{rank}.",
                  "{name} scored {score} of 100 in {year}{rank}."),
    "dim_rank": (" (peringkat {rank} dari {n} kota)", " (rank {rank} of {n} cities)"),
    "dim_trend": ("Arah skor sejak {first_year}: {verdict}.",
                  "Direction of the score since {first_year}: {verdict}."),
    "dim_targets": ("{n_ok} dari {n_target} indikator bertarget mencapai sedikitnya {pct} dari "
                    "targetnya.",
                    "{n_ok} of {n_target} indicators with a target reach at least {pct} of it."),
    "dim_best": ("Capaian tertinggi: {name} ({achievement} dari target).",
                 "Highest achievement: {name} ({achievement} of target)."),
    "dim_worst": ("Perlu perhatian: {name} ({achievement} dari target; tren {verdict}).",
                  "Needs attention: {name} ({achievement} of target; trend {verdict})."),
    "dim_missing": ("Indikator tanpa nilai untuk {year}: {n}.",
                    "Indicators without a value for {year}: {n}."),
    "dist_range": ("Indeks kecamatan berkisar dari {worst_score} ({worst}) hingga {best_score} "
                   "({best}).",
                   "The district index ranges from {worst_score} ({worst}) to {best_score} "
                   "({best})."),
    "dist_spread": ("Koefisien Gini antarkecamatan {gini} dan koefisien variasi {cv}; makin "
                    "dekat ke 0, makin merata.",
                    "The Gini coefficient between districts is {gini} and the coefficient of "
                    "variation {cv}; the closer to 0, the more even."),
    "dist_unequal": ("Ketimpangan terbesar ada pada dimensi {name} (Gini {gini}).",
                     "Inequality is largest in the {name} dimension (Gini {gini})."),
    "peer_rank": ("Di antara {n} kota yang dibandingkan, {city} berada di peringkat {rank} "
                  "pada indeks.",
                  "Among the {n} compared cities, {city} ranks {rank} on the index."),
    "peer_closest": ("Kota dengan profil dimensi paling mirip adalah {closest}.",
                     "The city with the most similar dimension profile is {closest}."),
    "peer_gap": ("Selisih terhadap median kota pembanding: {above} indikator di atas, {below} di "
                 "bawah.",
                 "Against the peer median: {above} indicators above, {below} below."),
}


def _s(key: str, lang: str, **values: object) -> str:
    return SENTENCES[key][0 if check_lang(lang) == "id" else 1].format(**values)


def _ok(*values: object) -> bool:
    """True when no value is None, NaN or empty."""
    for v in values:
        if v is None or v == "":
            return False
        if isinstance(v, float) and math.isnan(v):
            return False
    return True


def _n(x: object, lang: str, decimals: int = 1) -> str:
    return format_number(x, lang, decimals)


def index_sentences(lang: str, *, city: str, year: int, index: float | None,
                    rank: int | None = None, n: int | None = None,
                    change: float | None = None, prev_year: int | None = None) -> list[str]:
    """Headline sentences on the overall index, its rank and its change."""
    if not _ok(index):
        return []
    rank_part = _s("rank", lang, rank=int(rank), n=int(n)) if _ok(rank, n) else ""
    out = [_s("index", lang, city=city, index=_n(index, lang), year=year, rank=rank_part)]
    if _ok(change, prev_year):
        if round(float(change), 1) == 0:
            out.append(_s("change_flat", lang, prev_year=prev_year))
        else:
            moved = _s("up" if change > 0 else "down", lang)
            out.append(_s("change", lang, prev_year=prev_year, moved=moved,
                          delta=_n(abs(float(change)), lang)))
    return out


def dimensions_sentence(lang: str, scores: dict[str, float]) -> list[str]:
    """Strongest and weakest dimension from ``{display name: score}`` (NaN ignored)."""
    clean = {k: v for k, v in scores.items() if _ok(v)}
    if len(clean) < 2:
        return []
    best, worst = max(clean, key=clean.get), min(clean, key=clean.get)
    return [_s("dims", lang, best=best, best_score=_n(clean[best], lang), worst=worst,
               worst_score=_n(clean[worst], lang))]


def dimension_sentences(lang: str, *, name: str, year: int, score: float | None,
                        rank: int | None = None, n: int | None = None,
                        verdict: str | None = None, first_year: int | None = None,
                        n_ok: int = 0, n_target: int = 0, ok_pct: float = 76.0,
                        best: tuple[str, float] | None = None,
                        worst: tuple[str, float, str] | None = None,
                        n_missing: int = 0) -> list[str]:
    """A short paragraph on one dimension: score, rank, trend, targets, best and worst."""
    out: list[str] = []
    if _ok(score):
        rank_part = _s("dim_rank", lang, rank=int(rank), n=int(n)) if _ok(rank, n) else ""
        out.append(_s("dim_score", lang, name=name, year=year, score=_n(score, lang),
                      rank=rank_part))
    if _ok(verdict, first_year):
        out.append(_s("dim_trend", lang, first_year=first_year, verdict=verdict))
    if n_target:
        out.append(_s("dim_targets", lang, n_ok=n_ok, n_target=n_target,
                      pct=format_percent(ok_pct, lang, 0)))
    if best and _ok(*best):
        out.append(_s("dim_best", lang, name=best[0], achievement=format_percent(best[1], lang)))
    if worst and _ok(*worst) and worst[0] != (best or ("",))[0]:
        out.append(_s("dim_worst", lang, name=worst[0],
                      achievement=format_percent(worst[1], lang), verdict=worst[2].lower()))
    if n_missing:
        out.append(_s("dim_missing", lang, n=n_missing, year=year))
    return out


def district_sentences(lang: str, *, best: tuple[str, float] | None,
                       worst: tuple[str, float] | None, gini: float | None = None,
                       cv: float | None = None,
                       most_unequal: tuple[str, float] | None = None) -> list[str]:
    """Range of the district index, its spread and the most unequal dimension."""
    out: list[str] = []
    if best and worst and _ok(*best, *worst):
        out.append(_s("dist_range", lang, best=best[0], best_score=_n(best[1], lang),
                      worst=worst[0], worst_score=_n(worst[1], lang)))
    if _ok(gini, cv):
        out.append(_s("dist_spread", lang, gini=_n(gini, lang, 2), cv=_n(cv, lang, 2)))
    if most_unequal and _ok(*most_unequal):
        out.append(_s("dist_unequal", lang, name=most_unequal[0],
                      gini=_n(most_unequal[1], lang, 2)))
    return out


def peer_sentences(lang: str, *, city: str, rank: int | None, n: int | None,
                   closest: str | None = None, above: int | None = None,
                   below: int | None = None) -> list[str]:
    """The city's place among its peers, its closest peer and its gaps to the median."""
    out: list[str] = []
    if _ok(rank, n):
        out.append(_s("peer_rank", lang, n=int(n), city=city, rank=int(rank)))
    if _ok(closest):
        out.append(_s("peer_closest", lang, closest=closest))
    if _ok(above, below):
        out.append(_s("peer_gap", lang, above=above, below=below))
    return out

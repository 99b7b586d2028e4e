"""Where the report's numbers come from, in words: the cover's data basis, the "Sumber:" line
under every table and chart, and the annex's source list.

Read from the provenance columns the scoring run published (``indicator_values.official_share``
and ``sources``; ``targets.is_synthetic`` and ``document``; ``regions``/``population``
``source`` and ``is_synthetic``). Synthetic inputs are never cited as documents: they are
counted and named as the sample generator; a synthetic target path is never cited as an RPJMD
document; secondary texts (news, Wikipedia, unverified notes) are marked as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from smartindex.display.i18n import t
from smartindex.display.numbers import format_count, format_percent, is_missing
from smartindex.scoring.results import Results

SYNTHETIC_PREFIX = "synthetic:"
SOURCE_SEPARATOR = " | "
MAX_NAMED = 4  # official sources named in one line; the rest are counted
_SECONDARY = re.compile(
    r"wikipedia|\bvia\b|unverified|from memory|\bnews\b|mirror|databoks|kompas|detik|jpnn|"
    r"gapura|palpos|rmol|beritajakarta|sumselpers|sumateraekspres|prabumulihpos|infobdg|gomotogp",
    re.IGNORECASE,
)
_TRUNCATED = re.compile(r"^and \d+ more$")


def split_sources(text: object) -> list[str]:
    """The single source texts of a ``sources`` cell (``a | b``), without truncation notes."""
    if is_missing(text):
        return []
    parts = (_official_part(p.strip()) for p in str(text).split(SOURCE_SEPARATOR))
    return [p for p in parts if p and not _TRUNCATED.match(p)]


def _official_part(text: str) -> str:
    """Drop the clauses of an official source text that declare a synthetic part (``BPS, SP2020;
    households synthetic`` -> ``BPS, SP2020``): synthetic inputs are counted, never cited."""
    if is_synthetic_text(text):
        return text
    return "; ".join(c for c in text.split("; ") if "synthetic" not in c.lower())


def is_synthetic_text(text: str) -> bool:
    return text.lower().startswith(SYNTHETIC_PREFIX)


def is_secondary(text: str) -> bool:
    """A text that reports an official figure second-hand (news, Wikipedia) or unverified."""
    return bool(_SECONDARY.search(text))


def _values(
    results: Results, codes: Iterable[str] | None, years: Iterable[int], area_codes: Iterable[str]
) -> pd.DataFrame:
    iv = results.indicator_values
    keep = iv["year"].isin(list(years)) & iv["area_code"].isin(list(area_codes))
    if codes is not None:
        keep &= iv["code"].isin(list(codes))
    return iv[keep & iv["value"].notna()]


def official_share(values: pd.DataFrame) -> float | None:
    """Mean share of official records behind ``values`` (0–1); None without values."""
    if values.empty or "official_share" not in values:
        return None
    share = pd.to_numeric(values["official_share"], errors="coerce").fillna(0.0)
    return float(share.mean())


def _official_texts(values: pd.DataFrame) -> tuple[list[str], list[str]]:
    texts: set[str] = set()
    for cell in values.get("sources", pd.Series(dtype=object)).dropna():
        texts |= {s for s in split_sources(cell) if not is_synthetic_text(s)}
    official = sorted(s for s in texts if not is_secondary(s))
    secondary = sorted(s for s in texts if is_secondary(s))
    return official, secondary


def _target_words(results: Results, codes: Iterable[str] | None, lang: str) -> str:
    tg = results.targets
    if codes is not None:
        tg = tg[tg["code"].isin(list(codes))]
    if tg.empty:
        return ""
    synthetic = tg["is_synthetic"].fillna(True).astype(bool)
    if synthetic.all():
        return t("report.src.targets_synthetic", lang)
    docs = sorted({str(d) for d in tg.loc[~synthetic, "document"].dropna()})
    text = t("report.src.targets_official", lang, documents="; ".join(docs[:MAX_NAMED]))
    return text + (" " + t("report.src.targets_some_synthetic", lang) if synthetic.any() else "")


def source_line(
    results: Results,
    *,
    lang: str,
    codes: Iterable[str] | None = None,
    years: Iterable[int],
    area_codes: Iterable[str] | None = None,
    targets: bool = False,
    scores: bool = False,
) -> str:
    """``Sumber: BPS …; data sintetis (generator sampel smartindex) untuk 7 dari 9 indikator;
    target ilustratif (sintetis), bukan dari dokumen RPJMD.``"""
    codes = list(codes) if codes is not None else None
    values = _values(results, codes, years, area_codes or [results.city])
    parts: list[str] = []
    if scores:
        run = str(results.manifest.get("run_id", ""))[:12]
        parts.append(t("report.src.scores", lang, run=run))
    official, secondary = _official_texts(values)
    if official:
        named = "; ".join(official[:MAX_NAMED])
        more = len(official) - MAX_NAMED
        parts.append(named + (t("report.src.more", lang, n=more) if more > 0 else ""))
    if secondary:
        parts.append(t("report.src.secondary", lang, n=len(secondary)))
    if not values.empty:
        share = pd.to_numeric(values["official_share"], errors="coerce").fillna(0.0)
        per_code = share.groupby(values["code"]).mean()
        n_syn, n_all = int((per_code < 1).sum()), len(per_code)
        if n_syn:
            parts.append(
                t(
                    "report.src.synthetic",
                    lang,
                    n=format_count(n_syn, lang),
                    total=format_count(n_all, lang),
                )
            )
    if targets:
        words = _target_words(results, codes, lang)
        if words:
            parts.append(words)
    body = "; ".join(parts) if parts else t("report.src.none", lang)
    return f"{t('report.src.label', lang)} {body}."


def source_note(key: str, lang: str, **params: object) -> str:
    """``Sumber: <text of key>.`` for a table whose source is not indicator data."""
    return f"{t('report.src.label', lang)} {t(key, lang, **params)}."


def data_basis(results: Results, *, year: int, lang: str) -> str | None:
    """The cover's statement of the data basis, in words; None when every input is official."""
    values = _values(results, None, [year], [results.city])
    share = official_share(values)
    tg = results.targets[results.targets["year"] == year]
    synthetic_targets = bool(len(tg)) and bool(tg["is_synthetic"].fillna(True).any())
    if share is None or (share >= 1 and not synthetic_targets):
        return None
    n = len(values["code"].unique())
    n_official = int(
        (pd.to_numeric(values["official_share"], errors="coerce").fillna(0.0) >= 1).sum()
    )
    text = t(
        "report.basis",
        lang,
        official=format_percent(100 * share, lang, 0),
        synthetic=format_percent(100 * (1 - share), lang, 0),
        n_official=format_count(n_official, lang),
        n=format_count(n, lang),
    )
    if synthetic_targets:
        text += " " + t("report.basis_targets", lang)
    return text


def _plain(text: str) -> str:
    """A synthetic source text without its ``synthetic:`` mark."""
    return text[len(SYNTHETIC_PREFIX) :].strip() if is_synthetic_text(text) else text


def _frame_texts(frame: pd.DataFrame) -> set[str]:
    """The ``source`` texts of a frame; a text of a row flagged ``is_synthetic`` is marked
    synthetic whatever it says, so it is never listed as an official source."""
    if "source" not in frame.columns:
        return set()
    flags = (
        frame["is_synthetic"].fillna(False).astype(bool)
        if "is_synthetic" in frame.columns
        else pd.Series(False, index=frame.index)
    )
    out: set[str] = set()
    for text, synthetic in zip(frame["source"], flags, strict=True):
        if pd.isna(text):
            continue
        part = _official_part(str(text))
        marked = synthetic and not is_synthetic_text(part)
        out.add(f"{SYNTHETIC_PREFIX} {part}" if marked else part)
    return out


def source_list(results: Results, lang: str) -> dict[str, list[str]]:
    """The annex's sources: official documents, secondary reports (marked) and one line each
    for synthetic inputs and synthetic target paths."""
    texts: set[str] = set()
    for cell in results.indicator_values.get("sources", pd.Series(dtype=object)).dropna():
        texts |= set(split_sources(cell))
    for frame in (results.regions, results.population):
        texts |= _frame_texts(frame)
    official = sorted(s for s in texts if not is_synthetic_text(s) and not is_secondary(s))
    secondary = sorted(s for s in texts if not is_synthetic_text(s) and is_secondary(s))
    synthetic = sorted(s for s in texts if is_synthetic_text(s))
    notes: list[str] = []
    if any("generator" in s.lower() for s in synthetic):
        notes.append(t("report.src.generator", lang))
    notes += [_plain(s) for s in synthetic if "generator" not in s.lower()]
    tg = results.targets
    if len(tg) and bool(tg["is_synthetic"].fillna(True).any()):
        notes.append(t("report.src.targets_synthetic", lang))
    official_docs = tg.loc[~tg["is_synthetic"].fillna(True).astype(bool), "document"]
    official += sorted({str(d) for d in official_docs.dropna()})
    return {"official": official, "secondary": secondary, "synthetic": notes}


def basis_word(share: object, lang: str) -> str:
    """Official, synthetic or mixed (with the official share) in words."""
    value = None if is_missing(share) else float(share)  # type: ignore[arg-type]
    if value is None:
        return t("report.fact.unknown", lang)
    if value >= 1:
        return t("report.fact.official", lang)
    if value <= 0:
        return t("report.fact.synthetic", lang)
    return t("report.fact.mixed", lang, share=format_percent(100 * value, lang, 0))


def official_shares(results: Results, year: int) -> dict[str, float]:
    """``code -> official_share`` of the home city's values in ``year``."""
    iv = results.indicator_values
    own = iv[(iv["area_code"] == results.city) & (iv["year"] == year)]
    share = pd.to_numeric(own["official_share"], errors="coerce").fillna(0.0)
    return dict(zip(own["code"], share, strict=True))

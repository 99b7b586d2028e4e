"""The status model's data: the achievement scale and the legal standards (``standards.toml``).

Pure data loading and lookups; the grading itself lives in :mod:`smartindex.analysis.status`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from smartindex.errors import DataFileError
from smartindex.indicators.catalogue import Catalogue, Indicator, load_catalogue

DEFAULT_PATH = Path(__file__).with_name("standards.toml")
NO_GRADE = "tanpa_target"


@dataclass(frozen=True)
class Band:
    """One band of a scale: its key and lower bound (upper = the next better band's bound)."""

    key: str
    lower: float


@dataclass(frozen=True)
class Scale:
    """Bands best first; a value gets the first band whose lower bound it reaches."""

    bands: tuple[Band, ...]
    source: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        """Band keys, best first."""
        return tuple(b.key for b in self.bands)

    def bounds(self, key: str) -> tuple[float, float]:
        """``(lower, upper)`` of a band (upper = inf for the best band)."""
        uppers = [np.inf, *[b.lower for b in self.bands[:-1]]]
        for band, upper in zip(self.bands, uppers, strict=True):
            if band.key == key:
                return band.lower, float(upper)
        raise KeyError(key)

    def grade(self, values: object) -> np.ndarray:
        """Band key per value (object array; None where the value is missing)."""
        a = np.atleast_1d(np.asarray(values, dtype=float))
        keys = np.array([*self.keys, None], dtype=object)
        lowers = np.array([b.lower for b in self.bands])
        lowers[-1] = -np.inf  # the last band takes everything below
        hit = a[:, None] >= lowers[None, :]
        idx = np.where(hit.any(axis=1), hit.argmax(axis=1), len(lowers) - 1)
        return keys[np.where(np.isnan(a), len(lowers), idx)]


@dataclass(frozen=True)
class Standard:
    """A legal standard of one indicator (kinds: see ``standards.toml``)."""

    id: str
    code: str
    kind: str
    citation: str
    value: float = float("nan")
    op: str = ">="
    breach_below: float = float("nan")
    minimum: str = ""
    bands: Scale | None = None


@dataclass(frozen=True)
class Policy:
    """smartindex's own rules for applying the legal standards (``standards.toml``)."""

    service_level_breach_below: float = 90.0
    minimum_band: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Standards:
    """The achievement scale, the policy, and the legal standards by indicator code."""

    scale: Scale
    policy: Policy = field(default_factory=Policy)
    by_code: Mapping[str, Standard] = field(default_factory=dict)

    def for_catalogue(self, catalogue: Catalogue) -> Standards:
        """These settings with the legal standards of ``catalogue``'s indicators."""
        items = [s for ind in catalogue.indicators if (s := standard_of(ind, self.policy))]
        return Standards(self.scale, self.policy, {s.code: s for s in items})


_NOT_LEGAL = ("ISO", "U4SSC", "SDG", "ITU", "WHO")


def citation_of(text: str) -> str:
    """The legal part of a catalogue ``standard`` text: the regulations and clauses, without
    ISO/U4SSC/SDG analogues and without the explanation after ``": "`` (the catalogue writes
    it in English; the rule itself is carried as data, e.g. ``standard_value``), so the
    citation reads the same in every language.

    >>> citation_of("PP 22/2021 Lampiran VII, baku mutu udara ambien: annual mean 15 µg/m³; "
    ...             "ISO 37120:2018 8.1")
    'PP 22/2021 Lampiran VII, baku mutu udara ambien'
    """
    parts = [p.strip() for p in text.split("; ")]
    legal = [
        p.split(": ")[0].strip()
        for p in parts
        if p and p[:1].isupper() and not p.startswith(_NOT_LEGAL)
    ]
    return "; ".join(legal) or text


def standard_of(ind: Indicator, policy: Policy) -> Standard | None:
    """The legal standard of a catalogue indicator, or None when it has none."""
    cite = citation_of(ind.standard)
    if ind.standard_bands:
        bands = tuple(Band(b.grade, b.lo) for b in sorted(ind.standard_bands, key=lambda b: -b.lo))
        return Standard(
            id=f"{ind.code}:bands",
            code=ind.code,
            kind="bands",
            citation=cite,
            minimum=policy.minimum_band.get(ind.code, ""),
            bands=Scale(bands),
        )
    if ind.standard_value is None:
        return None
    share = ind.standard_op == ">=" and ind.standard_value == 100.0 and ind.unit_en.startswith("%")
    return Standard(
        id=f"{ind.code}:{'service_level' if share else 'limit'}",
        code=ind.code,
        kind="service_level" if share else "limit",
        citation=cite,
        value=float(ind.standard_value),
        op=ind.standard_op or ">=",
        breach_below=policy.service_level_breach_below if share else float("nan"),
    )


def _scale(raw: Sequence[Mapping[str, Any]], source: str, path: Path, where: str) -> Scale:
    try:
        bands = tuple(Band(str(b["key"]), float(b["lower"])) for b in raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(path, f"{where}: every band needs key and lower ({exc})") from exc
    lowers = [b.lower for b in bands]
    if not bands or lowers != sorted(lowers, reverse=True):
        raise DataFileError(path, f"{where}: bands must be listed best first")
    return Scale(bands, source)


def load_standards(path: Path | str = DEFAULT_PATH) -> Standards:
    """Read and validate a standards file (the scale and the policy; no catalogue yet)."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(path, f"cannot read standards: {exc}") from exc
    ach = raw.get("achievement_scale", {})
    scale = _scale(ach.get("grades", []), str(ach.get("source", "")), path, "achievement_scale")
    pol = raw.get("policy", {})
    try:
        below = float(pol.get("service_level_breach_below", 90.0))
    except (TypeError, ValueError) as exc:
        raise DataFileError(
            path, f"policy: service_level_breach_below must be a number ({exc})"
        ) from exc
    minimum = {str(k): str(v) for k, v in raw.get("minimum_band", {}).items()}
    return Standards(scale=scale, policy=Policy(below, minimum))


@cache
def default_standards() -> Standards:
    """The packaged ``standards.toml`` with the packaged catalogue's legal standards."""
    return load_standards(DEFAULT_PATH).for_catalogue(load_catalogue())

"""The status model's data: the achievement scale and the legal standards (``standards.toml``).

Pure data loading and lookups; the grading itself lives in :mod:`smartindex.analysis.status`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from smartindex.errors import DataFileError

DEFAULT_PATH = Path(__file__).with_name("standards.toml")
KINDS = ("limit", "service_level", "bands")
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
    """A legal standard of one indicator (see ``standards.toml`` for the kinds)."""

    id: str
    code: str
    kind: str
    citation: str
    value: float = float("nan")
    breach_below: float = float("nan")
    minimum: str = ""
    bands: Scale | None = None


@dataclass(frozen=True)
class Standards:
    """The achievement scale and the legal standards by indicator code."""

    scale: Scale
    by_code: Mapping[str, Standard]


def _scale(raw: Sequence[Mapping[str, Any]], source: str, path: Path, where: str) -> Scale:
    try:
        bands = tuple(Band(str(b["key"]), float(b["lower"])) for b in raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(path, f"{where}: every band needs key and lower ({exc})") from exc
    lowers = [b.lower for b in bands]
    if not bands or lowers != sorted(lowers, reverse=True):
        raise DataFileError(path, f"{where}: bands must be listed best first")
    return Scale(bands, source)


def _standard(raw: Mapping[str, Any], path: Path) -> Standard:
    sid = str(raw.get("id", "?"))
    if raw.get("kind") not in KINDS or not raw.get("code") or not raw.get("citation"):
        raise DataFileError(path, f"standard {sid!r}: needs code, citation and kind in {KINDS}")
    bands = _scale(raw["bands"], "", path, f"standard {sid!r}") if "bands" in raw else None
    if raw["kind"] == "bands" and (bands is None or raw.get("minimum") not in bands.keys):
        raise DataFileError(path, f"standard {sid!r}: kind bands needs bands and a minimum band")
    if raw["kind"] != "bands" and "value" not in raw:
        raise DataFileError(path, f"standard {sid!r}: needs a value")
    return Standard(id=sid, code=str(raw["code"]), kind=str(raw["kind"]),
                    citation=str(raw["citation"]), value=float(raw.get("value", np.nan)),
                    breach_below=float(raw.get("breach_below", np.nan)),
                    minimum=str(raw.get("minimum", "")), bands=bands)


def load_standards(path: Path | str = DEFAULT_PATH) -> Standards:
    """Read and validate a standards file."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(path, f"cannot read standards: {exc}") from exc
    ach = raw.get("achievement_scale", {})
    scale = _scale(ach.get("grades", []), str(ach.get("source", "")), path, "achievement_scale")
    items = [_standard(s, path) for s in raw.get("standard", [])]
    return Standards(scale=scale, by_code={s.code: s for s in items})


@cache
def default_standards() -> Standards:
    """The packaged ``standards.toml`` (read once)."""
    return load_standards(DEFAULT_PATH)

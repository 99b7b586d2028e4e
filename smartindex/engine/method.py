"""MethodSpec: the validated, hashable-by-content choice of function per stage.

A spec is a nested mapping (TOML tables ``[denominate] [impute] [screen] [treat]
[normalise] [weights] [aggregate]``); every function is chosen by name from the stage's
registry.  Defaults reproduce COINr's defaults: no denomination, no imputation, no
screening, no treatment, min-max 0-100 per year, framework weights, arithmetic mean.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from smartindex.engine.aggregate import AGGREGATORS
from smartindex.engine.impute import IMPUTERS
from smartindex.engine.normalise import NORMALISERS
from smartindex.engine.screen import SCREENS
from smartindex.engine.treat import FALLBACKS, TREATERS
from smartindex.engine.weights import SCHEMES
from smartindex.errors import MethodError


def _choose(key: str, name: object, allowed: Mapping[str, object] | tuple[str, ...]) -> str:
    if name not in allowed:
        raise MethodError(f"{key} = {name!r} is not known; allowed: {', '.join(allowed)}")
    return str(name)


def _check_params(key: str, fn: Callable[..., object], params: Mapping[str, Any]) -> dict:
    accepted = list(inspect.signature(fn).parameters)[2:]
    for name in params:
        if name not in accepted:
            raise MethodError(f"{key}: unknown parameter {name!r}; allowed: {accepted or 'none'}")
    return dict(params)


@dataclass(frozen=True)
class DenominateSpec:
    """Divide indicators by the framework's denominator column (× scale)."""

    enabled: bool = False
    scale: float = 1.0


@dataclass(frozen=True)
class ImputeSpec:
    """Imputer name and the group column used by group_mean / group_median."""

    method: str = "none"
    group: str | None = None

    def __post_init__(self) -> None:
        _choose("impute.method", self.method, IMPUTERS)


@dataclass(frozen=True)
class ScreenSpec:
    """Unit screening: availability measure, threshold and whether it is measured before
    imputation (``basis = "denominated"``) or after (``"imputed"``)."""

    threshold: float = 0.0
    by: str = "na"
    basis: str = "denominated"

    def __post_init__(self) -> None:
        _choose("screen.by", self.by, SCREENS)
        _choose("screen.basis", self.basis, ("denominated", "imputed"))
        if not 0 <= float(self.threshold) <= 1:
            raise MethodError("screen.threshold must be within [0, 1]")


@dataclass(frozen=True)
class TreatSpec:
    """Outlier treatment (``none`` or ``jrc``) and the JRC rule's parameters."""

    method: str = "none"
    winmax: int = 5
    skew_thresh: float = 2.0
    kurt_thresh: float = 3.5
    fallback: str = "log_CT"

    def __post_init__(self) -> None:
        _choose("treat.method", self.method, TREATERS)
        _choose("treat.fallback", self.fallback, FALLBACKS)
        if int(self.winmax) < 0:
            raise MethodError("treat.winmax must be >= 0")


@dataclass(frozen=True)
class NormaliseSpec:
    """Normaliser with parameters, scope (per_year | pooled) and per-indicator overrides."""

    method: str = "minmax"
    params: dict[str, Any] = field(default_factory=lambda: {"lo": 0.0, "hi": 100.0})
    scope: str = "per_year"
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _choose("normalise.method", self.method, NORMALISERS)
        _check_params("normalise.params", NORMALISERS[self.method], self.params)
        _choose("normalise.scope", self.scope, ("per_year", "pooled"))
        for code, spec in self.overrides.items():
            name = _choose(f"normalise.overrides.{code}.method", spec.get("method"), NORMALISERS)
            _check_params(
                f"normalise.overrides.{code}.params", NORMALISERS[name], spec.get("params", {})
            )


@dataclass(frozen=True)
class WeightsSpec:
    """Weight scheme (framework | equal | pca | mapping) and the mapping's values."""

    method: str = "framework"
    values: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _choose("weights.method", self.method, (*SCHEMES, "mapping"))


@dataclass(frozen=True)
class AggregateSpec:
    """Aggregator, its exponent p, an optional shift, per-level choices and coverage floors."""

    method: str = "arithmetic"
    p: float = 1.0
    geometric_shift: float | None = None
    by_level: dict[int, str] = field(default_factory=dict)
    min_coverage: dict[int, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _choose("aggregate.method", self.method, AGGREGATORS)
        for lv, name in self.by_level.items():
            _choose(f"aggregate.by_level.{lv}", name, AGGREGATORS)
        for lv, share in self.min_coverage.items():
            if not 0 <= float(share) <= 1:
                raise MethodError(f"aggregate.min_coverage.{lv} must be within [0, 1]")

    def at(self, level: int) -> str:
        """Aggregator name used at ``level``."""
        return self.by_level.get(level, self.method)

    def coverage_at(self, level: int) -> float:
        """Coverage floor at ``level`` (key 0 = every level)."""
        return float(self.min_coverage.get(level, self.min_coverage.get(0, 0.0)))


SECTIONS: dict[str, type] = {
    "denominate": DenominateSpec,
    "impute": ImputeSpec,
    "screen": ScreenSpec,
    "treat": TreatSpec,
    "normalise": NormaliseSpec,
    "weights": WeightsSpec,
    "aggregate": AggregateSpec,
}


def _section(name: str, raw: object) -> object:
    cls = SECTIONS[name]
    if not isinstance(raw, Mapping):
        raise MethodError(f"[{name}] must be a table")
    allowed = [f.name for f in fields(cls)]
    for key in raw:
        if key not in allowed:
            raise MethodError(f"{name}.{key} is not a known setting; allowed: {', '.join(allowed)}")
    data = dict(raw)
    if name == "aggregate":
        cov = data.get("min_coverage", {})
        cov = {0: cov} if isinstance(cov, int | float) else cov
        data["min_coverage"] = {int(k): float(v) for k, v in cov.items()}
        data["by_level"] = {int(k): v for k, v in data.get("by_level", {}).items()}
    try:
        return cls(**data)
    except (TypeError, ValueError) as exc:
        raise MethodError(f"[{name}]: {exc}") from None


@dataclass(frozen=True)
class MethodSpec:
    """Complete method: one sub-spec per stage (see module docstring)."""

    denominate: DenominateSpec = field(default_factory=DenominateSpec)
    impute: ImputeSpec = field(default_factory=ImputeSpec)
    screen: ScreenSpec = field(default_factory=ScreenSpec)
    treat: TreatSpec = field(default_factory=TreatSpec)
    normalise: NormaliseSpec = field(default_factory=NormaliseSpec)
    weights: WeightsSpec = field(default_factory=WeightsSpec)
    aggregate: AggregateSpec = field(default_factory=AggregateSpec)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> MethodSpec:
        """Build from a nested mapping; unknown sections, keys or names raise MethodError."""
        for key in d:
            if key not in SECTIONS and key not in ("name", "description"):
                raise MethodError(f"unknown method section {key!r}; allowed: {', '.join(SECTIONS)}")
        return cls(**{k: _section(k, v) for k, v in d.items() if k in SECTIONS})

    @classmethod
    def from_toml(cls, path: str | Path) -> MethodSpec:
        """Read a TOML method file."""
        try:
            with open(path, "rb") as fh:
                raw = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise MethodError(f"{path}: cannot read method file ({exc})") from None
        return cls.from_dict(raw)

    def to_dict(self) -> dict[str, Any]:
        """Plain nested dict (JSON-safe: level keys become strings)."""
        out = asdict(self)
        for key in ("by_level", "min_coverage"):
            out["aggregate"][key] = {str(k): v for k, v in out["aggregate"][key].items()}
        return out

    @property
    def digest(self) -> str:
        """sha256 of the canonical JSON of :meth:`to_dict`."""
        canon = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canon.encode()).hexdigest()

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
import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from smartindex.engine.aggregate import AGGREGATORS
from smartindex.engine.impute import IMPUTERS
from smartindex.engine.normalise import NORMALISERS
from smartindex.engine.screen import GRADES, SCREENS
from smartindex.engine.treat import FALLBACKS, TREATERS
from smartindex.engine.weights import SCHEMES
from smartindex.errors import MethodError

T = TypeVar("T")
ROUNDING_MODES = ("half_up", "half_even")


def _choose(key: str, name: object, allowed: Mapping[str, object] | tuple[str, ...]) -> str:
    if name not in allowed:
        raise MethodError(f"{key} = {name!r} is not known; allowed: {', '.join(allowed)}")
    return str(name)


def _check_params(key: str, fn: Callable[..., object], params: Mapping[str, Any]) -> dict[str, Any]:
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
    """Unit screening: availability measure, threshold, whether it is measured before
    imputation (``basis = "denominated"``) or after (``"imputed"``), and an optional
    minimum data-coverage grade (A-F, see :mod:`smartindex.engine.screen`)."""

    threshold: float = 0.0
    by: str = "na"
    basis: str = "denominated"
    min_grade: str | None = None

    def __post_init__(self) -> None:
        _choose("screen.by", self.by, SCREENS)
        _choose("screen.basis", self.basis, ("denominated", "imputed"))
        if not 0 <= float(self.threshold) <= 1:
            raise MethodError("screen.threshold must be within [0, 1]")
        if self.min_grade is not None:
            _choose("screen.min_grade", self.min_grade, tuple(GRADES))


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
        if self.method != "minmax" and self.params == {"lo": 0.0, "hi": 100.0}:
            # the min-max default does not carry over to another method
            object.__setattr__(self, "params", {})
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


@dataclass(frozen=True)
class RoundingSpec:
    """Explicit rounding after a stage (decimals); nothing is rounded unless named here.

    ``aggregated`` rounds every aggregate level as it is computed (the rounded value feeds
    the next level, as published indices that round per tier do); ``by_level`` overrides it
    for single levels.  ``mode`` is ``half_up`` (away from zero, as spreadsheets) or
    ``half_even``.
    """

    denominated: int | None = None
    imputed: int | None = None
    treated: int | None = None
    normalised: int | None = None
    aggregated: int | None = None
    by_level: dict[int, int] = field(default_factory=dict)
    mode: str = "half_up"

    def __post_init__(self) -> None:
        _choose("rounding.mode", self.mode, ROUNDING_MODES)
        named = [self.denominated, self.imputed, self.treated, self.normalised, self.aggregated]
        for value in [*named, *self.by_level.values()]:
            if value is not None and not 0 <= int(value) <= 15:
                raise MethodError("rounding: decimals must be integers within 0..15")

    def at_stage(self, stage: str) -> int | None:
        """Decimals for a data stage (None = no rounding)."""
        value: int | None = getattr(self, stage)
        return value

    def at_level(self, level: int) -> int | None:
        """Decimals for aggregate scores at ``level`` (None = no rounding)."""
        return self.by_level.get(level, self.aggregated)


@dataclass(frozen=True)
class NodeOverride:
    """Per-element settings keyed by element code (COINr issues #35, #42, #53, #62).

    ``aggregate`` (aggregates only), ``weight`` (> 0), ``direction`` (indicators, ±1) and
    ``treat`` (indicators: ``"none"`` or a table of ``[treat]`` settings).
    """

    aggregate: str | None = None
    weight: float | None = None
    direction: int | None = None
    treat: str | dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.aggregate is not None:
            _choose("overrides.aggregate", self.aggregate, AGGREGATORS)
        if self.weight is not None and not float(self.weight) > 0:
            raise MethodError("overrides.weight must be > 0")
        if self.direction is not None and self.direction not in (1, -1):
            raise MethodError("overrides.direction must be +1 or -1")
        if isinstance(self.treat, str) and self.treat != "none":
            raise MethodError('overrides.treat must be "none" or a table of [treat] settings')

    def treat_spec(self, base: TreatSpec) -> TreatSpec | None:
        """The treatment this override asks for (None = no treat override)."""
        if self.treat is None:
            return None
        if isinstance(self.treat, str):
            return replace(base, method="none")
        return _section_from("overrides.treat", TreatSpec, {**asdict(base), **self.treat})

    def settings(self) -> dict[str, Any]:
        """The settings this override names (non-None fields)."""
        return {k: v for k, v in asdict(self).items() if v is not None}


SECTIONS: dict[str, type] = {
    "denominate": DenominateSpec,
    "impute": ImputeSpec,
    "screen": ScreenSpec,
    "treat": TreatSpec,
    "normalise": NormaliseSpec,
    "weights": WeightsSpec,
    "aggregate": AggregateSpec,
    "rounding": RoundingSpec,
}
ANALYSIS_SECTIONS = ("name", "description", "uncertainty", "evaluate")
"""Top-level keys a method file may carry that do not change the build itself."""


def _section_from(name: str, cls: type[T], raw: object) -> T:
    """Build a section dataclass from a mapping; unknown keys raise MethodError."""
    if not isinstance(raw, Mapping):
        raise MethodError(f"[{name}] must be a table")
    allowed = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    for key in raw:
        if key not in allowed:
            raise MethodError(f"{name}.{key} is not a known setting; allowed: {', '.join(allowed)}")
    data = dict(raw)
    for key in ("by_level", "min_coverage"):
        if key in data:
            value = data[key]
            value = {0: value} if isinstance(value, int | float) else value
            data[key] = {int(k): v for k, v in value.items()}
    try:
        return cls(**data)
    except (TypeError, ValueError) as exc:
        raise MethodError(f"[{name}]: {exc}") from None


def _section(name: str, raw: object) -> object:
    return _section_from(name, SECTIONS[name], raw)


def _overrides(raw: object) -> dict[str, NodeOverride]:
    if not isinstance(raw, Mapping):
        raise MethodError("[overrides] must be a table of element codes")
    return {
        str(code): _section_from(f"overrides.{code}", NodeOverride, v) for code, v in raw.items()
    }


MAX_SETTING = 1e15  # larger magnitudes overflow (hi - lo = inf) and yield NULL scores


def check_numeric_settings(raw: Mapping[str, Any], where: str = "") -> None:
    """Every number of a method mapping is finite and within +-MAX_SETTING, and a ``lo`` /
    ``hi`` pair has lo < hi; else one MethodError naming the setting (issue 16)."""
    for key, value in raw.items():
        name = f"{where}.{key}" if where else str(key)
        if isinstance(value, Mapping):
            check_numeric_settings(value, name)
        elif isinstance(value, list):
            check_numeric_settings({str(i): v for i, v in enumerate(value)}, name)
        elif (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and not (math.isfinite(value) and abs(value) <= MAX_SETTING)
        ):
            raise MethodError(
                f"{name} = {value!r}: numeric settings must be finite numbers "
                f"within +-{MAX_SETTING:g}"
            )
    lo, hi = raw.get("lo"), raw.get("hi")
    if isinstance(lo, int | float) and isinstance(hi, int | float) and not lo < hi:
        raise MethodError(f"{where or 'method'}: lo ({lo!r}) must be below hi ({hi!r})")


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
    rounding: RoundingSpec = field(default_factory=RoundingSpec)
    overrides: dict[str, NodeOverride] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> MethodSpec:
        """Build from a nested mapping; unknown sections, keys or names raise MethodError.

        ``[uncertainty]`` and ``[evaluate]`` are analysis settings, read by
        :func:`smartindex.engine.evaluate.read_method_file`; they do not change the build.
        """
        check_numeric_settings(d)
        for key in d:
            if key not in SECTIONS and key not in (*ANALYSIS_SECTIONS, "overrides"):
                allowed = ", ".join([*SECTIONS, "overrides", *ANALYSIS_SECTIONS[2:]])
                raise MethodError(f"unknown method section {key!r}; allowed: {allowed}")
        kwargs: dict[str, Any] = {k: _section(k, v) for k, v in d.items() if k in SECTIONS}
        if "overrides" in d:
            kwargs["overrides"] = _overrides(d["overrides"])
        return cls(**kwargs)

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
        out["rounding"]["by_level"] = {str(k): v for k, v in out["rounding"]["by_level"].items()}
        out["overrides"] = {k: o.settings() for k, o in self.overrides.items()}
        return out

    @property
    def digest(self) -> str:
        """sha256 of the canonical JSON of :meth:`to_dict`."""
        canon = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canon.encode()).hexdigest()

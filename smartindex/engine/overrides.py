"""Per-node overrides (``[overrides.<code>]``): validated up front, verified after the build.

An override names an element code and one or more of ``aggregate`` (aggregates only),
``weight``, ``direction`` and ``treat`` (indicators only).  Before the build, an unknown
code or a setting that cannot apply to that kind of element raises :class:`MethodError`.
After the build, :func:`override_log` compares each requested value with the value the
build actually used (read back from the aggregation plan, the raw weights, the effective
framework and the treatment log) and raises if any override did not take effect.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from smartindex.engine.framework import Framework
from smartindex.engine.method import NodeOverride, TreatSpec
from smartindex.errors import MethodError

INDICATOR_ONLY = ("direction", "treat")
AGGREGATE_ONLY = ("aggregate",)
LOG_COLUMNS = ["code", "setting", "requested", "used", "applied"]


def validate_overrides(overrides: Mapping[str, NodeOverride], framework: Framework) -> None:
    """Unknown codes and settings that cannot apply to the element raise MethodError."""
    kind = framework.column("type")
    for code, o in overrides.items():
        if code not in kind.index:
            raise MethodError(f"overrides.{code}: no element with code {code!r} in the framework")
        for setting in o.settings():
            if setting in INDICATOR_ONLY and kind[code] != "Indicator":
                raise MethodError(
                    f"overrides.{code}.{setting} cannot apply: {code!r} is an aggregate"
                )
            if setting in AGGREGATE_ONLY and kind[code] != "Aggregate":
                raise MethodError(
                    f"overrides.{code}.{setting} cannot apply: {code!r} is an indicator"
                )


def with_directions(framework: Framework, overrides: Mapping[str, NodeOverride]) -> Framework:
    """The framework with overridden directions (unchanged when none are overridden)."""
    flips = {c: o.direction for c, o in overrides.items() if o.direction is not None}
    if not flips:
        return framework
    el = framework.elements.copy()
    el["direction"] = [flips.get(c, d) for c, d in zip(el["code"], el["direction"], strict=True)]
    return Framework.from_frame(el.drop(columns=["level"]))


def treat_specs(
    codes: list[str], base: TreatSpec, overrides: Mapping[str, NodeOverride]
) -> list[TreatSpec]:
    """The treatment spec of each indicator column (base unless overridden)."""
    out = []
    for code in codes:
        o = overrides.get(code)
        spec = o.treat_spec(base) if o is not None else None
        out.append(spec or base)
    return out


def _requested(o: NodeOverride, setting: str, base_treat: TreatSpec) -> Any:
    if setting == "treat":
        spec = o.treat_spec(base_treat)
        return None if spec is None else (spec.method, spec.winmax)
    return getattr(o, setting)


def override_log(
    overrides: Mapping[str, NodeOverride],
    used: Mapping[tuple[str, str], Any],
    base_treat: TreatSpec,
) -> pd.DataFrame:
    """One row per (code, setting): requested, used, applied; raise if any did not apply."""
    rows = []
    for code, o in overrides.items():
        for setting in o.settings():
            want = _requested(o, setting, base_treat)
            got = used.get((code, setting))
            rows.append([code, setting, str(want), str(got), _same(want, got)])
    log = pd.DataFrame(rows, columns=LOG_COLUMNS)
    failed = log[~log["applied"]]
    if len(failed):
        row = failed.iloc[0]
        raise MethodError(
            f"overrides.{row['code']}.{row['setting']} did not take effect: "
            f"requested {row['requested']}, the build used {row['used']}"
        )
    return log


def _same(want: Any, got: Any) -> bool:
    if isinstance(want, float) or isinstance(got, float):
        try:
            return abs(float(want) - float(got)) <= 1e-12 * max(1.0, abs(float(want)))
        except (TypeError, ValueError):
            return False
    return bool(want == got)

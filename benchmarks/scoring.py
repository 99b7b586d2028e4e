"""Scoring benchmarks: prints measured figures (not a test).

(a) synthetic panel, 514 units x 10 years x 50 indicators (6 dimensions -> 18 factors ->
    indicators), full build: impute (linear), JRC treatment, min-max, arithmetic; target <= 2 s.
(b) uncertainty on the ASEM example, N = 500 over four assumptions (normalisation,
    aggregation, weights +-25 %, Winsorisation limit 1-5): a Sobol design of
    N(d + 2) = 3,000 builds; target <= 0.25 s for the whole analysis (compiling the
    kernel included), printed with the time per build.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from smartindex.engine import (
    Framework,
    MethodSpec,
    UncertaintyResult,
    UncertaintySpec,
    build_index,
    uncertainty,
)
from smartindex.engine.tables import read_data, read_framework

ROOT = Path(__file__).resolve().parents[1]
ASEM = ROOT / "data" / "examples" / "asem"
METHODS = ROOT / "data" / "examples" / "methods"


def synthetic(
    n_units: int = 514, n_years: int = 10, n_ind: int = 50, seed: int = 1
) -> tuple[pd.DataFrame, Framework]:
    """A random panel with 5 % missing cells and a few heavy-tailed indicators."""
    rng = np.random.default_rng(seed)
    dims = [f"D{i}" for i in range(6)]
    factors = [f"F{i}" for i in range(18)]
    inds = [f"I{i:02d}" for i in range(n_ind)]
    frame = pd.DataFrame(
        {
            "code": [*inds, *factors, *dims, "INDEX"],
            "name": [*inds, *factors, *dims, "Index"],
            "parent": [factors[i % 18] for i in range(n_ind)]
            + [dims[i % 6] for i in range(18)]
            + ["INDEX"] * 6
            + [None],
            "direction": [1 if i % 4 else -1 for i in range(n_ind)] + [1] * 25,
            "weight": 1.0,
        }
    )
    units = [f"C{i:03d}" for i in range(n_units)]
    years = list(range(2015, 2015 + n_years))
    values = rng.lognormal(size=(n_years, n_units, n_ind))
    values[:, :, ::7] **= 3
    values[rng.random(values.shape) < 0.05] = np.nan
    idx = pd.MultiIndex.from_product([years, units], names=["year", "unit"])
    wide = pd.DataFrame(values.reshape(-1, n_ind), index=idx, columns=inds)
    long = wide.rename_axis(columns="code").stack(future_stack=True).rename("value").reset_index()
    return long, Framework.from_frame(frame)


def best_of(
    fn: Callable[[], object], repeats: int = 3, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Fastest time of ``repeats`` calls on ``clock`` (wall by default, or process CPU)."""
    times = []
    for _ in range(repeats):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return min(times)


def main() -> None:
    data, fw = synthetic()
    method = MethodSpec.from_dict(
        {"impute": {"method": "linear"}, "treat": {"method": "jrc"}, "screen": {"threshold": 0.5}}
    )
    t_build = best_of(lambda: build_index(data, fw, method))
    print(f"(a) build 514 units x 10 years x 50 indicators: {t_build:.2f} s (target <= 2 s)")

    spec_f = read_framework(ASEM / "ASEM_iMeta.csv")
    asem = read_data(ASEM / "ASEM_iData.csv", spec_f)
    coinr = MethodSpec.from_toml(METHODS / "coinr_default.toml")
    ua = UncertaintySpec.from_toml(METHODS / "uncertainty.toml")

    def run_ua() -> UncertaintyResult:
        return uncertainty(
            asem.data,
            spec_f.framework,
            coinr,
            ua,
            n=500,
            seed=2026,
            denominators=asem.denominators,
            groups=asem.groups,
        )

    t_ua = best_of(run_ua, repeats=5)
    cpu_ua = best_of(run_ua, repeats=5, clock=time.process_time)
    res = run_ua()
    builds = len(res.runs)
    print(
        f"(b) uncertainty ASEM, N = 500, 4 assumptions, {builds} builds: "
        f"{t_ua:.3f} s wall, {cpu_ua:.3f} s CPU (target <= 0.25 s); "
        f"{t_ua / builds * 1e3:.3f} ms per build (wall)"
    )
    print(res.sobol.round(3).to_string(index=False))


if __name__ == "__main__":
    main()

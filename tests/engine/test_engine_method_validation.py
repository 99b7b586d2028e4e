"""Issue 16 item 10: every numeric method setting is finite and in range (one-line error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import METHODS

import smartindex
from smartindex.engine import MethodSpec
from smartindex.engine.method import check_numeric_settings
from smartindex.errors import MethodError

BOUNDS = '[normalise]\nmethod = "minmax"\nparams = {{ lo = {lo}, hi = {hi} }}\n'


@pytest.mark.parametrize(
    ("lo", "hi", "message"),
    [
        ("nan", "100.0", "normalise.params.lo = nan"),
        ("0.0", "1e308", "normalise.params.hi = 1e+308"),
        ("-inf", "100.0", "normalise.params.lo = -inf"),
        ("100.0", "0.0", "lo (100.0) must be below hi (0.0)"),
    ],
)
def test_bad_normalisation_bounds_in_a_method_file(
    tmp_path: Path, lo: str, hi: str, message: str
) -> None:
    """A file with nan / 1e308 bounds used to be accepted and gave 16,270 NULL scores."""
    path = tmp_path / "m.toml"
    path.write_text(BOUNDS.format(lo=lo, hi=hi))
    with pytest.raises(MethodError) as err:
        MethodSpec.from_toml(path)
    assert message in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"aggregate": {"p": float("inf")}}, "aggregate.p = inf"),
        (
            {"weights": {"method": "mapping", "values": {"ECO": float("nan")}}},
            "weights.values.ECO = nan",
        ),
        (
            {
                "normalise": {
                    "method": "minmax",
                    "overrides": {"X": {"method": "minmax", "params": {"lo": 5, "hi": 5}}},
                }
            },
            "normalise.overrides.X.params: lo (5) must be below hi (5)",
        ),
        (
            {"uncertainty": {"n": 10, "weights_noise": [0.1, float("nan")]}},
            "uncertainty.weights_noise.1 = nan",
        ),
        ({"overrides": {"X": {"weight": -1e300}}}, "overrides.X.weight = -1e+300"),
    ],
)
def test_every_numeric_setting_is_checked(raw: dict, message: str) -> None:
    with pytest.raises(MethodError, match=r"numeric settings|must be below") as err:
        MethodSpec.from_dict(raw)
    assert message in str(err.value)


def test_ordinary_settings_pass() -> None:
    check_numeric_settings(
        {"normalise": {"params": {"lo": 0, "hi": 100}}, "flag": True, "big": 1e15, "neg": -3}
    )
    packaged = Path(smartindex.__file__).parent / "methods"
    for path in sorted([*METHODS.glob("*.toml"), *packaged.glob("*.toml")]):
        MethodSpec.from_toml(path)

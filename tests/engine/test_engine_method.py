from __future__ import annotations

import pytest
from conftest import METHODS

from smartindex.engine import MethodSpec
from smartindex.errors import MethodError


def test_defaults_are_coinr_like():
    m = MethodSpec()
    assert not m.denominate.enabled
    assert m.impute.method == "none" and m.treat.method == "none"
    assert m.screen.threshold == 0
    assert m.normalise.method == "minmax" and m.normalise.params == {"lo": 0.0, "hi": 100.0}
    assert m.normalise.scope == "per_year"
    assert m.weights.method == "framework" and m.aggregate.method == "arithmetic"
    assert m.aggregate.coverage_at(2) == 0.0


def test_round_trip_and_digest():
    m = MethodSpec.from_dict(
        {
            "normalise": {"method": "zscore", "params": {"m": 10, "s": 2}},
            "aggregate": {"min_coverage": {"2": 0.5}},
        }
    )
    again = MethodSpec.from_dict(m.to_dict())
    assert again == m and again.digest == m.digest
    assert m.digest != MethodSpec().digest
    assert m.aggregate.coverage_at(2) == 0.5 and m.aggregate.coverage_at(3) == 0.0


@pytest.mark.parametrize(
    ("d", "needle"),
    [
        ({"normalise": {"method": "minmaxx"}}, r"normalise.method = 'minmaxx'.*allowed: minmax"),
        ({"aggregate": {"method": "median"}}, "aggregate.method = 'median'"),
        ({"impute": {"method": "knn"}}, "impute.method = 'knn'"),
        ({"treat": {"winmx": 3}}, "treat.winmx is not a known setting"),
        ({"normalise": {"params": {"low": 1}}}, "unknown parameter 'low'"),
        ({"normalise": {"overrides": {"x": {"method": "nope"}}}}, "overrides.x.method"),
        ({"bogus": {}}, "unknown method section 'bogus'"),
        ({"screen": {"threshold": 2}}, "screen.threshold"),
    ],
)
def test_errors_name_the_key(d, needle):
    with pytest.raises(MethodError, match=needle):
        MethodSpec.from_dict(d)


def test_example_toml_files_load():
    for path in sorted(METHODS.glob("*.toml")):
        if path.stem != "uncertainty":
            assert MethodSpec.from_toml(path).digest


def test_unreadable_toml(tmp_path):
    bad = tmp_path / "m.toml"
    bad.write_text("[normalise\n")
    with pytest.raises(MethodError, match="cannot read method file"):
        MethodSpec.from_toml(bad)

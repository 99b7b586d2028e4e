"""The method spec in words (smartindex.display.method_text)."""

from __future__ import annotations

import pytest

from smartindex.display.method_text import spec_text, step_text

DEFAULT = {
    "impute": {"group": None, "method": "linear"},
    "screen": {"basis": "imputed", "by": "na", "min_grade": None, "threshold": 0.75},
    "treat": {
        "fallback": "log_CT",
        "kurt_thresh": 3.5,
        "method": "jrc",
        "skew_thresh": 2.0,
        "winmax": 5,
    },
    "denominate": {"enabled": False, "scale": 1.0},
    "normalise": {
        "method": "minmax",
        "overrides": {},
        "params": {"hi": 100.0, "lo": 0.0},
        "scope": "pooled",
    },
    "weights": {"method": "framework", "values": {}},
    "aggregate": {
        "by_level": {},
        "geometric_shift": None,
        "method": "arithmetic",
        "min_coverage": {"3": 0.5, "4": 0.75},
        "p": 1.0,
    },
}


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("stage", list(DEFAULT))
def test_every_default_stage_is_a_sentence(stage, lang):
    text = step_text(stage, DEFAULT[stage], lang)
    assert text.endswith(".") and " = " not in text and "None" not in text


def test_numbers_follow_the_language():
    assert "3,5" in step_text("treat", DEFAULT["treat"], "id")
    assert "3.5" in step_text("treat", DEFAULT["treat"], "en")
    assert step_text("aggregate", DEFAULT["aggregate"], "en") == (
        "Arithmetic mean, weighted, at every level; the dimension needs at least 50% of its "
        "weight present; the index needs at least 75% of its weight present."
    )


def test_a_choice_without_a_sentence_is_listed_in_full():
    custom = {"method": "geometric", "geometric_shift": 1.0, "by_level": {}, "p": 1.0}
    assert step_text("aggregate", custom, "id") == spec_text(custom, "id")
    assert "geometric_shift = 1" in step_text("aggregate", custom, "id")


def test_steps_come_in_the_order_the_method_runs():
    from smartindex.display.i18n import t
    from smartindex.display.method_text import method_markdown, method_steps

    steps = method_steps({k: DEFAULT[k] for k in reversed(DEFAULT)}, "id")
    assert [label for label, _ in steps] == [t(f"report.stage.{k}", "id") for k in DEFAULT]
    text = method_markdown(DEFAULT, "id")
    assert text.count("\n- ") == len(DEFAULT) - 1
    assert "sekurang-kurangnya 75% datanya tersedia" in text

"""The ETL's speed-ups change nothing but the time: GX's memoised expectation configuration,
the deferred imports, the joined GX runs and the warehouse build give the same warehouse as
without them (tests/etl/compare_warehouses.py compares two warehouses)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from compare_warehouses import differences
from conftest import PSEUDONYM_KEY, REGISTRY, complaint, make_raw, survey, write_csv

from smartindex.config import Settings
from smartindex.etl import load, run_etl
from smartindex.etl import quarantine as qr
from smartindex.etl import validate as v
from smartindex.etl.validate import Check, Deferred, GxSession, build_checks, defer_imports


@contextlib.contextmanager
def _plain(cls: Any) -> Iterator[None]:
    yield


def _checks() -> list[Check]:
    return [
        Check("not_null", ("a",)),
        Check("between", ("a",), {"min": 1, "max": 3}),
        Check("in_set", ("s",), {"values": ("x", "y")}),
        Check("references", ("s",), {"values": (*(f"v{i}" for i in range(300)), "x")}),
        Check("regex", ("s",), {"regex": r"^[xy]$"}),
        Check("order", ("a", "b")),
        Check("unique", ("b",)),
        Check("within", ("s", "t"), {"pairs": (("x", "p"), ("y", "q"))}),
    ]


def test_memoised_configuration_gives_gx_results_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pd.DataFrame(
        {
            "a": [1.0, None, 3.0, 4.0, 2.0],
            "b": [2.0, 1.0, 2.0, 3.0, None],
            "s": ["x", "y", "z", None, "x"],
            "t": ["p", "q", "p", "q", "q"],
        }
    )
    fast = GxSession().failures(frame, _checks())
    monkeypatch.setattr(v, "memoised_configuration", _plain)
    plain = GxSession().failures(frame, _checks())
    assert fast == plain
    assert {c.kind for c, _ in fast} == {
        "not_null",
        "between",
        "in_set",
        "references",
        "regex",
        "order",
        "unique",
        "within",
    }


def test_memoised_configuration_is_restored() -> None:
    calls: list[int] = []

    class Model:
        def __init__(self) -> None:
            self.x = [1]

        @property
        def configuration(self) -> tuple[int, ...]:
            calls.append(1)
            return tuple(self.x)

    prop = Model.__dict__["configuration"]
    m = Model()
    with v.memoised_configuration(Model):
        assert m.configuration == m.configuration == (1,)
        assert len(calls) == 1
        m.x = [2]  # a field set anew: computed again
        assert m.configuration == (2,)
    assert Model.__dict__["configuration"] is prop


def test_deferred_module_imports_on_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "json.tool"  # in the standard library, rarely imported
    monkeypatch.delitem(sys.modules, name, raising=False)
    assert defer_imports([name, "no_such_module_smartindex"]) == [name]
    stand_in = sys.modules[name]
    assert isinstance(stand_in, Deferred)
    assert callable(stand_in.main)  # the first use imports it
    assert not isinstance(sys.modules[name], Deferred)
    assert sys.modules[name].main is stand_in.main
    stand_in.smartindex_probe = 1  # set through the stand-in: set on the real module
    assert sys.modules[name].smartindex_probe == 1
    del sys.modules[name].smartindex_probe
    assert defer_imports([name]) == []  # imported already: left alone


def test_warehouse_same_without_the_speedups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run with quarantined rows of several kinds, with and without the speed-ups."""
    raw = make_raw(tmp_path / "raw")
    write_csv(
        raw / "complaints_2024.csv",
        "complaints",
        [complaint(1), complaint(2, rating="9"), complaint(3, category="nope"), complaint(1)],
    )
    write_csv(raw / "survey_responses_2024.csv", "survey_responses", [survey(1), survey(2)])
    fast, plain = tmp_path / "fast.duckdb", tmp_path / "plain.duckdb"
    assert run_etl(Settings(db_path=fast, raw_dir=raw, pseudonym_key=PSEUDONYM_KEY)).ok
    monkeypatch.setattr(v, "memoised_configuration", _plain)
    monkeypatch.setattr(v, "JOIN_MAX_ROWS", 0)
    monkeypatch.setattr(qr, "JOINT_MAX_ROWS", 0)
    monkeypatch.setattr(load, "WRITERS", 1)  # one batch at a time, in load order
    assert run_etl(Settings(db_path=plain, raw_dir=raw, pseudonym_key=PSEUDONYM_KEY)).ok
    lines = differences(plain, fast)
    assert not [ln for ln in lines if ln.startswith("!")], lines
    assert any(ln.startswith("  city_1671.quarantine:") and " 0 vs" not in ln for ln in lines)


def test_joint_run_finds_what_separate_runs_find() -> None:
    """Frames of different lengths side by side in one GX run: each part's failures are its
    own, at its own positions; the rows repeated to pad the shorter frame add none."""
    rows = pd.DataFrame({"a": [1, 5, None, 2], "b": [2, 1, 3, None]})
    values = pd.DataFrame({"a": ["x", "z"], "s": ["y", None]})  # same name, other frame
    row_checks = [Check("order", ("a", "b")), Check("between", ("a",), {"min": 1, "max": 3})]
    value_checks = [
        Check("in_set", ("a",), {"values": ("x", "y")}),
        Check("not_null", ("s",)),
        Check("in_set", ("s",), {"values": ("x", "y")}),
    ]
    gx = GxSession()
    joint = qr.joint_failures(gx, [(rows, row_checks), (values, value_checks)])
    assert joint == [gx.failures(rows, row_checks), gx.failures(values, value_checks)]
    assert joint == [
        [(row_checks[0], [1]), (row_checks[1], [1])],
        [(value_checks[0], [1]), (value_checks[1], [1])],
    ]


def test_a_batch_waits_for_the_tables_its_checks_read() -> None:
    """A batch starts once the tables its validation reads are written: its own (primary
    keys) and those its references and within checks point into; not unrelated ones."""
    complaints, region = REGISTRY.get("complaints"), REGISTRY.get("region")
    assert load.reads(complaints, build_checks(complaints, REGISTRY.bbox)) == {
        "complaints",
        "region",
    }
    assert load.reads(region, build_checks(region, REGISTRY.bbox)) == {"region"}

"""Great Expectations suites built from the registry, run on pandas frames.

This is the only module that imports great_expectations, and only inside functions (the import
takes seconds). ``build_checks`` is pure: it turns a Source into ``Check`` objects (one per
expectation). ``GxSession.failures`` runs a list of checks on one frame with result_format
COMPLETE and returns, per check, the frame positions (``unexpected_index_list``) that failed;
a metric that crashed (``exception_info``) raises ``ValidationCrashError`` instead of counting
as a failure.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import importlib.util
import sys
import threading
import types
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smartindex.config import DEFAULT_TIMEZONE
from smartindex.errors import SmartIndexError
from smartindex.etl.registry import Source


def city_zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (``Settings.timezone``); "future" is judged in it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SmartIndexError(
            f"time zone {name!r} is not a known IANA zone name (set "
            "Settings.timezone / SMARTINDEX_TIMEZONE, e.g. Asia/Jakarta)"
        ) from exc


class ValidationCrashError(SmartIndexError):
    """A Great Expectations metric raised: the file is reported as failed, not as invalid rows."""


@dataclass(frozen=True)
class Check:
    """One expectation on one column (or a column pair / set)."""

    kind: str
    columns: tuple[str, ...]
    params: Mapping[str, Any] = field(default_factory=dict)
    where: str | None = None  # BOOLEAN column that must be true for the check to apply

    @property
    def reason(self) -> str:
        return _REASONS[self.kind](self)


_REASONS: dict[str, Callable[[Check], str]] = {
    "not_null": lambda c: "missing value in a required column",
    "between": lambda c: f"outside [{c.params['min']}, {c.params['max']}]",
    "bbox": lambda c: (
        f"{c.columns[0]} outside the city bounding box [{c.params['min']}, {c.params['max']}]"
    ),
    "in_set": lambda c: "not one of the allowed values",
    "references": lambda c: f"no matching {c.params['table']}.{c.params['column']}",
    "regex": lambda c: f"does not match {c.params['regex']}",
    "not_future": lambda c: "date/time in the future",
    "not_before": lambda c: f"before {c.params['min']} (implausibly early)",
    "within": lambda c: (
        f"{c.columns[0]} does not lie in {c.columns[1]} "
        f"(per {c.params['table']}.{c.params['parent']})"
    ),
    "order": lambda c: f"{c.columns[1]} before {c.columns[0]}",
    "unique": lambda c: f"duplicate value(s) of unique {'+'.join(c.columns)} (every copy)",
}


def _value_checks(source: Source) -> list[Check]:
    ex = source.expect
    checks = [Check("not_null", (c,)) for c in dict.fromkeys([*source.primary_key, *ex.not_null])]
    checks += [Check("between", (c,), {"min": lo, "max": hi}) for c, (lo, hi) in ex.between.items()]
    checks += [Check("in_set", (c,), {"values": v}) for c, v in ex.in_set.items()]
    checks += [Check("regex", (c,), {"regex": rx}) for c, rx in ex.regex.items()]
    checks += [Check("not_future", (c,)) for c in ex.not_future]
    checks += [Check("not_before", (c,), {"min": d.isoformat()}) for c, d in ex.not_before.items()]
    checks += [
        Check("references", (c,), {"table": t, "column": tc})
        for c, (t, tc) in ex.references.items()
    ]
    return checks


def build_checks(source: Source, bbox: Mapping[str, tuple[float, float]]) -> list[Check]:
    """Every check the registry declares for ``source``, plus the automatic bbox check."""
    checks = _value_checks(source)
    if {"lat", "lon"} <= set(source.all_columns):
        checks += [
            Check("bbox", (c,), {"min": lo, "max": hi}, where=source.bbox_when)
            for c, (lo, hi) in bbox.items()
        ]
    checks += [Check("order", (a, b)) for a, b in source.expect.order]
    checks += [
        Check(
            "within",
            (child, parent),
            {"table": t, "parent": tcol, "date": when, "key": source.expect.references[child][1]},
        )
        for child, (parent, t, tcol, when) in source.expect.within.items()
    ]
    checks += [Check("unique", tuple(u)) for u in source.expect.unique]
    return checks


def _between(gxe: Any, c: Check, now: int) -> Any:
    return gxe.ExpectColumnValuesToBeBetween(
        column=c.columns[0], min_value=c.params["min"], max_value=c.params["max"]
    )


def _unique(gxe: Any, c: Check, now: int) -> Any:
    if len(c.columns) == 1:
        return gxe.ExpectColumnValuesToBeUnique(column=c.columns[0])
    return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(c.columns))


_BUILDERS: dict[str, Callable[[Any, Check, int], Any]] = {
    "not_null": lambda gxe, c, now: gxe.ExpectColumnValuesToNotBeNull(column=c.columns[0]),
    "between": _between,
    "bbox": _between,
    "in_set": lambda gxe, c, now: gxe.ExpectColumnValuesToBeInSet(
        column=c.columns[0], value_set=list(c.params["values"])
    ),
    "references": lambda gxe, c, now: gxe.ExpectColumnValuesToBeInSet(
        column=c.columns[0], value_set=list(c.params["values"])
    ),
    "regex": lambda gxe, c, now: gxe.ExpectColumnValuesToMatchRegex(
        column=c.columns[0], regex=c.params["regex"]
    ),
    "not_future": lambda gxe, c, now: gxe.ExpectColumnValuesToBeBetween(
        column=c.columns[0], max_value=now
    ),
    "not_before": lambda gxe, c, now: gxe.ExpectColumnValuesToBeBetween(
        column=c.columns[0], min_value=_epoch_us(c.params["min"])
    ),
    "within": lambda gxe, c, now: gxe.ExpectColumnPairValuesToBeInSet(
        column_A=c.columns[0],
        column_B=c.columns[1],
        value_pairs_set=list(c.params["pairs"]),
        ignore_row_if="either_value_is_missing",
    ),
    "order": lambda gxe, c, now: gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=c.columns[1],
        column_B=c.columns[0],
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    ),
    "unique": _unique,
}


def _epoch_us(day: str) -> int:
    """Microseconds since 1970 of a date (how temporal columns reach GX)."""
    return (dt.datetime.fromisoformat(day) - dt.datetime(1970, 1, 1)) // dt.timedelta(
        microseconds=1
    )


def expectation_name(check: Check) -> str:
    """The GX expectation type a check maps to (stored in quarantine.expectation)."""
    return {
        "not_null": "expect_column_values_to_not_be_null",
        "between": "expect_column_values_to_be_between",
        "bbox": "expect_column_values_to_be_between",
        "in_set": "expect_column_values_to_be_in_set",
        "references": "expect_column_values_to_be_in_set",
        "regex": "expect_column_values_to_match_regex",
        "not_future": "expect_column_values_to_be_between",
        "not_before": "expect_column_values_to_be_between",
        "within": "expect_column_pair_values_to_be_in_set",
        "order": "expect_column_pair_values_a_to_be_greater_than_b",
        "unique": (
            "expect_column_values_to_be_unique"
            if len(check.columns) == 1
            else "expect_compound_columns_to_be_unique"
        ),
    }[check.kind]


STACK_ROWS = 1_000_000  # rows of a stacked frame at most; see GxSession.failures
PREPASS_MAX_ROWS = 200_000  # larger frames skip the BOOLEAN_ONLY pass (GxSession._failures)
WARM_UP_SWITCH_INTERVAL = 0.0005  # seconds; see GxSession.warm_up
JOIN_MAX_ROWS = 100_000  # stacked frames up to this join the unstacked checks (failures)
# checks whose outcome for a row depends on that row's values only (not on other rows)
_STACKABLE = {
    "not_null",
    "between",
    "bbox",
    "in_set",
    "references",
    "regex",
    "not_future",
    "not_before",
    "order",
}


def _stacked(
    frame: Any, checks: Sequence[Check], stacks: list[list[int]]
) -> tuple[Any, list[Check]]:
    """A frame with one column (a pair for order checks) per stack: the stack's columns end
    to end (position ``j * len(frame) + r`` is row r of its j-th check). Shorter stacks repeat
    their own values up to the longest; positions past a stack's length are ignored by the
    caller."""
    import numpy as np  # noqa: PLC0415 - pandas is imported with GX, lazily
    import pandas as pd  # noqa: PLC0415

    cols, scheck = {}, []
    size = max(len(ix) for ix in stacks) * len(frame)
    for g, ix in enumerate(stacks):
        names = []
        for k in range(len(checks[ix[0]].columns)):
            part = pd.concat([frame[checks[i].columns[k]] for i in ix], ignore_index=True)
            names.append(f"_stack_{g}_{k}")
            cols[names[-1]] = part.iloc[np.arange(size) % len(part)].reset_index(drop=True)
        scheck.append(replace(checks[ix[0]], columns=tuple(names)))
    return pd.DataFrame(cols), scheck


def _with_repeated(stacked: Any, frame: Any, columns: Sequence[str]) -> Any:
    """``stacked`` plus ``columns`` of ``frame`` with its rows repeated end to end up to the
    stacked length (a multiple of the frame's; see ``_stacked``)."""
    import numpy as np  # noqa: PLC0415 - pandas is imported with GX, lazily
    import pandas as pd  # noqa: PLC0415

    take = np.arange(len(stacked)) % len(frame)
    extra = {c: frame[c].iloc[take].reset_index(drop=True) for c in dict.fromkeys(columns)}
    return pd.concat([stacked, pd.DataFrame(extra)], axis=1)


def _crash(r: Any) -> str | None:
    info = r.exception_info or {}
    infos = [info] if "raised_exception" in info else list(info.values())
    for i in infos:
        if isinstance(i, Mapping) and i.get("raised_exception"):
            return str(i.get("exception_message") or "unknown error").splitlines()[0]
    return None


# Imported by GX's package import for expectations and metrics smartindex never runs (KL
# divergence, KS tests): about a third of GX's import time. They are imported when first used
# instead (see ``Deferred``), so anything that does use them still works.
DEFERRED_IMPORTS = ("scipy.stats", "altair")


class Deferred(types.ModuleType):
    """Stands in ``sys.modules`` for a module not imported yet: the first use of an attribute
    (anything but its name and spec) imports the real module, which then replaces it there;
    from then on every attribute is read, set and listed on the real module."""

    def __init__(self, name: str, spec: Any = None) -> None:
        super().__init__(name)
        self.__spec__ = spec  # importlib.util.find_spec answers as for the real module
        self._deferred_lock = threading.Lock()
        self._deferred_real: types.ModuleType | None = None

    def _deferred_load(self) -> types.ModuleType:
        with self._deferred_lock:
            if self._deferred_real is None:
                if sys.modules.get(self.__name__) is self:
                    del sys.modules[self.__name__]
                self._deferred_real = importlib.import_module(self.__name__)
            return self._deferred_real

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("_deferred_"):
            raise AttributeError(attr)
        return getattr(self._deferred_load(), attr)

    def __setattr__(self, attr: str, value: Any) -> None:
        if attr.startswith("_deferred_") or "_deferred_real" not in self.__dict__:
            super().__setattr__(attr, value)  # while constructing
        else:
            setattr(self._deferred_load(), attr, value)

    def __dir__(self) -> list[str]:
        return dir(self._deferred_load())


def defer_imports(names: Sequence[str] = DEFERRED_IMPORTS) -> list[str]:
    """Put a ``Deferred`` stand-in for each of ``names`` that is installed but not imported
    yet; the names deferred."""
    deferred = []
    for name in names:
        if name in sys.modules:
            continue
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            continue
        if spec is not None:
            sys.modules[name] = Deferred(name, spec)
            deferred.append(name)
    return deferred


@contextlib.contextmanager
def memoised_configuration(cls: Any) -> Iterator[None]:
    """Within the block, ``cls.configuration`` (GX's ``Expectation.configuration``) is computed
    once per expectation object and field values.

    GX rebuilds that property (a pydantic ``dict()`` of every field, value sets included) about
    90 times per expectation while validating: 60 % of a validation's time, and more the larger
    the value set. The property is a pure function of the object's fields, so a result is
    reused only for the same object whose field values are the same objects (both are kept
    alive by the cache, so their ids cannot be reused); the property is restored on exit."""
    prop = cls.__dict__.get("configuration")
    if not isinstance(prop, property) or prop.fget is None:  # another GX: leave it alone
        yield
        return
    fget = prop.fget
    cache: dict[int, tuple[Any, tuple[Any, ...], Any]] = {}

    def configuration(self: Any) -> Any:
        values = tuple(self.__dict__.values())
        hit = cache.get(id(self))
        if (
            hit is None
            or hit[0] is not self
            or len(hit[1]) != len(values)
            or any(a is not b for a, b in zip(hit[1], values, strict=True))
        ):
            hit = cache[id(self)] = (self, values, fget(self))
        return hit[2]

    cls.configuration = property(configuration)
    try:
        yield
    finally:
        cls.configuration = prop


class GxSession:
    """An ephemeral GX context (created on first use) that validates pandas frames."""

    def __init__(self, now: dt.datetime | None = None, *, timezone: str = DEFAULT_TIMEZONE) -> None:
        self.now = now or dt.datetime.now(city_zone(timezone)).replace(tzinfo=None)
        # temporal columns reach GX as int64 epoch microseconds (see quarantine._frame_col)
        self.now_us = (self.now - dt.datetime(1970, 1, 1)) // dt.timedelta(microseconds=1)
        self._batch_def: Any = None
        self._n = 0
        self._lock = threading.Lock()
        self._run_lock = threading.Lock()
        self._warming: threading.Thread | None = None

    def warm_up(self) -> None:
        """Import GX and create the context in a background thread (takes seconds), so that it
        overlaps with checksumming and DuckDB staging (both release the GIL). Only the first
        call starts a thread. An error there is ignored: the first ``failures`` call then
        repeats the work and raises it."""

        def work(interval: float) -> None:
            try:
                with contextlib.suppress(Exception):  # the first real use raises it again
                    self._definition()
            finally:
                sys.setswitchinterval(interval)

        if self._warming is None:
            # The import holds the GIL almost throughout; every time a DuckDB call returns,
            # the loading thread waits for it up to the switch interval (5 ms by default,
            # hundreds of times per run): shorter while the import lasts.
            interval = sys.getswitchinterval()
            sys.setswitchinterval(min(interval, WARM_UP_SWITCH_INTERVAL))
            self._warming = threading.Thread(
                target=work, args=(interval,), name="smartindex-gx-warm-up"
            )
            self._warming.start()

    @property
    def ready(self) -> bool:
        """True once GX is imported and the context exists (validating will not wait)."""
        return self._batch_def is not None

    def _definition(self) -> Any:
        with self._lock:
            if self._batch_def is None:
                # GX takes seconds to import: only when a file is validated (see warm_up)
                defer_imports()
                import great_expectations as gx  # noqa: PLC0415
                from great_expectations.data_context.types.base import (  # noqa: PLC0415
                    ProgressBarsConfig,
                )

                ctx = gx.get_context(mode="ephemeral")
                ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
                asset = ctx.data_sources.add_pandas("smartindex_etl").add_dataframe_asset("frame")
                self._batch_def = asset.add_batch_definition_whole_dataframe("whole")
            return self._batch_def

    def failures(self, frame: Any, checks: Sequence[Check]) -> list[tuple[Check, list[int]]]:
        """Run ``checks`` on ``frame`` (RangeIndex); failing positions per check.

        GX's cost is mostly per expectation, not per row: checks of one kind with the same
        parameters on columns of the same dtype (eight not_null checks, five not_before the
        same date, six order pairs ...) run as ONE expectation on the columns stacked end to
        end (``_stacked``); each failing position maps back to its check and row. A crash there
        repeats the run unstacked, so the error names the column as before.
        """
        groups: dict[tuple[str, str, tuple[str, ...]], list[int]] = {}
        for i, c in enumerate(checks):
            if c.kind in _STACKABLE:
                dtypes = tuple(str(frame[col].dtype) for col in c.columns)
                groups.setdefault((c.kind, repr(sorted(c.params.items())), dtypes), []).append(i)
        # bounds the stacked frame (shorter stacks are padded to the longest): on chunks of
        # 1 M rows the cost is per row and nothing is stacked
        per = max(1, STACK_ROWS // max(1, len(frame)))
        stacks = [ix[k : k + per] for ix in groups.values() for k in range(0, len(ix), per)]
        stacks = [ix for ix in stacks if len(ix) > 1]
        if not stacks or len(frame) == 0:
            return self._failures(frame, checks)
        stacked, scheck = _stacked(frame, checks, stacks)
        in_stack = {i for ix in stacks for i in ix}
        rest = [c for i, c in enumerate(checks) if i not in in_stack]
        # on small frames the other checks join the same GX run on the frame's rows repeated
        # to the stacked length (one run instead of two: there GX costs per run, not per
        # row); not unique checks, which the repeated rows would fail
        small = len(frame) * max(map(len, stacks)) <= JOIN_MAX_ROWS
        joined = rest if small and all(c.kind != "unique" for c in rest) else []
        if joined:
            stacked = _with_repeated(stacked, frame, [c for r in joined for c in r.columns])
        try:
            found = self._failures(stacked, [*scheck, *joined])
        except ValidationCrashError:
            return self._failures(frame, checks)
        n, pos = len(frame), dict[int, list[int]]()
        owner = {id(c): k for k, c in enumerate(scheck)}
        rest_found = []
        for check, where in found:
            if id(check) not in owner:  # a joined check: rows past n repeat rows 0..n-1
                rest_found.append((check, [p for p in where if p < n]))
                continue
            ix = stacks[owner[id(check)]]
            for p in where:
                if p // n < len(ix):
                    pos.setdefault(ix[p // n], []).append(p % n)
        out = [(checks[i], sorted(pos[i])) for i in sorted(pos)]
        if joined:
            return out + rest_found
        return out + (self._failures(frame, rest) if rest else [])

    def _failures(self, frame: Any, checks: Sequence[Check]) -> list[tuple[Check, list[int]]]:
        """GX runs of ``checks`` (one expectation each) on ``frame``: first all of them with
        result_format BOOLEAN_ONLY (success only: about half of GX's cost per expectation),
        then the failed ones again with COMPLETE for their ``unexpected_index_list``. Large
        frames (chunks of rows) go straight to COMPLETE: there the cost is per row, and a
        failed check would be computed twice."""
        if len(frame) > PREPASS_MAX_ROWS:
            return [
                (checks[i], [int(x) for x in r.result.get("unexpected_index_list") or []])
                for i, r in self._validate(frame, checks, "COMPLETE")
                if not r.success
            ]
        failed = [
            checks[i] for i, r in self._validate(frame, checks, "BOOLEAN_ONLY") if not r.success
        ]
        if not failed:
            return []
        return [
            (failed[i], [int(x) for x in r.result.get("unexpected_index_list") or []])
            for i, r in self._validate(frame, failed, "COMPLETE")
            if not r.success
        ]

    def _validate(
        self,
        frame: Any,
        checks: Sequence[Check],
        result_format: Literal["BOOLEAN_ONLY", "COMPLETE"],
    ) -> list[tuple[int, Any]]:
        """(index in ``checks``, GX result) per check; raises ValidationCrashError when a
        metric crashed."""
        batch_def = self._definition()
        import great_expectations as gx  # noqa: PLC0415 - see _definition
        import great_expectations.expectations as gxe  # noqa: PLC0415
        from great_expectations.expectations.expectation import Expectation  # noqa: PLC0415
        from great_expectations.validator.v1_validator import Validator  # noqa: PLC0415

        # one GX run at a time: the loader validates on two threads (see load.load_files) so
        # that one's DuckDB work overlaps the other's GX run; GX itself is not run in parallel
        # (Python, and memoised_configuration patches a class attribute)
        with self._run_lock, memoised_configuration(Expectation):
            self._n += 1
            suite = gx.ExpectationSuite(name=f"etl_{self._n}")
            for i, c in enumerate(checks):
                exp = _BUILDERS[c.kind](gxe, c, self.now_us)
                exp.meta = {"smartindex_check": i}
                suite.add_expectation(exp)
            # what Batch.validate does, without first building a Batch of its own (each batch
            # fingerprints the whole frame)
            validator = Validator(
                batch_definition=batch_def,
                batch_parameters={"dataframe": frame},
                result_format=result_format,
            )
            with warnings.catch_warnings():  # GX's pandas regex metric warns about match groups
                warnings.filterwarnings("ignore", message="This pattern is interpreted")
                result: Any = validator.validate_expectation_suite(suite)
        out = []
        for r in result.results:
            i = r.expectation_config.meta["smartindex_check"]
            crash = _crash(r)
            if crash:
                raise ValidationCrashError(
                    f"validation of {'+'.join(checks[i].columns)} "
                    f"({expectation_name(checks[i])}) crashed: {crash}"
                )
            out.append((i, r))
        return out

"""kill -9 in the middle of an ingest or a compaction loses and duplicates nothing; a second
ingester refuses to start."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from smartindex.ops.client import Client, SourceState
from smartindex.ops.ingest import pull
from smartindex.ops.live import snapshot
from smartindex.ops.simulator import SimClock, Simulator, Tickets, serving
from smartindex.ops.sla import load_sla
from smartindex.ops.store import OUTCOME_KINDS, compact, connect, open_store, pin

DATA = Path(__file__).resolve().parents[2] / "data" / "raw" / "complaints_2024.csv.gz"
KEY = "test-key"
# Runs in a child process: patch one step to SIGKILL the process the n-th time it runs.
CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    import smartindex.ops.store as store_module
    from smartindex.ops.client import Client
    from smartindex.ops.ingest import pull

    root, url, step, nth = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    calls = {"n": 0}

    def killing(original, before):
        def wrapper(*args, **kwargs):
            calls["n"] += 1
            if before and calls["n"] == nth:
                os.kill(os.getpid(), 9)
            result = original(*args, **kwargs)
            if not before and calls["n"] == nth:
                os.kill(os.getpid(), 9)
            return result
        return wrapper

    if step in ("after-publish", "before-rename"):
        name = "publish" if step == "after-publish" else "rename"
        target = store_module if name == "publish" else store_module.os
        setattr(target, name, killing(getattr(target, name), step == "before-rename"))
    elif step == "after-unlink":
        Path.unlink = killing(Path.unlink, False)
    store = store_module.open_store(root)
    if url == "-":
        store_module.compact(store)
    else:
        pull(store, Client(url, page_size=50), feed="sim", pseudonym_key="test-key")
    sys.exit(3)  # not reached when killed
""")


@pytest.fixture(scope="module")
def sim():
    frame = pd.read_csv(DATA, dtype=str, keep_default_na=False, na_values=[""], nrows=300)
    tickets = Tickets(frame.dropna(subset=["ticket_id"]).drop_duplicates("ticket_id"))
    with serving(Simulator(tickets, SimClock(datetime(2024, 1, 20), speed=0))) as url:
        yield url


@pytest.fixture(scope="module")
def reference(sim, tmp_path_factory):
    store = open_store(tmp_path_factory.mktemp("ref") / "ops")
    pull(store, Client(sim, page_size=50), feed="sim", pseudonym_key=KEY)
    return frames(store)


def frames(store):
    with connect(store) as con:
        return (
            con.execute("select * from complaints order by ticket_id").df(),
            con.execute("select event_id from ops_events order by event_id").df(),
        )


def child(tmp_path, root, url, step, nth):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    return subprocess.run(
        [sys.executable, str(script), str(root), url, step, str(nth)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )


def same(a, b):
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])


@pytest.mark.parametrize(("step", "nth"), [("after-publish", 2), ("before-rename", 3)])
def test_kill_during_ingest_then_restart(tmp_path, sim, reference, step, nth):
    root = tmp_path / "ops"
    done = child(tmp_path, root, sim, step, nth)
    assert done.returncode == -9, done.stderr
    store = open_store(root)
    assert len(store.batch_files()) == 2  # two pages were written, the third was not
    assert SourceState.load(store, "sim").cursor is None  # the pull did not finish
    pull(store, Client(sim, page_size=50), feed="sim", pseudonym_key=KEY)
    same(frames(store), reference)
    compact(store)
    same(frames(store), reference)
    assert not list(store.batches.glob(".tmp-*"))  # a half-written batch is cleaned up


# killed after the events file was renamed in (the state file not yet), halfway through the
# refresh files, or after the first of the old files was deleted
@pytest.mark.parametrize(
    ("step", "nth"), [("after-publish", 1), ("after-publish", 4), ("after-unlink", 1)]
)
def test_kill_during_compaction_then_restart(tmp_path, sim, reference, step, nth):
    root = tmp_path / "ops"
    store = open_store(root)
    pull(store, Client(sim, page_size=50), feed="sim", pseudonym_key=KEY)
    assert len(store.batch_files()) > 3
    done = child(tmp_path, root, "-", step, nth)
    assert done.returncode == -9, done.stderr
    same(frames(store), reference)  # whatever step it died after, readers see the same
    compact(store)
    assert store.batch_files() == [] and len(store.state_files()) == 1
    same(frames(store), reference)


def test_kill_between_the_refresh_files_and_the_state_keeps_the_view(
    tmp_path, sim, put, req, same_view
):
    root = tmp_path / "ops"
    store = open_store(root)
    pull(store, Client(sim, page_size=50), feed="sim", pseudonym_key=KEY)
    compact(store)
    put(store, req("LATE1", requested="2024-01-19T10:00:00+07:00"))
    now = datetime(2024, 1, 20)
    before = snapshot(store, now=now)
    # killed once the events and the refresh files are in, the state not yet
    done = child(tmp_path, root, "-", "after-publish", 1 + len(OUTCOME_KINDS))
    assert done.returncode == -9, done.stderr
    assert len(store.state_files()) == 1 and pin(store, load_sla()).outcomes is not None
    same_view(snapshot(store, now=now), before)  # the old state with its own outcomes
    compact(store)
    assert len(list(store.compacted.glob("*.parquet"))) == 2 + len(OUTCOME_KINDS)
    assert not store.batch_files()
    same_view(snapshot(store, now=now), before)


def test_a_second_ingester_refuses_with_one_line(tmp_path, sim):
    root = tmp_path / "ops"
    command = [
        sys.executable,
        "-m",
        "smartindex.cli",
        "ops",
        "ingest",
        "--store",
        str(root),
        "--url",
        sim,
        "--follow",
        "--every",
        "30",
    ]
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (root / "ingest.lock").exists() or not (root / "ingest.lock").read_text():
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.1)
        second = subprocess.run(command, check=False, capture_output=True, text=True, timeout=60)
    finally:
        first.terminate()
        first.communicate(timeout=30)
    assert second.returncode == 1
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and "another ingester is running" in lines[0]
    assert f"pid {first.pid}" in lines[0]

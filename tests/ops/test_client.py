from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from smartindex.ops.client import Client, FetchError, SourceState
from smartindex.ops.ingest import pull
from smartindex.ops.simulator import Faults, SimClock, Simulator, Tickets, serving
from smartindex.ops.store import connect, quarantine_frame

DATA = Path(__file__).resolve().parents[2] / "data" / "raw" / "complaints_2024.csv.gz"
KEY = "test-key"


@pytest.fixture(scope="module")
def tickets():
    frame = pd.read_csv(DATA, dtype=str, keep_default_na=False, na_values=[""], nrows=400)
    return Tickets(frame.dropna(subset=["ticket_id"]).drop_duplicates("ticket_id"))


def client(url, **kw):
    return Client(url, backoff=0.01, page_size=100, **kw)


def count(store):
    with connect(store) as con:
        return con.execute("select count(*) from complaints").fetchone()[0]


def test_incremental_pull_fetches_only_what_changed(store, tickets):
    clock = SimClock(datetime(2024, 1, 10), speed=0)
    sim = Simulator(tickets, clock)
    with serving(sim) as url:
        first = pull(store, client(url), feed="sim", pseudonym_key=KEY)
        assert first.records > 100 and first.batches >= 2  # several pages
        again = pull(store, client(url), feed="sim", pseudonym_key=KEY)
        assert again.records < 25  # only the 5-minute overlap window is read again
        seen = count(store)
        clock.start = datetime(2024, 1, 20)
        later = pull(store, client(url), feed="sim", pseudonym_key=KEY)
    assert later.records < first.records + 200
    assert count(store) > seen
    state = SourceState.load(store, "sim")
    assert state.cursor == "2024-01-20T00:00:00+07:00" and state.consecutive_failures == 0
    assert state.pulls == 3


@pytest.mark.parametrize(
    "faults", [Faults(http_500=2), Faults(http_429=2), Faults(slow=1, slow_seconds=1.0)]
)
def test_transient_faults_are_retried(store, tickets, faults):
    sim = Simulator(tickets, SimClock(datetime(2024, 1, 10), speed=0), faults)
    with serving(sim) as url:
        done = pull(store, client(url, timeout=0.4), feed="sim", pseudonym_key=KEY)
    assert done.records > 0
    assert SourceState.load(store, "sim").consecutive_failures == 0


def test_malformed_json_fails_the_pull_keeps_the_cursor_and_is_quarantined(store, tickets):
    sim = Simulator(tickets, SimClock(datetime(2024, 1, 10), speed=0), Faults(malformed=3))
    with serving(sim) as url:
        with pytest.raises(FetchError, match="malformed JSON"):
            pull(store, client(url, retries=2), feed="sim", pseudonym_key=KEY)
        state = SourceState.load(store, "sim")
        assert state.consecutive_failures == 1 and state.cursor is None
        assert "malformed JSON" in state.last_error
        assert any("malformed JSON" in r["reason"] for r in quarantine_frame(store))
        pull(store, client(url), feed="sim", pseudonym_key=KEY)  # the fault is over
    state = SourceState.load(store, "sim")
    assert state.consecutive_failures == 0 and state.cursor is not None


def test_a_source_that_is_down_counts_failures(store):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"
    for _ in range(2):
        with pytest.raises(FetchError, match="after 2 attempts"):
            pull(store, client(url, retries=1), feed="down", pseudonym_key=KEY)
    state = SourceState.load(store, "down")
    assert state.consecutive_failures == 2 and state.last_success is None


def test_retry_waits_grow_exponentially(tickets):
    waits = []
    sim = Simulator(tickets, SimClock(datetime(2024, 1, 10), speed=0), Faults(http_500=3))
    with serving(sim) as url:
        Client(url, backoff=0.5, sleep=waits.append).get("requests.json", {})
    assert waits == [0.5, 1.0, 2.0]

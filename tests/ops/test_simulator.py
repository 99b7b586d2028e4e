from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from smartindex.ops.simulator import Faults, SimClock, Simulator, Tickets, serving

DATA = Path(__file__).resolve().parents[2] / "data" / "raw" / "complaints_2024.csv.gz"


@pytest.fixture(scope="module")
def tickets():
    frame = pd.read_csv(DATA, dtype=str, keep_default_na=False, na_values=[""], nrows=300)
    return Tickets(frame.dropna(subset=["ticket_id"]).drop_duplicates("ticket_id"))


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, json.loads(r.read()), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read()), dict(exc.headers)


def test_services_and_requests_follow_the_spec(tickets):
    sim = Simulator(tickets, SimClock(datetime(2024, 1, 10), speed=0))
    with serving(sim) as url:
        status, services, headers = get(f"{url}/services.json")
        assert status == 200 and {"service_code", "service_name", "metadata", "type"} <= set(
            services[0]
        )
        assert headers["X-Smartindex-Clock"] == "2024-01-10T00:00:00+07:00"
        status, reqs, _ = get(f"{url}/requests.json?start_date=2024-01-01T00:00:00%2B07:00")
        assert status == 200 and reqs
        first = reqs[0]
        for field in (
            "service_request_id",
            "status",
            "service_code",
            "requested_datetime",
            "updated_datetime",
            "lat",
            "long",
            "agency_responsible",
        ):
            assert field in first
        assert first["status"] in ("open", "closed")
        assert all(r["requested_datetime"] < "2024-01-10" for r in reqs)
        one = get(f"{url}/requests/{first['service_request_id']}.json")[1]
        assert one[0]["service_request_id"] == first["service_request_id"]


def test_events_appear_when_the_simulated_clock_passes_them(tickets):
    frozen = SimClock(datetime(2024, 1, 1, 9, 0), speed=0)
    sim = Simulator(tickets, frozen)
    before = sim.requests({"updated_after": ["2023-12-31T00:00:00+07:00"]}, frozen.now())
    later = sim.requests(
        {"updated_after": ["2023-12-31T00:00:00+07:00"]}, frozen.now() + timedelta(days=3)
    )
    assert len(before) < len(later)
    for r in before:
        assert all(n["datetime"] <= "2024-01-01T09:00:00+07:00" for n in r["notes"])


def test_accelerated_clock():
    clock = SimClock(datetime(2024, 1, 1), speed=86400)
    assert clock.now() - datetime(2024, 1, 1) < timedelta(days=1)
    assert clock.wall_at(datetime(2024, 1, 2)) == pytest.approx(clock.wall0 + 1)


def test_paging_is_stable_and_complete(tickets):
    sim = Simulator(tickets, SimClock(datetime(2024, 3, 1), speed=0))
    query = {"updated_after": ["2023-12-31T00:00:00+07:00"], "page_size": ["40"]}
    pages = [sim.requests({**query, "page": [str(p)]}, sim.clock.now()) for p in range(1, 10)]
    ids = [r["service_request_id"] for page in pages for r in page]
    assert (
        len(ids)
        == len(set(ids))
        == len(
            sim.requests(
                {"updated_after": ["2023-12-31T00:00:00+07:00"], "page_size": ["5000"]},
                sim.clock.now(),
            )
        )
    )


@pytest.mark.parametrize(
    ("path", "code", "text"),
    [
        ("/requests/NOPE.json", 404, "not found"),
        ("/requests.json?start_date=yesterday", 400, "not a W3C datetime"),
        ("/requests.json?start_date=2024-01-01T00:00:00", 400, "needs its UTC offset"),
        ("/requests.json?page_size=0", 400, "page_size"),
        ("/nothing.json", 404, "no such resource"),
    ],
)
def test_errors_use_the_spec_body(tickets, path, code, text):
    sim = Simulator(tickets, SimClock(datetime(2024, 3, 1), speed=0))
    with serving(sim) as url:
        status, body, _ = get(url + path)
    assert status == code
    assert body[0]["code"] == code and text in body[0]["description"]


def test_fault_injection_fails_the_next_requests(tickets):
    sim = Simulator(
        tickets, SimClock(datetime(2024, 3, 1), speed=0), Faults(http_500=1, http_429=1)
    )
    with serving(sim) as url:
        assert get(f"{url}/requests.json")[0] == 500
        status, _body, headers = get(f"{url}/requests.json")
        assert status == 429 and headers["Retry-After"] == "0"
        assert get(f"{url}/requests.json")[0] == 200

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import Counter
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from smartindex.ops.alerts import Outbox, Scheduler, Task, Webhook, evaluate, run_alerts
from smartindex.ops.client import SourceState

NOW = datetime(2024, 5, 8, 12, 0)


class Receiver:
    """A webhook receiver on 127.0.0.1 that records every POST (and can be switched off)."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        self.keys: list[str] = []
        self.accept = True
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if outer.accept:
                    outer.bodies.append(body)
                    outer.keys.append(self.headers["Idempotency-Key"])
                self.send_response(200 if outer.accept else 503)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/alerts"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def breached(store, put, req):
    # received Friday 10:00, never dispatched: at NOW the 6-hour coordination is 116 h late
    put(store, req("T1", agency="DLH", kelurahan_code="1671040004"))
    SourceState("sim", clock="2024-05-08T12:00:00+07:00").save(store)  # the source clock
    return store


def test_alerts_name_agency_kelurahan_ticket_stage_and_lateness(breached):
    alerts = {a.alert_id: a for a in evaluate(breached, NOW)}
    a = alerts["T1|jakarta_coordination|breached"]
    assert (a.agency, a.kelurahan_code, a.ticket_code, a.stage) == (
        "DLH",
        "1671040004",
        "C-T1",
        "jakarta_coordination",
    )
    assert a.late_hours == pytest.approx(116)
    assert "116.0 h past due" in a.message and "DLH" in a.message
    assert alerts["T1|lapor_verify_forward|at_risk"].elapsed_share == pytest.approx(0.891)


def test_a_forced_breach_arrives_once_even_after_a_restart(breached, receiver, tmp_path):
    first = run_alerts(breached, NOW, [Webhook(receiver.url)])
    assert first.raised == first.delivered == len(receiver.bodies) >= 2
    assert "T1|jakarta_coordination|breached" in receiver.keys
    assert run_alerts(breached, NOW, [Webhook(receiver.url)]).raised == 0
    # a new process (the CLI) evaluates again at the source clock: nothing is sent twice
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "smartindex.cli",
            "ops",
            "alerts",
            "--store",
            str(breached.root),
            "--webhook",
            receiver.url,
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0 new alerts, 0 delivered, 0 failed"
    assert max(Counter(receiver.keys).values()) == 1
    assert len(Outbox(breached).alerts()) == first.raised


def test_a_receiver_that_is_down_gets_the_alerts_later(breached, receiver):
    receiver.accept = False
    down = run_alerts(breached, NOW, [Webhook(receiver.url)])
    assert down.raised >= 2 and down.delivered == 0 and down.failed == 1
    receiver.accept = True
    up = run_alerts(breached, NOW, [Webhook(receiver.url)])
    assert up.raised == 0 and up.delivered == down.raised
    assert sorted(receiver.keys) == sorted(a["alert_id"] for a in Outbox(breached).alerts())


def test_outbox_is_a_table(breached):
    run_alerts(breached, NOW)
    frame = Outbox(breached).frame()
    assert {"alert_id", "rule", "agency", "kelurahan_code", "late_hours"} <= set(frame.columns)


def test_scheduler_runs_tasks_at_their_interval_and_survives_errors():
    ran, errors = [], []

    def boom():
        raise RuntimeError("x")

    tasks = [
        Task("a", 0.0, lambda: ran.append("a")),
        Task("b", 60.0, lambda: ran.append("b")),
        Task("c", 0.0, boom),
    ]
    Scheduler(tasks, on_error=lambda name, exc: errors.append(name)).run(cycles=3)
    assert ran.count("a") == 3 and ran.count("b") == 1 and errors == ["c"] * 3

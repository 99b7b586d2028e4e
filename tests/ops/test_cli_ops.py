from __future__ import annotations

import socket

import pytest

from smartindex.cli import _ops_job, build_parser, main
from smartindex.ops.sla import load_sla
from smartindex.ops.store import open_store, pin
from smartindex.warehouse import connect

COMPLAINTS = (
    "ticket_id,ticket_code,channel,category,description,kelurahan_code,kecamatan_code,lat,lon,"
    "agency,status_raw,status,reporter_id,reporter_name,reporter_phone,created_at,verified_at,"
    "dispatched_at,first_response_at,resolved_at,closed_at,reopen_count,rating,source,"
    "is_synthetic\n"
    "K1,C1,lapor,sampah,d,1671040004,1671040,-2.95,104.75,DLH,open,verified,R1,Ani,0812,"
    "2024-05-03 10:00:00,2024-05-03 11:00:00,,,,,0,,s,true\n"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_ingest_without_a_source_is_a_usage_error(tmp_path, capsys):
    assert main(["ops", "ingest", "--store", str(tmp_path / "ops")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--url" in err[0]


def test_a_source_that_is_down_is_one_line_and_exit_1(tmp_path, capsys):
    url = f"http://127.0.0.1:{free_port()}"
    code = main(["ops", "ingest", "--store", str(tmp_path / "ops"), "--url", url, "--retries", "0"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and err[0].startswith("smartindex ops: error:")
    assert main(["ops", "status", "--store", str(tmp_path / "ops")]) == 0
    assert "1 consecutive failures" in capsys.readouterr().out


def test_inbox_ingest_then_status(tmp_path, capsys):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "c.csv").write_text(COMPLAINTS)
    store = str(tmp_path / "ops")
    assert main(["ops", "ingest", "--store", store, "--inbox", str(inbox)]) == 0
    assert capsys.readouterr().out.startswith("1 records, 3 events, 0 quarantined")
    assert main(["ops", "compact", "--store", store]) == 0
    assert main(["ops", "status", "--store", store]) == 0
    assert "open 1" in capsys.readouterr().out


def test_simulate_serves_for_the_given_duration(tmp_path, capsys):
    data = tmp_path / "c.csv"
    data.write_text(COMPLAINTS)
    port = free_port()
    code = main(
        [
            "ops",
            "simulate",
            "--data",
            str(data),
            "--port",
            str(port),
            "--duration",
            "0.2",
            "--start",
            "2024-05-04T00:00:00",
        ]
    )
    assert code == 0
    assert f"http://127.0.0.1:{port}/requests.json" in capsys.readouterr().out


def test_missing_simulator_data_is_one_line(tmp_path, capsys):
    code = main(["ops", "simulate", "--data", str(tmp_path / "none.csv"), "--duration", "0.1"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and "none.csv" in err[0]


def test_ops_commands_count_on_the_city_s_week(tmp_path, capsys, six_day_profile):
    """``--city`` gives the SLA table the profile's working week: compaction writes the
    refresh files of that week, and the national ones without it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "c.csv").write_text(COMPLAINTS)
    profile = six_day_profile(tmp_path / "profile.toml", "1375", "Kota Bukittinggi")
    six, national = load_sla(week=(((480, 840),),) * 6 + ((),)), load_sla()
    store = str(tmp_path / "ops")
    common = ["--store", store, "--db", str(tmp_path / "none.duckdb")]
    assert main(["ops", "ingest", *common, "--inbox", str(inbox)]) == 0
    assert main(["ops", "compact", *common, "--city", str(profile)]) == 0
    assert pin(open_store(store), six).outcomes is not None
    assert pin(open_store(store), national).outcomes is None
    assert main(["ops", "status", *common, "--city", str(profile)]) == 0
    assert "open 1" in capsys.readouterr().out
    assert main(["ops", "compact", *common, "--city", "palembang"]) == 0
    assert pin(open_store(store), national).outcomes is not None
    # the follower (`ops ingest --follow`, and `ops demo` that `smartindex demo` starts)
    args = build_parser().parse_args(["ops", "demo", *common, "--city", str(profile)])
    assert _ops_job(args).sla == six


def test_kpis_prints_the_city_s_live_complaint_indicators(tmp_path, capsys, scored_warehouse):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "c.csv").write_text(COMPLAINTS)
    store = str(tmp_path / "ops")
    assert main(["ops", "ingest", "--store", store, "--inbox", str(inbox)]) == 0
    capsys.readouterr()
    assert main(["ops", "kpis", "--store", store, "--db", str(scored_warehouse)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["code", "year", "value", "n_obs"]
    rows = {line.split()[0]: line.split()[1:] for line in out[1:]}
    # the one ticket's reporter, per 1 000 residents of the city (not a peer's value)
    with connect(scored_warehouse, read_only=True) as con:
        population = con.execute(
            "select population from population where kode_wilayah = '1671' and year = 2024"
        ).fetchall()[0][0]
    year, value, n_obs = rows["PEO_CIVIC_REPORTERS"]
    assert (year, n_obs) == ("2024", "1")
    assert float(value) == pytest.approx(1000 / population, abs=5e-7)
    assert {r[0] for r in rows.values()} == {"2024"}  # the live tickets' year only

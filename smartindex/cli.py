"""The ``smartindex`` command line: each subcommand is one call into the public API.

Exit status: 0 success, 1 a data or file error (one line on stderr), 2 a usage error.
Heavy libraries (Great Expectations, SciPy, typst, Streamlit) are imported only by the
subcommand that needs them, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from smartindex.cities.settings import CityNotFoundError
from smartindex.config import DEFAULT_DB, DEFAULT_RAW, DEFAULT_REPORTS, Settings, cities_dir
from smartindex.errors import DataFileError, SmartIndexError

EPILOG = "Exit status: 0 success, 1 data or file error, 2 usage error."


def _years(text: str) -> tuple[int, int]:
    try:
        first, _, last = text.partition("-")
        span = (int(first), int(last or first))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YEAR or FIRST-LAST, got {text!r}") from None
    if span[0] > span[1]:
        raise argparse.ArgumentTypeError(f"first year after last year in {text!r}")
    return span


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text}")
    return value


def _count(text: str) -> int:
    """A whole number >= 0 (Monte Carlo runs and the like)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return value


def _port(text: str) -> int:
    value = _count(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a TCP port 1-65535, got {text}")
    return value


def _os_error(exc: OSError) -> str:
    """``path: reason`` of an OS error (the path when the error names one)."""
    reason = exc.strerror or str(exc)
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    return ": ".join([*paths, reason])


def _settings(args: argparse.Namespace) -> Settings:
    """Settings of the command: paths from the arguments and the environment, and the city of
    ``--city`` when the command takes one (see :func:`_city_settings`)."""
    base = Settings.from_env(db_path=getattr(args, "db", None), raw_dir=getattr(args, "raw", None))
    return _city_settings(args, base) if hasattr(args, "city") else base


def _city_settings(args: argparse.Namespace, base: Settings) -> Settings:
    """``base`` with the city of ``--city`` (a slug under data/cities, a BPS code, a
    profile.toml or a workspace folder). Without ``--city``: for ``etl`` the home city of the
    raw region.csv; else the only city the warehouse holds (several: a usage error listing
    them), else the only profile. Only ``etl`` may name a city the warehouse does not
    hold yet (it adds it: one schema per city)."""
    from smartindex.cities import load_city, settings_for
    from smartindex.scoring.results import stored_cities

    held, home = stored_cities(base.db_path), None
    if args.command == "etl" and not args.city:  # the files say their city
        from smartindex.etl.run import raw_home_city

        home = raw_home_city(base.raw_dir)
    if home is None and not args.city:
        if len(held) > 1:
            raise CityNotFoundError(
                f"give --city: {base.db_path} holds {len(held)} cities: {_city_labels(held)}"
            )
        home = held[0] if held else None
    profile = load_city(args.city, home_code=home, cities_dir=cities_dir())
    if held and profile.bps_code not in held and args.command != "etl":
        raise DataFileError(
            base.db_path,
            f"the warehouse holds no data of {profile.name_id} ({profile.bps_code}), only of "
            f"{_city_labels(held)}; load it with `smartindex etl "
            f"--city {args.city or profile.slug}` or give another --db",
        )
    return settings_for(profile, base)


def _city_labels(codes: list[str]) -> str:
    """``3273 (bandung), 3578``: city codes with the slug of their profile, where there is one."""
    from smartindex.cities.settings import profiles_by_code

    slugs = profiles_by_code(cities_dir())
    return ", ".join(f"{c} ({slugs[c]})" if c in slugs else c for c in codes)


def _zone(settings: Settings) -> tzinfo:
    """The city's time zone (the profile's ``[city] timezone``)."""
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.timezone)


# ---------------------------------------------------------------- subcommands


def cmd_sample(args: argparse.Namespace) -> int:
    from smartindex.sample import write_sample

    files = write_sample(args.out, scale=args.scale, seed=args.seed, years=args.years)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


def cmd_etl(args: argparse.Namespace) -> int:
    from smartindex.etl import run_etl

    report = run_etl(_settings(args), raw_dir=args.raw, progress=True if args.progress else None)
    print(report.summary_table())
    for line in report.errors:
        print(line, file=sys.stderr)
    return 0 if report.ok else 1


def cmd_score(args: argparse.Namespace) -> int:
    from smartindex.scoring import compute_scores

    run = compute_scores(
        _settings(args),
        method_path=args.method,
        uncertainty_runs=args.runs,
        seed=args.seed,
        progress=sys.stderr.isatty(),
    )
    print(run.summary())
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from smartindex.engine.evaluate import run_evaluation

    options = {
        "uncertainty": args.uncertainty,
        "n": args.runs,
        "seed": args.seed,
        "diagnostic": args.diagnostic or None,
        "group_by": tuple(args.group_ranks or ()),
        "leave_one_out": args.leave_one_out,
        "optimise": args.optimise_weights,
        "optimise_level": args.optimise_level,
    }
    output = run_evaluation(
        args.framework, args.data, args.out, method_path=args.method, options=options
    )
    print(f"wrote {len(output.files)} files to {output.out_dir}")
    return 0


def cmd_recommend(args: argparse.Namespace) -> int:
    from smartindex.analysis.recommend import recommend
    from smartindex.display.status import format_recommendations
    from smartindex.scoring.results import load_results

    settings = _settings(args)
    results = load_results(settings.db_path, city=settings.city_code)
    year = args.year or results.latest_year
    recs = recommend(results, year=year, lang=args.lang)
    print(format_recommendations(recs, args.format, args.lang))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from smartindex.report import build_report
    from smartindex.scoring.results import load_results

    settings = _settings(args)
    results = load_results(settings.db_path, city=settings.city_code)
    year = args.year or results.latest_year
    langs = ("id", "en") if args.lang == "both" else (args.lang,)
    for lang in langs:
        path = build_report(
            results,
            year=year,
            lang=lang,
            out_dir=args.out,
            city_slug=settings.city_slug,
        )
        print(path)
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    app = Path(__file__).resolve().parent.parent / "app.py"
    if not app.exists():
        raise SmartIndexError(f"{app}: app.py not found; run from a source checkout")
    try:  # the city shown first, with its profile (zone and working week, for the pages)
        settings = _settings(args)
    except CityNotFoundError:  # several cities and no --city: the app offers them all
        if args.city:
            raise
        settings = Settings.from_env(db_path=args.db)
    env = {**os.environ, "SMARTINDEX_DB": str(Path(args.db).resolve())}
    if settings.profile_path is not None:  # the city's zone and working week, for the pages
        env["SMARTINDEX_PROFILE"] = str(Path(settings.profile_path).resolve())
    if settings.city_code is not None:  # the city shown first when the warehouse holds several
        env["SMARTINDEX_CITY"] = settings.city_code
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(args.port),
        "--server.address",
        args.host,
        "--browser.gatherUsageStats",
        "false",
        "--server.headless",
        "true",
    ]
    print(f"serving the app on http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    return subprocess.call(command, cwd=app.parent, env=env)


def cmd_demo(args: argparse.Namespace) -> int:
    raw = Path(args.raw)
    if not any(raw.glob("*.csv")):
        args.out, args.scale, args.seed, args.years = raw, 1.0, 2026, (2016, 2025)
        cmd_sample(args)
    args.progress, args.method, args.runs, args.seed = False, None, 200, 2026
    status = cmd_etl(args)
    if status:
        print("demo: some files failed to load (see above); scoring what loaded", file=sys.stderr)
    cmd_score(args)
    args.year, args.lang, args.out = None, "both", Path(DEFAULT_REPORTS)
    cmd_report(args)
    if not args.serve:
        return 0
    live = _start_live_demo(args)  # the Operations page's simulator and follower
    try:
        return cmd_app(args)
    finally:
        if live is not None:
            live.terminate()
            live.wait(timeout=15)


def cmd_init(args: argparse.Namespace) -> int:
    from smartindex.workspace import init_workspace

    files = init_workspace(args.dir, args.code, args.name, force=args.force)
    print(
        f"wrote {len(files)} files to {args.dir}; next: fill profile.toml, then "
        f"smartindex check {args.dir}"
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from smartindex.workspace import check_workspace, format_report

    report = check_workspace(args.dir)
    print(format_report(report))
    problems = [*report.problems, *(report.warnings if args.strict else ())]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 0 if not problems else 1


# ---------------------------------------------------------------- ops (live operations)


def _ops_store(args: argparse.Namespace, settings: Settings) -> Path:
    """``--store``, else the store of the command's city next to the warehouse."""
    from smartindex.ops import default_store

    if args.store:
        return Path(args.store)
    return default_store(Path(args.db), settings.city_code)  # one store per city


def _ops_sla(settings: Settings) -> Any:
    """The shipped SLA table counted on the city's working week (``Settings.work_week``), as
    the annual KPIs are."""
    from smartindex.ops import load_sla

    return load_sla(week=settings.work_week)


def _ops_job(args: argparse.Namespace, settings: Settings | None = None) -> Any:
    from smartindex.ops import Client, Follow

    settings = settings or _settings(args)
    return Follow(
        pseudonym_key=settings.pseudonym_key,
        tz=_zone(settings),
        sla=_ops_sla(settings),
        url=args.url,
        inbox=args.inbox,
        feed=args.feed,
        every=args.every,
        webhook=args.webhook,
        client=Client(args.url, retries=args.retries) if args.url else None,
    )


def cmd_ops_simulate(args: argparse.Namespace) -> int:
    from smartindex.ops.run import simulated_source

    zone = _zone(_settings(args))
    with simulated_source(
        args.data, speed=args.speed, start=args.start, port=args.port, tz=zone
    ) as (url, sim):
        clock = f"{sim.clock.now():%Y-%m-%d %H:%M}"
        print(
            f"GeoReport v2 simulator on {url}/requests.json (clock {clock}, "
            f"x{args.speed:g}; Ctrl+C to stop)",
            flush=True,
        )
        stop = threading.Event()
        stop.wait(args.duration)
    return 0


def cmd_ops_ingest(args: argparse.Namespace) -> int:
    from smartindex.ops import follow, ingest_once, open_store
    from smartindex.ops.store import ingest_lock

    if not (args.url or args.inbox):  # a usage error: exit status 2
        print(
            "smartindex ops ingest: error: give --url (a GeoReport v2 endpoint) and/or "
            "--inbox (a folder)",
            file=sys.stderr,
        )
        return 2
    settings = _settings(args)
    store, job = open_store(_ops_store(args, settings)), _ops_job(args, settings)
    if args.follow:
        print(f"following every {args.every:g} s into {store.root} (Ctrl+C to stop)", flush=True)
        follow(store, job, log=lambda line: print(line, file=sys.stderr, flush=True))
        return 0
    with ingest_lock(store):
        done = ingest_once(store, job)
    print(
        f"{done.records} records, {done.events} events, {done.rejected} quarantined, "
        f"{done.batches} batches -> {store.root}"
    )
    return 0


def cmd_ops_compact(args: argparse.Namespace) -> int:
    from smartindex.ops import compact, open_store
    from smartindex.ops.store import ingest_lock

    settings = _settings(args)
    store, sla = open_store(_ops_store(args, settings)), _ops_sla(settings)
    with ingest_lock(store):
        done = compact(store, sla)
    print(f"compacted {done.batches} batches: {done.tickets} tickets, {done.events} events")
    return 0


def cmd_ops_status(args: argparse.Namespace) -> int:
    from smartindex.ops import open_store, snapshot

    settings = _settings(args)
    zone = _zone(settings)
    snap = snapshot(open_store(_ops_store(args, settings)), sla=_ops_sla(settings), tz=zone)
    print(
        f"clock {snap.now:%Y-%m-%d %H:%M} {snap.now.replace(tzinfo=zone):%Z}  "
        + "  ".join(f"{k} {v}" for k, v in snap.totals.items())
    )
    for row in snap.sources.to_dict("records"):
        print(
            f"source {row['name']}: last successful pull {row['last_success'] or 'never'}, "
            f"{row['consecutive_failures']} consecutive failures"
            + (f" ({row['last_error']})" if row["last_error"] else "")
        )
    return 0


def cmd_ops_alerts(args: argparse.Namespace) -> int:
    from smartindex.ops import Webhook, open_store, run_alerts
    from smartindex.ops.run import alert_now

    settings = _settings(args)
    store = open_store(_ops_store(args, settings))
    zone = _zone(settings)
    channels = [Webhook(args.webhook)] if args.webhook else []
    done = run_alerts(store, alert_now(store, zone), channels, _ops_sla(settings), zone)
    print(f"{done.raised} new alerts, {done.delivered} delivered, {done.failed} failed")
    return 0


def cmd_ops_kpis(args: argparse.Namespace) -> int:
    from smartindex.ops import measure_live, open_store

    settings = _settings(args)
    store = open_store(_ops_store(args, settings))
    frame = measure_live(store, Path(args.db), week=settings.work_week, city=settings.city_code)
    own = (frame["area_code"] == settings.city_code) & ~frame["is_reported"].astype(bool)
    city = frame[own]  # the city's own figures from the live tickets, not the peers' values
    if city.empty:
        print("no complaint indicator has a value on the live tickets yet")
        return 0
    print(city[["code", "year", "value", "n_obs"]].to_string(index=False))
    return 0


def cmd_ops_demo(args: argparse.Namespace) -> int:
    from smartindex.ops import follow
    from smartindex.ops.run import demo_store, simulated_source

    parent, stop, settings = os.getppid(), threading.Event(), _settings(args)
    store = demo_store(_ops_store(args, settings))

    def watch_parent() -> None:  # bounded: stop when the app (our parent) is gone
        while not stop.wait(2.0):
            if os.getppid() != parent:
                stop.set()

    threading.Thread(target=watch_parent, daemon=True).start()
    with simulated_source(args.data, speed=args.speed, start=None, tz=_zone(settings)) as (
        url,
        _,
    ):
        args.url, args.inbox = url, None
        print(f"live demo: simulator {url}, store {store.root}", flush=True)
        follow(
            store,
            _ops_job(args, settings),
            stop=stop,
            log=lambda line: print(line, file=sys.stderr, flush=True),
        )
    return 0


def cmd_ops(args: argparse.Namespace) -> int:
    return int(args.ops_func(args))


def _start_live_demo(args: argparse.Namespace) -> subprocess.Popen[bytes] | None:
    """Start ``ops demo`` (simulator + follower) next to the app; None without ticket files."""
    files = sorted(Path(args.raw).glob("complaints_*.csv*"))
    if not files:
        return None
    command = [
        sys.executable,
        "-m",
        "smartindex.cli",
        "ops",
        "demo",
        "--db",
        str(args.db),
        "--data",
        str(files[-1]),
        *(["--city", str(args.city)] if args.city else []),
    ]
    return subprocess.Popen(command)


# ---------------------------------------------------------------- parser


def _add(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    func: Callable[[argparse.Namespace], int],
    summary: str,
    example: str,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"Example:\n  {example}\n\n{EPILOG}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=func)
    return parser


def _city(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--city",
        default=None,
        help="the city: a slug of data/cities/<slug>/profile.toml, its BPS code, a "
        "profile.toml or a workspace folder (default: the only city the warehouse holds, "
        "else the only profile; a warehouse holding several cities needs it)",
    )


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})"
    )


def _with_ops(parser: argparse.ArgumentParser, sub: Any) -> argparse.ArgumentParser:
    """``parser`` with the ``ops`` command group (live operations) added to ``sub``."""
    p = _add(
        sub,
        "ops",
        cmd_ops,
        "Live operations: a GeoReport v2 simulator, ingestion, compaction, status, "
        "alerts and the live complaint KPIs.",
        "smartindex ops ingest --url http://127.0.0.1:8311 --follow",
    )
    ops = p.add_subparsers(dest="ops_command", required=True, metavar="OPS_COMMAND")

    def ops_command(
        name: str, func: Callable[[argparse.Namespace], int], summary: str, example: str
    ) -> argparse.ArgumentParser:
        q: argparse.ArgumentParser = _add(ops, name, cmd_ops, summary, example)
        q.set_defaults(ops_func=func)
        q.add_argument(
            "--store",
            type=Path,
            default=None,
            help="live store folder (default: 'ops' next to the warehouse)",
        )
        _db(q)
        _city(q)
        return q

    complaints = sorted(DEFAULT_RAW.glob("complaints_*.csv*"))[-1:] or [
        DEFAULT_RAW / "complaints_2025.csv.gz"
    ]
    q = ops_command(
        "simulate",
        cmd_ops_simulate,
        "Serve complaint tickets as a GeoReport v2 endpoint on 127.0.0.1 in accelerated time.",
        "smartindex ops simulate --data data/raw/complaints_2025.csv.gz --port 8311",
    )
    q.add_argument(
        "--data",
        type=Path,
        nargs="+",
        default=complaints,
        help="complaint CSV files (default: the latest bundled year)",
    )
    q.add_argument(
        "--speed",
        type=_positive,
        default=1440.0,
        help="simulated seconds per second (default: 1440 = one day per minute)",
    )
    q.add_argument(
        "--start",
        type=datetime.fromisoformat,
        default=None,
        help="simulated start time, local (default: 30 days after the first ticket)",
    )
    q.add_argument("--port", type=_port, default=8311)
    q.add_argument(
        "--duration",
        type=_positive,
        default=None,
        help="stop after this many seconds (default: run until Ctrl+C)",
    )

    def ingest_options(q: argparse.ArgumentParser) -> None:
        q.add_argument("--url", default=None, help="GeoReport v2 base URL")
        q.add_argument(
            "--inbox",
            type=Path,
            default=None,
            help="folder of dropped files (GeoReport JSON, bulk CSV, complaint CSV)",
        )
        q.add_argument(
            "--feed", default="georeport", help="name of the source (default: %(default)s)"
        )
        q.add_argument(
            "--every",
            type=_positive,
            default=10.0,
            help="seconds between pulls with --follow (default: 10)",
        )
        q.add_argument("--webhook", default=None, help="POST alerts to this URL")
        q.add_argument(
            "--retries",
            type=_count,
            default=4,
            help="retries of a failed request, with back-off 0.5 s x 2^n (default: 4)",
        )

    q = ops_command(
        "ingest",
        cmd_ops_ingest,
        "Pull ticket updates (and dropped files) into the live store, once or with --follow.",
        "smartindex ops ingest --url http://127.0.0.1:8311 --follow --every 10",
    )
    ingest_options(q)
    q.add_argument(
        "--follow", action="store_true", help="keep pulling; also raise alerts and compact"
    )
    ops_command(
        "compact",
        cmd_ops_compact,
        "Fold the store's batches into one state file.",
        "smartindex ops compact --store data/ops",
    )
    ops_command(
        "status",
        cmd_ops_status,
        "Print the backlog totals and each source's state.",
        "smartindex ops status",
    )
    q = ops_command(
        "alerts",
        cmd_ops_alerts,
        "Raise due alerts into the outbox and deliver pending ones.",
        "smartindex ops alerts --webhook http://127.0.0.1:9000/alerts",
    )
    q.add_argument("--webhook", default=None, help="POST alerts to this URL")
    ops_command(
        "kpis",
        cmd_ops_kpis,
        "The catalogue's complaint indicators measured on the live tickets.",
        "smartindex ops kpis --db data/warehouse.duckdb",
    )
    q = ops_command(
        "demo",
        cmd_ops_demo,
        "Simulator and follower together (what `smartindex demo` starts).",
        "smartindex ops demo --data data/raw/complaints_2025.csv.gz",
    )
    ingest_options(q)
    q.add_argument("--data", type=Path, nargs="+", default=complaints)
    q.add_argument("--speed", type=_positive, default=1440.0)
    return parser


def _evaluate_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``evaluate`` subcommand (bring your own framework; COINr iMeta/iData accepted)."""
    p = _add(
        sub,
        "evaluate",
        cmd_evaluate,
        "Build any composite index from a framework table and a "
        "data table (COINr iMeta/iData accepted as they are).",
        "smartindex evaluate --framework data/examples/asem/ASEM_iMeta.csv "
        "--data data/examples/asem/ASEM_iData.csv "
        "--method data/examples/methods/coinr_default.toml --out out/asem",
    )
    p.add_argument("--framework", type=Path, required=True, help="framework table (CSV/XLSX)")
    p.add_argument(
        "--data", type=Path, required=True, help="indicator data (CSV/XLSX, wide or long)"
    )
    p.add_argument(
        "--method",
        type=Path,
        default=None,
        help="method spec TOML (may hold [uncertainty] and [evaluate] sections)",
    )
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument(
        "--uncertainty",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="run the method's [uncertainty] section (default: when the method has one)",
    )
    p.add_argument("--runs", type=_count, default=None, help="uncertainty N (default: the spec's)")
    p.add_argument("--seed", type=int, default=None, help="uncertainty seed (default: the spec's)")
    p.add_argument(
        "--diagnostic",
        action="store_true",
        help="record every uncertainty replication's settings, weights and ranks",
    )
    p.add_argument(
        "--group-ranks",
        action="append",
        metavar="COLUMN",
        help="also rank within groups of COLUMN (e.g. GDPpc_group); repeatable",
    )
    p.add_argument(
        "--leave-one-out",
        type=int,
        default=None,
        metavar="LEVEL",
        help="remove each element of LEVEL in turn and report rank changes",
    )
    p.add_argument(
        "--optimise-weights",
        choices=["balance", "infomax"],
        default=None,
        help="optimised weights as COINr get_opt_weights",
    )
    p.add_argument(
        "--optimise-level",
        type=int,
        default=None,
        metavar="LEVEL",
        help="level whose weights are optimised (default: the one below the index)",
    )


def _city_code(text: str) -> str:
    """A city's 4-digit BPS code (``init --code``)."""
    if not (len(text) == 4 and text.isdigit()):
        raise argparse.ArgumentTypeError(f"a city's BPS code has 4 digits, e.g. 3273, got {text!r}")
    return text


def _workspace_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``init`` and ``check``: a new city's working folder (profile, templates, mappings)."""
    p = _add(
        sub,
        "init",
        cmd_init,
        "Scaffold a working folder for a new city: profile.toml to fill, one template and "
        "data dictionary per source, mapping stubs, raw/ and a README for the data officer.",
        'smartindex init kota-bandung --code 3273 --name "Kota Bandung"',
    )
    p.add_argument("dir", type=Path, help="the folder to create (must be empty)")
    p.add_argument(
        "--code", required=True, type=_city_code, help="the city's 4-digit BPS code, e.g. 3273"
    )
    p.add_argument("--name", required=True, help='the city\'s official name, e.g. "Kota Bandung"')
    p.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty folder (same names overwritten)",
    )
    p = _add(
        sub,
        "check",
        cmd_check,
        "Validate a working folder (profile, mappings, files) before anything is loaded and "
        "list which indicators it can compute and which sources would enable the others.",
        "smartindex check kota-bandung",
    )
    p.add_argument("dir", type=Path, help="the working folder (written by smartindex init)")
    p.add_argument(
        "--strict", action="store_true", help="also fail (exit 1) on warnings such as rejected rows"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``smartindex`` command."""
    parser = argparse.ArgumentParser(
        prog="smartindex",
        epilog=EPILOG,
        description="Smart-city scorecards, evaluations and annual reports "
        "(Giffinger's six dimensions) from a city's raw data.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _add(
        sub,
        "sample",
        cmd_sample,
        "Write the deterministic sample data set (the bundled city).",
        "smartindex sample --out data/raw --scale 1.0 --seed 2026 --years 2016-2025",
    )
    p.add_argument(
        "--out", type=Path, default=DEFAULT_RAW, help="output folder (default: %(default)s)"
    )
    p.add_argument("--scale", type=_positive, default=1.0, help="volume multiplier (default: 1.0)")
    p.add_argument("--seed", type=int, default=2026, help="random seed (default: 2026)")
    p.add_argument(
        "--years", type=_years, default=(2016, 2025), help="FIRST-LAST (default: 2016-2025)"
    )

    p = _add(
        sub,
        "etl",
        cmd_etl,
        "Validate raw files and load them into the DuckDB warehouse; "
        "invalid rows go to the quarantine table.",
        "smartindex etl --raw data/raw --db data/warehouse.duckdb",
    )
    p.add_argument(
        "--raw", type=Path, default=DEFAULT_RAW, help="raw data folder (default: %(default)s)"
    )
    p.add_argument(
        "--progress", action="store_true", help="force a progress bar even without a TTY"
    )
    _db(p)
    _city(p)

    p = _add(
        sub,
        "score",
        cmd_score,
        "Measure every indicator and write scores, ranks, audit and "
        "uncertainty results into the warehouse.",
        "smartindex score --db data/warehouse.duckdb --method my-method.toml",
    )
    p.add_argument(
        "--method",
        type=Path,
        default=None,
        help="method spec TOML (default: the profile's [method] file, else the packaged "
        "default.toml)",
    )
    p.add_argument(
        "--runs",
        type=_count,
        default=200,
        help="Monte Carlo runs for rank uncertainty, >= 0 (default: 200)",
    )
    p.add_argument("--seed", type=int, default=2026, help="random seed of the uncertainty analysis")
    _db(p)
    _city(p)

    _evaluate_parser(sub)

    p = _add(
        sub,
        "recommend",
        cmd_recommend,
        "Ranked policy recommendations with their evidence.",
        "smartindex recommend --year 2025 --lang en --format md",
    )
    p.add_argument("--year", type=int, default=None, help="year (default: latest with data)")
    p.add_argument("--lang", choices=["id", "en"], default="id")
    p.add_argument("--format", choices=["table", "json", "md"], default="table")
    _db(p)
    _city(p)

    p = _add(
        sub,
        "report",
        cmd_report,
        "Write the annual PDF report and print its path.",
        "smartindex report --year 2025 --city kota-bandung --lang id --out reports/",
    )
    p.add_argument("--year", type=int, default=None, help="year (default: latest with data)")
    p.add_argument("--lang", choices=["id", "en", "both"], default="id")
    p.add_argument(
        "--out", type=Path, default=DEFAULT_REPORTS, help="output folder (default: %(default)s)"
    )
    _db(p)
    _city(p)

    p = _add(
        sub,
        "app",
        cmd_app,
        "Serve the Streamlit dashboard on localhost.",
        "smartindex app --db data/warehouse.duckdb --port 8501",
    )
    p.add_argument("--port", type=_port, default=8501)
    p.add_argument("--host", default="127.0.0.1")
    _db(p)
    _city(p)

    p = _add(
        sub,
        "demo",
        cmd_demo,
        "The main job on the bundled data: ETL, scores, both PDF reports, then serve the app.",
        "smartindex demo --port 8501",
    )
    p.add_argument(
        "--raw", type=Path, default=DEFAULT_RAW, help="raw data folder (default: %(default)s)"
    )
    p.add_argument("--port", type=_port, default=8501)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument(
        "--no-serve", dest="serve", action="store_false", help="stop after writing the reports"
    )
    _db(p)
    _city(p)
    _workspace_parsers(sub)
    return _with_ops(parser, sub)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.func(args)
        return status
    except CityNotFoundError as exc:  # --city missing or unknown: a usage error
        print(f"smartindex {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except SmartIndexError as exc:
        print(f"smartindex {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # disk full, existing or unreadable paths ...: one line, no traceback
        print(f"smartindex {args.command}: error: {_os_error(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

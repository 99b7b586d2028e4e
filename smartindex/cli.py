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
from collections.abc import Callable, Sequence
from pathlib import Path

from smartindex.config import DEFAULT_DB, DEFAULT_RAW, DEFAULT_REPORTS, Settings
from smartindex.errors import SmartIndexError

CITY_SLUGS = {"palembang": "1671"}
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
    return Settings.from_env(db_path=getattr(args, "db", None), raw_dir=getattr(args, "raw", None))


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
    from smartindex.analysis.recommend import format_recommendations, recommend
    from smartindex.scoring.results import load_results

    results = load_results(_settings(args).db_path)
    year = args.year or results.latest_year
    recs = recommend(results, year=year, lang=args.lang)
    print(format_recommendations(recs, args.format, args.lang))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from smartindex.report import build_report
    from smartindex.scoring.results import load_results

    settings = _settings(args)
    results = load_results(settings.db_path, city=CITY_SLUGS[args.city])
    year = args.year or results.latest_year
    langs = ("id", "en") if args.lang == "both" else (args.lang,)
    for lang in langs:
        path = build_report(
            results,
            year=year,
            lang=lang,
            out_dir=args.out,
            city_slug=args.city,
        )
        print(path)
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    app = Path(__file__).resolve().parent.parent / "app.py"
    if not app.exists():
        raise SmartIndexError(f"{app}: app.py not found; run from a source checkout")
    env = {**os.environ, "SMARTINDEX_DB": str(Path(args.db).resolve())}
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
    args.year, args.city, args.lang, args.out = None, "palembang", "both", Path(DEFAULT_REPORTS)
    cmd_report(args)
    return cmd_app(args) if args.serve else 0


# ---------------------------------------------------------------- parser


def _add(
    sub: argparse._SubParsersAction,
    name: str,
    func: Callable[[argparse.Namespace], int],
    summary: str,
    example: str,
) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        name,
        help=summary,
        description=summary,
        epilog=f"Example:\n  {example}\n\n{EPILOG}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=func)
    return parser


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help=f"DuckDB warehouse file (default: {DEFAULT_DB})"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``smartindex`` command."""
    parser = argparse.ArgumentParser(
        prog="smartindex",
        epilog=EPILOG,
        description="Smart-city scorecards, evaluations and annual reports "
        "(Griffinger's six dimensions) from a city's raw data.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _add(
        sub,
        "sample",
        cmd_sample,
        "Write the deterministic Palembang sample data set.",
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
        help="method spec TOML (default: the packaged Palembang method)",
    )
    p.add_argument(
        "--runs", type=_count, default=200,
        help="Monte Carlo runs for rank uncertainty, >= 0 (default: 200)"
    )
    p.add_argument("--seed", type=int, default=2026, help="random seed of the uncertainty analysis")
    _db(p)

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

    p = _add(
        sub,
        "report",
        cmd_report,
        "Write the annual PDF report and print its path.",
        "smartindex report --year 2025 --lang id --out reports/",
    )
    p.add_argument("--year", type=int, default=None, help="year (default: latest with data)")
    p.add_argument("--city", choices=sorted(CITY_SLUGS), default="palembang")
    p.add_argument("--lang", choices=["id", "en", "both"], default="id")
    p.add_argument(
        "--out", type=Path, default=DEFAULT_REPORTS, help="output folder (default: %(default)s)"
    )
    _db(p)

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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
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

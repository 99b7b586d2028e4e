"""The command line: help, exit statuses and one-line errors (never a traceback)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from smartindex.cli import build_parser, main

COMMANDS = ["sample", "etl", "score", "evaluate", "recommend", "report", "app", "demo"]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smartindex.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help_with_an_example(command: str, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "Example:" in out and f"smartindex {command}" in out


@pytest.mark.parametrize("command", ["etl", "score", "recommend", "report", "app", "demo"])
def test_warehouse_commands_default_to_the_same_db(command: str) -> None:
    parser = build_parser()
    extra = ["--framework", "f", "--data", "d", "--out", "o"] if command == "evaluate" else []
    args = parser.parse_args([command, *extra])
    assert args.db == Path("data/warehouse.duckdb")


@pytest.mark.parametrize(
    "argv",
    [
        ["nonsense"],
        ["sample", "--years", "2020-2010"],
        ["sample", "--scale", "-1"],
        ["recommend", "--lang", "fr"],
        [],
    ],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_missing_warehouse_is_one_clear_line(tmp_path: Path) -> None:
    result = run_cli("score", "--db", str(tmp_path / "nope.duckdb"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "nope.duckdb" in lines[0] and "Traceback" not in result.stderr


def test_missing_framework_file_is_one_clear_line(tmp_path: Path) -> None:
    result = run_cli(
        "evaluate",
        "--framework",
        str(tmp_path / "f.csv"),
        "--data",
        str(tmp_path / "d.csv"),
        "--out",
        str(tmp_path / "out"),
    )
    assert result.returncode == 1
    assert "f.csv" in result.stderr and "Traceback" not in result.stderr


def test_cli_import_stays_light() -> None:
    code = (
        "import sys, smartindex.cli; heavy = [m for m in ('great_expectations', 'streamlit', "
        "'typst', 'scipy') if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_app_hands_the_city_profile_to_the_pages(scored_warehouse, monkeypatch) -> None:
    """``smartindex app`` passes the warehouse and the city's profile to Streamlit, so pages
    that need the city's zone or working week (Operations) read the same profile."""
    seen: dict[str, str] = {}

    def fake_call(command: list[str], cwd: object, env: dict[str, str]) -> int:
        seen.update(env)
        return 0

    monkeypatch.setattr("smartindex.cli.subprocess.call", fake_call)
    assert main(["app", "--db", str(scored_warehouse), "--city", "palembang"]) == 0
    assert seen["SMARTINDEX_DB"] == str(Path(scored_warehouse).resolve())
    assert Path(seen["SMARTINDEX_PROFILE"]).name == "profile.toml"
    assert Path(seen["SMARTINDEX_PROFILE"]).parent.name == "palembang"

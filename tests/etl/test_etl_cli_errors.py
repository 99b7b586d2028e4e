"""Issue 16 items 11 and 13 at the command line: OS errors (disk full, existing or wrong
paths) give one line naming the path and exit 1; ``etl --progress`` draws a bar on a pipe;
numeric arguments are validated.

The disk-full cases mount a small tmpfs and therefore run only as root (skipped otherwise).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PSEUDONYM_KEY, complaint, make_raw, write_csv

from smartindex.cli import main
from smartindex.config import Settings
from smartindex.etl import run_etl

ROOT = Path(__file__).resolve().parents[2]
ASEM = ROOT / "data" / "examples" / "asem"


def _one_line_error(err: str, *fragments: str) -> None:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "TransactionException" not in err
    for frag in fragments:
        assert frag in lines[0]


@pytest.fixture
def tmpfs() -> Iterator[Path]:
    """A 3 MB tmpfs (root only); unmounted afterwards."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mnt = Path(tempfile.mkdtemp(prefix="smartindex-full-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mnt)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        mnt.rmdir()
        pytest.skip(f"cannot mount a tmpfs: {done.stderr.decode().strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)
        mnt.rmdir()


def _fill(mnt: Path, leave: int) -> None:
    """Fill the file system until only ``leave`` bytes are free."""
    free = shutil.disk_usage(mnt).free
    (mnt / "filler").write_bytes(b"\0" * max(free - leave, 0))


def test_disk_full_while_copying_the_warehouse(tmp_path: Path, tmpfs: Path, capsys) -> None:
    """Was a 25-line ``OSError: [Errno 28]`` traceback."""
    raw = make_raw(tmp_path / "raw", full=False)
    db = tmpfs / "warehouse.duckdb"
    run_etl(Settings(db_path=db, raw_dir=raw, pseudonym_key=PSEUDONYM_KEY), progress=False)
    before = db.read_bytes()
    _fill(tmpfs, db.stat().st_size // 2)  # too little room for the copy
    write_csv(raw / "complaints_2025.csv", "complaints", [complaint(i) for i in range(50, 60)])
    assert main(["etl", "--raw", str(raw), "--db", str(db)]) == 1
    _one_line_error(
        capsys.readouterr().err, "smartindex etl: error:", str(tmpfs), "No space left on device"
    )
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmpfs.iterdir()) == [
        "filler",
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
    ]


def test_disk_full_during_a_load(tmp_path: Path, tmpfs: Path, capsys) -> None:
    """Was a traceback ending in 'cannot rollback - no transaction is active'."""
    raw = make_raw(tmp_path / "raw", full=False)
    write_csv(
        raw / "complaints_2024.csv",
        "complaints",
        [complaint(i, description="x" * 300 + str(i)) for i in range(1, 40_000)],
    )
    db = tmpfs / "warehouse.duckdb"
    assert main(["etl", "--raw", str(raw), "--db", str(db)]) == 1
    _one_line_error(
        capsys.readouterr().err, "smartindex etl: error:", str(tmpfs), "No space left on device"
    )
    assert not db.exists()
    assert sorted(p.name for p in tmpfs.iterdir()) == ["warehouse.duckdb.lock"]


def test_evaluate_out_naming_an_existing_file(tmp_path: Path, capsys) -> None:
    """Was a ``FileExistsError`` traceback."""
    out = tmp_path / "result.txt"
    out.write_text("keep me")
    code = main(
        [
            "evaluate",
            "--framework",
            str(ASEM / "ASEM_iMeta.csv"),
            "--data",
            str(ASEM / "ASEM_iData.csv"),
            "--out",
            str(out),
        ]
    )
    assert code == 1
    _one_line_error(capsys.readouterr().err, "smartindex evaluate: error:", str(out))
    assert out.read_text() == "keep me"


@pytest.mark.parametrize("kind", ["text file", "directory"])
def test_etl_db_naming_something_else(tmp_path: Path, capsys, kind: str) -> None:
    """``--db`` naming a text file was a DuckDB ``IOException`` traceback."""
    raw = make_raw(tmp_path / "raw", full=False)
    db = tmp_path / "notes.duckdb"
    if kind == "directory":
        db.mkdir()
    else:
        db.write_text("these are my notes\n")
    assert main(["etl", "--raw", str(raw), "--db", str(db)]) == 1
    _one_line_error(capsys.readouterr().err, "smartindex etl: error:", str(db))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["score", "--runs", "-5"], "must be >= 0, got -5"),
        (["score", "--runs", "2.5"], "expected a whole number"),
        (["sample", "--scale", "nan"], "must be a finite number > 0"),
        (["sample", "--scale", "inf"], "must be a finite number > 0"),
        (["app", "--port", "70000"], "TCP port"),
    ],
)
def test_numeric_arguments_are_validated(argv: list[str], message: str, capsys) -> None:
    """``score --runs -5`` exited 0 without an uncertainty table."""
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_progress_flag_forces_a_bar_on_a_pipe(tmp_path: Path, capsys) -> None:
    """Item 13: with stderr not a terminal, ``--progress`` showed no bar."""
    raw = make_raw(tmp_path / "raw", full=False)
    assert main(["etl", "--progress", "--raw", str(raw), "--db", str(tmp_path / "w.duckdb")]) == 0
    err = capsys.readouterr().err
    assert "etl: 100%" in err and "2/2" in err


def test_no_bar_on_a_pipe_without_the_flag(tmp_path: Path, capsys) -> None:
    raw = make_raw(tmp_path / "raw", full=False)
    assert main(["etl", "--raw", str(raw), "--db", str(tmp_path / "w.duckdb")]) == 0
    assert "etl:" not in capsys.readouterr().err

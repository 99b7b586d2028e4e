"""``smartindex init`` and ``smartindex check`` at the command line: exit 0 ok, 1 a data or
file problem (one line each on stderr), 2 usage; ``--help`` shows an example."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smartindex.cli import main

BUKITTINGGI = Path(__file__).resolve().parents[1] / "fixtures" / "cities" / "bukittinggi"


def _lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


def test_init_then_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "bandung"
    assert main(["init", str(folder), "--code", "3273", "--name", "Kota Bandung"]) == 0
    assert f"to {folder}" in capsys.readouterr().out
    assert main(["check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "indicators: 0 of" in out and out.rstrip().endswith(": valid")


def test_init_refuses_a_non_empty_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    assert main(["init", str(tmp_path), "--code", "3273", "--name", "Kota Bandung"]) == 1
    [line] = _lines(capsys.readouterr().err)
    assert line == (
        f"smartindex init: error: {tmp_path}: folder is not empty; use --force to write into it "
        "anyway"
    )
    assert main(["init", str(tmp_path), "--code", "3273", "--name", "Kota Bandung", "--force"]) == 0


def test_init_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["init", str(tmp_path / "w"), "--name", "Kota Bandung"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["init", str(tmp_path / "w"), "--code", "32", "--name", "Kota Bandung"])
    assert exc.value.code == 2
    assert "a city's BPS code has 4 digits" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "w"), "--code", "3273", "--name", "<b>"]) == 1
    [line] = _lines(capsys.readouterr().err)
    assert line.startswith("smartindex init: error: --name '<b>': letters, digits")
    assert not (tmp_path / "w").exists()


def test_check_bukittinggi(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BUKITTINGGI)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "indicators: 7 of" in captured.out
    assert "did you mean 'Mandiangin Koto Selayan'?" in captured.out
    assert main(["check", "--strict", str(BUKITTINGGI)]) == 1
    [line] = _lines(capsys.readouterr().err)
    assert "pengaduan_2024.csv, line 19: area name 'Mandiangin Koto Selayn'" in line


def test_check_invalid_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    city = Path(shutil.copytree(BUKITTINGGI, tmp_path / "c"))
    profile = city / "profile.toml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace('currency = "IDR"', 'currency = "rupiah"'),
        encoding="utf-8",
    )
    assert main(["check", str(city)]) == 1
    [line] = _lines(capsys.readouterr().err)
    assert line.startswith(f"{profile}, line 15: key 'city.currency': ")
    assert main(["check", str(tmp_path / "absent")]) == 1
    [line] = _lines(capsys.readouterr().err)
    assert line == f"smartindex check: error: {tmp_path / 'absent'}: folder not found"


@pytest.mark.parametrize("command", ["init", "check"])
def test_help_has_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert f"Example:\n  smartindex {command} " in out and "Exit status" in out

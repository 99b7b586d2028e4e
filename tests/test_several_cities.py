"""Issue #15, several cities in one warehouse: Palembang (the sample) and the hand-written
Bukittinggi fixture, each in its own schema, with Palembang as one of Bukittinggi's peers.

The Palembang warehouse of the session (sample -> ETL -> score) is copied; Bukittinggi is
staged, loaded and scored into the copy. Each city then reads as it did alone, the commands
ask which city when not told, the peer's values come from the peer's own data, and the app
offers both cities.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from smartindex.cities import load_profile, settings_for
from smartindex.cli import main
from smartindex.errors import WarehouseError
from smartindex.etl import run_etl
from smartindex.scoring import compute_scores
from smartindex.scoring.results import load_results, stored_cities, stored_city_names
from smartindex.warehouse import connect
from smartindex.workspace import stage

pytestmark = pytest.mark.slow  # one ETL and one scoring run, an AppTest run

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "cities" / "bukittinggi"
PALEMBANG_PEER = """
[[peer]]
code = "1671"
name = "Kota Palembang"
source = "test: Palembang as a peer of Bukittinggi, to take its values from the warehouse"
is_synthetic = true
"""


@pytest.fixture(scope="module")
def both(scored_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's Palembang warehouse with Bukittinggi loaded and scored next to it."""
    root = tmp_path_factory.mktemp("two-cities")
    db = root / "warehouse.duckdb"
    shutil.copyfile(scored_warehouse, db)
    city = root / "bukittinggi"
    shutil.copytree(FIXTURE, city)
    with (city / "profile.toml").open("a", encoding="utf-8") as fh:
        fh.write(PALEMBANG_PEER)
    stage(city, root / "raw")
    settings = settings_for(
        load_profile(city / "profile.toml"), db_path=db, raw_dir=root / "raw", pseudonym_key="t"
    )
    assert run_etl(settings, progress=False).ok
    compute_scores(settings, uncertainty_runs=0, seed=1)
    (root / "done").write_text(str(city))
    return db


def test_each_city_has_its_own_tables(both: Path, scored_warehouse: Path) -> None:
    assert stored_cities(both) == ["1375", "1671"]
    assert stored_city_names(both) == {"1375": "Kota Bukittinggi", "1671": "Kota Palembang"}
    with connect(both, read_only=True, city="1375") as con:
        files = {r[0] for r in con.execute("select source_file from load_manifest").fetchall()}
        assert files == {"region.csv", "population.csv", "complaints_crm.csv"}
        assert con.execute("select count(*) from complaints").fetchall() == [(39,)]
    with (
        connect(both, read_only=True, city="1671") as con,
        connect(scored_warehouse, read_only=True) as alone,
    ):
        count = "select count(*) from complaints"
        assert con.execute(count).fetchall() == alone.execute(count).fetchall()


def test_palembang_reads_as_it_did_alone(both: Path, scored_warehouse: Path) -> None:
    alone, now = load_results(scored_warehouse), load_results(both, city="1671")
    assert now.city == alone.city == "1671"
    assert now.manifest["run_id"] == alone.manifest["run_id"]
    pd.testing.assert_frame_equal(now.scores, alone.scores)


def test_a_reader_without_a_city_is_told_which_there_are(both: Path) -> None:
    with pytest.raises(WarehouseError, match=r"holds 2 cities \(1375, 1671\); choose one"):
        load_results(both)


def test_a_peer_held_in_the_warehouse_brings_its_own_values(both: Path) -> None:
    bukittinggi = load_results(both, city="1375")
    palembang = load_results(both, city="1671")
    assert bukittinggi.city == "1375"
    key = ["code", "year"]
    theirs = bukittinggi.indicator_values.query("area_code == '1671'").set_index(key)
    own = palembang.indicator_values.query("area_code == '1671' and not is_reported")
    own = own.set_index(key)
    assert len(own) > 100 and own.index.isin(theirs.index).all()
    pd.testing.assert_series_equal(theirs.loc[own.index, "value"], own["value"])
    assert theirs.loc[own.index, "inputs"].str.startswith("city_1671.indicator_values").all()
    # Palembang is scored in Bukittinggi's comparison set of cities
    cities = bukittinggi.scores.query("comparison == 'cities'")["area_code"]
    assert "1671" in set(cities)
    checksums = bukittinggi.manifest["input_checksums"]
    assert "city_1671.indicator_values" in checksums


def test_commands_ask_for_the_city(both: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "--db", str(both)]) == 2  # a usage error
    assert "holds 2 cities: 1375, 1671 (palembang)" in capsys.readouterr().err
    assert main(["recommend", "--db", str(both), "--city", "1671", "--lang", "en"]) == 0
    assert main(["recommend", "--db", str(both), "--city", str(FIXTURE)]) == 0


def test_loading_again_skips_each_city_s_unchanged_files(both: Path, tmp_path: Path) -> None:
    city = Path((both.parent / "done").read_text())
    stage(city, tmp_path / "raw")
    settings = settings_for(
        load_profile(city / "profile.toml"), db_path=both, raw_dir=tmp_path / "raw"
    )
    again = run_etl(settings, progress=False)
    assert {f.status for f in again.files} == {"skipped"} and len(again.files) == 3


def test_the_app_offers_the_cities_present(both: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("SMARTINDEX_DB", str(both))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception[0].value
    home = at.sidebar.selectbox(key="home")
    assert home.options == ["Kota Bukittinggi", "Kota Palembang"]
    assert at.title[0].value.startswith("Kota Bukittinggi")
    home.set_value("1671").run()
    assert not at.exception, at.exception[0].value
    assert at.title[0].value.startswith("Kota Palembang")
    assert at.query_params["home"] == "1671"

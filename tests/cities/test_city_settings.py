"""From a profile to Settings, the registry and `--city` (issue #15): Palembang's profile gives
exactly the values the code used to hard-code; `--city` takes a slug, a profile.toml or a
workspace folder and defaults to the warehouse's city or the only profile."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from smartindex.cities import (
    CityNotFoundError,
    default_profile,
    find_profile,
    load_city,
    load_profile,
    settings_for,
)
from smartindex.cli import main
from smartindex.config import Settings
from smartindex.etl.registry import ANY_CITY, load_registry, read_city, registry_city

ROOT = Path(__file__).resolve().parents[2]
PALEMBANG = ROOT / "data" / "cities" / "palembang" / "profile.toml"
BUKITTINGGI = ROOT / "tests" / "fixtures" / "cities" / "bukittinggi"
# what sources.toml hard-coded before the profile supplied it
OLD_CHANNELS = (
    "lapor",
    "halo_palembang",
    "whatsapp",
    "instagram",
    "twitter",
    "call_center_112",
    "walk_in",
    "email",
)


@pytest.fixture
def cities(tmp_path: Path) -> Path:
    """A data/cities folder with two profiles."""
    root = tmp_path / "cities"
    for slug, src in (("palembang", PALEMBANG), ("bukittinggi", BUKITTINGGI / "profile.toml")):
        (root / slug).mkdir(parents=True)
        shutil.copy(src, root / slug / "profile.toml")
    return root


def test_palembang_profile_gives_the_values_the_code_hard_coded() -> None:
    s = settings_for(load_profile(PALEMBANG), db_path=Path("w.duckdb"))
    assert (s.city_code, s.city_name, s.city_slug) == ("1671", "Kota Palembang", "palembang")
    assert s.timezone == "Asia/Jakarta" and s.method_path is None
    assert s.bbox == {"lat": (-3.12, -2.84), "lon": (104.60, 104.92)}
    assert s.complaint_channels == OLD_CHANNELS
    assert s.boundaries_path is not None and s.boundaries_path.resolve() == (
        ROOT / "data" / "boundaries" / "palembang" / "kelurahan.geojson"
    )
    assert registry_city(s) == read_city(PALEMBANG)


def test_registry_for_palembang_is_the_old_registry() -> None:
    reg = load_registry(city=read_city(PALEMBANG))
    assert reg.bbox == {"lat": (-3.12, -2.84), "lon": (104.60, 104.92)}
    assert reg.get("complaints").expect.in_set["channel"] == OLD_CHANNELS
    patterns = {
        (s.name, col): rx
        for s in reg.sources
        for col, rx in s.expect.regex.items()
        if "code" in col
    }
    kec = {k: v for k, v in patterns.items() if k[1] == "kecamatan_code"}
    kel = {k: v for k, v in patterns.items() if k[1] == "kelurahan_code"}
    assert len(kec) == 8 and set(kec.values()) == {r"^1671\d{3}$"}
    assert len(kel) == 2 and set(kel.values()) == {r"^1671\d{6}$"}
    assert "halo_palembang" not in reg.channels  # the city's own channel, not shared


def test_registry_for_another_city_and_for_any_city() -> None:
    reg = load_registry(city=read_city(BUKITTINGGI / "profile.toml"))
    assert reg.get("complaints").expect.regex["kecamatan_code"] == r"^1375\d{3}$"
    assert reg.bbox == {"lat": (-0.34, -0.27), "lon": (100.34, 100.40)}
    assert reg.get("complaints").expect.in_set["channel"] == (
        "lapor",
        "whatsapp",
        "instagram",
        "walk_in",
        "email",
    )
    anyone = load_registry(city=ANY_CITY)
    assert anyone.bbox == {} and "channel" not in anyone.get("complaints").expect.in_set
    assert anyone.get("complaints").expect.regex["kecamatan_code"] == r"^\d{4}\d{3}$"


def test_find_profile_by_slug_path_or_folder(cities: Path) -> None:
    assert find_profile("bukittinggi", cities) == cities / "bukittinggi" / "profile.toml"
    assert find_profile(str(BUKITTINGGI), cities) == BUKITTINGGI / "profile.toml"
    assert find_profile(str(PALEMBANG), cities) == PALEMBANG
    with pytest.raises(CityNotFoundError, match="choose one of bukittinggi, palembang"):
        find_profile("bandung", cities)


def test_default_city_is_the_warehouse_s_else_the_only_profile(cities: Path) -> None:
    assert default_profile("1375", cities).slug == "bukittinggi"
    with pytest.raises(CityNotFoundError, match="give --city: choose one of"):
        default_profile(None, cities)
    with pytest.raises(CityNotFoundError, match="hold city 3273, which has no profile"):
        default_profile("3273", cities)
    shutil.rmtree(cities / "bukittinggi")
    assert load_city(None, cities_dir=cities).slug == "palembang"
    assert load_city("palembang", home_code=None, cities_dir=cities).bps_code == "1671"


def test_settings_for_keeps_the_base_and_the_overrides() -> None:
    base = Settings(db_path=Path("a.duckdb"), pseudonym_key="k", threads=1)
    s = settings_for(load_profile(BUKITTINGGI / "profile.toml"), base, timezone=None)
    assert (s.db_path, s.pseudonym_key, s.threads) == (Path("a.duckdb"), "k", 1)
    assert s.timezone == "Asia/Jakarta"  # None overrides are ignored


def _warehouse_of(path: Path, code: str) -> Path:
    """A warehouse whose region table holds the home city ``code`` (nothing else)."""
    con = duckdb.connect(str(path))
    con.execute(
        "create table region as select ? as kode_wilayah, 'kota' as level, 'X' as name, "
        "null::varchar as parent_kode, true as is_home_city, null::varchar as zone, "
        "null::double as area_km2, null::double as lat, null::double as lon, "
        "null::date as valid_from, null::date as valid_to, '' as source, true as is_synthetic",
        [code],
    )
    con.close()
    return path


def test_cli_city_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)  # data/cities is relative to the working folder, like data/raw
    db = str(tmp_path / "none.duckdb")
    assert main(["recommend", "--city", "atlantis", "--db", db]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "'atlantis': no such city; choose one of palembang" in err
    other = str(_warehouse_of(tmp_path / "bk.duckdb", "1375"))
    assert main(["recommend", "--city", "palembang", "--db", other]) == 1
    err = capsys.readouterr().err
    assert "holds no data of Kota Palembang (1671), only of 1375" in err
    assert "smartindex etl --city palembang" in err
    assert main(["report", "--db", other]) == 2
    assert "hold city 1375, which has no profile" in capsys.readouterr().err
    # etl into a new warehouse: the staged region.csv names the city
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "region.csv").write_text(
        "kode_wilayah,level,is_home_city\n1375,kota,true\n1371,kota,false\n", encoding="utf-8"
    )
    assert main(["etl", "--raw", str(raw), "--db", str(tmp_path / "new.duckdb")]) == 2
    assert "hold city 1375, which has no profile" in capsys.readouterr().err
    # a workspace folder names the city; then the (empty) warehouse has no scores: exit 1
    assert main(["recommend", "--city", str(BUKITTINGGI), "--db", other]) == 1
    assert "no scores yet" in capsys.readouterr().err

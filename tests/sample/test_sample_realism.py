"""Realistic ranges: geography, population, complaint volumes and lags, haze, digital divide."""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc
import pytest

from smartindex.sample import facts, sensors, services, survey, transit
from smartindex.sample.common import Spec
from smartindex.sample.geography import (
    city_population,
    geo,
    kecamatan_population,
    population_table,
    region_table,
)

SEED = 2026


def test_region_has_18_kecamatan_107_kelurahan_and_official_area() -> None:
    region = region_table(SEED).to_pandas()
    kec = region[region["level"] == "kecamatan"]
    kel = region[region["level"] == "kelurahan"]
    assert len(kec) == 18 and len(kel) == 107
    assert kec["area_km2"].sum() == pytest.approx(400.61, abs=0.005)
    assert kel["kode_wilayah"].str.len().eq(10).all()
    assert (kel["kode_wilayah"].str[:7] == kel["parent_kode"]).all()
    assert kel["lat"].between(-3.12, -2.84).all() and kel["lon"].between(104.60, 104.92).all()
    split = kec.set_index("kode_wilayah")["valid_from"].dropna()
    assert sorted(split.index) == ["1671022", "1671062"]
    assert {p.code for p in facts.PEERS} <= set(region["kode_wilayah"])


def test_population_anchored_on_official_series() -> None:
    pop = population_table(Spec(1.0, SEED, 2016, 2025)).to_pandas()
    city = pop[pop["kode_wilayah"] == "1671"].set_index("year")
    assert city.loc[2020, "population"] == 1_668_848 and not city.loc[2020, "is_synthetic"]
    assert city.loc[2021, "population"] == 1_686_073
    assert city.loc[2022, "is_synthetic"]
    kec = pop[pop["kode_wilayah"].str.len() == 7]
    assert kec.groupby("year")["population"].sum().loc[2020] == 1_668_848
    assert kec[kec["year"] == 2017]["kode_wilayah"].nunique() == 16
    kel = pop[pop["kode_wilayah"].str.len() == 10]
    assert kel.groupby("year")["population"].sum().loc[2024] == city_population(2024)[0]
    ratio = city["population"] / city["households"]
    assert ratio.between(3.7, 4.1).all()


def test_density_it_i_highest_sematang_borang_lowest() -> None:
    g = geo(SEED)
    density = kecamatan_population(2020) / g.kec_area
    assert g.kec_name[np.argmax(density)] == "Ilir Timur I"
    assert g.kec_name[np.argmin(density)] == "Sematang Borang"


def test_complaint_volume_grows_from_thousands_to_tens_of_thousands() -> None:
    assert 1500 <= services.volume(2016, 1.0) <= 2500
    assert 12_000 <= services.volume(2025, 1.0) <= 15_000
    assert services.volume(2025, 10.0) == pytest.approx(10 * services.volume(2025, 1.0), rel=1e-3)


@pytest.fixture(scope="module")
def tickets_2023():
    return services.complaints(Spec(0.4, SEED, 2023, 2023), 2023).table.to_pandas()


def test_lags_are_long_tailed_and_some_tickets_stay_open(tickets_2023) -> None:
    df = tickets_2023
    ok = df["created_at"].notna() & (df["resolved_at"] >= df["created_at"])
    hours = (df.loc[ok, "resolved_at"] - df.loc[ok, "created_at"]).dt.total_seconds() / 3600
    assert hours.median() < hours.quantile(0.9) / 2
    first = (df["first_response_at"] - df["created_at"]).dt.total_seconds().dropna() / 3600
    assert first.median() < first.quantile(0.9)
    open_share = df["status"].isin(["received", "verified", "dispatched", "in_progress"]).mean()
    assert 0.03 <= open_share <= 0.10
    assert df.loc[df["status"].isin(["resolved", "closed"]), "resolved_at"].notna().all()
    rated = df["rating"].dropna()
    assert rated.between(0, 6).all() and 0.2 < len(rated) / len(df) < 0.7


def test_kabut_asap_spikes_in_september_october(tickets_2023) -> None:
    haze = tickets_2023[tickets_2023["category"] == "kabut_asap"]
    months = haze["created_at"].dt.month.value_counts()
    assert months.loc[[9, 10]].sum() > 0.6 * len(haze)
    rain = tickets_2023[tickets_2023["category"] == "banjir_drainase"]["created_at"].dt.month
    assert rain.isin([11, 12, 1, 2, 3]).mean() > 0.55


def test_working_hours_dominate_responses(tickets_2023) -> None:
    t = tickets_2023["first_response_at"].dropna()
    inside = t.dt.hour.between(8, 15) & (t.dt.day_of_week < 5)
    assert inside.mean() > 0.95


def test_pm25_haze_peaks_in_2019_and_2023() -> None:
    df = sensors.readings(Spec(1.0, SEED, 2019, 2023)).table.to_pandas()
    df = df[(df["pm25"] >= 0) & (df["pm25"] < 900) & (df["date"].astype(str) < "2030")]
    df["date"] = df["date"].astype("datetime64[s]")
    month = df.groupby(df["date"].dt.month)["pm25"].mean()
    assert month.idxmax() in (9, 10)
    sep = df[
        (df["date"] >= "2023-09-01")
        & (df["date"] <= "2023-09-13")
        & df["sensor_id"].isin(["AQ01", "AQ02", "AQ03"])
    ]
    assert 60 <= sep["pm25"].mean() <= 110 and df["pm25"].max() > 200
    year = df.groupby(df["date"].dt.year)["pm25"].mean()
    assert year.loc[2019] > year.loc[2021] and year.loc[2023] > year.loc[2022]


def test_digital_divide_central_above_peripheral() -> None:
    df = survey.responses(Spec(0.5, SEED, 2020, 2020), 2020).table.to_pandas()
    central = df["kecamatan_code"].isin([k.code for k in facts.KECAMATAN if k.zone == "pusat"])
    assert df[central]["has_home_internet"].mean() > df[~central]["has_home_internet"].mean() + 0.1
    dl = df.filter(like="dl_skills").clip(1, 5).mean(axis=1)
    assert dl[central].mean() > dl[~central].mean()
    pillars = {p: df.filter(like=f"dl_{p}").clip(1, 5).to_numpy().mean() for p in survey.PILLARS}
    assert pillars["culture"] > pillars["ethics"] > pillars["skills"] > pillars["safety"]
    assert df["kecamatan_code"].value_counts().min() >= 30


def test_lrt_ridership_matches_official_totals() -> None:
    rides = transit.ridership_table(Spec(1.0, SEED, 2022, 2024)).to_pandas()
    lrt = rides[rides["route_id"] == "LRT-1"].groupby("year")["boardings"].sum()
    assert lrt.loc[2023] == 4_082_702 and lrt.loc[2024] == 4_350_187
    stops = transit.stops_table(Spec(1.0, SEED, 2022, 2024))
    assert pc.sum(pc.equal(stops.column("route_id"), "LRT-1")).as_py() == 13

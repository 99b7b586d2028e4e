"""official_stats, peer_indicator_values and targets (RPJMD-style), official where sourced."""

from __future__ import annotations

from typing import cast

import numpy as np
import pyarrow as pa

from smartindex.sample import facts
from smartindex.sample.common import SYN, FloatArray, Spec, stream, table
from smartindex.sample.geography import city_population, geo, kecamatan_population

# kode_wilayah, year, stat_code, value, unit, publisher, source, is_synthetic
StatRow = tuple[str, int, str, float, str, str, str, bool]

# stat_code: unit, publisher, value 2016, value 2025, kind (count|rate|level), lower is better,
# kecamatan breakdown
STATS: dict[str, tuple[str, str, float, float, str, bool, bool]] = {
    "grdp_current_idr_bn": ("Rp miliar", "BPS", 121_000, 235_000, "count", False, False),
    "grdp_constant_idr_bn": ("Rp miliar", "BPS", 85_000, 128_000, "count", False, False),
    "grdp_per_capita_idr_m": ("Rp juta", "BPS", 76.0, 128.0, "level", False, False),
    "economic_growth_pct": ("%", "BPS", 5.9, 5.1, "level", False, False),
    "employed_persons": ("orang", "BPS", 730_000, 840_000, "count", False, False),
    "labour_force": ("orang", "BPS", 792_000, 900_000, "count", False, False),
    "unemployment_rate_pct": ("%", "BPS", 7.8, 6.6, "rate", True, False),
    "youth_unemployment_rate_pct": ("%", "BPS", 20.5, 17.0, "rate", True, False),
    "new_business_registrations": ("unit", "DPMPTSP", 4_000, 18_000, "count", False, True),
    "patents_registered": ("unit", "DJKI Kemenkumham", 40, 120, "count", False, False),
    "investment_realised_idr_bn": (
        "Rp miliar",
        "DPMPTSP/BKPM",
        3_500,
        9_000,
        "count",
        False,
        False,
    ),
    "qris_merchants": ("merchant", "Bank Indonesia", 0, 250_000, "count", False, True),
    "tertiary_educated_pct": ("%", "BPS", 14.0, 18.0, "rate", False, False),
    "mean_years_schooling": ("tahun", "BPS", 10.6, 11.2, "level", False, False),
    "library_loans": ("peminjaman", "Dinas Perpustakaan", 120_000, 250_000, "count", False, False),
    "creative_employment_pct": ("%", "BPS/Kemenparekraf", 6.5, 8.0, "rate", False, False),
    "voter_turnout_pct": ("%", "KPU Kota Palembang", 64.0, 58.5, "level", False, False),
    "hdi": ("indeks", "BPS", 77.0, 81.0, "level", False, False),
    "gini_ratio": ("rasio", "BPS", 0.362, 0.342, "level", True, False),
    "poverty_rate_pct": ("%", "BPS", 11.0, 9.5, "rate", True, True),
    "poor_persons": ("orang", "BPS", 175_000, 172_000, "count", True, True),
    "spbe_index": ("indeks 1-5", "KemenPANRB", 1.9, 3.4, "level", False, False),
    "ombudsman_score": ("nilai 0-100", "Ombudsman RI", 60.0, 95.0, "level", False, False),
    "lppd_score": ("nilai 0-4", "Kemendagri", 2.8, 3.5, "level", False, False),
    "women_council_seats_pct": (
        "%",
        "KPU / DPRD Kota Palembang",
        20.0,
        24.0,
        "level",
        False,
        False,
    ),
    "open_datasets_inventoried": ("dataset", "Diskominfo", 40, 600, "count", False, False),
    "open_datasets_published": ("dataset", "Diskominfo", 4, 420, "count", False, False),
    "airport_passengers": (
        "penumpang",
        "PT Angkasa Pura II / BPS",
        4_000_000,
        3_500_000,
        "count",
        False,
        False,
    ),
    "households_internet_pct": ("%", "BPS (Susenas)", 55.0, 85.0, "rate", False, True),
    "road_deaths": ("jiwa", "Polrestabes Palembang", 150, 120, "count", True, False),
    "major_road_km": ("km", "Dinas PUPR", 180, 195, "count", False, False),
    "major_road_km_ict_monitored": ("km", "Dishub", 5, 70, "count", False, False),
    "green_area_ha": ("ha", "DLH / Dinas Perkim", 1_950, 2_150, "count", False, True),
    "waste_generated_t": ("ton", "DLH", 350_000, 450_000, "count", True, True),
    "waste_collected_t": ("ton", "DLH", 250_000, 315_000, "count", True, False),
    "waste_diverted_t": ("ton", "DLH", 7_500, 38_000, "count", False, False),
    "population_waste_service_pct": ("%", "DLH", 70.0, 88.0, "rate", False, True),
    "life_expectancy_years": ("tahun", "BPS", 69.9, 71.5, "level", False, False),
    "physicians": ("orang", "Dinas Kesehatan", 1_300, 1_900, "count", False, True),
    "crimes_reported": ("kasus", "Polrestabes Palembang", 5_500, 4_800, "count", True, True),
    "adequate_housing_pct": ("%", "BPS (Susenas)", 85.0, 92.0, "rate", False, True),
    "tourist_visits": (
        "kunjungan",
        "Dinas Pariwisata",
        1_800_000,
        2_600_000,
        "count",
        False,
        False,
    ),
    "cultural_sports_facilities": ("unit", "Disbudpar / Dispora", 150, 210, "count", False, True),
    "public_wifi_points": ("titik", "Diskominfo", 200, 50, "count", False, False),
}
SHOCK = {
    2020: {
        "economic_growth_pct": -0.9,
        "airport_passengers": 0.42,
        "tourist_visits": 0.35,
        "unemployment_rate_pct": 1.25,
        "grdp_current_idr_bn": 0.97,
    },
    2021: {"airport_passengers": 0.4, "tourist_visits": 0.55},
}
WIFI_ACTIVE = {2017: 170, 2018: 110, 2019: 50, 2020: 15, 2021: 0, 2022: 4, 2023: 8}
DEV = {"3171": 1.35, "3578": 1.25, "3273": 1.15, "1275": 1.0, "7371": 1.05, "3374": 1.15}


def _city_series(code: str, years: list[int]) -> FloatArray:
    _, _, v0, v1, kind, _, _ = STATS[code]
    y = np.array(years, dtype=float)
    if kind == "count" and v0 > 0 and v1 > 0:
        out = v0 * (v1 / v0) ** ((y - 2016) / 9)
    else:
        out = v0 + (v1 - v0) * (y - 2016) / 9
    for i, yr in enumerate(years):
        shock = SHOCK.get(yr, {}).get(code)
        if shock is not None:
            out[i] = shock if code == "economic_growth_pct" else out[i] * shock
        if code == "qris_merchants" and yr < 2020:
            out[i] = 0.0
        if code == "public_wifi_points" and yr in WIFI_ACTIVE:
            out[i] = WIFI_ACTIVE[yr]
    return out


def _anchor(series: FloatArray, years: list[int], anchors: dict[int, float]) -> FloatArray:
    """Rescale a synthetic path so it passes through the official values (ratio interpolation)."""
    if not anchors:
        return series
    ay = sorted(anchors)
    idx = [years.index(a) for a in ay if a in years]
    if not idx:
        return series
    ratio = [anchors[years[i]] / series[i] if series[i] else 1.0 for i in idx]
    f = np.interp(years, [years[i] for i in idx], ratio)
    return cast(FloatArray, series * f)


# Upper bounds of bounded scales; synthetic extrapolations never leave them.
BOUNDS = {"ombudsman_score": 100.0, "spbe_index": 5.0, "lppd_score": 4.0, "hdi": 100.0}


def _round(code: str, v: float) -> float:
    kind = STATS[code][4]
    cap = BOUNDS.get(code, 100.0 if code.endswith("_pct") else None)
    v = min(v, cap) if cap is not None else v
    return float(round(v)) if kind == "count" else round(float(v), 3 if v < 10 else 2)


def official_stats(spec: Spec) -> pa.Table:
    """official_stats.csv: city and peer series for every stat code and year, kecamatan splits."""
    rng = stream(spec.seed, "official")
    years = list(spec.years)
    off = {(o.code, o.stat, o.year): o for o in facts.OFFICIAL}
    rows: list[StatRow] = []
    units = [facts.CITY] + [p.code for p in facts.PEERS]
    for code in STATS:
        base = _city_series(code, years) * np.exp(0.01 * rng.standard_normal(len(years)))
        for unit in units:
            s = base * _peer_factor(unit, code, years)
            anchors = {o.year: o.value for (u, c, _), o in off.items() if u == unit and c == code}
            s = _anchor(s, years, anchors)
            for i, y in enumerate(years):
                o = off.get((unit, code, y))
                if o:
                    rows.append(
                        (
                            unit,
                            y,
                            code,
                            o.value,
                            STATS[code][0],
                            o.publisher,
                            f"{o.source} ({y})",
                            False,
                        )
                    )
                else:
                    how = "anchored on official values" if anchors else "trend model"
                    rows.append(
                        (
                            unit,
                            y,
                            code,
                            _round(code, s[i]),
                            STATS[code][0],
                            STATS[code][1],
                            f"{SYN} ({how})",
                            True,
                        )
                    )
        if STATS[code][6]:
            rows += _kecamatan_rows(
                spec, code, years, [r for r in rows if r[0] == facts.CITY and r[2] == code]
            )
    cols = list(zip(*rows, strict=True))
    return table(
        "official_stats",
        {
            "kode_wilayah": pa.array(cols[0]),
            "year": pa.array(cols[1], pa.int32()),
            "stat_code": pa.array(cols[2]),
            "value": pa.array(cols[3], pa.float64()),
            "unit": pa.array(cols[4]),
            "publisher": pa.array(cols[5]),
            "source": pa.array(cols[6]),
            "is_synthetic": pa.array(cols[7], pa.bool_()),
        },
    )


def _peer_factor(unit: str, code: str, years: list[int]) -> FloatArray:
    if unit == facts.CITY:
        return np.ones(len(years))
    dev = DEV[unit]
    peer = next(p for p in facts.PEERS if p.code == unit)
    kind, lower = STATS[code][4], STATS[code][5]
    if kind == "count":
        size = peer.pop2020 / facts.CITY_POPULATION[2020][0]
        return np.full(len(years), size * (dev if not lower else 1 / dev**0.5))
    if code in {"spbe_index", "ombudsman_score", "lppd_score"}:
        return np.full(len(years), min(dev, 1.3) ** 0.6)
    return np.full(len(years), 1 / dev if lower else min(dev**0.3, 99 / 90))


def _kecamatan_rows(spec: Spec, code: str, years: list[int], city: list[StatRow]) -> list[StatRow]:
    g = geo(spec.seed)
    lower, kind = STATS[code][5], STATS[code][4]
    rows = []
    for _, y, _, value, unit, publisher, _, _ in city:
        pop = kecamatan_population(y).astype(float)
        if kind == "count":
            w = pop * np.where(g.central, 1.3 if not lower else 0.8, 1.0)
            vals = np.round(value * w / w.sum())
        else:
            vals = np.round(
                value
                * np.where(g.central, 1.08 if not lower else 0.85, 0.95 if not lower else 1.12),
                2,
            )
        for i, kc in enumerate(g.kec_code):
            if y < 2018 and kc in facts.SPLIT_PARENT:
                continue
            v = vals[i]
            for child, parent in facts.SPLIT_PARENT.items():
                if y < 2018 and kc == parent and kind == "count":
                    v += vals[g.kec_index(child)]
            rows.append(
                (
                    kc,
                    y,
                    code,
                    float(min(v, 100.0) if "pct" in code else v),
                    unit,
                    publisher,
                    f"{SYN} (kecamatan breakdown of the city value)",
                    True,
                )
            )
    return rows


def peer_population(unit: str, year: int) -> int:
    """Peer population (same interpolation as population.csv)."""
    if unit == facts.CITY:
        return city_population(year)[0]
    p = next(p for p in facts.PEERS if p.code == unit)
    growth = (p.pop2024 / p.pop2020) ** 0.25 if p.pop2024 else 1.009
    return round(p.pop2020 * growth ** (year - 2020))

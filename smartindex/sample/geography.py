"""Regions, kelurahan centroids and the population allocation (city -> kecamatan -> kelurahan)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import cast

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from smartindex.cities.profile import REGION_COLUMNS
from smartindex.sample import facts
from smartindex.sample.common import (
    SYN,
    BoolArray,
    FloatArray,
    IntArray,
    Spec,
    dates,
    stream,
    table,
)

KM_PER_DEG = 111.0
HH_SIZE = {"pusat": 3.8, "pinggiran": 4.0}
StrArray = NDArray[np.str_]
# kode_wilayah, level, name, parent, is_home_city, zone, area, lat, lon, valid_from, valid_to,
# source, is_synthetic
RegionRow = tuple[
    str, str, str, str | None, bool, str | None, float, float, float, str | None, None, str, bool
]
PopulationRow = tuple[str, int, int, int, str, bool]  # code, year, people, households, source, syn


@dataclass(frozen=True)
class Geo:
    """Kecamatan and kelurahan arrays shared by every generator (index-aligned)."""

    kec_code: StrArray
    kec_name: StrArray
    kec_zone: StrArray
    kec_area: FloatArray
    kec_lat: FloatArray
    kec_lon: FloatArray
    kel_code: StrArray
    kel_name: StrArray
    kel_kec: IntArray  # index into kec_*
    kel_area: FloatArray
    kel_lat: FloatArray
    kel_lon: FloatArray
    kel_weight: FloatArray  # population share within its kecamatan

    @property
    def central(self) -> BoolArray:
        return cast(BoolArray, self.kec_zone == "pusat")

    def kec_index(self, code: str) -> int:
        return int(np.flatnonzero(self.kec_code == code)[0])


@cache
def geo(seed: int) -> Geo:
    """Kelurahan codes, areas, centroids and population weights (synthetic, seeded)."""
    rng = stream(seed, "geography")
    ks = facts.KECAMATAN
    rows: list[tuple[str, str, int, float, float, float, float]] = []
    for i, k in enumerate(ks):
        names = facts.KELURAHAN[k.code]
        n = len(names)
        share = rng.dirichlet(np.full(n, 4.0))
        radius = np.sqrt(k.area / np.pi) / KM_PER_DEG
        ang = rng.uniform(0, 2 * np.pi, n)
        dist = radius * 0.65 * np.sqrt(rng.uniform(0.05, 1, n))
        weight = rng.dirichlet(np.full(n, 5.0))
        for j, kel_name in enumerate(names):
            rows.append(
                (
                    f"{k.code}{j + 1:03d}",
                    kel_name,
                    i,
                    round(k.area * share[j], 2),
                    round(k.lat + dist[j] * np.sin(ang[j]), 6),
                    round(k.lon + dist[j] * np.cos(ang[j]), 6),
                    weight[j],
                )
            )
    code, name, kec, area, lat, lon, w = (np.array(c) for c in zip(*rows, strict=True))
    return Geo(
        kec_code=np.array([k.code for k in ks]),
        kec_name=np.array([k.name for k in ks]),
        kec_zone=np.array([k.zone for k in ks]),
        kec_area=np.array([k.area for k in ks]),
        kec_lat=np.array([k.lat for k in ks]),
        kec_lon=np.array([k.lon for k in ks]),
        kel_code=code,
        kel_name=name,
        kel_kec=kec.astype(int),
        kel_area=area.astype(float),
        kel_lat=lat.astype(float),
        kel_lon=lon.astype(float),
        kel_weight=w.astype(float),
    )


def kecamatan_at(codes: StrArray, year: int | IntArray) -> StrArray:
    """Kecamatan code valid in ``year``: the 2018 splits map back to their parent before."""
    out = np.asarray(codes).copy()
    early = np.asarray(year) < 2018
    for child, parent in facts.SPLIT_PARENT.items():
        out = np.where(early & (out == child), parent, out)
    return out


def city_population(year: int) -> tuple[int, bool]:
    """City population for ``year`` and whether it is an official figure."""
    anchors = facts.CITY_POPULATION
    if year in anchors:
        return anchors[year][0], True
    ys = sorted(anchors)
    if year > ys[-1]:
        return round(anchors[ys[-1]][0] * 1.015 ** (year - ys[-1])), False
    if year < ys[0]:
        return round(anchors[ys[0]][0] / 1.012 ** (ys[0] - year)), False
    lo = max(y for y in ys if y < year)
    hi = min(y for y in ys if y > year)
    a, b = anchors[lo][0], anchors[hi][0]
    return round(a * (b / a) ** ((year - lo) / (hi - lo))), False


def kecamatan_population(year: int) -> IntArray:
    """Synthetic allocation of the city total to the 18 kecamatan (area x density class)."""
    ks = facts.KECAMATAN
    drift = np.array([1.0 if k.zone == "pusat" else 1.015 for k in ks]) ** (year - 2020)
    w = np.array([k.area * k.density for k in ks]) * drift
    total = city_population(year)[0]
    raw = total * w / w.sum()
    out: IntArray = np.floor(raw).astype(np.int64)
    out[np.argsort(raw - out)[::-1][: total - out.sum()]] += 1
    return out


def kelurahan_population(g: Geo, year: int) -> IntArray:
    """Kelurahan population: kecamatan totals split by fixed synthetic weights."""
    kec = kecamatan_population(year)
    raw = kec[g.kel_kec] * g.kel_weight
    out: IntArray = np.floor(raw).astype(np.int64)
    short = kec - np.bincount(g.kel_kec, weights=out, minlength=kec.size).astype(np.int64)
    first = np.array(
        [
            np.flatnonzero(g.kel_kec == i)[np.argmax(g.kel_weight[g.kel_kec == i])]
            for i in range(kec.size)
        ]
    )
    out[first] += short
    return out


def region_table(seed: int) -> pa.Table:
    """region.csv: Palembang, its 18 kecamatan and 107 kelurahan, and the six peers."""
    g = geo(seed)
    rows: list[RegionRow] = [
        (
            facts.CITY,
            "kota",
            facts.CITY_NAME,
            None,
            True,
            None,
            facts.CITY_AREA,
            -2.976,
            104.775,
            None,
            None,
            "BPS Kota Palembang, luas wilayah 400.61 km² (PP 23/1988)",
            False,
        )
    ]
    for k in facts.KECAMATAN:
        frm = facts.SPLIT_DATE if k.code in facts.SPLIT_PARENT else None
        syn = k.area_src.startswith("synthetic")
        rows.append(
            (
                k.code,
                "kecamatan",
                k.name,
                facts.CITY,
                True,
                k.zone,
                k.area,
                k.lat,
                k.lon,
                frm,
                None,
                f"{k.area_src}; BPS code; centroid approximate, zone judgement",
                syn,
            )
        )
    for i in range(g.kel_code.size):
        kc = g.kec_code[g.kel_kec[i]]
        provenance = (
            "names: research notes"
            if kc in facts.NAMES_FROM_NOTES
            else "names: public gazetteers, unverified"
        )
        rows.append(
            (
                g.kel_code[i],
                "kelurahan",
                g.kel_name[i],
                kc,
                True,
                g.kec_zone[g.kel_kec[i]],
                g.kel_area[i],
                g.kel_lat[i],
                g.kel_lon[i],
                None,
                None,
                f"{SYN} ({provenance}; code suffix, area split and centroid synthetic)",
                True,
            )
        )
    for p in facts.PEERS:
        unsure = p.code == "3273"
        src = "area from memory, unverified" if unsure else "BPS / Wikipedia mirrors (area)"
        rows.append(
            (
                p.code,
                "kota",
                p.name,
                None,
                False,
                None,
                p.area,
                p.lat,
                p.lon,
                None,
                None,
                src,
                unsure,
            )
        )
    cols = list(zip(*rows, strict=True))
    names = list(REGION_COLUMNS)
    types = [pa.string()] * 4 + [
        pa.bool_(),
        pa.string(),
        pa.float64(),
        pa.float64(),
        pa.float64(),
        pa.date32(),
        pa.date32(),
        pa.string(),
        pa.bool_(),
    ]
    data: dict[str, pa.Array] = {}
    for n, c, t in zip(names, cols, types, strict=True):
        data[n] = dates(list(c)) if t == pa.date32() else pa.array(list(c), t)
    return table("region", data)


def _peer_population(p: facts.Peer, year: int) -> tuple[int, bool, str]:
    if year == 2020:
        return p.pop2020, True, facts.PEER_SRC_2020
    if year == 2024 and p.pop2024:
        return p.pop2024, True, facts.PEER_SRC_2024
    growth = (p.pop2024 / p.pop2020) ** 0.25 if p.pop2024 else 1.009
    return (
        round(p.pop2020 * growth ** (year - 2020)),
        False,
        f"{SYN} (geometric interpolation of SP2020 and Kemendagri 2024)",
    )


def population_table(spec: Spec) -> pa.Table:
    """population.csv: city (official where available), kecamatan and kelurahan (synthetic)."""
    g = geo(spec.seed)
    hh_k = np.array([HH_SIZE[z] for z in g.kec_zone])
    rows: list[PopulationRow] = []
    for y in spec.years:
        kec = kecamatan_population(y)
        size = hh_k * (1 - 0.004 * (y - 2020))
        hh = np.round(kec / size).astype(np.int64)
        pop, official = city_population(y)
        src = (
            f"{facts.CITY_POPULATION[y][1]}, {facts.CITY_POPULATION[y][2]}; households "
            "synthetic (sum of kecamatan)"
            if official
            else f"{SYN} (interpolated between official BPS figures)"
        )
        rows.append((facts.CITY, y, pop, int(hh.sum()), src, not official))
        merged = kec.copy()
        hh_m = hh.copy()
        for child, parent in facts.SPLIT_PARENT.items():
            if y < 2018:
                ci, pi = g.kec_index(child), g.kec_index(parent)
                merged[pi] += merged[ci]
                hh_m[pi] += hh_m[ci]
        for i, code in enumerate(g.kec_code):
            if y < 2018 and code in facts.SPLIT_PARENT:
                continue
            rows.append(
                (
                    code,
                    y,
                    int(merged[i]),
                    int(hh_m[i]),
                    f"{SYN} (city total allocated by area x density class)",
                    True,
                )
            )
        kel = kelurahan_population(g, y)
        kel_hh = np.round(kel / size[g.kel_kec]).astype(np.int64)
        for i, code in enumerate(g.kel_code):
            rows.append(
                (
                    code,
                    y,
                    int(kel[i]),
                    int(kel_hh[i]),
                    f"{SYN} (kecamatan total split by fixed kelurahan weights)",
                    True,
                )
            )
        for p in facts.PEERS:
            ppop, off, psrc = _peer_population(p, y)
            rows.append(
                (
                    p.code,
                    y,
                    ppop,
                    round(ppop / 3.6),
                    psrc + ("; households synthetic" if off else ""),
                    not off,
                )
            )
    cols = list(zip(*rows, strict=True))
    return table(
        "population",
        {
            "kode_wilayah": pa.array(cols[0], pa.string()),
            "year": pa.array(cols[1], pa.int32()),
            "population": pa.array(cols[2], pa.int64()),
            "households": pa.array(cols[3], pa.int64()),
            "source": pa.array(cols[4], pa.string()),
            "is_synthetic": pa.array(cols[5], pa.bool_()),
        },
    )

"""Infrastructure inventories: public Wi-Fi, CCTV, fibre segments and mobile base stations."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pyarrow as pa

from smartindex.sample import defects
from smartindex.sample.common import (
    SYN,
    FloatArray,
    IntArray,
    Spec,
    TimeArray,
    arr,
    concat,
    const,
    jitter,
    padded,
    pick,
    ramp,
    stream,
    table,
)
from smartindex.sample.geography import Geo, geo, kecamatan_population

STUDY = "public Wi-Fi site named in the 2025 Palembang study"
# name, venue type, kecamatan, lat, lon, named in the study
WIFI_SITES = [
    ("Taman Simpang Polda", "taman", "1671040", -2.9610, 104.7420, True),
    ("Taman Kambang Iwak", "taman", "1671041", -2.9838, 104.7455, True),
    ("Masjid Agung SMB Jayo Wikramo", "masjid", "1671041", -2.9885, 104.7612, True),
    ("Benteng Kuto Besak", "wisata", "1671041", -2.9922, 104.7590, True),
    ("Kampung Al Munawar", "wisata", "1671030", -3.0005, 104.7770, True),
    ("Masjid Cheng Ho", "masjid", "1671022", -3.0130, 104.7865, True),
    ("Stadion Kamboja", "olahraga", "1671040", -2.9735, 104.7435, True),
    ("Pelataran Jembatan Ampera", "ruang_publik", "1671020", -2.9945, 104.7640, False),
    ("Museum SMB II", "wisata", "1671041", -2.9915, 104.7585, False),
    ("Pulau Kemaro", "wisata", "1671060", -2.9770, 104.8170, False),
    ("Taman Purbakala Kerajaan Sriwijaya", "wisata", "1671011", -2.9990, 104.7290, False),
    ("Bukit Siguntang", "wisata", "1671010", -2.9890, 104.7265, False),
    ("Jakabaring Sport City", "olahraga", "1671022", -3.0215, 104.7905, False),
    ("Pasar 16 Ilir", "pasar", "1671050", -2.9880, 104.7665, False),
    ("Kantor Walikota Palembang", "kantor", "1671041", -2.9875, 104.7560, False),
    ("Taman Kota Pinang Mas", "taman", "1671070", -2.9300, 104.7900, False),
    ("Monumen Perjuangan Rakyat (Monpera)", "wisata", "1671041", -2.9895, 104.7600, False),
    ("Taman Sekanak Lambidaro", "taman", "1671041", -2.9905, 104.7530, False),
    ("Pasar Cinde", "pasar", "1671041", -2.9810, 104.7560, False),
    ("Taman Wisata Alam Punti Kayu", "taman", "1671080", -2.9360, 104.7215, False),
    ("Masjid Ki Marogan", "masjid", "1671021", -3.0080, 104.7505, False),
    ("Kampung Kapitan", "wisata", "1671020", -2.9985, 104.7610, False),
    ("RSUD Palembang BARI", "kantor", "1671020", -3.0050, 104.7600, False),
    ("Alun-Alun Plaju", "ruang_publik", "1671031", -3.0000, 104.8150, False),
    ("Taman Kenten", "taman", "1671061", -2.9480, 104.7950, False),
    ("Perpustakaan Kota Palembang", "kantor", "1671041", -2.9790, 104.7520, False),
    ("Mal Pelayanan Publik Palembang", "kantor", "1671051", -2.9650, 104.7550, False),
    ("Kawasan Kuliner Lorong Basah", "ruang_publik", "1671050", -2.9860, 104.7650, False),
]
GEN1_DECOMMISSIONED = {2017: 30, 2018: 60, 2019: 60, 2020: 35, 2021: 15}  # of 200 (2016)
LAWANG_JABO = [
    "Benteng Kuto Besak",
    "Simpang Charitas",
    "Masjid Agung",
    "Simpang Lima DPRD",
    "Jembatan Ampera",
    "Jl. Kapten A. Rivai",
]
ROADS = [
    "Jl. Jend. Sudirman",
    "Jl. Merdeka",
    "Jl. Kapten A. Rivai",
    "Jl. Demang Lebar Daun",
    "Jl. Angkatan 45",
    "Jl. Basuki Rahmat",
    "Jl. R. Sukamto",
    "Jl. Veteran",
    "Jl. Kol. H. Burlian",
    "Jl. Soekarno-Hatta",
    "Jl. Mayor Ruslan",
    "Jl. Jend. A. Yani",
    "Jl. Gubernur H. A. Bastari",
    "Jl. Ki Merogan",
    "Jl. Perindustrian",
    "Jl. Letjen Harun Sohar",
    "Jl. Tanjung Api-Api",
    "Jl. MP Mangkunegara",
    "Jl. Srijaya Negara",
    "Jl. DI Panjaitan",
    "Jl. Residen Abdul Rozak",
    "Jl. Radial",
]


def _end(spec: Spec) -> np.datetime64:
    return np.datetime64(f"{spec.last}-12-31")


def _points(rng: np.random.Generator, g: Geo, kec: IntArray) -> tuple[FloatArray, FloatArray]:
    return jitter(rng, g.kec_lat[kec], g.kec_lon[kec], np.sqrt(g.kec_area[kec]) / 111 * 0.3)


def _days(rng: np.random.Generator, year: IntArray) -> TimeArray:
    start = (np.asarray(year) - 1970).astype("M8[Y]").astype("M8[D]")
    return cast(TimeArray, start + rng.integers(0, 365, np.size(year)).astype("m8[D]"))


def _clip_to(
    tbl: dict[str, Any], start: str, stop: str | None, end: np.datetime64
) -> dict[str, Any]:
    keep = tbl[start] <= end
    out = {
        k: (v[keep] if isinstance(v, np.ndarray) else v.filter(pa.array(keep)))
        for k, v in tbl.items()
    }
    if stop:
        out[stop] = np.where(out[stop] > end, np.datetime64("NaT"), out[stop])
    return out


def wifi(spec: Spec) -> defects.Result:
    """wifi_hotspots.csv: the 2016 programme (~200, gone by 2021) and the 2022–25 sites."""
    rng, g = stream(spec.seed, "wifi"), geo(spec.seed)
    kel = rng.choice(g.kel_code.size, 200)
    venue = np.where(np.arange(200) < 107, 0, rng.choice(4, 200) + 1)
    kel[:107] = np.arange(107)
    kinds = ["kantor", "sekolah", "masjid", "taman", "pasar"]
    gen1_names = concat(
        pick(["Kantor Lurah ", "SD Negeri ", "Masjid ", "Taman ", "Pasar "], venue),
        pick(list(g.kel_name), kel),
    )
    la1, lo1 = jitter(rng, g.kel_lat[kel], g.kel_lon[kel], 0.003)
    off = np.concatenate(
        [np.full(c, np.datetime64(f"{y}-06-30")) for y, c in GEN1_DECOMMISSIONED.items()]
    )[rng.permutation(200)]
    off = off + rng.integers(-150, 150, 200).astype("m8[D]")
    site_kec = np.array([g.kec_index(s[2]) for s in WIFI_SITES])
    missing = [i for i in range(18) if i not in set(site_kec)]
    extra_kec = np.array(list(range(18)) + missing[:4] + list(rng.choice(18, 4 - len(missing[:4]))))
    la2, lo2 = _points(rng, g, extra_kec)
    years2 = np.concatenate([[2022] * 4 + [2023] * 4 + [2024] * 20, [2025] * 22])
    on2 = _days(rng, years2)
    n2 = len(WIFI_SITES) + extra_kec.size
    names = (
        [s[0] for s in WIFI_SITES]
        + [f"Kantor Camat {g.kec_name[k]}" for k in extra_kec[:18]]
        + [f"Taman Kelurahan {g.kec_name[k]}" for k in extra_kec[18:]]
    )
    venue2 = [s[1] for s in WIFI_SITES] + ["kantor"] * 18 + ["taman"] * (extra_kec.size - 18)
    all_kec = np.concatenate([g.kel_kec[kel], site_kec, extra_kec])
    cols = {
        "hotspot_id": concat("WF", padded(np.arange(1, 200 + n2 + 1), 4)),
        "name": pa.concat_arrays([gen1_names, pa.array(names)]),
        "venue_type": pa.concat_arrays([pick(kinds, venue), pa.array(venue2)]),
        "kelurahan_code": pa.array(list(g.kel_code[kel]) + [None] * n2, pa.string()),
        "kecamatan_code": pa.array(g.kec_code[all_kec]),
        "lat": np.concatenate([la1, [s[3] for s in WIFI_SITES], la2]),
        "lon": np.concatenate([lo1, [s[4] for s in WIFI_SITES], lo2]),
        "provider": pa.array(
            ["Telkom (Wifi.id)"] * 200 + list(rng.choice(["Telkom", "Iconnet", "Biznet"], n2))
        ),
        "funding": pa.array(["APBD"] * 200 + list(rng.choice(["APBD", "APBD", "APBD", "CSR"], n2))),
        "bandwidth_mbps": np.concatenate(
            [rng.choice([2.0, 5.0, 10.0], 200), rng.choice([20.0, 50.0, 100.0], n2)]
        ),
        "installed_on": np.concatenate(
            [np.datetime64("2016-03-01") + rng.integers(0, 280, 200).astype("m8[D]"), on2]
        ).astype("M8[D]"),
        "decommissioned_on": np.concatenate([off, np.full(n2, np.datetime64("NaT"), "M8[D]")]),
        "source": pa.array(
            [f"{SYN} (2016 programme of ~200 hotspots, rmolsumsel 2016)"] * 200
            + [
                f"{SYN} ({STUDY}; dates and coordinates synthetic)"
                if s[5]
                else f"{SYN} (plausible public site; dates synthetic)"
                for s in WIFI_SITES
            ]
            + [f"{SYN} (2025 expansion to 50 sites in all 18 kecamatan, beranjak.id 2025)"]
            * extra_kec.size
        ),
        "is_synthetic": const(True, 200 + n2, pa.bool_()),
    }
    return _finish(
        "wifi_hotspots",
        cols,
        ("installed_on", "decommissioned_on"),
        spec,
        bad=[("decommissioned_before_installed", _swap_dates)],
        key=["hotspot_id"],
    )


def _swap_dates(t: pa.Table, rows: IntArray, rng: np.random.Generator) -> pa.Table:
    on = t.column("installed_on").combine_chunks().take(rows).to_numpy(zero_copy_only=False)
    return defects.set_cells(t, "decommissioned_on", rows, pa.array(on - np.timedelta64(30, "D")))


def _finish(
    name: str,
    cols: dict[str, Any],
    dates_: tuple[str, str | None],
    spec: Spec,
    *,
    bad: list[tuple[str, defects.Apply | None]],
    key: list[str],
) -> defects.Result:
    start, stop = dates_
    cols = _clip_to(cols, start, stop, _end(spec))
    tbl = table(name, {k: (arr(v) if isinstance(v, np.ndarray) else v) for k, v in cols.items()})
    kinds = {
        k: defects.Kind(
            1 if tbl.num_rows >= 20 else 0,
            fn,
            defects.not_null(stop or start) if name == "wifi_hotspots" else defects.not_null(start),
        )
        for k, fn in bad
    }
    return defects.inject(tbl, kinds, stream(spec.seed, name, "defects"), key)


def cctv(spec: Spec) -> defects.Result:
    """cctv_cameras.csv: Lawang Jabo's 6 points (Dec 2017) growing to ~400, central-heavy."""
    rng, g = stream(spec.seed, "cctv"), geo(spec.seed)
    adds = {2018: 25, 2019: 60, 2020: 30, 2021: 40, 2022: 50, 2023: 60, 2024: 60, 2025: 70}
    year = np.concatenate([[y] * c for y, c in adds.items()])
    n = year.size
    w = kecamatan_population(2020) * np.where(g.central, 3.0, 1.0)
    kec = np.concatenate([[g.kec_index("1671041")] * 6, rng.choice(18, n, p=w / w.sum())])
    owner = rng.choice(4, n, p=[0.35, 0.25, 0.25, 0.15])
    ctype = np.where(
        (owner == 2) & (year >= 2021) & (rng.random(n) < 0.5), 2, (rng.random(n) < 0.2).astype(int)
    )
    lat, lon = _points(rng, g, kec)
    on = np.concatenate([np.full(6, np.datetime64("2017-12-22")), _days(rng, year)])
    off = np.where(
        rng.random(n + 6) < 0.08,
        on + rng.integers(300, 1500, n + 6).astype("m8[D]"),
        np.datetime64("NaT"),
    )
    road = rng.choice(len(ROADS), n)
    names = pa.concat_arrays(
        [
            pa.array([f"CCTV {s}" for s in LAWANG_JABO]),
            concat("CCTV ", pick(ROADS, road), " #", padded(rng.integers(1, 40, n), 2)),
        ]
    )
    cols = {
        "camera_id": concat("CAM", padded(np.arange(1, n + 7), 4)),
        "name": names,
        "kecamatan_code": pa.array(g.kec_code[kec]),
        "lat": lat,
        "lon": lon,
        "owner": pa.concat_arrays(
            [
                pa.array(["Diskominfo"] * 6),
                pick(["Dishub", "Diskominfo", "Polrestabes", "CSR"], owner),
            ]
        ),
        "camera_type": pa.concat_arrays(
            [pa.array(["ptz"] * 6), pick(["fixed", "ptz", "anpr"], ctype)]
        ),
        "is_intersection": np.concatenate(
            [[True] * 6, rng.random(n) < np.where(owner == 0, 0.9, 0.3)]
        ),
        "is_public": np.concatenate([[True] * 6, rng.random(n) < 0.7]),
        "installed_on": on,
        "decommissioned_on": off,
        "source": pa.array(
            [f"{SYN} (Lawang Jabo command centre points, idntimes 2019)"] * 6
            + [f"{SYN} (camera inventory)"] * n
        ),
        "is_synthetic": const(True, n + 6, pa.bool_()),
    }
    return _finish(
        "cctv_cameras",
        cols,
        ("installed_on", "decommissioned_on"),
        spec,
        bad=[("exact_duplicate", None)],
        key=["camera_id"],
    )


def fiber(spec: Spec) -> defects.Result:
    """fiber_segments.csv: homes passed follow a coverage path (central earlier and higher)."""
    rng, g = stream(spec.seed, "fiber"), geo(spec.seed)
    ops = ["Telkom IndiHome", "Biznet", "MyRepublic", "Iconnet", "XL Home"]
    op_from = np.array([2010, 2015, 2019, 2021, 2022])
    rows = []
    for y in range(2012, max(spec.last, 2012) + 1):
        cov = np.where(g.central, ramp(y, 2012, 0.12, 2025, 0.85), ramp(y, 2012, 0.02, 2025, 0.45))
        prev = np.where(
            g.central, ramp(y - 1, 2012, 0.12, 2025, 0.85), ramp(y - 1, 2012, 0.02, 2025, 0.45)
        )
        hh = kecamatan_population(y) / 3.9
        homes = np.maximum(cov - prev, 0.01) * hh if y > 2012 else cov * hh
        for k in range(18):
            m = 1 + rng.poisson(3)
            share = rng.dirichlet(np.ones(m))
            rows += [(y, k, h, rng.choice(np.flatnonzero(op_from <= y))) for h in homes[k] * share]
    year, kec, homes, op = (np.array(c) for c in zip(*rows, strict=True))
    dens = (kecamatan_population(2020) / 3.9 / g.kec_area)[kec]
    length = np.clip(
        np.round(homes / (dens * 0.25) * np.exp(0.3 * rng.standard_normal(year.size)), 2), 0.05, 40
    )
    cols = {
        "segment_id": concat("FO", padded(np.arange(1, year.size + 1), 5)),
        "operator": pick(ops, op),
        "kecamatan_code": pa.array(g.kec_code[kec]),
        "length_km": length,
        "homes_passed": pa.array(np.round(homes).astype(np.int32)),
        "built_on": _days(rng, year),
        "source": const(f"{SYN} (fibre roll-out)", year.size),
        "is_synthetic": const(True, year.size, pa.bool_()),
    }
    return _finish("fiber_segments", cols, ("built_on", None), spec, bad=[], key=["segment_id"])


def bts(spec: Spec) -> defects.Result:
    """bts_sites.csv: one row per site and technology; 4G from 2015, 5G from 2022."""
    rng, g = stream(spec.seed, "bts"), geo(spec.seed)
    dens = kecamatan_population(2020) / g.kec_area
    sites = np.round(g.kec_area * 0.6 * (dens / dens.mean()) ** 0.7 + 4).astype(int)
    kec = np.repeat(np.arange(18), sites)
    n = kec.size
    op = rng.choice(4, n, p=[0.4, 0.3, 0.2, 0.1])
    lat, lon = _points(rng, g, kec)
    periph = ~g.central[kec]
    tech_rows = []
    for t, (y0, y1, rad) in {
        "2G": (2004, 2012, 3.0),
        "3G": (2009, 2016, 1.8),
        "4G": (2015, 2024, 1.2),
        "5G": (2022, 2026, 0.4),
    }.items():
        has = np.ones(n, bool) if t != "5G" else (~periph) & (rng.random(n) < 0.35)
        yr = np.round(y0 + (y1 - y0) * rng.random(n) ** np.where(periph, 0.7, 1.6)).astype(int)
        idx = np.flatnonzero(has)
        tech_rows.append((idx, t, yr[idx], np.round(rad * np.where(periph[idx], 1.6, 1.0), 2)))
    idx = np.concatenate([r[0] for r in tech_rows])
    techs = np.concatenate([[r[1]] * r[0].size for r in tech_rows])
    ops = ["TSEL", "IOH", "XL", "SF"]
    cols = {
        "site_id": concat(pick(ops, op[idx]), "-PLG-", padded(idx + 1, 4), "-", pa.array(techs)),
        "operator": pick(
            ["Telkomsel", "Indosat Ooredoo Hutchison", "XL Axiata", "Smartfren"], op[idx]
        ),
        "kecamatan_code": pa.array(g.kec_code[kec[idx]]),
        "lat": lat[idx],
        "lon": lon[idx],
        "technology": pa.array(techs),
        "coverage_radius_km": np.concatenate([r[3] for r in tech_rows]),
        "on_air_on": _days(rng, np.concatenate([r[2] for r in tech_rows])),
        "source": const(f"{SYN} (BTS registry)", idx.size),
        "is_synthetic": const(True, idx.size, pa.bool_()),
    }
    return _finish(
        "bts_sites",
        cols,
        ("on_air_on", None),
        spec,
        bad=[
            (
                "coordinates_outside",
                lambda t, r, g_: defects.set_cells(t, "lat", r, [2.95] * r.size),
            )
        ],
        key=["site_id"],
    )

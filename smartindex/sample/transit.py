"""Public transport: LRT Sumsel, Trans Musi / Teman Bus corridors, LRT feeder angkot."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from smartindex.sample import facts
from smartindex.sample.common import SYN, Spec, arr, const, dates, jitter, stream, table
from smartindex.sample.geography import geo

LRT_STATIONS = [  # name, kecamatan, lat, lon (approximate)
    ("Bandara SMB II", "1671080", -2.8983, 104.7003),
    ("Asrama Haji", "1671080", -2.9185, 104.7103),
    ("Punti Kayu", "1671080", -2.9380, 104.7233),
    ("RSUD", "1671080", -2.9476, 104.7280),
    ("Garuda Dempo", "1671040", -2.9563, 104.7362),
    ("Demang", "1671040", -2.9625, 104.7406),
    ("Bumi Sriwijaya", "1671040", -2.9700, 104.7445),
    ("Dishub", "1671040", -2.9767, 104.7494),
    ("Cinde", "1671041", -2.9843, 104.7555),
    ("Ampera", "1671050", -2.9908, 104.7595),
    ("Polresta", "1671020", -3.0048, 104.7685),
    ("Jakabaring", "1671022", -3.0115, 104.7790),
    ("DJKA", "1671022", -3.0186, 104.7875),
]
# route_id, mode, name, operator, length, opened, closed, kecamatan path
Route = tuple[str, str, str, str, float, str, str | None, list[str]]
# route_id, name, kecamatan, lat, lon, opened, closed
StopRow = tuple[str, str, str, float, float, str, str | None]
ROUTES: list[Route] = [
    (
        "LRT-1",
        "lrt",
        "LRT Sumsel Bandara SMB II - DJKA",
        "PT KAI (Divre LRT Sumsel)",
        23.4,
        "2018-08-01",
        None,
        [],
    ),
    (
        "TM-1",
        "brt",
        "Trans Musi Koridor 1 Alang-Alang Lebar - Ampera",
        "PT SP2J",
        19.0,
        "2010-03-01",
        None,
        ["1671081", "1671080", "1671040", "1671041", "1671050"],
    ),
    (
        "TM-2",
        "brt",
        "Trans Musi Koridor 2 Perumnas - Ampera",
        "PT SP2J",
        12.5,
        "2010-06-01",
        "2021-12-31",
        ["1671070", "1671061", "1671051", "1671050"],
    ),
    (
        "TM-3",
        "brt",
        "Trans Musi Koridor 3 Plaju - Ampera",
        "PT SP2J",
        11.0,
        "2011-01-01",
        "2020-06-30",
        ["1671031", "1671030", "1671020"],
    ),
    (
        "TM-4",
        "brt",
        "Trans Musi Koridor 4 Kertapati - Ampera",
        "PT SP2J",
        10.5,
        "2012-01-01",
        "2019-12-31",
        ["1671021", "1671020", "1671050"],
    ),
    *[
        (
            f"TB-{i}",
            "brt",
            f"Teman Bus Koridor {i} {a} - {b}",
            "Kemenhub BTS (Teman Bus)",
            ln,
            "2020-06-01",
            close,
            path,
        )
        for i, a, b, ln, close, path in [
            (
                1,
                "Terminal Alang-Alang Lebar",
                "Jakabaring",
                24.0,
                None,
                ["1671081", "1671080", "1671040", "1671041", "1671020", "1671022"],
            ),
            (2, "Sako", "Bukit Kecil", 16.0, None, ["1671070", "1671061", "1671051", "1671041"]),
            (3, "Gandus", "Ilir Timur I", 14.0, "2024-12-31", ["1671011", "1671010", "1671050"]),
            (
                4,
                "Kertapati",
                "Plaju",
                17.0,
                "2024-12-31",
                ["1671021", "1671020", "1671030", "1671031"],
            ),
            (
                5,
                "Sematang Borang",
                "Ilir Timur II",
                15.0,
                "2024-12-31",
                ["1671071", "1671070", "1671061", "1671060"],
            ),
        ]
    ],
    *[
        (
            f"FD-{i}",
            "feeder",
            f"Feeder LRT {i} {name}",
            "Angkot feeder (Dishub Sumsel)",
            ln,
            "2022-10-01" if i <= 5 else "2023-06-01",
            None,
            path,
        )
        for i, name, ln, path in [
            (1, "Stasiun DJKA - Plaju", 9.0, ["1671022", "1671030", "1671031"]),
            (2, "Stasiun Polresta - Kertapati", 8.0, ["1671020", "1671021"]),
            (3, "Stasiun Ampera - Ilir Timur II", 7.5, ["1671050", "1671062", "1671060"]),
            (4, "Stasiun RSUD - Alang-Alang Lebar", 8.5, ["1671080", "1671081"]),
            (5, "Stasiun Demang - Kemuning", 6.5, ["1671040", "1671051"]),
            (6, "Stasiun Bumi Sriwijaya - Kalidoni", 10.0, ["1671040", "1671051", "1671061"]),
            (7, "Stasiun Cinde - Gandus", 9.5, ["1671041", "1671010", "1671011"]),
            (8, "Stasiun Asrama Haji - Sako", 12.0, ["1671080", "1671070", "1671071"]),
        ]
    ],
]


def routes_table(spec: Spec) -> pa.Table:
    """transit_routes.csv."""
    n = len(ROUTES)
    return table(
        "transit_routes",
        {
            "route_id": pa.array([r[0] for r in ROUTES]),
            "mode": pa.array([r[1] for r in ROUTES]),
            "name": pa.array([r[2] for r in ROUTES]),
            "operator": pa.array([r[3] for r in ROUTES]),
            "length_km": pa.array([r[4] for r in ROUTES]),
            "opened_on": dates([r[5] for r in ROUTES]),
            "closed_on": dates([r[6] for r in ROUTES]),
            "source": pa.array(
                [
                    f"{SYN} (LRT Sumsel: 13 stations, opened 2018-08-01, ~23 km)"
                    if r[1] == "lrt"
                    else f"{SYN} (corridor list modelled on Trans Musi/"
                    "Teman Bus/feeder news reports)"
                    for r in ROUTES
                ]
            ),
            "is_synthetic": const(True, n, pa.bool_()),
        },
    )


def stops_table(spec: Spec) -> pa.Table:
    """transit_stops.csv: 13 LRT stations and stops every ~600 m along bus/feeder paths."""
    rng, g = stream(spec.seed, "transit-stops"), geo(spec.seed)
    rows: list[StopRow] = [
        ("LRT-1", f"Stasiun LRT {s[0]}", s[1], s[2], s[3], "2018-08-01", None) for s in LRT_STATIONS
    ]
    for rid, _, _, _, length, opened, closed, path in ROUTES[1:]:
        k = np.array([g.kec_index(c) for c in path])
        m = max(4, round(length / 0.6))
        pos = np.linspace(0, k.size - 1, m)
        lat = np.interp(pos, np.arange(k.size), g.kec_lat[k])
        lon = np.interp(pos, np.arange(k.size), g.kec_lon[k])
        lat, lon = jitter(rng, lat, lon, 0.002)
        kec = [path[round(p)] for p in pos]
        rows += [
            (rid, f"Halte {rid} {j + 1:02d}", kec[j], lat[j], lon[j], opened, closed)
            for j in range(m)
        ]
    n = len(rows)
    cols = list(zip(*rows, strict=True))
    return table(
        "transit_stops",
        {
            "stop_id": pa.array([f"ST{i + 1:04d}" for i in range(n)]),
            "route_id": pa.array(cols[0]),
            "name": pa.array(cols[1]),
            "kecamatan_code": pa.array(cols[2]),
            "lat": pa.array(cols[3], pa.float64()),
            "lon": pa.array(cols[4], pa.float64()),
            "opened_on": dates(list(cols[5])),
            "closed_on": dates(list(cols[6])),
            "source": const(f"{SYN} (LRT station names public; other stops synthetic)", n),
            "is_synthetic": const(True, n, pa.bool_()),
        },
    )


def _annual(route: Route, year: int) -> tuple[float, str]:
    rid, mode = route[0], route[1]
    if rid == "LRT-1":
        if year in facts.LRT_ANNUAL:
            v, src = facts.LRT_ANNUAL[year]
            return v, f"{SYN} (monthly split of the official annual total {v:,}; {src})"
        table_ = {2018: 0.9e6, 2019: 2.4e6, 2020: 1.0e6, 2021: 1.3e6, 2022: 3.0e6}
        return table_.get(year, 4.35e6 * 1.04 ** (year - 2024)), f"{SYN} (LRT ridership; 2022 ~3 M)"
    if mode == "feeder":
        return 1.33e6 / 8 * (1.08 ** (year - 2023)), f"{SYN} (feeder ~31% of LRT riders, 2023)"
    if rid.startswith("TB"):
        first = facts.TEMAN_BUS_FIRST_YEAR / 5
        return first * {2020: 0.55, 2021: 1.0, 2022: 1.05, 2023: 1.1}.get(
            year, 1.15
        ), f"{SYN} (Teman Bus: 1.9 M riders in the first year on 5 corridors)"
    return 1.4e6 * 0.9 ** (year - 2016) * (
        0.5 if year == 2020 else 1.0
    ), f"{SYN} (Trans Musi ridership not published; declining)"


def ridership_table(spec: Spec) -> pa.Table:
    """transit_ridership.csv: monthly boardings per route while open."""
    rng = stream(spec.seed, "transit-ridership")
    season = np.array([0.95, 0.9, 1.0, 1.0, 0.95, 1.05, 1.1, 1.0, 0.95, 1.0, 1.0, 1.1])
    rows = []
    for route in ROUTES:
        opened, closed = np.datetime64(route[5], "M"), np.datetime64(route[6] or "2100-01", "M")
        for y in spec.years:
            months = np.arange(np.datetime64(f"{y}-01"), np.datetime64(f"{y + 1}-01"))
            live = (months >= opened) & (months <= closed)
            if not live.any():
                continue
            total, src = _annual(route, y)
            w = season * live * np.exp(0.05 * rng.standard_normal(12))
            vals = np.floor(total * w / w.sum())
            vals[np.flatnonzero(live)[-1]] += round(total) - vals.sum()
            rows += [(route[0], y, m + 1, int(vals[m]), src) for m in np.flatnonzero(live)]
    cols = list(zip(*rows, strict=True))
    n = len(rows)
    return table(
        "transit_ridership",
        {
            "route_id": pa.array(cols[0]),
            "year": pa.array(cols[1], pa.int32()),
            "month": pa.array(cols[2], pa.int32()),
            "boardings": arr(np.array(cols[3], np.int64)),
            "source": pa.array(cols[4]),
            "is_synthetic": const(True, n, pa.bool_()),
        },
    )

"""peer_indicator_values.csv and targets.csv (RPJMD-style yearly targets)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from smartindex.sample import facts
from smartindex.sample.common import SYN, Spec, ramp, stream, table
from smartindex.sample.geography import geo
from smartindex.sample.official import DEV, _anchor

# indicator: value 2016, value 2025, lower is better (peer values without raw records)
PEER_INDICATORS: dict[str, tuple[float, float, bool]] = {
    "GOV_FIRST_RESPONSE_WH": (24.0, 8.0, True),
    "GOV_VERIFIED_3WD": (90.0, 99.0, False),
    "GOV_FOLLOWUP_5WD": (80.0, 96.0, False),
    "GOV_DISPATCH_6H": (40.0, 80.0, False),
    "GOV_RESOLVED_30D": (82.0, 95.0, False),
    "PEO_CIVIC_REPORTERS": (1.0, 5.0, False),
    "ENV_FLOOD_REPORTS": (15.0, 60.0, True),
    "PEO_DIGITAL_LITERACY": (40.0, 58.0, False),
    "PEO_OPENNESS": (70.0, 76.0, False),
    "PEO_INTERNET_USE": (65.0, 88.0, False),
    "GOV_IKM": (75.0, 83.0, False),
    "LIV_SAFE_NIGHT": (48.0, 56.0, False),
    "MOB_WIFI_DENSITY": (5.0, 10.0, False),
    "LIV_CCTV_DENSITY": (0.2, 2.0, False),
    "MOB_FIBRE_HOMES": (30.0, 70.0, False),
    "MOB_4G_COVERAGE": (70.0, 98.0, False),
    "MOB_PT_ROUTE_KM": (8.0, 12.0, False),
    "MOB_PT_BOARDINGS": (10.0, 20.0, False),
    "MOB_PT_STOP_ACCESS": (40.0, 60.0, False),
    "ENV_PM25": (30.0, 28.0, True),
    "ENV_GOOD_AIR_DAYS": (88.0, 92.0, False),
    "GOV_ONLINE_SERVICES": (20.0, 75.0, False),
    "GOV_EGOV_ONLINE_SHARE": (15.0, 70.0, False),
}

# indicator: target 2016, target 2025 (ambitious; often missed)
TARGETS: dict[str, tuple[float, float]] = {
    "ECO_NEW_BUSINESS": (3.0, 10.0),
    "ECO_PATENTS": (3.0, 7.0),
    "ECO_PRODUCTIVITY": (120, 160),
    "ECO_UNEMPLOYMENT": (7.0, 5.5),
    "ECO_YOUTH_UNEMPLOYMENT": (18.0, 14.0),
    "ECO_INVESTMENT_PC": (2.5, 5.5),
    "ECO_DIGITAL_MSME": (20.0, 120.0),
    "PEO_TERTIARY": (15.0, 20.0),
    "PEO_SCHOOLING_YEARS": (10.8, 11.5),
    "PEO_LIBRARY_LOANS": (0.08, 0.15),
    "PEO_DIGITAL_LITERACY": (45.0, 60.0),
    "PEO_CREATIVE_EMPLOYMENT": (7.0, 9.0),
    "PEO_VOTER_TURNOUT": (70.0, 75.0),
    "PEO_CIVIC_REPORTERS": (1.0, 6.0),
    "PEO_OPENNESS": (75.0, 80.0),
    "PEO_INTERNET_USE": (70.0, 92.0),
    "GOV_ONLINE_SERVICES": (15.0, 70.0),
    "GOV_FIRST_RESPONSE_WH": (24.0, 7.0),
    "GOV_VERIFIED_3WD": (90.0, 100.0),
    "GOV_FOLLOWUP_5WD": (85.0, 100.0),
    "GOV_DISPATCH_6H": (40.0, 85.0),
    "GOV_RESOLVED_30D": (85.0, 97.0),
    "GOV_IKM": (76.0, 85.0),
    "GOV_EGOV_ONLINE_SHARE": (12.0, 65.0),
    "GOV_OPEN_DATA": (20.0, 80.0),
    "GOV_OMBUDSMAN": (70.0, 95.0),
    "GOV_SPBE": (2.3, 3.8),
    "GOV_WOMEN_COUNCIL": (30.0, 30.0),
    "MOB_PT_ROUTE_KM": (10.0, 14.0),
    "MOB_PT_BOARDINGS": (3.5, 6.0),
    "MOB_PT_STOP_ACCESS": (25.0, 50.0),
    "MOB_AIR_PASSENGERS": (2.6, 2.5),
    "MOB_HH_INTERNET": (60.0, 90.0),
    "MOB_FIBRE_HOMES": (30.0, 70.0),
    "MOB_4G_COVERAGE": (70.0, 99.0),
    "MOB_WIFI_DENSITY": (15.0, 3.0),
    "MOB_ROAD_ICT": (5.0, 40.0),
    "MOB_ROAD_DEATHS": (9.0, 5.5),
    "ENV_PM25": (30.0, 25.0),
    "ENV_GOOD_AIR_DAYS": (90.0, 95.0),
    "ENV_GREEN_AREA": (125.0, 130.0),
    "ENV_WASTE_SERVICE": (75.0, 92.0),
    "ENV_WASTE_PC": (0.16, 0.15),
    "ENV_WASTE_DIVERTED": (5.0, 20.0),
    "LIV_LIFE_EXPECTANCY": (70.0, 72.0),
    "LIV_PHYSICIANS": (85.0, 110.0),
    "LIV_CRIME": (330.0, 240.0),
    "LIV_CCTV_DENSITY": (0.1, 1.0),
    "LIV_SAFE_NIGHT": (50.0, 62.0),
    "LIV_ADEQUATE_HOUSING": (86.0, 95.0),
    "LIV_POVERTY": (10.5, 8.0),
    "LIV_TOURISTS": (1.2, 1.6),
    "LIV_CULTURE_FACILITIES": (10.0, 12.5),
}
KECAMATAN_TARGETS = {
    "GOV_RESOLVED_30D": False,
    "GOV_FIRST_RESPONSE_WH": True,
    "PEO_DIGITAL_LITERACY": False,
    "MOB_HH_INTERNET": False,
    "LIV_SAFE_NIGHT": False,
}  # value: lower is better
LATE_START = {"ECO_DIGITAL_MSME": 2020, "LIV_CCTV_DENSITY": 2018}


def plan_period(year: int) -> str:
    """The planning period (RPJMD / RPD) a real target for ``year`` would come from."""
    if year <= 2018:
        return "RPJMD Kota Palembang 2014-2018"
    if year <= 2023:
        return "RPJMD Kota Palembang 2019-2023"
    if year == 2024:
        return "RPD Kota Palembang 2024-2026"
    start = 2025 + 5 * ((year - 2025) // 5)
    return f"RPJMD Kota Palembang {start}-{start + 4}"


def document(year: int) -> str:
    """What the sample's target for ``year`` rests on: a synthetic path, never cited as the
    planning document itself (only the period it stands in for is named)."""
    return (
        f"synthetic target (illustrative path for the {plan_period(year)} period; "
        "not taken from the document)"
    )


def _target(code: str, year: int) -> float:
    a, b = TARGETS[code]
    v = a + (b - a) * (year - 2016) / 9
    if "PCT" in code or code in {"GOV_VERIFIED_3WD", "GOV_FOLLOWUP_5WD", "GOV_RESOLVED_30D"}:
        v = min(v, 100.0)
    return round(max(v, 0.0), 3)


def targets(spec: Spec) -> pa.Table:
    """targets.csv: yearly city targets, plus kecamatan targets for five indicators from 2019."""
    g = geo(spec.seed)
    rows = []
    for code in TARGETS:
        for y in spec.years:
            if y < LATE_START.get(code, 0):
                continue
            doc = document(y)
            rows.append((code, facts.CITY, y, _target(code, y), doc))
            if code in KECAMATAN_TARGETS and y >= 2019:
                lower = KECAMATAN_TARGETS[code]
                for kc, zone in zip(g.kec_code, g.kec_zone, strict=True):
                    ease = 1.0 if zone == "pusat" else (1.15 if lower else 0.95)
                    rows.append(
                        (
                            code,
                            kc,
                            y,
                            round(_target(code, y) * ease, 3),
                            f"Renstra kecamatan ({doc})",
                        )
                    )
    cols = list(zip(*rows, strict=True))
    n = len(rows)
    return table(
        "targets",
        {
            "indicator_code": pa.array(cols[0]),
            "kode_wilayah": pa.array(cols[1]),
            "year": pa.array(cols[2], pa.int32()),
            "target": pa.array(cols[3], pa.float64()),
            "document": pa.array(cols[4]),
            "source": pa.array([f"{SYN} (RPJMD-style target path; not the real document)"] * n),
            "is_synthetic": pa.array([True] * n),
        },
    )


def peer_values(spec: Spec) -> pa.Table:
    """peer_indicator_values.csv: official where sourced, synthetic fill otherwise."""
    rng = stream(spec.seed, "peer-values")
    years = list(spec.years)
    rows = []
    for p in facts.PEERS:
        for code, (a, b, lower) in PEER_INDICATORS.items():
            dev = DEV[p.code] ** (-0.5 if lower else 0.5)
            s = (
                np.array([ramp(y, 2016, a, 2025, b) for y in years])
                * dev
                * np.exp(0.03 * rng.standard_normal(len(years)))
            )
            off = {o.year: o for o in facts.PEER_INDICATORS if o.code == p.code and o.stat == code}
            s = _anchor(s, years, {y: o.value for y, o in off.items()})
            for i, y in enumerate(years):
                if y in off:
                    rows.append(
                        (
                            p.code,
                            y,
                            code,
                            off[y].value,
                            f"{off[y].publisher}: {off[y].source} ({y})",
                            False,
                        )
                    )
                else:
                    v = min(s[i], 99.5) if b <= 100 and a >= 1 else s[i]
                    rows.append(
                        (
                            p.code,
                            y,
                            code,
                            round(float(v), 3),
                            f"{SYN} (peer estimate scaled from Palembang-like paths)",
                            True,
                        )
                    )
    cols = list(zip(*rows, strict=True))
    return table(
        "peer_indicator_values",
        {
            "kode_wilayah": pa.array(cols[0]),
            "year": pa.array(cols[1], pa.int32()),
            "indicator_code": pa.array(cols[2]),
            "value": pa.array(cols[3], pa.float64()),
            "source": pa.array(cols[4]),
            "is_synthetic": pa.array(cols[5], pa.bool_()),
        },
    )

"""Yearly citizen survey: digital literacy, IKM (U1–U9), safety, openness, internet access."""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from smartindex.sample import defects, facts, people
from smartindex.sample.common import (
    SYN,
    BoolArray,
    FloatArray,
    IntArray,
    Spec,
    concat,
    const,
    padded,
    pick,
    ramp,
    stream,
    table,
)
from smartindex.sample.geography import Geo, geo, kecamatan_at, kecamatan_population

AGE_BANDS = ["15-24", "25-34", "35-44", "45-54", "55-64", "65+"]
AGE_P = np.array([0.22, 0.22, 0.20, 0.16, 0.12, 0.08])
EDUCATION = ["SD", "SMP", "SMA/SMK", "D1-D3", "S1", "S2-S3"]
EDU_P = {True: [0.08, 0.12, 0.42, 0.10, 0.24, 0.04], False: [0.15, 0.20, 0.42, 0.07, 0.14, 0.02]}
OCCUPATIONS = [
    "pelajar/mahasiswa",
    "PNS/TNI/Polri",
    "karyawan swasta",
    "wiraswasta",
    "buruh",
    "petani/nelayan",
    "ibu rumah tangga",
    "tidak bekerja",
    "pensiunan",
]
OCC_P = [0.12, 0.07, 0.22, 0.2, 0.1, 0.02, 0.15, 0.08, 0.04]
PILLARS = {"skills": -0.02, "ethics": 0.14, "safety": -0.42, "culture": 0.30}  # 2022 offsets
IKM_OFFSET = np.array([0.05, 0.0, -0.2, 0.25, 0.05, 0.05, 0.1, -0.25, 0.0])
# (central 2016, central 2025, peripheral 2016, peripheral 2025)
HOME_INTERNET = (0.72, 0.88, 0.48, 0.70)
USED_INTERNET = (0.78, 0.95, 0.58, 0.86)


def size(scale: float) -> tuple[int, int]:
    """(respondents per year, minimum per kecamatan): 2 000 and 60 at scale 1."""
    return max(18, round(2000 * scale)), max(1, math.ceil(60 * scale))


def national_dl(year: int) -> float:
    """National digital-literacy index (Kominfo/KIC) with a synthetic extension outside 2020–23."""
    ys = sorted(facts.DIGITAL_LITERACY)
    if year < ys[0]:
        return facts.DIGITAL_LITERACY[ys[0]] - 0.03 * (ys[0] - year)
    if year > ys[-1]:
        return facts.DIGITAL_LITERACY[ys[-1]] + 0.04 * (year - ys[-1])
    return float(np.interp(year, ys, [facts.DIGITAL_LITERACY[y] for y in ys]))


def _allocate(g: Geo, year: int, scale: float) -> IntArray:
    n, floor = size(scale)
    pop = kecamatan_population(year).astype(float)
    rest = max(0, n - floor * pop.size)
    raw = rest * pop / pop.sum()
    k = np.floor(raw).astype(int)
    k[np.argsort(raw - k)[::-1][: rest - k.sum()]] += 1
    return np.repeat(np.arange(pop.size), k + floor)


def _kelurahan(rng: np.random.Generator, g: Geo, kec: IntArray) -> IntArray:
    out = np.empty(kec.size, dtype=np.int64)
    for i in range(g.kec_code.size):
        m = kec == i
        members = np.flatnonzero(g.kel_kec == i)
        w = g.kel_weight[members]
        out[m] = rng.choice(members, m.sum(), p=w / w.sum())
    return out


def _likert(
    base: FloatArray, noise: float, lo: int, hi: int, rng: np.random.Generator
) -> NDArray[np.int32]:
    return np.clip(np.round(base + noise * rng.standard_normal(base.size)), lo, hi).astype(np.int32)


def _access(
    rng: np.random.Generator, year: int, central: BoolArray, edu: IntArray, age: IntArray
) -> tuple[BoolArray, BoolArray, BoolArray]:
    def share(p: tuple[float, float, float, float]) -> FloatArray:
        return np.where(
            central, ramp(year, 2016, p[0], 2025, p[1]), ramp(year, 2016, p[2], 2025, p[3])
        )

    tilt = 0.06 * (edu - 2.5) / 2.5 - 0.08 * (age >= 4)
    home = rng.random(central.size) < np.clip(share(HOME_INTERNET) + tilt, 0.02, 0.99)
    target = share(USED_INTERNET)
    p_home = share(HOME_INTERNET)
    p_other = np.clip((target - 0.97 * p_home) / (1 - p_home), 0, 1)
    used = np.where(
        home,
        rng.random(central.size) < 0.97,
        rng.random(central.size) < np.clip(p_other + tilt, 0, 1),
    )
    egov = used & (
        rng.random(central.size) < ramp(year, 2016, 0.2, 2025, 0.6) * np.where(central, 1.1, 0.85)
    )
    return home, used, egov


def responses(spec: Spec, year: int) -> defects.Result:
    """survey_responses_<year>: one row per respondent with design weights."""
    rng, g = stream(spec.seed, "survey", year), geo(spec.seed)
    kec = _allocate(g, year, spec.scale)
    n = kec.size
    kel = _kelurahan(rng, g, kec)
    central = g.central[kec]
    sex = rng.integers(0, 2, n)
    age = rng.choice(6, n, p=AGE_P)
    edu = np.where(central, rng.choice(6, n, p=EDU_P[True]), rng.choice(6, n, p=EDU_P[False]))
    occ = rng.choice(len(OCCUPATIONS), n, p=OCC_P)
    occ = np.where((age == 0) & (rng.random(n) < 0.6), 0, occ)
    home, used, egov = _access(rng, year, central, edu, age)
    cell = (kec * 2 + sex) * 6 + age
    pop = kecamatan_population(year)
    universe = pop[kec] * 0.5 * AGE_P[age] * 0.8  # population 15+
    weight = np.round(universe / np.bincount(cell, minlength=cell.max() + 1)[cell], 3)
    person = 0.45 * rng.standard_normal(n)
    base = (
        national_dl(year)
        + np.where(central, 0.12, -0.12)
        + 0.12 * (edu - 2.5)
        - 0.08 * (age - 2)
        - 0.3 * ~used
        + person
    )
    cols: dict[str, object] = {}
    for pillar, off in PILLARS.items():
        for i in (1, 2):
            cols[f"dl_{pillar}_{i}"] = pa.array(_likert(base + off, 0.55, 1, 5, rng))
    sat = ramp(year, 2016, 3.0, 2025, 3.3) + 0.35 * rng.standard_normal(n)
    for i in range(9):
        cols[f"ikm_u{i + 1}"] = pa.array(_likert(sat + IKM_OFFSET[i], 0.45, 1, 4, rng))
    night = 3.3 + np.where(central, 0.2, -0.1) - 0.35 * sex + 0.02 * (year - 2016)
    ids = year * 1_000_000 + np.arange(n)
    phone = people.phones(ids + 7_000_000_000, spec.seed)
    cols |= {
        "respondent_id": concat("SV", str(year), padded(np.arange(1, n + 1), 6)),
        "survey_year": pa.array(np.full(n, year, np.int32)),
        "wave_date": pa.array(np.datetime64(f"{year}-09-15") + rng.integers(0, 62, n)),
        "kecamatan_code": pa.array(kecamatan_at(g.kec_code[kec], year)),
        "kelurahan_code": pick(list(g.kel_code), kel),
        "age_band": pick(AGE_BANDS, age),
        "sex": pick(["L", "P"], sex),
        "education": pick(EDUCATION, edu),
        "occupation": pick(OCCUPATIONS, occ),
        "weight": pa.array(weight),
        "phone": pa.array(
            np.where(rng.random(n) < 0.2, None, phone.to_numpy(zero_copy_only=False)), pa.string()
        ),
        "has_home_internet": pa.array(home),
        "used_internet_3m": pa.array(used),
        "used_egov_12m": pa.array(egov),
        "safe_night": pa.array(_likert(night, 0.9, 1, 5, rng)),
        "openness": pa.array(_likert(np.full(n, 3.9), 0.9, 1, 5, rng)),
        "source": const(
            f"{SYN} (citizen survey; digital-literacy prior: Kominfo/KIC national index)", n
        ),
        "is_synthetic": const(True, n, pa.bool_()),
    }
    return defects.inject(
        table("survey_responses", cols),
        _defects(n),
        stream(spec.seed, "survey-defects", year),
        ["respondent_id"],
    )


def _defects(n: int) -> dict[str, defects.Kind]:
    c = defects.counts(
        n,
        0.002,
        [
            "exact_duplicate",
            "duplicate_key",
            "missing_required",
            "likert_out_of_range",
            "unknown_kelurahan",
        ],
    )

    def bad_likert(t: pa.Table, rows: IntArray, rng: np.random.Generator) -> pa.Table:
        cols = ["dl_skills_1", "dl_safety_2", "ikm_u3", "safe_night"]
        for k, col in enumerate(cols):
            sub = rows[k :: len(cols)]
            if sub.size:
                t = defects.set_cells(t, col, sub, [9 if col != "ikm_u3" else 5] * sub.size)
        return t

    return {
        "exact_duplicate": defects.Kind(c["exact_duplicate"]),
        "duplicate_key": defects.Kind(
            c["duplicate_key"],
            lambda t, r, g: defects.set_cells(
                t,
                "sex",
                r,
                [
                    "P" if s == "L" else "L"
                    for s in t.column("sex").combine_chunks().take(r).to_pylist()
                ],
            ),
        ),
        "missing_required": defects.Kind(c["missing_required"], defects.set_null("weight")),
        "likert_out_of_range": defects.Kind(c["likert_out_of_range"], bad_likert),
        "unknown_kelurahan": defects.Kind(
            c["unknown_kelurahan"],
            lambda t, r, g: defects.set_cells(
                t,
                "kelurahan_code",
                r,
                [
                    k[:7] + "999"
                    for k in t.column("kelurahan_code").combine_chunks().take(r).to_pylist()
                ],
            ),
        ),
    }

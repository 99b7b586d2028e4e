"""Complaint tickets (SP4N-LAPOR!, Halo Palembang, social media …), one table per year."""

from __future__ import annotations

from typing import cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from smartindex.sample import defects, people, vocab
from smartindex.sample.common import (
    HOUR,
    SYN,
    BoolArray,
    FloatArray,
    IntArray,
    Spec,
    TimeArray,
    add_working_hours,
    arr,
    concat,
    const,
    jitter,
    lognormal,
    padded,
    pick,
    ramp,
    stream,
    table,
    to_working_time,
    year_dates,
)
from smartindex.sample.geography import geo, kecamatan_at, kelurahan_population

CATS = list(vocab.CATEGORIES)
CHANNELS = list(vocab.CHANNELS)
AGENCIES = sorted({a for c in vocab.CATEGORIES.values() for a in c[2]} | {vocab.LOCAL_HANDLER})
DIURNAL = np.array(
    [
        0.3,
        0.2,
        0.1,
        0.1,
        0.2,
        0.6,
        1.2,
        2.2,
        3.0,
        3.2,
        3.0,
        2.6,
        2.2,
        2.4,
        2.6,
        2.4,
        2.2,
        2.0,
        1.8,
        2.0,
        2.2,
        2.0,
        1.4,
        0.8,
    ]
)
STAGES = ["verified_at", "dispatched_at", "first_response_at", "resolved_at", "closed_at"]
DEFECT_RATE = 0.0007


def volume(year: int, scale: float) -> int:
    """Tickets per year: ~2 000 (2016) growing to ~14 000 (2025) at scale 1."""
    base = 2000 * 7 ** ((year - 2016) / 9) if year <= 2025 else 14000 * 1.03 ** (year - 2025)
    return max(1, round(base * scale))


def _category_month(rng: np.random.Generator, year: int, n: int) -> tuple[IntArray, IntArray]:
    w = np.ones((len(CATS), 12)) * np.array([c[0] for c in vocab.CATEGORIES.values()])[:, None]
    w[CATS.index("banjir_drainase")] *= vocab.RAINY
    haze = vocab.HAZE.copy()
    haze[7:10] *= vocab.HAZE_YEARS.get(year, 1.0)
    w[CATS.index("kabut_asap")] *= haze
    flat = rng.choice(w.size, n, p=(w / w.sum()).ravel())
    return flat // 12, flat % 12 + 1


def _created(rng: np.random.Generator, year: int, month: IntArray) -> TimeArray:
    day = year_dates(rng, year, month).astype("M8[D]")
    hour = rng.choice(24, month.size, p=DIURNAL / DIURNAL.sum())
    secs = hour * 3600 + rng.integers(0, 3600, month.size)
    return cast(TimeArray, day.astype("M8[s]") + secs.astype("m8[s]"))


def _channels(rng: np.random.Generator, year: int, created: TimeArray) -> IntArray:
    share = np.array(
        [
            ramp(year, 2016, a, 2025, b) if year >= first else 0.0
            for a, b, first in vocab.CHANNELS.values()
        ]
    )
    ch = rng.choice(len(CHANNELS), created.size, p=share / share.sum())
    early = (ch == CHANNELS.index("halo_palembang")) & (created < np.datetime64(vocab.HALO_LAUNCH))
    ch[early] = CHANNELS.index("whatsapp")
    return ch


def _agency(rng: np.random.Generator, cat: IntArray) -> IntArray:
    out = np.empty(cat.size, dtype=np.int64)
    for i, (_, _, agencies, _) in enumerate(vocab.CATEGORIES.values()):
        m = cat == i
        ids = np.array([AGENCIES.index(a) for a in agencies])
        out[m] = ids[rng.integers(0, ids.size, m.sum())]
    local = rng.random(cat.size) < 0.08
    out[local] = AGENCIES.index(vocab.LOCAL_HANDLER)
    return out


def _timeline(
    rng: np.random.Generator, year: int, created: TimeArray, cat: IntArray, peripheral: BoolArray
) -> dict[str, TimeArray]:
    """Verification → dispatch → first response → resolution in working hours; then closure."""
    n = created.size
    f = np.exp(-0.09 * (year - 2016)) * np.where(peripheral, 1.35, 1.0)
    cat_f = np.array([c[1] for c in vocab.CATEGORIES.values()])[cat]
    t = {"verified_at": add_working_hours(created, lognormal(rng, 3.0 * f, 1.0, n))}
    t["dispatched_at"] = add_working_hours(t["verified_at"], lognormal(rng, 4.0 * f, 1.0, n))
    t["first_response_at"] = add_working_hours(t["dispatched_at"], lognormal(rng, 14.0 * f, 1.1, n))
    t["resolved_at"] = add_working_hours(
        t["first_response_at"], lognormal(rng, 30.0 * f * cat_f, 1.25, n)
    )
    close_h = np.minimum(lognormal(rng, 20.0, 0.9, n), 72.0)
    t["closed_at"] = t["resolved_at"] + (close_h * 3600).astype("m8[s]")
    t["closed_at"][rng.random(n) < 0.1] = np.datetime64("NaT")
    return t


def _outcomes(rng: np.random.Generator, year: int, t: dict[str, TimeArray]) -> IntArray:
    """Cut timelines for returned, rejected and stalled tickets; return the outcome code."""
    n = t["verified_at"].size
    u = rng.random(n)
    p_ret, p_rej, p_stuck = (
        ramp(year, 2016, 0.05, 2025, 0.02),
        0.015,
        ramp(year, 2016, 0.035, 2025, 0.012),
    )
    outcome = np.select([u < p_ret, u < p_ret + p_rej, u < p_ret + p_rej + p_stuck], [7, 6, 1], 0)
    stall_at = rng.integers(1, 4, n)  # stuck after dispatch, first response or verification
    for k, col in enumerate(STAGES):
        cut = (outcome >= 6) & (k >= 1) | (outcome == 1) & (k >= stall_at)
        t[col] = np.where(cut, np.datetime64("NaT"), t[col])
    return outcome


def _status(t: dict[str, TimeArray], outcome: IntArray) -> IntArray:
    has = {c: ~np.isnat(v) for c, v in t.items()}
    return np.select(
        [
            has["closed_at"],
            has["resolved_at"],
            has["first_response_at"],
            has["dispatched_at"],
            has["verified_at"] & (outcome == 7),
            has["verified_at"] & (outcome == 6),
            has["verified_at"],
        ],
        [5, 4, 3, 2, 7, 6, 1],
        0,
    )


def _ratings(
    rng: np.random.Generator, year: int, status: IntArray, created: TimeArray, resolved: TimeArray
) -> FloatArray:
    gap = resolved - created
    hours = np.where(np.isnat(gap), np.nan, gap.astype("m8[s]").astype(np.float64) / 3600)
    score = (
        4.5
        - 0.45 * np.log1p(np.nan_to_num(hours, nan=500) / 24)
        + 0.9 * rng.standard_normal(status.size)
    )
    rated = (
        (status >= 4)
        & (status <= 5)
        & (rng.random(status.size) < ramp(year, 2016, 0.2, 2025, 0.55))
    )
    return np.where(rated, np.clip(np.round(score), 1, 5), np.nan)


def _description(rng: np.random.Generator, cat: IntArray, kel_name: pa.Array) -> pa.Array:
    tpls = [(i, t.split("|")) for i, c in enumerate(vocab.CATEGORIES.values()) for t in c[3]]
    first = np.array([next(j for j, (i, _) in enumerate(tpls) if i == c) for c in range(len(CATS))])
    count = np.bincount([i for i, _ in tpls], minlength=len(CATS))
    t = first[cat] + (rng.random(cat.size) * count[cat]).astype(np.int64)
    return concat(
        pick([p[0] for _, p in tpls], t), "Kel. ", kel_name, pick([p[1] for _, p in tpls], t)
    )


def complaints(spec: Spec, year: int) -> defects.Result:
    """complaints_<year>: tickets with timelines, raw and canonical status, reporters."""
    rng, g = stream(spec.seed, "complaints", year), geo(spec.seed)
    n = volume(year, spec.scale)
    cat, month = _category_month(rng, year, n)
    created = _created(rng, year, month)
    ch = _channels(rng, year, created)
    cutoff = np.datetime64(f"{year + 1}-01-01T00:00:00")
    office = to_working_time(created)
    walk = (ch == CHANNELS.index("walk_in")) & (office < cutoff)
    created = np.where(walk, office, created)
    order = np.argsort(created, kind="stable")
    created, cat, ch, walk = created[order], cat[order], ch[order], walk[order]
    pop = kelurahan_population(g, year) * np.where(g.central[g.kel_kec], 1.25, 0.85)
    kel = rng.choice(g.kel_code.size, n, p=pop / pop.sum())
    kec_i = g.kel_kec[kel]
    t = _timeline(rng, year, created, cat, ~g.central[kec_i])
    outcome = _outcomes(rng, year, t)
    t = {c: np.where(v >= cutoff, np.datetime64("NaT"), v) for c, v in t.items()}
    status = _status(t, outcome)
    lat, lon = jitter(rng, g.kel_lat[kel], g.kel_lon[kel], np.sqrt(g.kel_area[kel]) / 111 * 0.3)
    seq = np.arange(1, n + 1)
    reporter = np.floor(volume(year, spec.scale) * 0.9 * rng.random(n) ** 2.5).astype(np.int64)
    reporter += int(year) * 10_000_000
    anon = rng.random(n) < 0.12
    rep_mask = pa.array(anon)
    phone = people.phones(reporter, spec.seed)
    no_phone = anon | walk & (rng.random(n) < 0.5)
    raw = [s for c in CHANNELS for s in vocab.RAW_STATUS[c]]
    reopen = np.where(status >= 4, rng.choice(4, n, p=[0.93, 0.05, 0.015, 0.005]), 0)
    cols = {
        "ticket_id": concat("PLG", str(year), padded(seq, 7)),
        "ticket_code": concat(
            pick([vocab.CODE_PREFIX[c] + "-" for c in CHANNELS], ch), str(year), "-", padded(seq, 6)
        ),
        "channel": pick(CHANNELS, ch),
        "category": pick(CATS, cat),
        "description": _description(rng, cat, pick(list(g.kel_name), kel)),
        "kelurahan_code": pick(list(g.kel_code), kel),
        "kecamatan_code": pa.array(kecamatan_at(g.kec_code[kec_i], year)),
        "lat": arr(lat),
        "lon": arr(lon),
        "agency": pick(AGENCIES, _agency(rng, cat)),
        "status_raw": pick(raw, ch * 8 + status),
        "status": pick(vocab.CANONICAL, status),
        "reporter_id": pc.if_else(
            rep_mask, pa.scalar(None, pa.string()), concat("R", padded(reporter, 11))
        ),
        "reporter_name": pc.if_else(
            rep_mask, pa.scalar(None, pa.string()), people.names(reporter, spec.seed)
        ),
        "reporter_phone": pc.if_else(pa.array(no_phone), pa.scalar(None, pa.string()), phone),
        "created_at": arr(created),
        **{c: arr(v) for c, v in t.items()},
        "reopen_count": pa.array(reopen, pa.int32()),
        "rating": arr(_ratings(rng, year, status, created, t["resolved_at"]), pa.int32()),
        "source": const(f"{SYN} (complaint tickets shaped like SP4N-LAPOR!/CRM/Open311)", n),
        "is_synthetic": const(True, n, pa.bool_()),
    }
    return defects.inject(
        table("complaints", cols),
        _defects(n),
        stream(spec.seed, "complaints-defects", year),
        ["ticket_id"],
    )


def _defects(n: int) -> dict[str, defects.Kind]:
    c = defects.counts(
        n,
        DEFECT_RATE,
        [
            "exact_duplicate",
            "duplicate_key",
            "missing_required",
            "resolved_before_created",
            "future_date",
            "unknown_kelurahan",
            "coordinates_outside",
            "negative_count",
            "rating_out_of_range",
        ],
    )
    return {
        "exact_duplicate": defects.Kind(c["exact_duplicate"]),
        "duplicate_key": defects.Kind(c["duplicate_key"], _resubmitted),
        "missing_required": defects.Kind(c["missing_required"], _missing),
        "resolved_before_created": defects.Kind(
            c["resolved_before_created"], _resolved_early, defects.not_null("resolved_at")
        ),
        "future_date": defects.Kind(c["future_date"], defects.future_year("created_at")),
        "unknown_kelurahan": defects.Kind(c["unknown_kelurahan"], _unknown_kel),
        "coordinates_outside": defects.Kind(c["coordinates_outside"], _outside),
        "negative_count": defects.Kind(
            c["negative_count"],
            lambda t, r, g: defects.set_cells(t, "reopen_count", r, [-1] * r.size),
        ),
        "rating_out_of_range": defects.Kind(
            c["rating_out_of_range"],
            lambda t, r, g: defects.set_cells(
                t, "rating", r, [6 if i % 2 else 0 for i in range(r.size)]
            ),
        ),
        "formula_text": defects.Kind(
            min(1, c["exact_duplicate"]),
            lambda t, r, g: defects.set_cells(
                t, "description", r, ['=HYPERLINK("http://x","klik")'] * r.size
            ),
            note=True,
        ),
    }


def _resubmitted(t: pa.Table, rows: IntArray, rng: np.random.Generator) -> pa.Table:
    desc = pc.binary_join_element_wise(
        t.column("description").combine_chunks().take(rows),
        pa.array([" (kiriman ulang)"] * rows.size),
        "",
    )
    return defects.set_cells(t, "description", rows, desc)


def _missing(t: pa.Table, rows: IntArray, rng: np.random.Generator) -> pa.Table:
    for k, col in enumerate(["category", "kecamatan_code", "channel", "created_at"]):
        sub = rows[k::4]
        if sub.size:
            t = defects.set_null(col)(t, sub, rng)
    return t


def _resolved_early(t: pa.Table, rows: IntArray, rng: np.random.Generator) -> pa.Table:
    created = t.column("created_at").combine_chunks().take(rows).to_numpy(zero_copy_only=False)
    return defects.set_cells(
        t,
        "resolved_at",
        rows,
        pa.array(created - (lognormal(rng, 30.0, 0.8, rows.size) * HOUR).astype("m8[s]")),
    )


def _unknown_kel(t: pa.Table, rows: IntArray, rng: np.random.Generator) -> pa.Table:
    kel = t.column("kelurahan_code").combine_chunks().take(rows).to_pylist()
    return defects.set_cells(t, "kelurahan_code", rows, [k[:7] + "999" for k in kel])


def _outside(t: pa.Table, rows: IntArray, rng: np.random.Generator) -> pa.Table:
    lat = t.column("lat").combine_chunks().take(rows).to_numpy(zero_copy_only=False)
    lon = t.column("lon").combine_chunks().take(rows).to_numpy(zero_copy_only=False)
    swap = np.arange(rows.size) % 2 == 0
    t = defects.set_cells(t, "lat", rows, np.where(swap, lon, 0.0).tolist())
    return defects.set_cells(t, "lon", rows, np.where(swap, lat, 0.0).tolist())

"""Air-quality sensors and daily PM2.5/PM10 with Sep–Oct haze (severe in 2019 and 2023)."""

from __future__ import annotations

from typing import cast

import numpy as np
import pyarrow as pa
from scipy.signal import lfilter

from smartindex.sample import defects
from smartindex.sample.common import (
    SYN,
    FloatArray,
    Spec,
    TimeArray,
    arr,
    const,
    dates,
    stream,
    table,
)
from smartindex.sample.geography import geo

# name, kecamatan, type, installed, decommissioned
SENSORS = [
    ("BMKG Stasiun Talang Betutu", "1671080", "reference", "2015-01-01", None),
    ("AQMS KLHK Palembang (DLH Provinsi)", "1671040", "reference", "2017-07-01", None),
    ("AQMS DLH Kota Jakabaring", "1671022", "reference", "2020-03-01", None),
    *[
        (f"Sensor udara murah {n}", k, "low_cost", d, off)
        for n, k, d, off in [
            ("Kambang Iwak", "1671041", "2019-08-01", None),
            ("Pasar 16 Ilir", "1671050", "2019-08-01", None),
            ("Plaju", "1671031", "2019-08-15", "2022-06-30"),
            ("Sako", "1671070", "2019-09-01", None),
            ("Gandus", "1671011", "2019-09-01", None),
            ("Kertapati", "1671021", "2020-01-15", None),
            ("Kalidoni", "1671061", "2020-06-01", None),
            ("Sukarami", "1671080", "2021-02-01", None),
            ("Alang-Alang Lebar", "1671081", "2021-02-01", "2024-03-31"),
            ("Sematang Borang", "1671071", "2022-07-01", None),
            ("Kemuning", "1671051", "2023-01-10", None),
            ("Seberang Ulu II", "1671030", "2023-01-10", None),
        ]
    ],
]
HAZE_AMPLITUDE = {2015: 8.0, 2019: 5.0, 2023: 3.6}
HAZE_DEFAULT = 0.9


def sensors_table(spec: Spec) -> pa.Table:
    """aq_sensors.csv (clean reference for readings)."""
    rng, g = stream(spec.seed, "aq-sensors"), geo(spec.seed)
    k = np.array([g.kec_index(s[1]) for s in SENSORS])
    lat = np.round(g.kec_lat[k] + 0.004 * rng.standard_normal(k.size), 6)
    lon = np.round(g.kec_lon[k] + 0.004 * rng.standard_normal(k.size), 6)
    n = len(SENSORS)
    return table(
        "aq_sensors",
        {
            "sensor_id": pa.array([f"AQ{i + 1:02d}" for i in range(n)]),
            "name": pa.array([s[0] for s in SENSORS]),
            "kecamatan_code": pa.array([s[1] for s in SENSORS]),
            "lat": arr(lat),
            "lon": arr(lon),
            "sensor_type": pa.array([s[2] for s in SENSORS]),
            "installed_on": dates([s[3] for s in SENSORS]),
            "decommissioned_on": dates([s[4] for s in SENSORS]),
            "source": const(
                f"{SYN} (station list modelled on BMKG/KLHK/DLH and community sensors)", n
            ),
            "is_synthetic": const(True, n, pa.bool_()),
        },
    )


def city_signal(rng: np.random.Generator, days: TimeArray) -> FloatArray:
    """City-wide daily PM2.5 (µg/m³): dry-season rise, haze bump around mid-September."""
    doy = (days - days.astype("M8[Y]")).astype(int)
    year = days.astype("M8[Y]").astype(int) + 1970
    season = 1 + 0.35 * np.exp(-(((doy - 220) / 55.0) ** 2))
    amp = np.array([HAZE_AMPLITUDE.get(int(y), HAZE_DEFAULT) for y in year])
    haze = 1 + amp * np.exp(-(((doy - 263) / 16.0) ** 2))
    noise = lfilter([1.0], [1.0, -0.7], 0.25 * rng.standard_normal(days.size))
    return cast(FloatArray, 19.0 * season * haze * np.exp(noise))


def readings(spec: Spec) -> defects.Result:
    """aq_readings.parquet: one row per sensor and day while installed; gaps and QC flags."""
    rng = stream(spec.seed, "aq-readings")
    days = np.arange(np.datetime64(f"{spec.first}-01-01"), np.datetime64(f"{spec.last + 1}-01-01"))
    city = city_signal(rng, days)
    parts = []
    for i, (_, _, kind, on, off) in enumerate(SENSORS):
        live = (days >= np.datetime64(on)) & (days <= np.datetime64(off or "2100-01-01"))
        d = days[live]
        if d.size == 0:
            continue
        low = kind == "low_cost"
        pm25 = (
            city[live]
            * (1.2 if low else 1.0)
            * np.exp((0.25 if low else 0.12) * rng.standard_normal(d.size))
        )
        hours = np.where(
            rng.random(d.size) < (0.08 if low else 0.03), rng.integers(0, 24, d.size), 24
        )
        keep = rng.random(d.size) > (0.04 if low else 0.01)  # days with no record at all
        parts.append((np.full(keep.sum(), i), d[keep], pm25[keep], hours[keep]))
    sid, day, pm25, hours = (np.concatenate(c) for c in zip(*parts, strict=True))
    pm25 = np.where(hours == 0, np.nan, np.round(pm25, 1))
    pm10 = np.round(pm25 * (1.45 + 0.2 * rng.random(sid.size)), 1)
    qc = np.select([hours < 12, (hours < 18) | (pm25 > 400)], [2, 1], 0)
    n = sid.size
    tbl = table(
        "aq_readings",
        {
            "sensor_id": pa.array([f"AQ{i + 1:02d}" for i in range(len(SENSORS))]).take(
                pa.array(sid)
            ),
            "date": pa.array(day.astype("M8[D]"), pa.date32()),
            "pm25": arr(pm25),
            "pm10": arr(pm10),
            "n_hours": pa.array(hours.astype(np.int32)),
            "qc_flag": pa.array(np.array(["ok", "suspect", "invalid"])[qc]),
            "source": const(f"{SYN} (daily means; haze episodes calibrated on BMKG Sep 2023)", n),
            "is_synthetic": const(True, n, pa.bool_()),
        },
    )
    c = defects.counts(
        n,
        0.0008,
        [
            "exact_duplicate",
            "duplicate_key",
            "missing_required",
            "negative_value",
            "out_of_range",
            "future_date",
            "unknown_sensor",
        ],
    )
    kinds = {
        "exact_duplicate": defects.Kind(c["exact_duplicate"]),
        "duplicate_key": defects.Kind(
            c["duplicate_key"], lambda t, r, g: defects.set_cells(t, "pm25", r, [999.0] * r.size)
        ),
        "missing_required": defects.Kind(c["missing_required"], defects.set_null("qc_flag")),
        "negative_value": defects.Kind(
            c["negative_value"], lambda t, r, g: defects.set_cells(t, "pm25", r, [-1.0] * r.size)
        ),
        "out_of_range": defects.Kind(
            c["out_of_range"], lambda t, r, g: defects.set_cells(t, "n_hours", r, [25] * r.size)
        ),
        "future_date": defects.Kind(c["future_date"], defects.future_year("date")),
        "unknown_sensor": defects.Kind(
            c["unknown_sensor"],
            lambda t, r, g: defects.set_cells(t, "sensor_id", r, ["AQ99"] * r.size),
        ),
    }
    return defects.inject(tbl, kinds, stream(spec.seed, "aq-defects"), ["sensor_id", "date"])

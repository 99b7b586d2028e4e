"""E-government service catalogue and yearly transactions (online vs counter)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from smartindex.sample import defects, people
from smartindex.sample.common import (
    SYN,
    IntArray,
    Spec,
    TimeArray,
    add_working_hours,
    arr,
    concat,
    const,
    dates,
    lognormal,
    padded,
    pick,
    ramp,
    stream,
    table,
    to_working_time,
    year_dates,
)
from smartindex.sample.geography import geo, kecamatan_at, kecamatan_population

# code, name_id, name_en, agency, launched_on, online_since, weight, fee median (Rp, 0 = free)
SERVICES: list[tuple[str, str, str, str, str, str | None, float, float]] = [
    (
        "DUK-01",
        "Perekaman dan pencetakan KTP-el",
        "Electronic ID card (KTP-el)",
        "Disdukcapil",
        "2012-08-01",
        "2021-03-01",
        9,
        0,
    ),
    (
        "DUK-02",
        "Penerbitan Kartu Keluarga",
        "Family card",
        "Disdukcapil",
        "2005-01-01",
        "2019-07-01",
        10,
        0,
    ),
    (
        "DUK-03",
        "Akta kelahiran",
        "Birth certificate",
        "Disdukcapil",
        "2005-01-01",
        "2019-07-01",
        7,
        0,
    ),
    (
        "DUK-04",
        "Akta kematian",
        "Death certificate",
        "Disdukcapil",
        "2005-01-01",
        "2020-02-01",
        3,
        0,
    ),
    (
        "DUK-05",
        "Surat pindah (SKPWNI)",
        "Change of residence",
        "Disdukcapil",
        "2006-01-01",
        "2020-02-01",
        4,
        0,
    ),
    (
        "DUK-06",
        "Kartu Identitas Anak (KIA)",
        "Child identity card",
        "Disdukcapil",
        "2016-06-01",
        "2021-03-01",
        3,
        0,
    ),
    (
        "DUK-07",
        "Akta perkawinan (non-Muslim)",
        "Marriage certificate",
        "Disdukcapil",
        "2005-01-01",
        "2022-01-10",
        1,
        0,
    ),
    (
        "DUK-08",
        "Legalisir dokumen kependudukan",
        "Certified copies",
        "Disdukcapil",
        "2005-01-01",
        "2023-05-02",
        2,
        0,
    ),
    ("DUK-09", "Akta perceraian", "Divorce certificate", "Disdukcapil", "2005-01-01", None, 0.5, 0),
    (
        "PTS-01",
        "Nomor Induk Berusaha (NIB, OSS)",
        "Business ID number (OSS)",
        "DPMPTSP",
        "2018-07-09",
        "2018-07-09",
        5,
        0,
    ),
    (
        "PTS-02",
        "Persetujuan Bangunan Gedung (PBG)",
        "Building approval (PBG)",
        "DPMPTSP",
        "2008-01-01",
        "2021-08-02",
        2,
        3_000_000,
    ),
    (
        "PTS-03",
        "Sertifikat Laik Fungsi (SLF)",
        "Certificate of fitness",
        "DPMPTSP",
        "2012-01-01",
        "2021-08-02",
        0.5,
        1_000_000,
    ),
    (
        "PTS-04",
        "Izin reklame",
        "Advertising permit",
        "DPMPTSP",
        "2008-01-01",
        "2020-01-06",
        1.5,
        500_000,
    ),
    (
        "PTS-05",
        "Surat Izin Praktik tenaga kesehatan",
        "Health practitioner licence",
        "DPMPTSP",
        "2010-01-01",
        "2019-03-04",
        1.5,
        0,
    ),
    ("PTS-06", "Izin apotek", "Pharmacy licence", "DPMPTSP", "2010-01-01", "2019-03-04", 0.4, 0),
    (
        "PTS-07",
        "Izin usaha toko modern",
        "Modern retail permit",
        "DPMPTSP",
        "2010-01-01",
        "2018-07-09",
        0.3,
        0,
    ),
    (
        "PTS-08",
        "Izin penyelenggaraan reklame insidentil",
        "Temporary advertising",
        "DPMPTSP",
        "2010-01-01",
        None,
        0.6,
        150_000,
    ),
    (
        "PTS-09",
        "Izin pemakaian kekayaan daerah",
        "Use of city property",
        "DPMPTSP",
        "2012-01-01",
        None,
        0.3,
        750_000,
    ),
    (
        "PJK-01",
        "Pembayaran PBB-P2",
        "Property tax payment (PBB-P2)",
        "Bapenda",
        "2011-01-01",
        "2015-04-01",
        12,
        300_000,
    ),
    (
        "PJK-02",
        "Pelaporan dan pembayaran BPHTB",
        "Land transfer duty (BPHTB)",
        "Bapenda",
        "2011-01-01",
        "2018-02-01",
        3,
        5_000_000,
    ),
    (
        "PJK-03",
        "Pajak restoran (e-tax)",
        "Restaurant tax",
        "Bapenda",
        "2011-01-01",
        "2019-01-02",
        3,
        2_000_000,
    ),
    (
        "PJK-04",
        "Pajak hotel (e-tax)",
        "Hotel tax",
        "Bapenda",
        "2011-01-01",
        "2019-01-02",
        0.8,
        6_000_000,
    ),
    (
        "PJK-05",
        "Pajak reklame",
        "Advertising tax",
        "Bapenda",
        "2011-01-01",
        "2020-07-01",
        1,
        1_500_000,
    ),
    (
        "PJK-06",
        "Pajak parkir",
        "Parking tax",
        "Bapenda",
        "2011-01-01",
        "2022-01-03",
        0.6,
        1_000_000,
    ),
    (
        "PJK-07",
        "Pajak hiburan",
        "Entertainment tax",
        "Bapenda",
        "2011-01-01",
        "2022-01-03",
        0.4,
        2_500_000,
    ),
    (
        "PJK-08",
        "Keberatan dan pengurangan PBB",
        "Property tax objection",
        "Bapenda",
        "2011-01-01",
        None,
        0.5,
        0,
    ),
    (
        "HUB-01",
        "Pengujian kendaraan bermotor (uji KIR)",
        "Vehicle roadworthiness test",
        "Dishub",
        "2005-01-01",
        "2022-09-01",
        2.5,
        100_000,
    ),
    (
        "HUB-02",
        "Izin trayek angkutan kota",
        "Route licence",
        "Dishub",
        "2005-01-01",
        None,
        0.4,
        250_000,
    ),
    (
        "KES-01",
        "Pendaftaran pasien puskesmas",
        "Primary-care registration",
        "Dinkes",
        "2010-01-01",
        "2020-09-01",
        6,
        0,
    ),
    (
        "KES-02",
        "Surat keterangan sehat",
        "Health certificate",
        "Dinkes",
        "2010-01-01",
        None,
        1.5,
        20_000,
    ),
    (
        "DIK-01",
        "Pendaftaran PPDB SD/SMP",
        "School admission (PPDB)",
        "Disdik",
        "2010-01-01",
        "2015-06-01",
        6,
        0,
    ),
    ("DIK-02", "Legalisir ijazah", "Certified diploma copy", "Disdik", "2005-01-01", None, 1, 0),
    (
        "SOS-01",
        "Pendaftaran DTKS",
        "Social welfare registry (DTKS)",
        "Dinsos",
        "2015-01-01",
        "2021-06-01",
        2,
        0,
    ),
    (
        "SOS-02",
        "Rekomendasi bantuan sosial",
        "Social assistance recommendation",
        "Dinsos",
        "2010-01-01",
        None,
        1,
        0,
    ),
    (
        "KEL-01",
        "Surat keterangan domisili",
        "Residence certificate",
        "Camat/Lurah",
        "2005-01-01",
        "2019-11-15",
        5,
        0,
    ),
    (
        "KEL-02",
        "Surat keterangan tidak mampu (SKTM)",
        "Low-income certificate",
        "Camat/Lurah",
        "2005-01-01",
        "2019-11-15",
        3,
        0,
    ),
    (
        "KEL-03",
        "Surat keterangan usaha",
        "Business certificate",
        "Camat/Lurah",
        "2005-01-01",
        "2023-02-01",
        2,
        0,
    ),
    (
        "NAK-01",
        "Kartu pencari kerja (AK/I)",
        "Job-seeker card",
        "Disnaker",
        "2005-01-01",
        "2019-02-01",
        3,
        0,
    ),
    (
        "LHK-01",
        "Persetujuan lingkungan (SPPL/UKL-UPL)",
        "Environmental approval",
        "DLH",
        "2012-01-01",
        "2021-10-01",
        0.6,
        0,
    ),
    (
        "AIR-01",
        "Pemasangan sambungan baru PDAM",
        "New water connection",
        "PDAM Tirta Musi",
        "2005-01-01",
        "2018-05-02",
        1.5,
        1_500_000,
    ),
]
MPP_OPENED = np.datetime64("2021-11-01")  # Mal Pelayanan Publik (synthetic date)


def volume(year: int, scale: float) -> int:
    """Transactions kept in the sample: ~8 000 (2016) to ~17 000 (2025) at scale 1."""
    base = 8000 * 1.09 ** (min(year, 2025) - 2016) * 1.02 ** max(0, year - 2025)
    return max(1, round(base * scale))


def services_table() -> pa.Table:
    """egov_services.csv (clean reference file)."""
    cols = list(zip(*SERVICES, strict=True))
    n = len(SERVICES)
    return table(
        "egov_services",
        {
            "service_code": pa.array(cols[0]),
            "service_name_id": pa.array(cols[1]),
            "service_name_en": pa.array(cols[2]),
            "agency": pa.array(cols[3]),
            "launched_on": dates(list(cols[4])),
            "online_since": dates(list(cols[5])),
            "source": const(
                f"{SYN} (catalogue modelled on Palembang OPD services; dates synthetic)", n
            ),
            "is_synthetic": const(True, n, pa.bool_()),
        },
    )


def _submitted(rng: np.random.Generator, year: int, svc: IntArray) -> TimeArray:
    month = rng.integers(1, 13, svc.size)
    ppdb = svc == [s[0] for s in SERVICES].index("DIK-01")
    month[ppdb] = rng.choice([5, 6, 7], ppdb.sum(), p=[0.2, 0.6, 0.2])
    t = year_dates(rng, year, month)
    return t


def transactions(spec: Spec, year: int) -> defects.Result:
    """egov_transactions_<year>: one row per application, online share rising over time."""
    rng, g = stream(spec.seed, "egov", year), geo(spec.seed)
    n = volume(year, spec.scale)
    w = np.array([s[6] for s in SERVICES])
    svc = rng.choice(len(SERVICES), n, p=w / w.sum())
    sub = _submitted(rng, year, svc)
    online_from = np.array([np.datetime64(s[5] or "2100-01-01") for s in SERVICES], "M8[s]")
    available = sub >= online_from[svc]
    kec_pop = kecamatan_population(year) * np.where(g.central, 1.1, 0.9)
    kec = rng.choice(g.kec_code.size, n, p=kec_pop / kec_pop.sum())
    p_on = ramp(year, 2016, 0.6, 2025, 0.66) * np.where(g.central[kec], 1.08, 0.9)
    online = available & (rng.random(n) < p_on)
    app_share = ramp(year, 2018, 0.1, 2025, 0.55)
    mpp = (sub >= MPP_OPENED) & (rng.random(n) < 0.45)
    channel = np.where(online, np.where(rng.random(n) < app_share, 1, 0), np.where(mpp, 3, 2))
    counter = ~online
    sub = np.where(counter, to_working_time(sub), sub)
    cutoff = np.datetime64(f"{year + 1}-01-01T00:00:00")
    sub = np.where(sub >= cutoff, sub - np.timedelta64(20, "D"), sub)
    order = np.argsort(sub, kind="stable")
    sub, svc, kec, online, channel = (
        sub[order],
        svc[order],
        kec[order],
        online[order],
        channel[order],
    )
    hours = lognormal(rng, np.where(online, 10.0, 4.0) * ramp(year, 2016, 1.4, 2025, 0.8), 1.2, n)
    done = add_working_hours(sub, hours)
    rejected = rng.random(n) < 0.04
    status = np.where(done >= cutoff, 1, np.where(rejected, 2, 0))
    done = np.where(status == 1, np.datetime64("NaT"), done)
    fee_med = np.array([s[7] for s in SERVICES])[svc]
    fee = np.where(fee_med > 0, np.round(lognormal(rng, fee_med, 0.9, n), -3), 0)
    applicant = np.floor(rng.random(n) ** 1.3 * 2_000_000 * max(spec.scale, 0.01)).astype(np.int64)
    cols = {
        "txn_id": concat("TX", str(year), padded(np.arange(1, n + 1), 8)),
        "service_code": pick([s[0] for s in SERVICES], svc),
        "agency": pick([s[3] for s in SERVICES], svc),
        "channel": pick(["web", "app", "counter", "mpp"], channel),
        "is_online": pa.array(online),
        "kecamatan_code": pa.array(kecamatan_at(g.kec_code[kec], year)),
        "applicant_nik": people.niks(applicant, spec.seed),
        "submitted_at": arr(sub),
        "completed_at": arr(done),
        "status": pick(["completed", "in_process", "rejected"], status),
        "fee_idr": pa.array(fee.astype(np.int64)),
        "source": const(f"{SYN} (sample of e-government transactions)", n),
        "is_synthetic": const(True, n, pa.bool_()),
    }
    return defects.inject(
        table("egov_transactions", cols),
        _defects(n),
        stream(spec.seed, "egov-defects", year),
        ["txn_id"],
    )


def _defects(n: int) -> dict[str, defects.Kind]:
    c = defects.counts(
        n,
        0.0006,
        [
            "exact_duplicate",
            "duplicate_key",
            "missing_required",
            "completed_before_submitted",
            "future_date",
            "unknown_service",
            "unknown_kecamatan",
            "negative_fee",
        ],
    )

    def early(t: pa.Table, rows: IntArray, rng: np.random.Generator) -> pa.Table:
        sub = t.column("submitted_at").combine_chunks().take(rows).to_numpy(zero_copy_only=False)
        return defects.set_cells(t, "completed_at", rows, pa.array(sub - np.timedelta64(3, "D")))

    return {
        "exact_duplicate": defects.Kind(c["exact_duplicate"]),
        "duplicate_key": defects.Kind(
            c["duplicate_key"], _snapshot, defects.not_null("completed_at")
        ),
        "missing_required": defects.Kind(c["missing_required"], defects.set_null("status")),
        "completed_before_submitted": defects.Kind(
            c["completed_before_submitted"], early, defects.not_null("completed_at")
        ),
        "future_date": defects.Kind(c["future_date"], defects.future_year("submitted_at")),
        "unknown_service": defects.Kind(
            c["unknown_service"],
            lambda t, r, g: defects.set_cells(t, "service_code", r, ["DUK-99"] * r.size),
        ),
        "unknown_kecamatan": defects.Kind(
            c["unknown_kecamatan"],
            lambda t, r, g: defects.set_cells(t, "kecamatan_code", r, ["1671099"] * r.size),
        ),
        "negative_fee": defects.Kind(
            c["negative_fee"],
            lambda t, r, g: defects.set_cells(t, "fee_idr", r, [-50_000] * r.size),
        ),
    }


def _snapshot(t: pa.Table, rows: IntArray, rng: np.random.Generator) -> pa.Table:
    """An earlier export of the same transaction: still in process, no completion time."""
    t = defects.set_cells(t, "status", rows, ["in_process"] * rows.size)
    return defects.set_null("completed_at")(t, rows, rng)

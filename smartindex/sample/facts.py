"""Official figures and administrative facts the sample is anchored on, as plain data.

Copied from the project's research notes (peers-and-data.md §3, frameworks.md §3.4–3.6), which
cite BPS, Kemendagri, Kominfo, Ombudsman and news reports quoting them. Nothing here is read
from outside the package at run time. ``Official`` rows become ``is_synthetic = false``.
"""

from __future__ import annotations

from typing import NamedTuple

CITY = "1671"
CITY_NAME = "Kota Palembang"
CITY_AREA = 400.61
SPLIT_DATE = "2018-01-01"  # Jakabaring and Ilir Timur III (SK 136/4123/BAK, 2018)


class Kecamatan(NamedTuple):
    code: str
    name: str
    area: float
    zone: str  # pusat | pinggiran (documented judgement, data/README.md)
    lat: float
    lon: float
    density: float  # relative density class (persons/km², synthetic allocation weight)
    area_src: str


_BPS2010 = "BPS, Kota Palembang Dalam Angka 2011 (area 2010)"
_NEWS = "news after the 2018 split (gomotogp.id), unverified"
_SPLIT = "synthetic: split of BPS 2010 area 25.58 km² between IT II and IT III"

KECAMATAN: list[Kecamatan] = [
    Kecamatan("1671010", "Ilir Barat II", 6.22, "pusat", -2.990, 104.738, 10500, _BPS2010),
    Kecamatan("1671011", "Gandus", 68.78, "pinggiran", -3.010, 104.685, 950, _BPS2010),
    Kecamatan("1671020", "Seberang Ulu I", 8.28, "pusat", -3.003, 104.764, 11000, _NEWS),
    Kecamatan("1671021", "Kertapati", 42.56, "pinggiran", -3.040, 104.735, 2100, _BPS2010),
    Kecamatan("1671022", "Jakabaring", 9.16, "pinggiran", -3.018, 104.788, 9000, _NEWS),
    Kecamatan("1671030", "Seberang Ulu II", 10.69, "pusat", -3.000, 104.792, 9500, _BPS2010),
    Kecamatan("1671031", "Plaju", 15.17, "pinggiran", -3.003, 104.822, 6500, _BPS2010),
    Kecamatan("1671040", "Ilir Barat I", 19.77, "pusat", -2.963, 104.733, 7000, _BPS2010),
    Kecamatan("1671041", "Bukit Kecil", 9.92, "pusat", -2.984, 104.751, 4500, _BPS2010),
    Kecamatan("1671050", "Ilir Timur I", 6.50, "pusat", -2.976, 104.764, 11500, _BPS2010),
    Kecamatan("1671051", "Kemuning", 9.00, "pusat", -2.958, 104.757, 9500, _BPS2010),
    Kecamatan("1671060", "Ilir Timur II", 19.48, "pusat", -2.972, 104.792, 5300, _SPLIT),
    Kecamatan("1671061", "Kalidoni", 27.92, "pinggiran", -2.948, 104.808, 4000, _BPS2010),
    Kecamatan("1671062", "Ilir Timur III", 6.10, "pusat", -2.967, 104.775, 10000, _SPLIT),
    Kecamatan("1671070", "Sako", 18.04, "pinggiran", -2.930, 104.795, 5500, _BPS2010),
    Kecamatan("1671071", "Sematang Borang", 51.46, "pinggiran", -2.905, 104.835, 900, _BPS2010),
    Kecamatan("1671080", "Sukarami", 36.98, "pinggiran", -2.918, 104.722, 4800, _BPS2010),
    Kecamatan("1671081", "Alang-Alang Lebar", 34.58, "pinggiran", -2.942, 104.695, 3300, _BPS2010),
]
# kecamatan created in 2018 -> the kecamatan that held their territory before
SPLIT_PARENT = {"1671022": "1671020", "1671062": "1671060"}

# kelurahan names; the four kecamatan in NAMES_FROM_NOTES come from the research notes (2016
# split proposal, jurnalsumatra.com), the rest from public gazetteers (unverified).
KELURAHAN: dict[str, list[str]] = {
    "1671010": ["27 Ilir", "28 Ilir", "29 Ilir", "30 Ilir", "32 Ilir", "35 Ilir", "Kemang Manis"],
    "1671011": ["Gandus", "Karang Jaya", "36 Ilir", "Pulokerto", "Karang Anyar"],
    "1671020": ["1 Ulu", "2 Ulu", "3-4 Ulu", "5 Ulu", "7 Ulu"],
    "1671021": ["Kertapati", "Kemas Rindo", "Karya Jaya", "Keramasan", "Ogan Baru", "Kemang Agung"],
    "1671022": ["8 Ulu", "9/10 Ulu", "15 Ulu", "Silaberanti", "Tuan Kentang"],
    "1671030": ["11 Ulu", "12 Ulu", "13 Ulu", "14 Ulu", "16 Ulu", "Sentosa", "Tangga Takat"],
    "1671031": [
        "Plaju Ulu",
        "Plaju Ilir",
        "Plaju Darat",
        "Bagus Kuning",
        "Talang Bubuk",
        "Talang Putri",
        "Komperta",
    ],
    "1671040": [
        "Bukit Lama",
        "Lorok Pakjo",
        "Siring Agung",
        "Demang Lebar Daun",
        "26 Ilir D.I",
        "Bukit Baru",
    ],
    "1671041": ["19 Ilir", "22 Ilir", "23 Ilir", "24 Ilir", "26 Ilir", "Talang Semut"],
    "1671050": [
        "13 Ilir",
        "14 Ilir",
        "15 Ilir",
        "16 Ilir",
        "17 Ilir",
        "18 Ilir",
        "20 Ilir D.I",
        "20 Ilir D.III",
        "20 Ilir D.IV",
        "Kepandean Baru",
        "Sungai Pangeran",
    ],
    "1671051": [
        "Ario Kemuning",
        "Pahlawan",
        "Pipa Reja",
        "20 Ilir D.II",
        "Talang Aman",
        "Sekip Jaya",
    ],
    "1671060": ["1 Ilir", "2 Ilir", "3 Ilir", "5 Ilir", "Duku", "Lawang Kidul", "Sungai Buah"],
    "1671061": ["Kalidoni", "Bukit Sangkal", "Sei Selincah", "Sei Selayur", "Sei Lais"],
    "1671062": ["8 Ilir", "9 Ilir", "10 Ilir", "11 Ilir", "Kuto Batu"],
    "1671070": ["Sako", "Sako Baru", "Sialang", "Sukamaju"],
    "1671071": ["Srimulya", "Karya Mulya", "Lebung Gajah", "Suka Mulya"],
    "1671080": [
        "Sukarami",
        "Sukajaya",
        "Sukabangun",
        "Sukodadi",
        "Talang Betutu",
        "Talang Jambe",
        "Kebun Bunga",
    ],
    "1671081": ["Alang-Alang Lebar", "Karya Baru", "Srijaya", "Talang Kelapa"],
}
NAMES_FROM_NOTES = {"1671020", "1671022", "1671060", "1671062"}


class Peer(NamedTuple):
    code: str
    name: str
    area: float
    lat: float
    lon: float
    pop2020: int
    pop2024: int | None  # Kemendagri 2024 (None: not found)


PEERS: list[Peer] = [
    Peer("3171", "DKI Jakarta", 661.23, -6.200, 106.845, 10_562_088, 11_189_650),
    Peer("3578", "Kota Surabaya", 326.81, -7.258, 112.752, 2_874_314, 2_970_952),
    Peer("3273", "Kota Bandung", 167.31, -6.917, 107.619, 2_444_160, 2_527_854),
    Peer("1275", "Kota Medan", 265.10, 3.595, 98.672, 2_435_252, 2_525_677),
    Peer("7371", "Kota Makassar", 175.77, -5.148, 119.433, 1_423_877, None),
    Peer("3374", "Kota Semarang", 373.67, -6.967, 110.417, 1_653_524, 1_668_133),
]
PEER_SRC_2020 = "BPS, Sensus Penduduk 2020 (via id.wikipedia, Daftar kota menurut jumlah penduduk)"
PEER_SRC_2024 = "Kemendagri (Dukcapil), penduduk semester I 2024 (via id.wikipedia)"

# Palembang population series used by the sample: censuses + BPS mid-year projections (SP2020).
CITY_POPULATION: dict[int, tuple[int, str, str]] = {
    2010: (1_455_284, "BPS", "Sensus Penduduk 2010 (Kota Palembang Dalam Angka 2011)"),
    2020: (1_668_848, "BPS", "Sensus Penduduk 2020"),
    2021: (1_686_073, "BPS", "Kota Palembang Dalam Angka 2022 (via Kompas 2022-08-09)"),
    2023: (1_772_492, "BPS", "proyeksi penduduk pertengahan tahun 2023 (SP2020-based)"),
    2024: (1_801_367, "BPS", "proyeksi penduduk pertengahan tahun 2024 (SP2020-based)"),
}


class Official(NamedTuple):
    code: str  # kode_wilayah
    year: int
    stat: str
    value: float
    publisher: str
    source: str


def _o(
    code: str, stat: str, publisher: str, source: str, values: dict[int, float]
) -> list[Official]:
    return [Official(code, y, stat, v, publisher, source) for y, v in values.items()]


_BPS = "BPS Kota Palembang"
OFFICIAL: list[Official] = [
    *_o(CITY, "grdp_current_idr_bn", _BPS, "PDRB ADHB 2023 (via Wikipedia/BPS)", {2023: 194_570}),
    *_o(
        CITY,
        "grdp_per_capita_idr_m",
        _BPS,
        "PDRB per kapita ADHB (Pj Wali Kota, palpres 2024-01; Wikipedia/BPS)",
        {2021: 96.46, 2022: 104.918, 2023: 114.025},
    ),
    *_o(
        CITY,
        "economic_growth_pct",
        _BPS,
        "laju pertumbuhan ekonomi (palpres 2024-01)",
        {2021: 3.17, 2022: 5.25},
    ),
    *_o(
        CITY,
        "unemployment_rate_pct",
        _BPS,
        "TPT Sakernas Agustus (jpnn 2023-11; prabumulihpos 2024, period unclear)",
        {2021: 10.11, 2022: 8.2, 2023: 7.49, 2024: 6.89},
    ),
    *_o(
        CITY,
        "poverty_rate_pct",
        _BPS,
        "persentase penduduk miskin (Databoks; sumselpers 2024-07)",
        {2021: 11.34, 2022: 10.48, 2023: 10.22, 2024: 9.77},
    ),
    *_o(
        CITY,
        "poor_persons",
        _BPS,
        "jumlah penduduk miskin (Databoks; sumselpers 2024-07)",
        {2021: 194_120, 2023: 179_450, 2024: 173_590},
    ),
    *_o(CITY, "gini_ratio", _BPS, "gini ratio (palpres 2024-01)", {2021: 0.353, 2022: 0.347}),
    *_o(
        CITY,
        "hdi",
        _BPS,
        "IPM (gatra 2022; palpres; koranpalpos)",
        {2021: 78.72, 2022: 79.47, 2023: 80.02},
    ),
    *_o(
        CITY,
        "lppd_score",
        "Kemendagri",
        "evaluasi LPPD (kordanews; palpos; sumeks)",
        {2021: 3.11, 2022: 3.4541},
    ),
    *_o(
        CITY,
        "ombudsman_score",
        "Ombudsman RI",
        "penilaian kepatuhan standar pelayanan publik (palpos; sumateraekspres 2024)",
        {2022: 91.23, 2023: 93.75},
    ),
    *_o(
        CITY,
        "public_wifi_points",
        "Pemerintah Kota Palembang",
        "titik Wi-Fi gratis (rmolsumsel 2016; sumateraekspres 2024-02; beranjak.id 2025)",
        {2016: 200, 2024: 8, 2025: 50},
    ),
    *_o(
        CITY,
        "waste_generated_t",
        "Pemerintah Kota Palembang",
        "timbulan sampah ~1,200 t/hari x 365 (Pj Wali Kota via palpres 2024-07)",
        {2024: 438_000},
    ),
    # peers (§3.3)
    *_o(
        "3171", "hdi", "BPS Provinsi DKI Jakarta", "IPM 2024 (news quoting BPS DKI)", {2024: 83.08}
    ),
    *_o(
        "3578",
        "hdi",
        "BPS Kota Surabaya",
        "IPM (gapura.surabaya.go.id 2025-04-24)",
        {2023: 83.99, 2024: 84.69},
    ),
    *_o("3273", "hdi", "BPS Kota Bandung", "IPM 2022", {2022: 82.50}),
    *_o("1275", "hdi", "BPS Kota Medan", "IPM 2023 (BPS Medan press release)", {2023: 82.61}),
    *_o("7371", "hdi", "BPS Kota Makassar", "IPM 2023 (okezone 2024-05-29)", {2023: 84.85}),
    *_o("3374", "hdi", "BPS Kota Semarang", "IPM (thejatim)", {2023: 84.43, 2024: 85.25}),
    *_o(
        "3171",
        "poverty_rate_pct",
        "BPS Provinsi DKI Jakarta",
        "kemiskinan Maret 2024",
        {2024: 4.30},
    ),
    *_o(
        "3578",
        "poverty_rate_pct",
        "BPS Kota Surabaya",
        "kemiskinan Maret 2024 (gapura)",
        {2024: 3.96},
    ),
    *_o(
        "3273",
        "poverty_rate_pct",
        "BPS Kota Bandung",
        "kemiskinan Maret 2024 (infobdg/detik)",
        {2024: 3.87},
    ),
    *_o("1275", "poverty_rate_pct", "BPS Kota Medan", "kemiskinan 2024", {2024: 7.94}),
    *_o("7371", "poverty_rate_pct", "BPS Kota Makassar", "kemiskinan 2023", {2023: 5.07}),
    *_o("3374", "poverty_rate_pct", "BPS Kota Semarang", "kemiskinan 2023", {2023: 4.23}),
    *_o(
        "3578",
        "unemployment_rate_pct",
        "BPS Kota Surabaya",
        "TPT Agustus 2024 (gapura)",
        {2024: 4.91},
    ),
    *_o("1275", "unemployment_rate_pct", "BPS Kota Medan", "TPT Februari 2024", {2024: 8.67}),
    *_o("7371", "unemployment_rate_pct", "BPS Kota Makassar", "TPT 2023", {2023: 10.60}),
    *_o(
        "3578",
        "grdp_per_capita_idr_m",
        "BPS Kota Surabaya",
        "PDRB per kapita ~2020 (approx.)",
        {2020: 188.7},
    ),
    *_o(
        "7371",
        "grdp_per_capita_idr_m",
        "BPS Kota Makassar",
        "PDRB per kapita ~2020 (approx.)",
        {2020: 106.2},
    ),
    *_o(
        "3171",
        "grdp_current_idr_bn",
        "BPS Provinsi DKI Jakarta",
        "PDRB ADHB 2023",
        {2023: 3_442_870},
    ),
    *_o("7371", "grdp_current_idr_bn", "BPS Kota Makassar", "PDRB ADHB 2023", {2023: 226_900}),
    *_o(
        "3578",
        "spbe_index",
        "KemenPANRB",
        "KepmenPANRB 13/2024, hasil evaluasi SPBE 2023 (rmoljatim 2024-01-29)",
        {2023: 4.49},
    ),
    *_o(
        "3171",
        "public_wifi_points",
        "Diskominfotik DKI Jakarta",
        "JakWIFI, Maret 2022 (beritajakarta 96320)",
        {2022: 9_250},
    ),
]

# peer values of catalogue indicators that come straight from sources (peer_indicator_values)
PEER_INDICATORS: list[Official] = [
    Official(
        "3171",
        2024,
        "PEO_CIVIC_REPORTERS",
        round(41_528 / 11_189_650 * 1000, 3),
        "Jakarta Smart City",
        "Kaleidoskop CRM 2024 (41,528 reporters) / Kemendagri 2024 population 11,189,650",
    ),
    Official(
        "3171",
        2022,
        "MOB_WIFI_DENSITY",
        round(9_250 / 10_562_088 * 1e5, 2),
        "Diskominfotik DKI Jakarta",
        "JakWIFI 9,250 points (Mar 2022) / SP2020 population",
    ),
    Official("3171", 2023, "PEO_INTERNET_USE", 86.5, "BPS", "internet use 5+, DKI Jakarta 2023"),
    Official(
        "3578",
        2023,
        "PEO_INTERNET_USE",
        66.17,
        "BPS",
        "internet use 5+, Jawa Timur 2023 (province proxy)",
    ),
    Official(
        "3273",
        2023,
        "PEO_INTERNET_USE",
        72.54,
        "BPS",
        "internet use 5+, Jawa Barat 2023 (province proxy)",
    ),
    Official(
        "1275",
        2023,
        "PEO_INTERNET_USE",
        70.29,
        "BPS",
        "internet use 5+, Sumatera Utara 2023 (province proxy)",
    ),
    Official(
        "7371",
        2023,
        "PEO_INTERNET_USE",
        66.95,
        "BPS",
        "internet use 5+, Sulawesi Selatan 2023 (province proxy)",
    ),
    Official(
        "3374",
        2023,
        "PEO_INTERNET_USE",
        70.0,
        "BPS",
        "internet use 5+, Jawa Tengah 2023 (province proxy)",
    ),
]

# national digital-literacy index (Kominfo + Katadata Insight Center), prior for the survey
DIGITAL_LITERACY = {2020: 3.46, 2021: 3.49, 2022: 3.54, 2023: 3.65}
DL_PILLARS_2022 = {"culture": 3.84, "ethics": 3.68, "skills": 3.52, "safety": 3.12}

LRT_ANNUAL = {
    2023: (4_082_702, "PT KAI Divre LRT Sumsel via tribunnews 2023-12-06"),
    2024: (4_350_187, "PT KAI via ketik.co.id 2024"),
}
TEMAN_BUS_FIRST_YEAR = 1_900_000  # Jun 2020 - May 2021, assajidin.com 2021

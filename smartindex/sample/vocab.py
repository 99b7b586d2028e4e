"""Vocabularies of the synthetic service records: categories, agencies, texts, names, phones."""

from __future__ import annotations

import numpy as np

# category: (base share, resolution-time factor, agencies, description templates "<a>|<b>")
CATEGORIES: dict[str, tuple[float, float, list[str], list[str]]] = {
    "jalan": (
        0.16,
        2.0,
        ["Dinas PUPR"],
        [
            "Jalan berlubang dan rusak parah di |, mohon segera diperbaiki",
            "Aspal jalan di | mengelupas, membahayakan pengendara motor",
            "Permasalahan: jalan rusak. Lokasi: |. Sudah lama tidak diperbaiki",
        ],
    ),
    "banjir_drainase": (
        0.10,
        1.8,
        ["Dinas PUPR", "BPBD"],
        [
            "Banjir setinggi lutut di | setiap hujan deras, drainase tersumbat",
            "Got/saluran air di | mampet, air meluap ke rumah warga",
            "Genangan air tidak surut di |, mohon normalisasi drainase",
        ],
    ),
    "sampah": (
        0.12,
        0.6,
        ["DLH"],
        [
            "Sampah menumpuk di TPS |, sudah 3 hari tidak diangkut",
            "Warga membuang sampah sembarangan di pinggir jalan |",
            "Permasalahan: sampah liar. Lokasi: |. Bau menyengat",
        ],
    ),
    "penerangan_jalan": (
        0.07,
        1.0,
        ["Dinas Perkim"],
        [
            "Lampu PJU mati di |, jalan gelap dan rawan",
            "Lampu jalan di | berkedip dan sering padam malam hari",
        ],
    ),
    "air_bersih": (
        0.07,
        1.2,
        ["PDAM Tirta Musi"],
        [
            "Air PDAM tidak mengalir di | sejak kemarin",
            "Air PDAM keruh dan berbau di |",
            "Pipa PDAM bocor di |, air terbuang percuma",
        ],
    ),
    "kabut_asap": (
        0.02,
        0.8,
        ["BPBD", "DLH"],
        [
            "Kabut asap pekat di |, anak-anak sesak napas",
            "Asap kebakaran lahan masuk ke permukiman |, mohon penanganan",
            "Kualitas udara sangat buruk di |, mohon dibagikan masker",
        ],
    ),
    "lalu_lintas": (
        0.06,
        0.9,
        ["Dishub"],
        [
            "Lampu lalu lintas di simpang dekat | mati, macet parah",
            "Kemacetan setiap pagi di |, mohon petugas Dishub",
        ],
    ),
    "parkir_liar": (
        0.05,
        0.5,
        ["Dishub"],
        ["Parkir liar memakan badan jalan di |", "Juru parkir liar memungut tarif berlebihan di |"],
    ),
    "administrasi_kependudukan": (
        0.10,
        0.5,
        ["Disdukcapil"],
        [
            "KTP-el belum jadi padahal sudah rekam lama, domisili |",
            "Pengurusan KK di kelurahan | berbelit, mohon kejelasan",
            "Akta kelahiran anak belum terbit, alamat |",
        ],
    ),
    "pelayanan_kesehatan": (
        0.04,
        0.7,
        ["Dinkes"],
        [
            "Antrean puskesmas di | sangat panjang, dokter datang terlambat",
            "Pasien BPJS ditolak di fasilitas kesehatan dekat |",
        ],
    ),
    "pendidikan": (
        0.04,
        0.8,
        ["Disdik"],
        [
            "Pungutan liar di sekolah negeri wilayah |",
            "Sistem PPDB zonasi bermasalah untuk warga |",
        ],
    ),
    "keamanan_ketertiban": (
        0.05,
        0.6,
        ["Satpol PP"],
        [
            "Pedagang kaki lima menutup trotoar di |",
            "Balap liar setiap malam minggu di |, warga terganggu",
        ],
    ),
    "pohon_taman": (
        0.03,
        1.1,
        ["DLH", "Dinas Perkim"],
        ["Pohon tumbang menutup jalan di |", "Dahan pohon besar di | rawan patah, mohon dipangkas"],
    ),
    "perizinan": (
        0.04,
        0.9,
        ["DPMPTSP"],
        ["Pengurusan izin usaha (NIB) lambat, alamat usaha |", "Bangunan tanpa PBG berdiri di |"],
    ),
    "bantuan_sosial": (
        0.03,
        0.9,
        ["Dinsos"],
        [
            "Warga miskin di | belum terdaftar DTKS dan tidak dapat bansos",
            "Penyaluran bansos di | tidak tepat sasaran",
        ],
    ),
    "lainnya": (
        0.02,
        0.8,
        ["Diskominfo", "Camat/Lurah"],
        [
            "Mohon informasi layanan pemerintah kota untuk warga |",
            "Saran untuk perbaikan fasilitas umum di |",
        ],
    ),
}
LOCAL_HANDLER = "Camat/Lurah"

# monthly profile (Jan..Dec) of complaint categories
RAINY = np.array([1.8, 1.7, 1.6, 1.1, 0.6, 0.4, 0.4, 0.4, 0.5, 0.9, 1.5, 1.8])
HAZE = np.array([0.2, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 1.5, 8.0, 6.0, 0.8, 0.2])
HAZE_YEARS = {2015: 5.0, 2019: 5.0, 2023: 4.0}  # severe transboundary-haze years

# channel: (share 2016, share 2025, first year available)
CHANNELS: dict[str, tuple[float, float, int]] = {
    "lapor": (0.40, 0.14, 2000),
    "halo_palembang": (0.0, 0.42, 2019),
    "whatsapp": (0.06, 0.18, 2017),
    "instagram": (0.06, 0.10, 2016),
    "twitter": (0.10, 0.03, 2000),
    "call_center_112": (0.10, 0.07, 2017),
    "walk_in": (0.22, 0.05, 2000),
    "email": (0.06, 0.01, 2000),
}
HALO_LAUNCH = "2019-11-01"
CODE_PREFIX = {
    "lapor": "LAPOR",
    "halo_palembang": "HP",
    "whatsapp": "WA",
    "instagram": "IG",
    "twitter": "TW",
    "call_center_112": "CC112",
    "walk_in": "LKT",
    "email": "EML",
}

CANONICAL = [
    "received",
    "verified",
    "dispatched",
    "in_progress",
    "resolved",
    "closed",
    "rejected",
    "returned",
]
# raw status per channel family, in CANONICAL order
_LAPOR = [
    "menunggu",
    "verifikasi",
    "disposisi",
    "proses",
    "selesai",
    "ditutup",
    "ditolak",
    "bukan wewenang",
]
_CRM = [
    "Menunggu",
    "Koordinasi",
    "Disposisi",
    "Proses",
    "Selesai",
    "Selesai",
    "Ditolak",
    "Dialihkan",
]
_OPEN311 = ["open", "open", "open", "open", "closed", "closed", "closed", "closed"]
_CALL = [
    "baru",
    "diteruskan",
    "diteruskan",
    "ditangani",
    "selesai",
    "selesai",
    "ditolak",
    "dialihkan",
]
_DESK = [
    "diterima",
    "diterima",
    "proses",
    "proses",
    "selesai",
    "selesai",
    "ditolak",
    "dikembalikan",
]
RAW_STATUS = {
    "lapor": _LAPOR,
    "halo_palembang": _CRM,
    "whatsapp": _OPEN311,
    "instagram": _OPEN311,
    "twitter": _OPEN311,
    "email": _OPEN311,
    "call_center_112": _CALL,
    "walk_in": _DESK,
}

FIRST_NAMES = [
    "Ahmad",
    "Muhammad",
    "Rizky",
    "Dedi",
    "Agus",
    "Budi",
    "Hendra",
    "Fajar",
    "Andi",
    "Yudi",
    "Rahmat",
    "Ilham",
    "Arif",
    "Dimas",
    "Bayu",
    "Eko",
    "Joko",
    "Teguh",
    "Irfan",
    "Hasan",
    "Siti",
    "Nur",
    "Dewi",
    "Rina",
    "Sri",
    "Wulan",
    "Putri",
    "Ayu",
    "Indah",
    "Fitri",
    "Yuni",
    "Ratna",
    "Mega",
    "Nurul",
    "Lestari",
    "Rahma",
    "Dian",
    "Intan",
    "Maya",
    "Aisyah",
    "Yusuf",
    "Fadli",
    "Reza",
    "Taufik",
    "Zulkifli",
    "Novi",
    "Eka",
    "Desi",
    "Lia",
    "Anisa",
]
LAST_NAMES = [
    "Saputra",
    "Pratama",
    "Wijaya",
    "Hidayat",
    "Kurniawan",
    "Setiawan",
    "Syahputra",
    "Ramadhan",
    "Firmansyah",
    "Gunawan",
    "Santoso",
    "Lestari",
    "Anggraini",
    "Wulandari",
    "Rahmawati",
    "Susanti",
    "Permatasari",
    "Fitriani",
    "Hakim",
    "Fauzi",
    "Maulana",
    "Iskandar",
    "Effendi",
    "Ibrahim",
    "Husin",
    "Sulaiman",
    "Yusuf",
    "Nasution",
    "Siregar",
    "Lubis",
    "Harahap",
    "Hasibuan",
    "Tanjung",
    "Marpaung",
    "Sembiring",
    "Zulkarnain",
    "Mahmud",
    "Abdullah",
    "Hamzah",
    "Rozak",
]
TITLES = ["", "", "", "", "", "", "", "", "Kms. ", "Mgs. ", "Nyimas ", "R.A. ", "Hj. ", "H. "]
PHONE_PREFIX = [
    "811",
    "812",
    "813",
    "821",
    "822",
    "852",
    "853",
    "857",
    "858",
    "877",
    "878",
    "895",
    "896",
    "881",
    "882",
]

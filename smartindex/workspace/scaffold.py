"""``smartindex init``: a working folder for a new city's data officer.

::

    DIR/profile.toml                    the city profile to fill (code and name filled)
    DIR/templates/<source>.csv          canonical header row, one per source of sources.toml
    DIR/templates/<source>.dictionary.csv   column, type, required, meaning_id, meaning_en
    DIR/mappings/<source>.toml          a commented mapping stub per source (ignored until
                                        uncommented)
    DIR/raw/                            the city's own exports go here
    DIR/README.md                       what to do, in Bahasa Indonesia then English
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path

from smartindex.cities.profile import NAME, timezone_for_code
from smartindex.errors import DataFileError, SmartIndexError
from smartindex.etl.registry import ANY_CITY, Registry, RegistryCity, Source, load_registry

COLUMNS_FILE = Path(__file__).with_name("columns.toml")
DICTIONARY_HEADER = ("column", "type", "required", "meaning_id", "meaning_en")


def column_meanings(path: Path = COLUMNS_FILE) -> dict[str, tuple[str, str]]:
    """Column (or ``source.column``) -> (meaning in Bahasa Indonesia, meaning in English)."""
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    return {k: (str(v[0]), str(v[1])) for k, v in doc["columns"].items()}


def _allowed(source: Source, column: str) -> tuple[str, str]:
    """Allowed values or range of a column, as a suffix for the meanings (id, en)."""
    ex = source.expect
    if column in ex.in_set:
        values = " | ".join(str(v) for v in ex.in_set[column])
        return f" Nilai: {values}.", f" Values: {values}."
    if column in ex.between:
        lo, hi = ex.between[column]
        return f" Rentang {lo:g}-{hi:g}.", f" Range {lo:g}-{hi:g}."
    return "", ""


def dictionary_rows(
    source: Source, meanings: Mapping[str, tuple[str, str]]
) -> list[tuple[str, str, str, str, str]]:
    """One row per canonical column: column, type, required (ya/yes or tidak/no), meanings."""
    needed = {*source.primary_key, *source.expect.not_null}
    rows = []
    for column, typ in source.all_columns.items():
        meaning_id, meaning_en = meanings.get(
            f"{source.name}.{column}", meanings.get(column, ("", ""))
        )
        extra_id, extra_en = _allowed(source, column)
        required = "ya/yes" if column in needed else "tidak/no"
        rows.append(
            (column, typ, required, _join(meaning_id, extra_id), _join(meaning_en, extra_en))
        )
    return rows


def _join(meaning: str, extra: str) -> str:
    return f"{meaning.rstrip('.')}.{extra}" if extra else meaning


def _csv_text(rows: list[tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def profile_template(code: str, name: str) -> str:
    """A profile with code and name filled and everything else as commented placeholders."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower().removeprefix("kota ")).strip("-")
    zone = timezone_for_code(code)
    return f"""# Profil kota / city profile. See docs/cities.md for every key and its rule.
# Isi bagian yang diawali '#', lalu jalankan: smartindex check <folder ini>
# Fill the commented parts, then run: smartindex check <this folder>
profile_version = 1

[city]
bps_code = "{code}"
kemendagri_code = "{code[:2]}.{code[2:]}"   # Kepmendagri 100.1.1-6117/2022
name_id = "{name}"
# name_en = "{name.removeprefix("Kota ")} City"
slug = "{slug}"
# from the province code: Asia/Jakarta (WIB) | Asia/Makassar (WITA) | Asia/Jayapura (WIT)
timezone = "{zone}"
currency = "IDR"
# province = "..."
# boundaries = "boundaries/kelurahan.geojson"   # relative to this file
# bbox = {{ lat = [south, north], lon = [west, east] }}
# area_km2 = 0.0
# lat = 0.0
# lon = 0.0
# source = "BPS Kota ... Dalam Angka 2025"
# is_synthetic = false

# Without [working_time] the national civil-service week applies (Perpres 21/2023):
# [working_time]
# regulation = "Perpres 21/2023"
# week_hours = 37.5
# days = ["mon", "tue", "wed", "thu", "fri"]
# day_start = "07:30"
# day_end = "16:00"
# friday_end = "16:30"
# break_minutes = 60
# friday_break_minutes = 90

# [targets]
# document = "RPJMD {name} 2025-2029"
# file = "raw/targets.csv"

# [method]
# file = "method.toml"      # none: the packaged default method
# normalisation = "minmax"
# weights = "framework"

# [complaints]
# channels = ["lapor", "whatsapp", "walk_in"]   # the codes of sources.toml `channels`
# own_channels = []         # the city's own channels (e.g. a city app), also listed in channels

# One [[kecamatan]] per kecamatan (BPS 7-digit code starting with {code}):
# [[kecamatan]]
# code = "{code}010"
# kemendagri_code = "{code[:2]}.{code[2:]}.01"
# name = "..."
# valid_from = 2018-01-01   # only for a kecamatan created by a split
# source = "BPS Kota ... Dalam Angka 2025"

# One [[kelurahan]] per kelurahan (BPS 10-digit code starting with its kecamatan's):
# [[kelurahan]]
# code = "{code}010001"
# name = "..."
# parent = "{code}010"

# [[peer]]
# code = "3374"
# name = "Kota Semarang"

# [[agency]]
# code = "dinas_pupr"
# name = "Dinas Pekerjaan Umum dan Penataan Ruang"
# short = "Dinas PUPR"
# categories = ["jalan", "banjir_drainase"]
"""


def mapping_stub(source: Source) -> str:
    """A commented mapping for one source (``smartindex check`` skips it until uncommented)."""
    lines = [
        f"# Mapping stub for the canonical source {source.name!r}: {source.description}",
        "# Uncomment and fill (format: docs/mappings.md); input.pattern is relative to raw/.",
        "# Pemetaan: hapus tanda # lalu isi; input.pattern relatif terhadap folder raw/.",
        f'# target = "{source.name}"',
        "#",
        "# [input]",
        '# format = "csv"                 # csv | xlsx | json',
        f'# pattern = "{source.name}/*.csv"',
        '# delimiter = ","',
        "#",
        "# [columns]                      # canonical column = column in your file",
    ]
    needed = {*source.primary_key, *source.expect.not_null}
    for column in source.all_columns:
        if column in {"source", "is_synthetic"}:
            continue
        mark = "   # required" if column in needed else ""
        lines.append(f'# {column} = "..."{mark}')
    lines += [
        "#",
        "# [constants]",
        '# source = "publisher, document, year"',
        "# is_synthetic = false",
        "",
    ]
    return "\n".join(lines)


README = """# {name} — folder data smartindex / smartindex data folder

## Bahasa Indonesia

Folder ini menyiapkan data {name} (kode BPS {code}) untuk smartindex.

1. Lengkapi `profile.toml`: kecamatan dan kelurahan beserta kodenya, zona waktu, OPD dan
   kategori pengaduan yang ditanganinya, kota pembanding, dan dokumen target (RPJMD).
2. Taruh ekspor data asli di `raw/` (jangan diubah).
3. Untuk tiap sumber yang Anda punya, isi pemetaan `mappings/<sumber>.toml` (hapus tanda `#`):
   kolom file Anda -> kolom baku. Arti setiap kolom baku ada
   di `templates/<sumber>.dictionary.csv`. Bila data sudah berbentuk baku, isi saja
   `templates/<sumber>.csv` dan salin ke `raw/`.
4. Jalankan `smartindex check {folder}`: ia memeriksa profil, pemetaan dan file sebelum apa pun
   dimuat, lalu menunjukkan indikator mana yang sudah bisa dihitung dan sumber apa yang kurang.

Data pribadi (nama, telepon, NIK pelapor) disamarkan saat dimuat; tetap simpan folder ini di
tempat yang aman.

## English

This folder prepares {name}'s data (BPS code {code}) for smartindex.

1. Fill `profile.toml`: kecamatan and kelurahan with their codes, time zone, agencies (OPD) and
   the complaint categories they own, peer cities, and the target document (RPJMD).
2. Put the original exports in `raw/` (do not edit them).
3. For each source you have, fill the mapping `mappings/<source>.toml` (remove the `#`s):
   your file's columns -> canonical columns. Each canonical
   column's meaning is in `templates/<source>.dictionary.csv`. If your data are already canonical,
   fill `templates/<source>.csv` and copy it into `raw/`.
4. Run `smartindex check {folder}`: it checks the profile, mappings and files before anything is
   loaded and shows which indicators can be computed and which sources are missing.

Personal data (reporters' names, phones, NIKs) are pseudonymised at load; still keep this folder
somewhere safe.
"""


def _check_arguments(folder: Path, code: str, name: str, force: bool) -> None:
    if not re.fullmatch(r"\d{4}", code):
        raise SmartIndexError(f"--code {code!r}: a city's BPS code has 4 digits, e.g. 3273")
    if not NAME.match(name):
        raise SmartIndexError(
            f"--name {name!r}: letters, digits, spaces and . , ' ( ) / - only, e.g. 'Kota Bandung'"
        )
    if folder.exists() and not folder.is_dir():
        raise DataFileError(folder, "exists and is not a folder")
    if folder.exists() and any(folder.iterdir()) and not force:
        raise DataFileError(folder, "folder is not empty; use --force to write into it anyway")


def init_workspace(
    folder: Path, code: str, name: str, *, force: bool = False, registry: Registry | None = None
) -> list[Path]:
    """Write the working folder; returns the files written. Refuses a non-empty folder unless
    ``force`` (then existing files of the same names are overwritten, others are kept)."""
    folder = Path(folder)
    _check_arguments(folder, code, name, force)
    registry = registry or load_registry(
        city=RegistryCity(code, channels=load_registry(city=ANY_CITY).channels)
    )
    meanings = column_meanings()
    files: dict[Path, str] = {
        folder / "profile.toml": profile_template(code, name),
        folder / "README.md": README.format(name=name, code=code, folder=folder),
    }
    for source in registry.sources:
        header = tuple(source.all_columns)
        files[folder / "templates" / f"{source.name}.csv"] = _csv_text([header])
        files[folder / "templates" / f"{source.name}.dictionary.csv"] = _csv_text(
            [DICTIONARY_HEADER, *dictionary_rows(source, meanings)]
        )
        files[folder / "mappings" / f"{source.name}.toml"] = mapping_stub(source)
    for sub in ("templates", "mappings", "raw"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return sorted(files)

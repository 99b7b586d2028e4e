"""The mapping engine (smartindex/etl/mapping.py): validation of mapping files with the line of
the bad key, and each transformation on tiny inline sources."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from smartindex.errors import DataFileError
from smartindex.etl.mapping import (
    Mapped,
    MappingError,
    SourceMapping,
    Unmatched,
    apply_mapping,
    load_mapping,
)

AREAS = {
    "1671": "Kota Palembang",
    "1671040": "Ilir Barat I",
    "1671080": "Sukarami",
    "1671081": "Alang-Alang Lebar",
    "1671022": "Jakabaring",
    "1671022002": "9/10 Ulu",
    "1671080001": "Sukarami",
    "1671080005": "Talang Betutu",
}

COMPLAINTS = """\
target = "complaints"

[input]
format = "csv"
delimiter = ";"

[columns]
ticket_id = "No Tiket"
category = "Kategori"
status = "Status"
status_raw = "Status"
kecamatan_code = "Kecamatan"
created_at = "Tanggal"

[constants]
channel = "lapor"
source = "test export"
is_synthetic = false

[datetime]
format = "%d/%m/%Y %H:%M"

[values.status]
"Selesai" = "resolved"
"Dalam Proses" = "in_progress"

[values.category]
"Jalan" = "jalan"

[areas.kecamatan_code]
by = "name"
level = "kecamatan"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def mapping(tmp_path: Path, text: str = COMPLAINTS) -> SourceMapping:
    return load_mapping(write(tmp_path, "m.toml", text))


def apply(m: SourceMapping, *files: Path, timezone: str = "Asia/Jakarta") -> Mapped:
    out = apply_mapping(m, list(files), AREAS, timezone=timezone)
    assert out.rows_read == len(out.frame) + len(out.rejected)
    return out


# ------------------------------------------------------------------ mapping-file errors


def bad(tmp_path: Path, old: str, new: str, base: str = COMPLAINTS) -> str:
    assert old in base
    with pytest.raises(MappingError) as err:
        mapping(tmp_path, base.replace(old, new))
    assert str(err.value).startswith(str(tmp_path / "m.toml"))
    assert isinstance(err.value, DataFileError)
    return str(err.value)


def test_an_unknown_key_is_reported_with_its_line(tmp_path: Path) -> None:
    msg = bad(tmp_path, 'delimiter = ";"', 'delimiter = ";"\ndelimter = ","')
    assert ", line 6: unknown key 'delimter' in [input] (known: " in msg


def test_a_column_the_target_lacks_is_reported_with_its_line(tmp_path: Path) -> None:
    msg = bad(tmp_path, 'category = "Kategori"', 'categori = "Kategori"')
    assert ", line 9: 'categori' is not a column of 'complaints' (columns: ticket_id" in msg


def test_a_word_mapped_to_a_non_canonical_value(tmp_path: Path) -> None:
    msg = bad(tmp_path, '"Selesai" = "resolved"', '"Selesai" = "done"')
    assert ", line 24: 'done' is not a canonical status of 'complaints' (allowed: received," in msg


def test_required_columns_must_be_filled(tmp_path: Path) -> None:
    msg = bad(tmp_path, 'created_at = "Tanggal"\n', "")
    assert msg.endswith(
        ", line 7: required column(s) created_at of 'complaints' are neither mapped nor constant"
    )


def test_other_mapping_errors_name_their_line(tmp_path: Path) -> None:
    assert ", line 1: target 'complaint' is not a source" in bad(
        tmp_path, 'target = "complaints"', 'target = "complaint"'
    )
    assert ", line 21: unknown time zone 'Asia/Palembang'" in bad(
        tmp_path, "[datetime]\n", '[datetime]\ntimezone = "Asia/Palembang"\n'
    )
    assert ", line 10: columns extract needs exactly one (group)" in bad(
        tmp_path, 'status = "Status"', 'status = { column = "Status", extract = "x" }'
    )
    assert ", line 11: when status = 'resolve': not a canonical status (a typo?)" in bad(
        tmp_path,
        'status = "Status"',
        'status = "Status"\nresolved_at = { column = "Tanggal", when = { status = ["resolve"] } }',
    )
    assert ", line 16: constants.channel = 'jaki' is not one of lapor," in bad(
        tmp_path, 'channel = "lapor"', 'channel = "jaki"'
    )
    assert ", line 17: constants.source uses unknown template field {publisher}" in bad(
        tmp_path, 'source = "test export"', 'source = "{publisher}"'
    )
    assert ", line 18: constants.is_synthetic = 'no' does not fit its type BOOLEAN" in bad(
        tmp_path, "is_synthetic = false", 'is_synthetic = "no"'
    )
    assert ", line 32: areas.kecamatan_code.level must be among kota, kecamatan, kelurahan" in bad(
        tmp_path, 'level = "kecamatan"', 'level = "district"'
    )
    assert "line 27: [values.agency] for a column nothing fills" in bad(
        tmp_path,
        '[values.category]\n"Jalan"',
        '[values.agency]\n"x" = "y"\n[values.category]\n"Jalan"',
    )


def test_invalid_toml_is_reported_with_its_line(tmp_path: Path) -> None:
    msg = bad(tmp_path, "[constants]", "[constants")
    assert ", line 15: not valid TOML" in msg


# ------------------------------------------------------------------ applying


HEADER = "No Tiket;Kategori;Status;Kecamatan;Tanggal"
EXPORT = f"""\
{HEADER}
T1;Jalan;Selesai;Kec. Sukarami;02/04/2024 08:15
T2;jalan;  dalam   PROSES ;KECAMATAN ILIR BARAT I;02/04/2024 09:40
T3;Jalan;Ditunda;Sukarami;02/04/2024 10:00
T4;Jalan;Selesai;Sukarame;02/04/2024 11:00
T5;Sampah;Selesai;Sukarami;02/04/2024 12:00
T6;Jalan;Selesai;Sukarami;
T7;Jalan;Selesai;Sukarame;03/04/2024 08:00
"""


def test_words_are_mapped_case_and_space_insensitively_and_unknown_ones_named(
    tmp_path: Path,
) -> None:
    out = apply(mapping(tmp_path), write(tmp_path, "export.csv", EXPORT))
    frame = out.frame.set_index("ticket_id")
    assert frame.loc["T1", "status"] == "resolved" and frame.loc["T1", "status_raw"] == "Selesai"
    assert frame.loc["T2", "status"] == "in_progress"
    assert frame.loc["T2", "kecamatan_code"] == "1671040"
    assert frame.loc["T1", "created_at"] == pd.Timestamp("2024-04-02 08:15")
    got = [
        (r.row, r.column, None if pd.isna(r.value) else r.value, r.reason)
        for r in out.rejected.itertuples()
    ]
    assert got == [
        (4, "Status", "Ditunda", "unknown status word 'Ditunda' (not in [values.status])"),
        (
            5,
            "Kecamatan",
            "Sukarame",
            "kecamatan 'Sukarame' is not an official name (nearest official name: 'Sukarami')",
        ),
        (6, "Kategori", "Sampah", "unknown category word 'Sampah' (not in [values.category])"),
        (7, "Tanggal", None, "created_at is required and 'Tanggal' is empty"),
        (
            8,
            "Kecamatan",
            "Sukarame",
            "kecamatan 'Sukarame' is not an official name (nearest official name: 'Sukarami')",
        ),
    ]
    assert out.unmatched == (Unmatched("Sukarame", (5, 8), "Sukarami"),)
    assert out.rows_read == 7


def test_source_zone_to_city_zone(tmp_path: Path) -> None:
    """A naive 09:15 WITA export for a WIB city is 08:15; offsets in the text win."""
    text = COMPLAINTS.replace("[datetime]\n", '[datetime]\ntimezone = "Asia/Makassar"\n')
    export = (
        "No Tiket;Kategori;Status;Kecamatan;Tanggal\nT1;Jalan;Selesai;Sukarami;05/03/2024 09:15\n"
    )
    out = apply(mapping(tmp_path, text), write(tmp_path, "e.csv", export))
    assert out.frame["created_at"].tolist() == [pd.Timestamp("2024-03-05 08:15")]
    iso = text.replace('format = "%d/%m/%Y %H:%M"', 'format = "iso"')
    export = f"{HEADER}\nT1;Jalan;Selesai;Sukarami;2024-03-05T09:15:00+09:00\n"
    out = apply(mapping(tmp_path, iso), write(tmp_path, "e.csv", export), timezone="Asia/Jayapura")
    assert out.frame["created_at"].tolist() == [pd.Timestamp("2024-03-05 09:15")]


def test_indonesian_month_names(tmp_path: Path) -> None:
    text = COMPLAINTS.replace('format = "%d/%m/%Y %H:%M"', 'format = "%d %B %Y %H.%M"')
    export = f"{HEADER}\nT1;Jalan;Selesai;Sukarami;5 Agustus 2024 13.05\n"
    out = apply(mapping(tmp_path, text), write(tmp_path, "e.csv", export))
    assert out.frame["created_at"].tolist() == [pd.Timestamp("2024-08-05 13:05")]


def test_a_missing_source_column_names_file_line_and_column(tmp_path: Path) -> None:
    export = write(tmp_path, "e.csv", "No Tiket;Kategori;Status;Kec;Tanggal\n")
    with pytest.raises(DataFileError) as err:
        apply(mapping(tmp_path), export)
    assert str(err.value) == (
        f"{export}, line 1, column 'Kecamatan': missing column the mapping reads"
    )


def test_a_file_outside_the_pattern_is_not_ignored(tmp_path: Path) -> None:
    text = COMPLAINTS.replace('format = "csv"', 'format = "csv"\npattern = "export_*.csv"')
    with pytest.raises(DataFileError, match=r"does not match input.pattern 'export_\*\.csv'"):
        apply(mapping(tmp_path, text), write(tmp_path, "other.csv", EXPORT))


def test_personal_values_are_not_shown_in_rejections(tmp_path: Path) -> None:
    text = COMPLAINTS.replace(
        'created_at = "Tanggal"', 'created_at = "Tanggal"\nreporter_phone = "HP"'
    ).replace('"Jalan" = "jalan"', '"Jalan" = "jalan"\n\n[values.reporter_phone]\n"x" = "y"')
    export = f"{HEADER};HP\nT1;Jalan;Selesai;Sukarami;05/03/2024 09:15;0812345\n"
    out = apply(mapping(tmp_path, text), write(tmp_path, "e.csv", export))
    assert out.rejected["value"].tolist() == ["<personal data not shown>"]
    assert out.rejected["reason"].tolist() == [
        "the value of personal column reporter_phone does not map (not shown)"
    ]
    assert "0812345" not in out.rejected.to_string()


POPULATION = """\
target = "population"

[input]
format = "csv"
decimal = ","
header = [2, 3]
footer = ["Sumber"]
missing = ["-"]

[columns]
kode_wilayah = "Wilayah"
households = "Rumah Tangga"

[reshape]
keep = ["Wilayah", "Rumah Tangga"]
columns = '(20\\d\\d)'
name_to = "year"
value_to = "population"

[units.population]
multiply = 1000

[constants]
source = "BPS test"
is_synthetic = false

[areas.kode_wilayah]
by = "name"
level = ["kecamatan", "kota"]
"""


def test_wide_to_long_with_units_decimal_comma_and_footnotes(tmp_path: Path) -> None:
    table = write(
        tmp_path,
        "t.csv",
        """\
        "Tabel 1. Penduduk (ribu)",,,
        Wilayah,Rumah Tangga,Penduduk,
        ,,2023,2024
        Kecamatan Sukarami,"41.250","166,471","168,5"
        Kec. Ilir Barat I,-,"12,5678",-
        Kota Palembang,"450.000","1.718,44","1.734,013"
        Sumber: BPS,,,
        Kecamatan Tidak Terbaca,1,2,3
        """,
    )
    out = apply(mapping(tmp_path, POPULATION), table)
    got = out.frame[["kode_wilayah", "year", "population", "households"]].astype(object)
    assert got.values.tolist() == [
        ["1671080", 2023, 166471, 41250],
        ["1671080", 2024, 168500, 41250],
        ["1671", 2023, 1718440, 450000],
        ["1671", 2024, 1734013, 450000],
    ]
    assert [(r.row, r.column, r.reason) for r in out.rejected.itertuples()] == [
        (5, "2023", "12567.8 is not a whole number"),
        (5, "2024", "population is required and '2024' is empty"),
        (8, "Wilayah", "kecamatan/kota 'Kecamatan Tidak Terbaca' is not an official name"),
        (8, "Wilayah", "kecamatan/kota 'Kecamatan Tidak Terbaca' is not an official name"),
    ]
    assert out.rows_read == 8  # four rows x two years: a row below a footnote is still data
    assert out.unmatched == (Unmatched("Kecamatan Tidak Terbaca", (8,), None),)


def test_json_records_at_a_path_count_lines(tmp_path: Path) -> None:
    text = COMPLAINTS.replace(
        'format = "csv"\ndelimiter = ";"', 'format = "json"\nrecords = "result.records"'
    )
    doc = {
        "success": True,
        "result": {
            "fields": [{"id": "No Tiket"}],
            "records": [
                {
                    "No Tiket": "A",
                    "Kategori": "Jalan",
                    "Status": "Selesai",
                    "Kecamatan": "Sukarami",
                    "Tanggal": "01/01/2024 07:00",
                },
                {
                    "No Tiket": "B",
                    "Kategori": "Jalan",
                    "Status": "?",
                    "Kecamatan": "Sukarami",
                    "Tanggal": "01/01/2024 07:00",
                },
            ],
        },
    }
    path = write(tmp_path, "d.json", json.dumps(doc, indent=1))
    out = apply(mapping(tmp_path, text), path)
    lines = path.read_text().splitlines()
    bad_line = out.rejected["row"].tolist()[0]
    assert lines[bad_line - 1].strip() == "{" and '"B"' in lines[bad_line]
    assert out.frame["ticket_id"].tolist() == ["A"]


def test_a_workbook_with_several_sheets_needs_them_declared(tmp_path: Path) -> None:
    text = POPULATION.replace('format = "csv"', 'format = "xlsx"')
    wb = openpyxl.Workbook()
    wb.active.title = "A"
    wb.create_sheet("B")
    wb.save(tmp_path / "w.xlsx")
    with pytest.raises(DataFileError, match=r"workbook has sheets A, B; declare input\.sheets"):
        apply(mapping(tmp_path, text), tmp_path / "w.xlsx")


def test_a_name_of_several_areas_needs_within(tmp_path: Path) -> None:
    text = COMPLAINTS.replace(
        'created_at = "Tanggal"', 'created_at = "Tanggal"\nkelurahan_code = "Kecamatan"'
    ).replace(
        'level = "kecamatan"',
        'level = "kecamatan"\n\n[areas.kelurahan_code]\nby = "name"\n'
        'level = ["kelurahan", "kecamatan"]',
    )
    export = f"{HEADER}\nT1;Jalan;Selesai;Sukarami;05/03/2024 09:15\n"
    out = apply(mapping(tmp_path, text), write(tmp_path, "e.csv", export))
    assert out.rejected["reason"].tolist() == [
        "'Sukarami' names several areas (1671080, 1671080001); add areas.kelurahan_code.within"
    ]


def test_metadata_must_describe_the_data_file(tmp_path: Path) -> None:
    text = COMPLAINTS.replace(
        "[datetime]",
        '[metadata]\npattern = "*.json"\nroot = "result"\n'
        '[metadata.fields]\nresource = "resources[].name"\n\n[datetime]',
    ).replace('source = "test export"', 'source = "{resource}"')
    package = {"result": {"resources": [{"name": "a", "url": "x/a.csv"}, {"name": "b"}]}}
    meta = write(tmp_path, "package.json", json.dumps(package))
    export = write(tmp_path, "b.csv", f"{HEADER}\nT1;Jalan;Selesai;Sukarami;05/03/2024 09:15\n")
    assert apply(mapping(tmp_path, text), export, meta).frame["source"].tolist() == ["b"]
    other = write(tmp_path, "c.csv", f"{HEADER}\n")
    with pytest.raises(
        DataFileError, match=r"package\.json: no resource names or links to 'c\.csv'"
    ):
        apply(mapping(tmp_path, text), other, meta)

"""export: formula neutralisation and the three formats round-trip."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from smartindex.display import export
from smartindex.errors import SmartIndexError

FRAME = pd.DataFrame(
    {
        "name": ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "plain", "\tTAB", None],
        "value": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0],
    }
)


def test_neutralise_prefixes_text_cells_only():
    out = export.neutralise(FRAME)
    assert list(out["name"][:6]) == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2+3",
        "'@SUM(A1)",
        "plain",
        "'\tTAB",
    ]
    assert pd.isna(out["name"].iloc[6])
    assert list(out["value"]) == list(FRAME["value"])  # negative numbers untouched
    assert FRAME["name"].iloc[0].startswith("=")  # input not modified


def test_csv_is_neutralised():
    text = export.to_csv(FRAME).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text))
    assert back["name"].iloc[1] == "'+1"
    assert back["value"].iloc[0] == -1.5


def test_xlsx_is_neutralised_and_numbers_stay_numbers():
    book = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(FRAME)))
    sheet = book.active
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -1.5


def test_xlsx_handles_time_zones_and_lists():
    frame = pd.DataFrame(
        {
            "t": pd.to_datetime(["2025-01-01 12:00"]).tz_localize("Asia/Jakarta"),
            "spark": [[1.0, 2.0]],
        }
    )
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frame))).active
    assert sheet["B2"].value == "[1.0, 2.0]"
    assert sheet["A2"].value.hour == 5  # 12:00 WIB = 05:00 UTC


def test_parquet_keeps_values_exactly():
    back = pd.read_parquet(io.BytesIO(export.to_parquet(FRAME)))
    assert back["name"].iloc[0] == FRAME["name"].iloc[0]
    assert list(back["value"]) == list(FRAME["value"])


def test_write_export_picks_format_from_extension(tmp_path):
    path = export.write_export(FRAME, tmp_path / "out" / "x.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with pytest.raises(SmartIndexError, match="unknown export format"):
        export.write_export(FRAME, tmp_path / "x.txt")


def test_recommendations_frame():
    rec = SimpleNamespace(
        rule_id="r1",
        priority=1,
        severity=0.5,
        dimension="governance",
        area="complaint_sla",
        scope_kind="indicator",
        scope="GOV_IKM",
        agencies=("Diskominfo", "Ortala"),
        text="=do something",
        evidence=({"code": "GOV_IKM", "value": 70.1, "severity": 0.5},),
    )
    frame = export.recommendations_frame([rec])
    assert frame.loc[0, "agencies"] == "Diskominfo; Ortala"
    assert frame.loc[0, "evidence"] == "code=GOV_IKM; value=70.1"
    assert frame.loc[0, "rank"] == 1
    assert export.neutralise(frame).loc[0, "text"] == "'=do something"
    assert export.recommendations_frame([]).empty


# Issue 16 item 9: headers, index labels and every text dtype are neutralised.
EVIL = "=1+1"


def _csv_rows(frame: pd.DataFrame) -> list[list[str]]:
    return list(csv.reader(io.StringIO(export.to_csv(frame).decode("utf-8-sig"))))


def test_category_column_is_neutralised_in_csv_and_xlsx():
    frame = pd.DataFrame({"code": pd.Categorical([EVIL, "ok", EVIL])})
    assert _csv_rows(frame)[1:] == [["'=1+1"], ["ok"], ["'=1+1"]]
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frame))).active
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"


def test_header_is_neutralised_in_csv_and_xlsx():
    frame = pd.DataFrame({EVIL: [1.0], "@SUM(A1)": [2.0]})
    assert _csv_rows(frame)[0] == ["'=1+1", "'@SUM(A1)"]
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(frame))).active
    assert [sheet["A1"].value, sheet["B1"].value] == ["'=1+1", "'@SUM(A1)"]
    assert sheet["A1"].data_type == "s"


def test_named_index_is_written_and_neutralised():
    frame = pd.DataFrame(
        {"v": [1.0, 2.0]}, index=pd.Index([EVIL, "+cmd|' /C calc'!A0"], name="-code")
    )
    rows = _csv_rows(frame)
    assert rows == [["'-code", "v"], ["'=1+1", "1.0"], ["'+cmd|' /C calc'!A0", "2.0"]]


@pytest.mark.parametrize("dtype", ["string", "string[pyarrow]", "object", "category"])
def test_every_text_dtype_is_neutralised(dtype: str):
    frame = pd.DataFrame({"t": pd.Series([EVIL, None, "fine"], dtype=dtype)})
    assert _csv_rows(frame)[1:] == [["'=1+1"], [""], ["fine"]]
    assert export.neutralise(frame)["t"].iloc[0] == "'=1+1"


def test_multiindex_header_and_full_width_prefix():
    frame = pd.DataFrame(
        [[1, 2]], columns=pd.MultiIndex.from_tuples([(EVIL, "a"), ("b", "\uff1dSUM(A1)")])
    )
    out = export.neutralise(frame)
    assert list(out.columns) == [("'=1+1", "a"), ("b", "'\uff1dSUM(A1)")]
    assert export.neutralise(pd.DataFrame({"t": ["\uff20x"]}))["t"].iloc[0] == "'\uff20x"

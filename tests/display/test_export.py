"""export: formula neutralisation and the three formats round-trip."""

from __future__ import annotations

import io
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from smartindex.display import export
from smartindex.errors import SmartIndexError

FRAME = pd.DataFrame({
    "name": ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "plain", "\tTAB", None],
    "value": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0],
})


def test_neutralise_prefixes_text_cells_only():
    out = export.neutralise(FRAME)
    assert list(out["name"][:6]) == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2+3", "'@SUM(A1)",
                                     "plain", "'\tTAB"]
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
    assert sheet["A2"].value == "'=HYPERLINK(\"http://x\")"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -1.5


def test_xlsx_handles_time_zones_and_lists():
    frame = pd.DataFrame({"t": pd.to_datetime(["2025-01-01 12:00"]).tz_localize("Asia/Jakarta"),
                          "spark": [[1.0, 2.0]]})
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
    rec = SimpleNamespace(rule_id="r1", priority=1, severity=0.5, dimension="governance",
                          area="complaint_sla", scope_kind="indicator", scope="GOV_IKM",
                          agencies=("Diskominfo", "Ortala"), text="=do something",
                          evidence=({"code": "GOV_IKM", "value": 70.1, "severity": 0.5},))
    frame = export.recommendations_frame([rec])
    assert frame.loc[0, "agencies"] == "Diskominfo; Ortala"
    assert frame.loc[0, "evidence"] == "code=GOV_IKM; value=70.1"
    assert frame.loc[0, "rank"] == 1
    assert export.neutralise(frame).loc[0, "text"] == "'=do something"
    assert export.recommendations_frame([]).empty

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest
from conftest import ASEM, METHODS

from smartindex.engine.evaluate import neutralise, run_evaluation
from smartindex.errors import CatalogueError, DataFileError, MethodError

FRAMEWORK = pd.DataFrame(
    {
        "code": ["a", "b", "P", "Q", "c"],
        "name": ["=A", "B", "P", "Q", "C"],
        "parent": ["P", "P", "Q", None, "Q"],
        "direction": [1, -1, 1, 1, 1],
        "weight": [1, 1, 1, 1, 2],
    }
)
DATA = pd.DataFrame(
    {
        "unit": ["=cmd()", "u2", "u3", "-u4"],
        "a": [1, 2, 3, 4],
        "b": [4, 3, 5, 1],
        "c": [2.5, 2, 1, 9],
    }
)


@pytest.fixture
def generic(tmp_path):
    FRAMEWORK.to_csv(tmp_path / "f.csv", index=False)
    DATA.to_csv(tmp_path / "d.csv", index=False)
    DATA.assign(unit=["u1", "u2", "u3", "u4"]).to_excel(tmp_path / "d.xlsx", index=False)
    return tmp_path


def test_asem_coinr_as_is(tmp_path):
    out = run_evaluation(
        ASEM / "ASEM_iMeta.csv",
        ASEM / "ASEM_iData.csv",
        tmp_path / "o",
        method_path=METHODS / "coinr_default.toml",
    )
    expected = {
        "stage_raw",
        "stage_normalised",
        "scores_long",
        "scores_level4",
        "ranks_level2",
        "treatment",
        "screening",
        "audit_stats",
        "audit_cronbach",
        "manifest",
        "workbook",
        "weights",
        "imputation",
    }
    assert expected <= set(out.files)
    assert all(p.exists() for p in out.files.values())
    manifest = json.loads(out.files["manifest"].read_text())
    assert manifest == json.loads(json.dumps(out.result.manifest))
    wb = openpyxl.load_workbook(out.files["workbook"], read_only=True)
    assert "scores_level4" in wb.sheetnames and all(len(s) <= 31 for s in wb.sheetnames)
    level4 = pd.read_csv(out.files["scores_level4"])
    assert len(level4) == 51 and "Index" in level4.columns


def test_generic_xlsx_and_formula_injection(generic):
    out = run_evaluation(generic / "f.csv", generic / "d.csv", generic / "o")
    scores = pd.read_csv(out.files["scores_long"])
    assert "'=cmd()" in set(scores["unit"]) and "'-u4" in set(scores["unit"])
    assert pd.api.types.is_float_dtype(scores["score"])
    ws = openpyxl.load_workbook(out.files["workbook"])["framework"]
    names = [c.value for c in ws["B"]]
    assert "'=A" in names
    ws2 = openpyxl.load_workbook(out.files["workbook"])["scores_level1"]
    assert isinstance(ws2["C2"].value, int | float)
    assert out.result.scores["year"].eq(0).all()


def test_xlsx_data(generic):
    out = run_evaluation(generic / "f.csv", generic / "d.xlsx", generic / "o2")
    assert sorted(out.result.index()["unit"]) == ["u1", "u2", "u3", "u4"]


def test_neutralise_only_touches_text():
    frame = pd.DataFrame({"t": ["=1+1", "+x", "@a", "ok", None], "n": [-1.0, 2, 3, 4, 5]})
    out = neutralise(frame)
    assert out["t"].tolist()[:4] == ["'=1+1", "'+x", "'@a", "ok"]
    assert out["n"].tolist() == frame["n"].tolist()


def test_bad_inputs_raise_one_line_errors(generic):
    with pytest.raises(DataFileError, match="file not found"):
        run_evaluation(generic / "nope.csv", generic / "d.xlsx", generic / "o")
    bad = FRAMEWORK.assign(parent=["P", "X", "Q", None, "Q"])
    bad.to_csv(generic / "bad.csv", index=False)
    with pytest.raises(CatalogueError, match="'b' has unknown parent 'X'"):
        run_evaluation(generic / "bad.csv", generic / "d.xlsx", generic / "o")
    DATA.assign(a=["1", "x", "3", "4"]).to_csv(generic / "d2.csv", index=False)
    with pytest.raises(DataFileError, match=r"line 3, column 'a': not a number: 'x'"):
        run_evaluation(generic / "f.csv", generic / "d2.csv", generic / "o")
    DATA.drop(columns="c").to_csv(generic / "d3.csv", index=False)
    with pytest.raises(DataFileError, match="no column for indicator 'c'"):
        run_evaluation(generic / "f.csv", generic / "d3.csv", generic / "o")
    (generic / "m.toml").write_text('[normalise]\nmethod = "wow"\n')
    with pytest.raises(MethodError, match=r"normalise\.method = 'wow'"):
        run_evaluation(
            generic / "f.csv", generic / "d.xlsx", generic / "o", method_path=generic / "m.toml"
        )
    for exc in (DataFileError, CatalogueError, MethodError):
        assert "\n" not in str(exc("x", "y") if exc is DataFileError else exc("y"))


def test_long_data_accepted(tmp_path):
    FRAMEWORK.to_csv(tmp_path / "f.csv", index=False)
    long = DATA.melt(id_vars="unit", var_name="code").assign(year=2024)
    long.to_csv(tmp_path / "d.csv", index=False)
    out = run_evaluation(tmp_path / "f.csv", tmp_path / "d.csv", tmp_path / "o")
    assert out.result.scores["year"].eq(2024).all()

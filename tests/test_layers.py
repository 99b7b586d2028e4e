"""Import rules: the library never imports Streamlit; the app never imports DuckDB or Great
Expectations and contains no groupby or SQL (it only calls the library)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = sorted((ROOT / "smartindex").rglob("*.py"))
APP = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]
SQL = re.compile(r"\b(select\s+.+\s+from|insert\s+into|create\s+table|group\s+by)\b",
                 re.IGNORECASE | re.DOTALL)


def imported(path: Path) -> set[str]:
    """Top-level module names imported anywhere in ``path``."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def strings(path: Path) -> list[str]:
    return [n.value for n in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_library_never_imports_streamlit(path):
    assert "streamlit" not in imported(path)


@pytest.mark.parametrize("path", APP, ids=lambda p: str(p.relative_to(ROOT)))
def test_app_imports_no_database_or_validation(path):
    assert not imported(path) & {"duckdb", "great_expectations"}


@pytest.mark.parametrize("path", APP, ids=lambda p: str(p.relative_to(ROOT)))
def test_app_has_no_groupby_or_sql(path):
    tree = ast.parse(path.read_text("utf-8"))
    calls = {n.func.attr for n in ast.walk(tree)
             if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    assert not calls & {"groupby", "pivot_table", "execute", "sql", "query"}
    assert not [s for s in strings(path) if SQL.search(s)]


def test_app_files_stay_short():
    assert len((ROOT / "app.py").read_text("utf-8").splitlines()) <= 60
    for page in APP[1:]:
        limit = 200 if page.name == "common.py" else 80
        assert len(page.read_text("utf-8").splitlines()) <= limit, page.name


def test_the_rule_detects_violations(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import duckdb\nx = df.groupby('a')\nq = 'select a from t'\n")
    assert "duckdb" in imported(bad)
    assert any(SQL.search(s) for s in strings(bad))

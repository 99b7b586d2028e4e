"""The architecture as a test: which package may import which, and what the faces may touch.

Layers, lowest first (a package may import only the packages listed for it)::

    kernel (config, errors) -> warehouse -> etl, indicators -> engine (kernel only)
      -> scoring -> analysis (reads Results, never connects) -> display -> report, app, cli

``ops`` (live operations) sits beside scoring: kernel, warehouse, etl, indicators.

A violation this test catches, for example: ``smartindex/analysis/peers.py`` writing
``from smartindex.warehouse import connect`` (analysis would open the warehouse), or
``smartindex/engine/treat.py`` writing ``from smartindex.indicators import load_catalogue``
(the engine must stay pure), or ``def f(): from smartindex.display import charts`` inside a
library function (a hidden, function-level import). ``test_the_rules_detect_violations`` runs
the checkers on such snippets.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "smartindex"
LIBRARY = sorted(PACKAGE.rglob("*.py"))
APP = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]
SQL = re.compile(
    r"\b(select\s+.+\s+from|insert\s+into|create\s+table|group\s+by)\b", re.IGNORECASE | re.DOTALL
)

KERNEL = frozenset({"config", "errors", "spreadsheet"})
ALLOWED: dict[str, frozenset[str]] = {
    "config": frozenset(),
    "errors": frozenset(),
    "spreadsheet": frozenset(),
    "warehouse": KERNEL | {"warehouse"},
    "etl": KERNEL | {"warehouse", "etl"},
    "indicators": KERNEL | {"warehouse", "indicators"},
    "engine": KERNEL | {"engine"},
    "sample": KERNEL | {"sample", "indicators", "cities"},  # holiday calendar, region columns
    "scoring": KERNEL | {"warehouse", "indicators", "engine", "scoring"},
    "ops": KERNEL | {"warehouse", "etl", "indicators", "ops"},
    "cities": KERNEL | {"cities"},
    "workspace": KERNEL | {"cities", "etl", "indicators", "workspace"},
    "analysis": KERNEL | {"indicators", "engine", "scoring", "analysis"},
    "display": KERNEL | {"indicators", "scoring", "analysis", "display"},
    "report": KERNEL | {"indicators", "scoring", "analysis", "display", "report"},
}
# Third-party packages that only some layers may import.
ONLY_IN: dict[str, frozenset[str]] = {
    "duckdb": frozenset({"warehouse", "etl", "indicators", "scoring", "ops", "sample"}),
    "great_expectations": frozenset({"etl"}),
    "typst": frozenset({"report"}),
    "streamlit": frozenset(),
}
TOP_LEVEL_FACES = {"cli", "__init__", "__main__"}  # may import any layer


def layer_of(path: Path) -> str:
    """``smartindex/analysis/peers.py`` -> ``analysis``; ``smartindex/config.py`` -> ``config``."""
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(tree: ast.AST) -> Iterator[tuple[ast.stmt, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                yield node, f"{node.module}.{alias.name}"


def first_party_layers(source: str) -> set[str]:
    """The smartindex layers a module imports (``smartindex.scoring.results`` -> ``scoring``)."""
    out = set()
    for _, name in _imports(ast.parse(source)):
        parts = name.split(".")
        if parts[0] == "smartindex" and len(parts) > 1:
            out.add(parts[1])
    return out


def third_party(source: str) -> set[str]:
    return {name.split(".")[0] for _, name in _imports(ast.parse(source))}


def function_level_first_party(source: str) -> list[int]:
    """Line numbers of smartindex imports inside a function body."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines += [
                stmt.lineno for stmt, name in _imports(node) if name.split(".")[0] == "smartindex"
            ]
    return sorted(set(lines))


def violations(path: Path, source: str | None = None) -> list[str]:
    """Every broken rule of one library module, as readable lines."""
    text = path.read_text("utf-8") if source is None else source
    layer = layer_of(path)
    found = []
    if layer not in TOP_LEVEL_FACES:
        allowed = ALLOWED.get(layer)
        if allowed is None:
            return [f"{path.name}: layer {layer!r} is not in the ALLOWED table"]
        found += [
            f"{layer} imports {other}"
            for other in sorted(first_party_layers(text) - allowed - {layer})
        ]
        found += [
            f"function-level import of smartindex at line {n}"
            for n in function_level_first_party(text)
        ]
    found += [
        f"{layer} imports {pkg}"
        for pkg in sorted(third_party(text) & set(ONLY_IN))
        if layer not in ONLY_IN[pkg] and layer not in TOP_LEVEL_FACES
    ]
    found += [f"{layer} imports streamlit" for pkg in third_party(text) if pkg == "streamlit"]
    return sorted(set(found))


def module_graph() -> dict[str, set[str]]:
    """Module -> first-party modules it imports at top level (for cycle detection)."""
    modules = {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
        for p in LIBRARY
    }
    graph: dict[str, set[str]] = {}
    for mod, path in modules.items():
        deps = set()
        for node in ast.parse(path.read_text("utf-8")).body:
            for _, name in _imports(node):
                target = name if name in modules else name.rpartition(".")[0]
                if target in modules and target != mod and not mod.startswith(target + "."):
                    deps.add(target)
        graph[mod] = deps
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a list of modules, or [] (iterative depth-first search)."""
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph[start])))]
        path, state[start] = [start], 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return [*path[path.index(child) :], child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph.get(child, ())))))
    return []


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_one_way(path: Path) -> None:
    assert violations(path) == []


def test_no_import_cycles() -> None:
    assert find_cycle(module_graph()) == []


@pytest.mark.parametrize("path", APP, ids=lambda p: str(p.relative_to(ROOT)))
def test_app_imports_no_database_validation_or_warehouse(path: Path) -> None:
    text = path.read_text("utf-8")
    assert not third_party(text) & {"duckdb", "great_expectations", "typst"}
    assert not first_party_layers(text) & {"warehouse", "etl"}


@pytest.mark.parametrize("path", APP, ids=lambda p: str(p.relative_to(ROOT)))
def test_app_has_no_groupby_or_sql(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    calls = {
        n.func.attr
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    }
    assert not calls & {"groupby", "pivot_table", "execute", "sql", "query", "import_module"}
    strings = [
        n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]
    assert not [s for s in strings if SQL.search(s)]


def test_app_files_stay_short() -> None:
    assert len((ROOT / "app.py").read_text("utf-8").splitlines()) <= 60
    for page in APP[1:]:
        limit = 280 if page.name == "common.py" else 120  # common: loaders + shared widgets
        assert len(page.read_text("utf-8").splitlines()) <= limit, page.name


def test_the_rules_detect_violations() -> None:
    analysis = PACKAGE / "analysis" / "peers.py"
    engine = PACKAGE / "engine" / "treat.py"
    assert violations(analysis, "from smartindex.warehouse import connect\n") == [
        "analysis imports warehouse"
    ]
    assert violations(engine, "from smartindex.indicators import load_catalogue\n") == [
        "engine imports indicators"
    ]
    assert violations(analysis, "import duckdb\n") == ["analysis imports duckdb"]
    assert violations(analysis, "def f():\n    from smartindex.analysis import trends\n") == [
        "function-level import of smartindex at line 2"
    ]
    assert violations(PACKAGE / "cli.py", "def f():\n    from smartindex import report\n") == []
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_no_city_is_named_in_the_library() -> None:
    """Issue #15: everything about a city comes from its profile; only the sample generator
    (which writes the bundled Palembang data) may name one."""
    named = [
        str(p.relative_to(ROOT))
        for p in PACKAGE.rglob("*.py")
        if "sample" not in p.relative_to(PACKAGE).parts
        and "palembang" in p.read_text("utf-8").lower()
    ]
    assert named == []

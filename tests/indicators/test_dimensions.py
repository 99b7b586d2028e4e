"""The six dimension packages are real entry points over the one shared measurement engine."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from smartindex.indicators import DIMENSION_MODULES, environment, load_catalogue, measure
from smartindex.indicators.catalogue import sql_path
from smartindex.warehouse import connect

CATALOGUE = load_catalogue()


def test_one_module_per_catalogue_dimension() -> None:
    assert [m.KEY for m in DIMENSION_MODULES] == [d.key for d in CATALOGUE.dimensions]


@pytest.mark.parametrize("module", DIMENSION_MODULES, ids=lambda m: m.KEY)
def test_each_indicator_query_lives_in_its_dimension_folder(module: object) -> None:
    key = module.KEY  # type: ignore[attr-defined]
    codes = [i.code for i in module.indicators(CATALOGUE)]  # type: ignore[attr-defined]
    assert codes == [i.code for i in CATALOGUE.for_dimension(key)]
    folder = Path(module.__file__).parent  # type: ignore[attr-defined]
    files = sorted(p.stem.upper() for p in folder.glob("*.sql"))
    assert files == sorted(codes)
    for ind in module.indicators(CATALOGUE):  # type: ignore[attr-defined]
        assert (
            sql_path(folder.parent, key, ind.code)
            .read_text("utf-8")
            .strip()
            .endswith(ind.sql.splitlines()[-1].strip())
        )


def test_dimension_measure_equals_the_engine_restricted_to_it(scored_warehouse: Path) -> None:
    with connect(scored_warehouse, read_only=True) as con:
        env = environment.measure(con, CATALOGUE, years=[2024, 2025])
        everything = measure(con, CATALOGUE)
    assert set(env["code"]) <= {i.code for i in environment.indicators(CATALOGUE)}
    assert not env.empty and set(env["year"]) == {2024, 2025}
    same = everything[
        everything["code"].isin(set(env["code"])) & everything["year"].isin([2024, 2025])
    ]
    key = ["code", "area_code", "year"]
    pd.testing.assert_frame_equal(
        env.sort_values(key).reset_index(drop=True)[[*key, "value"]],
        same.sort_values(key).reset_index(drop=True)[[*key, "value"]],
    )

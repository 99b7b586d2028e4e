"""COINr's default ASEM build (build_example_coin), reproduced to the printed precision.

COINr's pkgdown article "Presenting Results" prints CHE 68.38, NLD 64.82, DNK 64.80,
NOR 64.47, BEL 63.54, SWE 63.00 and IND 39.79 (rank 45).  Two indicators are also
recomputed stage by stage here with plain numpy/scipy from the CSV files.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import ASEM
from scipy import stats

from smartindex.engine import Framework, build_index
from smartindex.engine.denominate import ratio
from smartindex.errors import CatalogueError

DOCUMENTED = {"CHE": 68.38, "NLD": 64.82, "DNK": 64.80, "NOR": 64.47, "BEL": 63.54, "SWE": 63.00}


@pytest.fixture(scope="module")
def built(asem, asem_spec, coinr_method):
    return build_index(
        asem.data,
        asem_spec.framework,
        coinr_method,
        denominators=asem.denominators,
        groups=asem.groups,
    )


@pytest.fixture(scope="module")
def idata():
    return pd.read_csv(ASEM / "ASEM_iData.csv").set_index("uCode")


def test_documented_asem_scores_and_ranks(built):
    idx = built.index().set_index("unit")
    top6 = idx.sort_values("rank").head(6)
    assert list(top6.index) == list(DOCUMENTED)
    for unit, score in DOCUMENTED.items():
        assert round(idx.at[unit, "score"], 2) == pytest.approx(score, abs=1e-9)
    assert round(idx.at["IND", "score"], 2) == pytest.approx(39.79) and idx.at["IND", "rank"] == 45


def test_missing_denominator_gives_missing_value(built):
    # LAO has no Energy value: its Elec and Gas are missing after denomination and are
    # imputed (65 cells in all, not 63)
    den = built.stages["denominated"].set_index(["unit", "code"])["value"]
    assert np.isnan(den[("LAO", "Elec")]) and np.isnan(den[("LAO", "Gas")])
    assert len(built.imputation) == 65
    wide = pd.DataFrame({"x": [2.0, 3.0], "y": [1.0, 1.0]})
    d = pd.DataFrame({"x": [np.nan, 2.0], "y": [np.nan, np.nan]})
    out = ratio(wide, d, pd.Series({"x": True, "y": False}))
    assert np.isnan(out.at[0, "x"]) and out.at[1, "x"] == 1.5 and out["y"].tolist() == [1, 1]


def test_services_is_winsorised_four_points_not_logged(built):
    row = built.treatment.set_index("code").loc["Services"]
    assert row["action"] == "winsorised" and row["points_high"] == 4


def _winsorise_by_hand(v: np.ndarray, winmax: int) -> tuple[np.ndarray, int]:
    """COINr winsorise written out: nwin = number of points at the clipped maximum."""
    v = v.copy()
    nwin = 0

    def failing(a):
        return abs(stats.skew(a, bias=False)) >= 2 and stats.kurtosis(a, bias=False) >= 3.5

    while failing(v) and nwin < winmax:
        at = v == v.max()
        v[at] = v[~at].max()
        nwin = int(at.sum())
    return v, nwin


def _hand_stages(idata: pd.DataFrame, code: str, denom: str) -> dict[str, pd.Series]:
    raw = idata[code]
    den = raw / idata[denom]  # x / NA = NA
    group = idata["EurAsia_group"]
    imp = den.fillna(den.groupby(group).transform("mean"))
    treated, nwin = _winsorise_by_hand(imp.to_numpy(), 5)
    tr = pd.Series(treated, index=imp.index)
    norm = (tr - tr.min()) / (tr.max() - tr.min()) * 100
    return {"denominated": den, "imputed": imp, "treated": tr, "normalised": norm, "nwin": nwin}


@pytest.mark.parametrize(("code", "denom", "nwin"), [("Gas", "Energy", 3), ("Services", "GDP", 4)])
def test_every_stage_by_hand(built, idata, code, denom, nwin):
    hand = _hand_stages(idata, code, denom)
    assert hand["nwin"] == nwin
    for stage in ("denominated", "imputed", "treated", "normalised"):
        got = built.stages[stage].query("code == @code").set_index("unit")["value"]
        np.testing.assert_allclose(
            got.reindex(hand[stage].index).to_numpy(), hand[stage].to_numpy(), rtol=1e-12
        )
    # LAO's Gas is the mean of the other Asian units' Gas/Energy
    if code == "Gas":
        asia = idata[(idata["EurAsia_group"] == "Asia") & idata["Energy"].notna()]
        assert hand["imputed"]["LAO"] == pytest.approx((asia["Gas"] / asia["Energy"]).mean())


def test_pillar_is_mean_of_its_normalised_indicators(built, asem_spec):
    fw = asem_spec.framework
    s = built.scores.pivot(index="unit", columns="code", values="score")
    kids = fw.children("Physical")
    np.testing.assert_allclose(s["Physical"], s[kids].mean(axis=1), rtol=1e-12)
    np.testing.assert_allclose(s["Index"], s[["Conn", "Sust"]].mean(axis=1), rtol=1e-12)


def _imeta(**change):
    meta = pd.read_csv(ASEM / "ASEM_iMeta.csv")
    for code, (col, value) in change.items():
        meta.loc[meta["iCode"] == code, col] = value
    return meta


def test_from_coinr_refuses_indicator_parent():
    meta = _imeta(Flights=("Parent", "LPI"))
    with pytest.raises(CatalogueError) as err:
        Framework.from_coinr(meta)
    msg = str(err.value)
    assert "'Flights' has parent 'LPI', which is an Indicator" in msg and "\n" not in msg


def test_from_coinr_refuses_group_or_denominator_parent():
    with pytest.raises(CatalogueError, match="'Flights' has parent 'GDP', which is a Denominator"):
        Framework.from_coinr(_imeta(Flights=("Parent", "GDP")))


def test_from_coinr_keeps_declared_types():
    fw = Framework.from_coinr(_imeta())
    assert fw.column("type")["LPI"] == "Indicator" and fw.column("type")["Physical"] == "Aggregate"
    bad = _imeta(Physical=("Type", "Indicator"))
    with pytest.raises(CatalogueError, match="which is an Indicator"):
        Framework.from_coinr(bad)


def test_cycle_error_names_every_member():
    frame = pd.DataFrame(
        {
            "code": ["a", "P", "Q", "R"],
            "name": ["a", "P", "Q", "R"],
            "parent": ["P", "Q", "R", "P"],
            "direction": 1,
            "weight": 1,
        }
    )
    with pytest.raises(CatalogueError) as err:
        Framework.from_frame(frame)
    assert "['P', 'Q', 'R']" in str(err.value) and "P -> Q -> R -> P" in str(err.value)

"""``smartindex score``: measure every indicator, build the index, publish it to the warehouse.

I/O shell around the pure engine: reads the warehouse, calls ``measure`` and
``smartindex.engine``, and writes the tables documented in ``smartindex.scoring.results`` inside one
atomic warehouse swap, so readers never see a half-written run.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from smartindex.config import Settings
from smartindex.engine import Framework, MethodSpec, UncertaintySpec, audit, build_index
from smartindex.engine import uncertainty as run_uncertainty
from smartindex.engine.panel import rank_desc
from smartindex.engine.pipeline import package_version
from smartindex.errors import MethodError, WarehouseError
from smartindex.indicators import load_catalogue, measure
from smartindex.indicators.access import publish_access_shares
from smartindex.indicators.complaints import publish_complaint_tables
from smartindex.indicators.measure import targets_frame, write_indicator_values
from smartindex.scoring.results import INDEX_CODE, LEVEL_NAMES, home_city
from smartindex.warehouse import swap_write
from smartindex.warehouse.cities import cities_in, city_schema
from smartindex.warehouse.connection import query_df, table_exists

_HOME_SQL = "select kode_wilayah as area_code, level, is_home_city from region"
DEFAULT_METHOD = "default.toml"  # packaged, smartindex/methods/; a profile's [method] file wins


@dataclass(frozen=True)
class ScoringSetup:
    """A method spec, its uncertainty spec and the raw TOML text they came from."""

    method: MethodSpec
    uncertainty: UncertaintySpec | None
    source: dict[str, Any] = field(default_factory=dict)

    def method_record(self) -> dict[str, Any]:
        """The method as published: name, description and every stage's settings."""
        about = {k: self.source[k] for k in ("name", "description") if k in self.source}
        return about | self.method.to_dict()


@dataclass(frozen=True)
class ScoreRun:
    """What one ``compute_scores`` call published."""

    run_id: str
    db_path: Path
    n_indicator_values: int
    n_scores: dict[str, int]
    manifest: dict[str, Any]
    # catalogue indicators without any value for the city (no data): left out of the index
    no_data: tuple[str, ...] = ()

    def summary(self) -> str:
        """A short human-readable account of the run."""
        parts = ", ".join(f"{k}: {v} scores" for k, v in self.n_scores.items())
        missing = f"; {len(self.no_data)} indicators without data" if self.no_data else ""
        return (
            f"run {self.run_id} -> {self.db_path}: {self.n_indicator_values} indicator "
            f"values; {parts}{missing}"
        )


def load_setup(path: Path | None = None) -> ScoringSetup:
    """Read a method TOML (default: the packaged ``default.toml``) with its [uncertainty]."""
    if path is None:
        text = resources.files("smartindex.methods").joinpath(DEFAULT_METHOD).read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MethodError(f"{path or DEFAULT_METHOD}: not valid TOML: {exc}") from None
    ua = raw.get("uncertainty")
    method = MethodSpec.from_dict({k: v for k, v in raw.items() if k != "uncertainty"})
    return ScoringSetup(method, UncertaintySpec.from_dict(ua) if ua else None, raw)


def comparison_sets(con: duckdb.DuckDBPyConnection, city: str) -> dict[str, list[str]]:
    """Units scored together: the city with its peers, and the city's kecamatan."""
    regions = query_df(
        con,
        "select kode_wilayah as area_code, level, parent_kode as parent, is_home_city from region",
    )
    cities = regions.loc[regions["level"] == "kota", "area_code"].tolist()
    districts = regions.loc[
        (regions["level"] == "kecamatan") & (regions["parent"] == city), "area_code"
    ].tolist()
    return {"cities": sorted(cities), "kecamatan": sorted(districts)}


def area_years(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """area_code, first, last: the years each region existed (``region.valid_from`` /
    ``valid_to``; NULL = open-ended). An area created on 1 Jan 2018 is first scored for 2018."""
    return query_df(
        con,
        """
        select kode_wilayah as area_code, year(valid_from) as first,
               year(valid_to - interval 1 day) as last
        from region""",
    )


def existing_only(tables: dict[str, pd.DataFrame], years: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Drop every row of an area in a year before it existed or after it ceased (the engine's
    full area_code x year grid would otherwise score and impute it); ranks are recomputed among the
    areas that existed."""
    out = {}
    for name, frame in tables.items():
        if not {"area_code", "year"} <= set(frame.columns):
            out[name] = frame
            continue
        span = frame[["area_code", "year"]].merge(years, on="area_code", how="left")
        first = pd.to_numeric(span["first"], errors="coerce")
        last = pd.to_numeric(span["last"], errors="coerce")
        alive = (
            (first.isna() | (span["year"] >= first)) & (last.isna() | (span["year"] <= last))
        ).to_numpy()
        out[name] = frame[alive].reset_index(drop=True)
    if "scores" in out and len(out["scores"]) < len(tables["scores"]):
        scores = out["scores"].copy()
        scores["rank"] = rank_desc(scores, ["year", "code"]).astype(scores["rank"].dtype)
        out["scores"] = scores
    return out


def synthetic_shares(values: pd.DataFrame, elements: pd.DataFrame) -> pd.DataFrame:
    """area_code, year, code, synthetic_share: for an indicator 1 - official_share of its measured
    value (unknown provenance counts as synthetic); for a factor, a dimension and the index the
    mean over the measured indicators below it. Imputed values carry no share of their own."""
    parent = dict(zip(elements["code"], elements["parent"], strict=True))

    def ancestors(code: str) -> list[str]:
        out: list[str] = []
        node: object = parent.get(code)
        while isinstance(node, str):
            out.append(node)
            node = parent.get(node)
        return out

    official = (
        pd.to_numeric(values["official_share"], errors="coerce").fillna(0.0)
        if "official_share" in values
        else 0.0
    )
    own = values[["area_code", "year", "code"]].assign(synthetic_share=1.0 - official)
    chains = own.assign(code=own["code"].map(ancestors)).explode("code").dropna(subset=["code"])
    above = chains.groupby(["area_code", "year", "code"])["synthetic_share"].mean().reset_index()
    frames: list[pd.DataFrame] = [own, above]
    return pd.concat(frames, ignore_index=True)


def prune_framework(elements: pd.DataFrame, codes: set[str]) -> pd.DataFrame:
    """Keep indicators in ``codes`` and every ancestor that still has an indicator below it."""
    parent = dict(zip(elements["code"], elements["parent"], strict=True))
    keep = set(codes)
    for code in codes:
        node: object = code
        while isinstance(node := parent.get(node), str):
            keep.add(node)
    return elements[elements["code"].isin(keep)].reset_index(drop=True)


def input_checksums(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """SHA-256 of every raw file behind the warehouse (latest successful load per file)."""
    if not table_exists(con, "load_manifest"):
        return {}
    rows = con.execute("""
        select source_file, sha256 from load_manifest
        where status in ('loaded', 'replaced')
        qualify row_number() over (partition by source_file order by finished_at desc) = 1
        order by source_file""").fetchall()
    return {str(path): str(sha) for path, sha in rows}


def warehouse_peers(
    con: duckdb.DuckDBPyConnection, values: pd.DataFrame, city: str
) -> tuple[pd.DataFrame, dict[str, str]]:
    """``values`` with the peers the warehouse also holds as cities of their own (the
    ``kota`` rows of ``region`` besides ``city`` that have a schema, see
    :mod:`smartindex.warehouse.cities`) taking the values measured there, from the peer's own
    raw data (its latest ``smartindex score``): per indicator and year the peer's own value
    wins over the one measured here from official statistics or ``peer_indicator_values``,
    which still fill its gaps. ``inputs`` names the schema they come from. Also returns a
    checksum of each peer's values taken (for the run manifest)."""
    peers = query_df(
        con, "select kode_wilayah from region where level = 'kota' and kode_wilayah <> ?", [city]
    )["kode_wilayah"]
    held = set(cities_in(con))
    taken, sums = [], {}
    for code in sorted(set(peers.astype(str)) & held):
        schema = city_schema(code)
        if not table_exists(con, "indicator_values", schema):
            continue  # the peer's data are loaded but not scored yet
        own = query_df(
            con,
            f"select * from {schema}.indicator_values where area_code = ? and not is_reported "
            "order by code, year",
            [code],
        )
        if own.empty:
            continue
        own["inputs"] = (schema + ".indicator_values: " + own["inputs"].fillna("")).astype("string")
        taken.append(own[list(values.columns)])
        sums[f"{schema}.indicator_values"] = _digest(own[["code", "year", "value"]].to_dict("list"))
    if not taken:
        return values, sums
    theirs = pd.concat(taken, ignore_index=True)
    key = ["code", "area_code", "year"]
    mine = values.merge(theirs[key], on=key, how="left", indicator=True)["_merge"] == "left_only"
    out = pd.concat([values[mine.to_numpy()], theirs.astype(values.dtypes.to_dict())])
    return out.sort_values(key).reset_index(drop=True), sums


def _digest(*parts: object) -> str:
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def to_engine(frame: pd.DataFrame) -> pd.DataFrame:
    """The engine keeps COINr's name for an area code, ``unit``; the library says ``area_code``."""
    return frame.rename(columns={"area_code": "unit"})


def from_engine(frame: pd.DataFrame) -> pd.DataFrame:
    """An engine table with its ``unit`` column named ``area_code`` again."""
    return frame.rename(columns={"unit": "area_code"})


def score_comparison(
    values: pd.DataFrame,
    elements: pd.DataFrame,
    setup: ScoringSetup,
    targets: pd.DataFrame,
    *,
    runs: int,
    seed: int,
    progress: bool,
) -> dict[str, pd.DataFrame]:
    """Build one comparison set: scores, audit and (if runs > 0) rank uncertainty."""
    data = values[["area_code", "year", "code", "value"]].dropna(subset=["value"])
    framework = Framework.from_frame(prune_framework(elements, set(data["code"])))
    result = build_index(to_engine(data), framework, setup.method, targets=to_engine(targets))
    levels = dict(zip(elements["code"], elements["level"], strict=True))
    scores = from_engine(result.scores).assign(
        level=lambda d: d["code"].map(levels).astype(int),
        level_name=lambda d: d["level"].map(LEVEL_NAMES),
    )
    scores = scores.merge(
        synthetic_shares(values, elements), on=["area_code", "year", "code"], how="left"
    )
    checks = {name: from_engine(t) for name, t in audit(result).tables().items()}
    out = {
        "scores": scores[
            [
                "area_code",
                "year",
                "code",
                "level",
                "level_name",
                "score",
                "rank",
                "coverage",
                "synthetic_share",
            ]
        ],
        "audit_indicators": checks.pop("audit_stats"),
        **checks,
        "score_weights": from_engine(result.weights),
        "score_screening": from_engine(result.screening),
        "score_treatment": from_engine(result.treatment),
        "score_imputation": from_engine(result.imputation),
    }
    if runs > 0 and setup.uncertainty is not None and data["area_code"].nunique() > 2:
        ua = run_uncertainty(
            to_engine(data),
            framework,
            setup.method,
            setup.uncertainty,
            n=runs,
            seed=seed,
            progress=progress,
            targets=to_engine(targets),
        )
        out["uncertainty_ranks"] = from_engine(ua.ranks)
        out["sensitivity_indices"] = ua.sobol.rename(columns={"total_order": "total"})
    return out


def _write(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pd.DataFrame,
    run_id: str,
    comparison: str | None = None,
) -> None:
    cols = {"run_id": run_id} | ({"comparison": comparison} if comparison else {})
    frame = frame.reset_index(drop=True).assign(**cols)
    frame = frame[[*cols, *[c for c in frame.columns if c not in cols]]]
    con.register("_frame", frame)
    if not table_exists(con, table):
        con.execute(f'create table "{table}" as select * from _frame limit 0')
    have = {row[0] for row in con.execute(f'describe "{table}"').fetchall()}
    for name, dtype, *_ in con.execute("describe select * from _frame").fetchall():
        if name not in have:  # a newer version publishes more columns: widen the table
            con.execute(f'alter table "{table}" add column "{name}" {dtype}')
    con.execute(f'insert into "{table}" by name select * from _frame')
    con.unregister("_frame")


def compute_scores(
    settings: Settings,
    *,
    method_path: Path | None = None,
    uncertainty_runs: int = 200,
    seed: int = 2026,
    progress: bool = False,
) -> ScoreRun:
    """Measure all indicators and publish scores, ranks, audit and uncertainty results."""
    if uncertainty_runs < 0:
        raise MethodError(f"uncertainty runs must be 0 or more, got {uncertainty_runs}")
    if not Path(settings.db_path).exists():
        raise WarehouseError(f"{settings.db_path}: warehouse not found; run `smartindex etl`")
    setup = load_setup(method_path or settings.method_path)
    catalogue = load_catalogue()
    elements = catalogue.to_framework_frame()
    with swap_write(settings.db_path, city=settings.city_code) as con:
        city = settings.city_code or home_city(query_df(con, _HOME_SQL))
        values, peer_sums = warehouse_peers(
            con, measure(con, catalogue, week=settings.work_week), city
        )
        write_indicator_values(con, values)
        publish_complaint_tables(con, catalogue)
        city_years = values.loc[values["area_code"] == city, "year"].unique()
        publish_access_shares(con, years=sorted(int(y) for y in city_years), city=city)
        targets = targets_frame(con)
        checksums = input_checksums(con) | peer_sums
        run_id = _digest(setup.method.digest, catalogue.digest, checksums, uncertainty_runs, seed)[
            :12
        ]
        _delete_run(con, run_id)
        counts = {}
        for name, area_codes in comparison_sets(con, city).items():
            subset = values[values["area_code"].isin(area_codes)]
            if subset.empty:
                continue
            tables = existing_only(
                score_comparison(
                    subset,
                    elements,
                    setup,
                    targets,
                    runs=uncertainty_runs,
                    seed=seed,
                    progress=progress,
                ),
                area_years(con),
            )
            for table, frame in tables.items():
                _write(con, table, frame, run_id, name)
            counts[name] = len(tables["scores"])
        manifest = _manifest(run_id, setup, catalogue, checksums, values)
        _write(con, "run_manifest", pd.DataFrame([manifest]), run_id)
    measured = set(values.loc[(values["area_code"] == city) & values["value"].notna(), "code"])
    no_data = tuple(i.code for i in catalogue.indicators if i.code not in measured)
    return ScoreRun(run_id, Path(settings.db_path), len(values), counts, manifest, no_data)


RUN_TABLES = (
    "scores",
    "audit_indicators",
    "audit_correlations",
    "audit_parent_correlations",
    "audit_cronbach",
    "audit_pca_variance",
    "audit_pca_loadings",
    "score_weights",
    "score_screening",
    "score_treatment",
    "score_imputation",
    "uncertainty_ranks",
    "sensitivity_indices",
    "run_manifest",
)


def _delete_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    for table in RUN_TABLES:
        if table_exists(con, table):
            con.execute(f'delete from "{table}" where run_id = ?', [run_id])


def _manifest(
    run_id: str,
    setup: ScoringSetup,
    catalogue: Any,
    checksums: dict[str, str],
    values: pd.DataFrame,
) -> dict[str, Any]:
    return {
        "created_at": datetime.now(UTC).replace(tzinfo=None),
        "method_json": json.dumps(setup.method_record(), sort_keys=True, default=str),
        "uncertainty_json": json.dumps(setup.source.get("uncertainty", {}), sort_keys=True),
        "method_digest": setup.method.digest,
        "catalogue_version": str(catalogue.version),
        "catalogue_digest": catalogue.digest,
        "framework_digest": _digest(catalogue.to_framework_frame().to_dict("list")),
        "input_checksums_json": json.dumps(checksums, sort_keys=True),
        "values_digest": _digest(values[["area_code", "year", "code", "value"]].to_dict("list")),
        "package_version": package_version(),
        "index_code": INDEX_CODE,
    }

"""Render ``docs/catalogue.md`` from the catalogue, so the documentation cannot drift.

``python -m smartindex.indicators.docs > docs/catalogue.md`` regenerates it; a test compares the
file with :func:`catalogue_markdown` of the packaged catalogue.  The indicator tables come from
``catalogue.toml``; the method prose and the complaint-KPI formulas are not catalogue data and
are kept here as static text.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence

from smartindex.errors import CatalogueError
from smartindex.indicators.catalogue import Catalogue, Indicator, load_catalogue

TITLE = "# The indicator catalogue"
INTRO = """\
`smartindex/indicators/catalogue.toml` is the single definition of every indicator: metadata,
Giffinger dimension and factor, unit (in Bahasa Indonesia and English), direction, weight, tier,
standard, target reference, source kind, the tables it reads and **one DuckDB query**. Adding
an indicator is adding one `[[indicator]]` entry; no Python changes. The tables below are
generated from that file by `smartindex/indicators/docs.py`
(`python -m smartindex.indicators.docs > docs/catalogue.md`)."""
USAGE = """\
```python
from smartindex.indicators import load_catalogue, measure, measure_indicator_values, targets_frame
cat = load_catalogue()                 # validated; CatalogueError names the bad entry
cat.version, cat.digest                # "1.0.0", sha256 of the canonical (parsed) content
cat.to_framework_frame()               # INDEX -> dimensions -> factors -> indicators (engine)
values = measure(con, cat)             # long table, see below; codes=[...] for a subset
measure_indicator_values(con, cat)     # measure + CREATE OR REPLACE TABLE indicator_values
targets_frame(con, cat)                # area_code, year, code, target (from the targets table)
validate_queries(con, cat)          # run every query, check the contract
```

## Query contract

Each `sql` returns exactly `area_code, year, value, numerator, denominator` and optionally `n_obs`,
`n_valid`:

- `area_code` is a `kode_wilayah`: the home city (4 digits, e.g. Kota Bukittinggi `1375`), its
  kecamatan (7 digits) where the input has a kecamatan breakdown, the peer cities of its profile
  (4 digits) where `official_stats` has the inputs. One row per area and year.
- For ratios `value = k · numerator / denominator`, `k` given by the unit (100 for %, 1 000 for
  "per 1 000" …); `numerator`/`denominator` are NULL otherwise.
- `n_obs` = records behind the value; `n_valid` = those carrying the data the value needs.
- Optional `official_share` (0–1, the share of those records that are official figures) and
  `sources` (publisher, document, year): the `stat_*` macros return both row by row; other
  queries inherit them from their first input table.

Queries use shared macros declared in the catalogue (`[[macro]]`: `stat_value`, `stat_per_capita`,
`stat_ratio`, `stat_latest`, `kecamatan_areas`, `home_areas`, `complaint_records`, `sla_tickets`,
`complaint_cutoffs`, `reporter_homes`, `pm25_daily`, `pm25_complete_years`, `respondents`,
`kelurahan_population`, `haversine_km`, `active_at` …) and the working-time macros
of `calendar.py`. Record-level data (tickets, respondents, transactions, assets, sensors) is
attributed to its kecamatan and, through `kecamatan_areas()`, also to the kota, so the city value
is computed from the records (a median or weighted share is not an average of kecamatan values)."""
OUTPUT_NOTES = """\
Indicators whose input tables are absent from the warehouse give no rows
(`missing_inputs(con, cat)` lists them; `validate_queries` raises `WarehouseError`). Values are
rounded to 10 decimals so results do not depend on the order of parallel float sums.
Units outside `region` or at kelurahan level are dropped. Rows with non-finite values are dropped.
A query that fails raises `CatalogueError("indicator CODE: query failed: …")`. Survey indicators
carry `min_n = 30`: a value resting on fewer valid respondents is dropped."""
CALENDAR = """\
## Working time and the complaint KPIs

**Working time** (Perpres 21/2023 on the working days and hours of government agencies and
ASN): Monday–Friday, 37.5 hours a week excluding breaks, from 07:30 local time. smartindex uses
one fixed schedule: Monday–Thursday 07:30–12:00 and 13:00–16:00, Friday 07:30–11:30 and
13:00–16:30, i.e. **7.5 working hours per working day** (the shorter Ramadan week is not
modelled).

**Calendar** (`smartindex/indicators/calendar.py`): national public holidays (hari libur nasional,
incl. election days declared holidays by Keppres) and cuti bersama 2015–2027. Every date of
2016–2026 follows the year's SKB of the Minister of Religious Affairs, the Minister of Manpower
and the MenPANRB, as last amended (`DECREES` cites each; a test compares the calendar with a
table of the decrees); the 2015 and 2027 lists and 21 Aug 2020 are not verified and are marked
so. `calendar_days(date, is_working_day, holiday_name, holiday_kind, working_day_no,
work_minutes_before)` is built set-based (one row per day, running sums).

- `working_hours_between(a, b)` = (working minutes up to `b` − working minutes up to `a`) / 60,
  each a look-up of `work_minutes_before` (450 per working day) plus the minutes of that day's
  schedule before the timestamp.
- `working_days_between(a, b)` = working days after the day of `a` up to and including the day
  of `b` (the day of receipt is not counted). "Within n working days" means `≤ n`.

**Population of tickets.** Year = year of `created_at`. Tickets with status `rejected`
(rejected / incomplete), `returned` ("bukan wewenang", not our authority) or `duplicate` are
outcomes of their own: they are not in the rates, and `complaint_outcomes` reports every ticket
received by outcome, with shares of all received, so the completion rate over the tickets
handled never hides how many were turned away.

**Right-censoring per extract.** Each raw file is an extract cut at a moment: the ETL records
its cut-off in `load_manifest.extracted_at` (the latest timestamp the file holds; the extract
cannot be older) and `complaint_cutoffs()` gives every ticket the cut-off of its own file
(`as_of`; the file's latest timestamp when the manifest lacks it). A ticket enters an SLA rate
only when its window ended before that cut-off; a late-December ticket of a yearly file is
censored, not breached. A missing timestamp after the window counts as a breach.

**SP4N-LAPOR!** (Perpres 76/2013 on public-service complaint handling; PermenPANRB 62/2018, the
national technical guideline for SP4N-LAPOR!): verification **and forwarding** to the agency
within 3 working days of receipt (GOV_VERIFIED_3WD); the agency's follow-up within 5 working
days of dispatch (GOV_FOLLOWUP_5WD). The 3-working-day (22.5 working hours) limit belongs to
verification, not to the first response: the reporter's first response (GOV_FIRST_RESPONSE_WH,
a median) is due at the latest after 3 + 5 = 8 working days (60 working hours).

**Jakarta CRM** publishes *means* per stage (coordination ≤ 6 hours, completion ≤ 7 days).
`complaint_stage_stats` reports, for every stage (verification, verification + forwarding,
coordination, follow-up, completion), the median, the P90 and the share within the stage's limit;
the mean only for coordination and completion, where it is compared with Jakarta."""
OTHER_METHODS = """\
## Other methods

- **Surveys**: design-weighted shares `Σw·[answer ≥ 4] / Σw` over respondents who answered;
  IKM (PermenPANRB 14/2017) = 25 × mean over U1–U9 of the weighted element mean (1–4), all nine
  elements required; digital literacy = mean of the eight `dl_*` items (four Kominfo pillars) ≥ 4.
- **Inventories** count assets active on 31 December (`installed ≤ day` and not yet retired).
- **Access** (MOB_PT_STOP_ACCESS, MOB_4G_COVERAGE): vectorised haversine between kelurahan
  centroids (`region` level kelurahan) and active stops (500 m; stop and route open) or 4G/5G
  sites on air (their nominal `coverage_radius_km`, 2 km when missing). Kelurahan-centroid
  approximation: a kelurahan is wholly served or not. Population-weighted with the kelurahan's own
  population row where present, else the kecamatan's population shared by kelurahan area.
- **Air quality**: a sensor-day is valid when `qc_flag = 'ok'`, `n_hours ≥ 18` (75 % of hours)
  and PM2.5 present. An area's daily value is the mean of its valid reference-grade sensors; only
  on a day without one, the mean of its valid low-cost sensors divided by 1.20 (their
  documented ~20 % positive bias). An area-year is published only when it has a daily value on
  ≥ 75 % of the days of every quarter (the completeness rule of air-quality agencies);
  coverage = valid days / days of the year. ENV_PM25 = mean of daily values (legal limit: annual
  15 µg/m³, PP 22/2021 Lampiran VII); ENV_GOOD_AIR_DAYS = share of those days ≤ 55 µg/m³ (the
  24-hour limit).
- **Civic reporters**: each reporter counts once a year, in one home kecamatan (where they
  filed the most tickets; ties: the kecamatan of their earliest ticket, then the lower code), so
  the kecamatan numerators add up to the city's.
- **Standards as data**: `standard_value` / `standard_op` (PM2.5 ≤ 15, LAPOR! shares ≥ 100 %),
  `standard_bands` (IKM A–D, PermenPANRB 14/2017) and `ticket_limit` (LAPOR! 3 and 5 working
  days) on the indicator; `Indicator.meets_standard(value)` and `Indicator.band(value)` apply
  them.
- **Elections** (PEO_VOTER_TURNOUT, GOV_WOMEN_COUNCIL): the latest result holds for up to five
  years (`stat_latest`).
- **Peers**: the same formulas on `official_stats`; `peer_indicator_values` only fills gaps.
- **Method overrides**: `goalposts = [lo, hi]` on an indicator becomes `goalpost_lo/hi` in the
  framework frame (e.g. SPBE 1–5, IKM 25–100, Ombudsman 0–100, PM2.5 5–55)."""
OUTPUT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code, area_code, area_level, year", "indicator, `kode_wilayah`, `kota` / `kecamatan`, year"),
    ("value, numerator, denominator", "the value and, for ratios, its parts"),
    ("n_obs", "records behind the value (NULL for reported values)"),
    (
        "coverage",
        "`n_valid / n_obs`: share of the underlying records with valid data "
        "(valid sensor-days of all sensor-days, respondents answering the item, "
        "months of ridership reported of 12, tickets with a first response). 1 "
        "when the query reports no `n_valid` (official statistics, inventories, "
        "SLA rates where a missing timestamp counts as a breach); NULL for "
        "reported peer values",
    ),
    (
        "is_reported",
        "true when the value comes from `peer_indicator_values` (used only where "
        "the query gave no value for that code, area and year)",
    ),
    ("is_synthetic", "true unless the value rests wholly on official figures"),
    (
        "official_share",
        "share (0–1) of the records behind the value that are official figures "
        "(`is_synthetic = false` in the raw data)",
    ),
    ("sources", "publisher, document and year of those records (the raw `source` texts)"),
    ("inputs", "the catalogue `inputs` (tables read), comma-joined"),
    (
        "load_ids",
        "distinct `_load_id` values (ids of `load_manifest`) found in those tables, comma-joined",
    ),
)
"""Columns of ``indicator_values`` and their meaning."""
COMPLAINT_KPIS: tuple[tuple[str, str], ...] = (
    (
        "GOV_FIRST_RESPONSE_WH",
        "median of `working_hours_between(created_at, first_response_at)` over "
        "tickets with a first response (coverage = responded / all)",
    ),
    (
        "GOV_VERIFIED_3WD",
        "100 · #{verified and `working_days_between(created_at, dispatched_at) ≤ 3`} / "
        "#{`working_days_between(created_at, as_of) > 3`} (LAPOR!: verification and "
        "forwarding)",
    ),
    (
        "GOV_FOLLOWUP_5WD",
        "100 · #{`working_days_between(dispatched_at, first_response_at) ≤ 5`} / "
        "#{dispatched, `working_days_between(dispatched_at, as_of) > 5`} (LAPOR!)",
    ),
    (
        "GOV_DISPATCH_6H",
        "100 · #{`dispatched_at ≤ created_at + 6 h`} / #{`created_at + 6 h ≤ "
        "as_of`}; clock hours (JAKI/CRM practice)",
    ),
    (
        "GOV_RESOLVED_30D",
        "100 · #{`resolved_at ≤ created_at + 30 days`} / #{`created_at + 30 days "
        "≤ as_of`}; calendar days",
    ),
    (
        "PEO_CIVIC_REPORTERS",
        "1 000 · reporters whose home kecamatan (`reporter_homes()`) is the area "
        "(all statuses, anonymous excluded) / population",
    ),
    (
        "ENV_FLOOD_REPORTS",
        "100 000 · distinct locations of `banjir_drainase` tickets (not rejected) "
        "/ population; location = lat/lon rounded to 0.001° (~110 m), else "
        "kelurahan, else kecamatan",
    ),
)
"""Formula of each complaint KPI (``code`` → formula): method text, not catalogue data."""
INDICATOR_HEADER = (
    "code",
    "indicator",
    "factor",
    "unit",
    "dir",
    "tier",
    "source",
    "standard",
    "target reference",
    "definition",
)


def standard_cell(ind: Indicator) -> str:
    """The standard's citation followed by what it requires, as data."""
    parts = [ind.standard]
    if ind.standard_value is not None:
        parts.append(f"requires value {ind.standard_op} {ind.standard_value:g} {ind.unit_en}")
    if ind.ticket_limit is not None:
        unit = ind.ticket_limit.unit.replace("_", " ")
        parts.append(f"per ticket ≤ {ind.ticket_limit.value:g} {unit}")
    if ind.standard_bands:
        parts.append(
            "bands "
            + ", ".join(
                f"{b.grade} {b.label} {b.lo:g}–{b.hi:g}" for b in reversed(ind.standard_bands)
            )
        )
    return "; ".join(p for p in parts if p)


SIGNS = {1: "+", -1: "−"}


def _cell(text: object) -> str:
    """A table cell: pipes escaped, line breaks flattened, empty → em dash."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    return text or "—"


def md_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _bilingual(en: str, id_: str) -> str:
    """``en<br>*id*``, or just ``en`` when both read the same."""
    return en if en == id_ else f"{en}<br>*{id_}*"


def indicator_row(ind: Indicator, factor_names: dict[str, str]) -> list[str]:
    """One indicator's row of the dimension table."""
    return [
        f"`{ind.code}`",
        _bilingual(ind.name_en, ind.name_id),
        factor_names.get(ind.factor, ind.factor),
        _bilingual(ind.unit_en, ind.unit_id),
        SIGNS[ind.direction],
        ind.tier,
        ind.source_kind,
        standard_cell(ind),
        ind.target_reference,
        ind.description,
    ]


def counts_sentence(cat: Catalogue) -> str:
    """``(54 indicators, 38 core / 16 optional; 30 of the 33 Giffinger factors …)``."""
    core = sum(i.tier == "core" for i in cat.indicators)
    used = len({i.factor for i in cat.indicators})
    return (
        f"({len(cat.indicators)} indicators, {core} core / {len(cat.indicators) - core} "
        f"optional; {used} of the {len(cat.factors)} Giffinger factors carry an indicator.)"
    )


def dimension_tables(cat: Catalogue) -> str:
    """The indicator table of every dimension that has indicators, in catalogue order."""
    factor_names = {f.key: f.name_en for f in cat.factors}
    parts = ["## Indicators"]
    for dim in cat.dimensions:
        items = [i for i in cat.indicators if i.dimension == dim.key]
        if items:
            parts += [
                f"### {dim.name_en} ({dim.name_id}) — `{dim.prefix}_`",
                md_table(INDICATOR_HEADER, [indicator_row(i, factor_names) for i in items]),
            ]
    return "\n\n".join(parts)


def catalogue_markdown(catalogue: Catalogue) -> str:
    """The whole of ``docs/catalogue.md`` for ``catalogue``."""
    parts = [
        TITLE,
        INTRO + "\n" + counts_sentence(catalogue),
        USAGE,
        "## `indicator_values` (output of `measure`)",
        md_table(("column", "meaning"), OUTPUT_COLUMNS),
        OUTPUT_NOTES,
        CALENDAR,
        md_table(("code", "formula"), COMPLAINT_KPIS),
        OTHER_METHODS,
        dimension_tables(catalogue),
    ]
    return "\n\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the Markdown of the packaged catalogue (or of the file given as argument)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        text = catalogue_markdown(load_catalogue(args[0] if args else None))
    except CatalogueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

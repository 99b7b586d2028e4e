"""Live operations: complaint tickets ingested as they happen, service levels, alerts.

Layers: kernel, warehouse, ``etl.pseudonymise`` and ``indicators`` (calendar and the measure
engine) below; the app and the CLI above.  See the README section "Live operations".
"""

from __future__ import annotations

from smartindex.ops.alerts import Outbox, Webhook, evaluate, run_alerts
from smartindex.ops.client import Client, FetchError, SourceState, source_states
from smartindex.ops.ingest import Ingested, ingest_folder, pull
from smartindex.ops.kpi import measure_live
from smartindex.ops.live import OpsSnapshot, default_store, snapshot, store_clock
from smartindex.ops.run import Follow, follow, ingest_once
from smartindex.ops.sla import SlaTable, load_sla
from smartindex.ops.store import Store, StoreLockedError, compact, connect, open_store

__all__ = [
    "Client",
    "FetchError",
    "Follow",
    "Ingested",
    "OpsSnapshot",
    "Outbox",
    "SlaTable",
    "SourceState",
    "Store",
    "StoreLockedError",
    "Webhook",
    "compact",
    "connect",
    "default_store",
    "evaluate",
    "follow",
    "ingest_folder",
    "ingest_once",
    "load_sla",
    "measure_live",
    "open_store",
    "pull",
    "run_alerts",
    "snapshot",
    "source_states",
    "store_clock",
]

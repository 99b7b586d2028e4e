"""App timings on a warehouse (SMARTINDEX_DB, default data/warehouse.duckdb): cold start (fresh
process, empty caches, first page) and warm page switches.  Targets: cold <= 8 s, warm <= 1 s.

    .venv/bin/python benchmarks/app.py [path/to/warehouse.duckdb]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("overview", "dimension", "districts", "peers", "trends", "recommendations", "method",
         "quality", "downloads")
CHILD = """
import sys, time
from streamlit.testing.v1 import AppTest
t0 = time.perf_counter()
at = AppTest.from_file(sys.argv[1], default_timeout=300).run()
cold = time.perf_counter() - t0
print(time.time(), flush=True)
assert not at.exception, at.exception[0].value
warm = {}
for rnd in range(2):
    for page in sys.argv[2:]:
        t = time.perf_counter()
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception[0].value)
        warm.setdefault(page, []).append(time.perf_counter() - t)
print(cold)
for page, times in warm.items():
    print(page, times[0], times[-1])
"""


def main() -> None:
    db = Path(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SMARTINDEX_DB",
                                                                    "data/warehouse.duckdb"))
    env = {**os.environ, "SMARTINDEX_DB": str(db.resolve())}
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "app.py"), *PAGES], env=env,
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")
    lines = [x for x in out if x.strip()]
    wall, cold = float(lines[0]) - t0, float(lines[1])
    print(f"warehouse {db}")
    print(f"cold start: {wall:.2f} s from process start to the first page drawn "
          f"(first script run {cold:.2f} s)  [target <= 8 s]")
    warm = []
    for line in lines[2:]:
        page, first, again = line.split()
        warm.append(float(again))
        print(f"  {page:16s} first visit {float(first):.2f} s, warm switch {float(again):.2f} s")
    print(f"warm page switch: median {statistics.median(warm):.2f} s, max {max(warm):.2f} s "
          "[target <= 1 s]")


if __name__ == "__main__":
    main()

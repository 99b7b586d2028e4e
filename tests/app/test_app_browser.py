"""Real browser: `streamlit run app.py` on a free localhost port, every page driven in Debian's
headless Chromium (never `playwright install`) in both languages; charts render, no exception
block and no "warehouse missing" message, nothing requested outside 127.0.0.1; one screenshot
per page and language in tests/artifacts/ (``app-<lang>-<page>.png``).

To look at another warehouse (e.g. the full sample) without pytest::

    .venv/bin/python tests/app/test_app_browser.py /tmp/app-wh.duckdb
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
PAGES = {
    "overview": True,
    "dimension": True,
    "districts": True,
    "peers": True,
    "trends": True,
    "change": True,
    "recommendations": False,
    "method": True,
    "quality": True,
    "downloads": False,
}
WIDTHS = {"desktop": 1400, "phone": 390}
ENGLISH = (
    "Select all",
    "Download",
    "Needs attention",
    "Why did it change",
    "Score",
    "Rank",
    "Trend",
    "Recommendations",
    "Coverage",
    "No data",
)
"""UI words that must not appear on a Bahasa page (the English locale's own words)."""
MISSING = ("Gudang data belum tersedia", "The warehouse is not available")
CHROMIUM = shutil.which("chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
CHART = "[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg"
IDLE = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return app && app.getAttribute("data-test-script-state") === "notRunning";
}"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian chromium not installed (apt-get install -y chromium)"
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(db: Path) -> Iterator[str]:
    """``streamlit run app.py`` on ``db``; yields the base URL once healthy."""
    port = free_port()
    env = {**os.environ, "SMARTINDEX_DB": str(db)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def shoot_all(
    url: str, langs: tuple[str, ...] = ("id", "en"), widths: tuple[str, ...] = tuple(WIDTHS)
) -> list[str]:
    """Visit every page in every language at phone and desktop width, check it and screenshot
    it (``app-<lang>-<width>-<page>.png``); returns the requested URLs."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for width in widths:
            page = browser.new_page(viewport={"width": WIDTHS[width], "height": 2400})
            page.on("request", lambda r: requested.append(r.url))
            for lang in langs:
                for name, has_chart in PAGES.items():
                    visit(page, url, lang, name, has_chart=has_chart, width=width)
            page.close()
        browser.close()
    return requested


def visit(page, url: str, lang: str, name: str, *, has_chart: bool, width: str) -> None:
    """One page: drawn, no exception, no missing-warehouse message, no English UI word in
    Bahasa, nothing wider than the phone screen but scrollable boxes; a screenshot."""
    path = "" if name == "overview" else name  # the default page lives at /
    page.goto(f"{url}/{path}?lang={lang}", wait_until="domcontentloaded")
    page.locator("[data-testid='stHeading'] h1").first.wait_for(timeout=60000)
    if has_chart:
        page.locator(CHART).first.wait_for(timeout=60000)
    page.wait_for_function(IDLE, timeout=120000)  # the script has finished: nothing half-drawn
    page.wait_for_timeout(500)
    assert page.locator("[data-testid='stException']").count() == 0, (lang, name)
    body = page.locator("[data-testid='stMain']").inner_text()
    assert not any(m in body for m in MISSING), (lang, name)
    if lang == "id":
        english = [w for w in ENGLISH if w in body]
        assert not english, (name, width, english)
    overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 1, (lang, name, width, overflow)
    page.screenshot(path=str(ARTIFACTS / f"app-{lang}-{width}-{name}.png"), full_page=True)


def test_every_page_renders_offline_in_both_languages(scored_warehouse):
    with serve(scored_warehouse) as url:
        requested = shoot_all(url)
    outside = {
        u
        for u in requested
        if urlparse(u).hostname not in ("127.0.0.1", None) and not u.startswith(("data:", "blob:"))
    }
    assert not outside, sorted(outside)[:5]


def test_an_export_opens_with_the_tables_rows_and_print_shows_only_the_page(scored_warehouse):
    """Click the peers table's CSV button in the browser: the downloaded file opens and holds
    the library's peer statistics of the year shown; print media hides sidebar and buttons."""
    from playwright.sync_api import sync_playwright

    from smartindex.analysis.scorecard import peer_table
    from smartindex.scoring.results import load_results

    res = load_results(scored_warehouse)
    expected = peer_table(res, year=res.latest_year)
    with serve(scored_warehouse) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(f"{url}/peers?lang=en", wait_until="domcontentloaded")
        page.locator(CHART).first.wait_for(timeout=60000)
        page.wait_for_function(IDLE, timeout=120000)
        with page.expect_download(timeout=60000) as download:
            page.get_by_role("button", name="Peer comparison · CSV").click()
        got = pd.read_csv(download.value.path(), dtype={"code": str})
        assert download.value.suggested_filename.endswith("-en.csv")
        assert len(got) == len(expected[expected["code"].isin(got["code"])]) > 0
        merged = got.merge(expected, on="code", suffixes=("", "_lib"))
        assert (merged["peer_median"] - merged["peer_median_lib"]).abs().max() < 1e-9
        page.emulate_media(media="print")
        assert not page.locator("[data-testid='stSidebar']").is_visible()
        assert not page.get_by_role("button", name="Peer comparison · CSV").is_visible()
        assert page.locator("[data-testid='stHeading'] h1").first.is_visible()
        assert page.pdf().startswith(b"%PDF")
        browser.close()


if __name__ == "__main__":
    with serve(Path(sys.argv[1]).resolve()) as base:
        shoot_all(base)
    print(f"screenshots in {ARTIFACTS}")

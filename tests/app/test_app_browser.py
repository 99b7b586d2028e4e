"""Real browser: `streamlit run app.py` on a free localhost port, every page driven in Debian's
headless Chromium (never `playwright install`); charts render, no exception block, nothing
requested outside 127.0.0.1; one screenshot per page in tests/artifacts/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
PAGES = {"overview": True, "dimension": True, "districts": True, "peers": True, "trends": True,
         "recommendations": False, "method": True, "quality": True, "downloads": False}
CHROMIUM = shutil.which("chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--disable-dev-shm-usage"]

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium not installed "
                                 "(apt-get install -y chromium)")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(app_warehouse):
    port = free_port()
    env = {**os.environ, "SMARTINDEX_DB": str(app_warehouse)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_every_page_renders_offline(server):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    requested: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1800})
        page.on("request", lambda r: requested.append(r.url))
        for name, has_chart in PAGES.items():
            path = "" if name == "overview" else name  # the default page lives at /
            page.goto(f"{server}/{path}?lang=id", wait_until="domcontentloaded")
            page.locator("[data-testid='stHeading'] h1").first.wait_for(timeout=60000)
            if has_chart:
                page.locator("[data-testid='stVegaLiteChart'] canvas, "
                             "[data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=60000)
            page.wait_for_timeout(1500)
            assert page.locator("[data-testid='stException']").count() == 0, name
            page.screenshot(path=str(ARTIFACTS / f"app-{name}.png"))
        page.goto(f"{server}/?lang=en", wait_until="domcontentloaded")
        page.get_by_text("Smart city index").first.wait_for(timeout=60000)
        page.locator("[data-testid='stVegaLiteChart'] canvas, "
                     "[data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=60000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(ARTIFACTS / "app-overview-en.png"))
        browser.close()
    outside = {u for u in requested if urlparse(u).hostname not in ("127.0.0.1", None)
               and not u.startswith(("data:", "blob:"))}
    assert not outside, sorted(outside)[:5]

"""The published Allure report, opened in headless Chromium as a reader would open it.

Generates a report from a small run (the reference and a mutant, so one scenario fails), opens
the single-file HTML from disk, and checks that the three vendor suites are listed, that a
failing scenario shows its Gherkin steps, its verdict and its timeline picture, and saves
screenshots under reports/screenshots/ for a human to look at.

Needs Debian's chromium (`apt-get install chromium`; `.ci/run` installs it) and Node (`npm ci`,
which `make test` runs). Without Chromium the test is skipped on a developer machine and fails
in CI, where a skipped browser check would hide a broken report.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_suite

SCREENSHOTS = ROOT / "reports" / "screenshots"
FAILING = "While the network is down, the client retries every 5 seconds"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: .ci/run must apt-get install chromium")
    pytest.skip("headless Chromium not installed (apt-get install chromium)")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    run = run_suite(
        tmp, "--adapter", "reference", "--adapter", "tests.sample_adapters:retry_every_3s",
        "-m", "rc-interval or zim-room-t2-restored or ex-case2-delete-add", f"--alluredir={tmp / 'results'}",
    )
    assert len(run.results) == 4, run.output[-2000:]
    npx = shutil.which("npx")
    assert npx and (ROOT / "node_modules").exists(), "run `npm ci` (make setup) first"
    env = {**os.environ, "ALLURE_HISTORY_PATH": str(tmp / "history.jsonl")}
    subprocess.run([npx, "allure", "generate", str(tmp / "results"), "--config", str(ROOT / "reports" / "allurerc.mjs"), "-o", str(tmp / "html")],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    index = tmp / "html" / "index.html"
    assert index.exists()
    return index


def test_the_report_shows_suites_steps_verdict_and_timeline(report: Path) -> None:
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.goto(report.as_uri())
        page.get_by_text("ZEGO Express").first.wait_for(timeout=120000)
        home = page.inner_text("body")
        for suite in ("RongCloud IM (Web/Electron SDK, RongIMLib)", "ZEGOCLOUD ZIM", "ZEGO Express"):
            assert suite in home
        assert "Non-conformant" in home or "Failed" in home
        page.screenshot(path=str(SCREENSHOTS / "report-home.png"))

        page.get_by_text(f"{FAILING} [rongcloud-mutant-retry-every-3s]").first.click()
        page.get_by_text("Test body").first.wait_for(timeout=60000)
        body = page.inner_text("body")
        assert "Failed" in body and "Category: Non-conformant" in body
        assert "Given device A of Zhangsan runs the SDK" in body
        assert "[rc-interval] expected: reconnection attempts 5s apart" in body
        assert "000_d2c2ed7618df35d7.txt: Reconnection Interval" in body  # the doc link
        page.get_by_text("timeline", exact=True).first.click()
        picture = page.locator('img[alt$="-attachment.svg"]').first
        picture.wait_for(timeout=60000)
        assert page.evaluate("img => img.naturalWidth", picture.element_handle()) > 500
        page.get_by_text("[rc-interval] expected").first.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "report-failing-verdict.png"))
        picture.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "report-failing-timeline.png"))
        browser.close()

"""`course serve` in a real browser: edit a lesson, the open page reloads and shows the change."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian chromium is not installed (apt-get install chromium)", allow_module_level=True)
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def test_edit_reloads_the_open_page(project, tmp_path):
    root = project()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "builder.cli", "serve", str(root), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/first/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            page = browser.new_page()
            outside = []
            page.on("request", lambda r: r.url.startswith(f"http://127.0.0.1:{port}/") or outside.append(r.url))
            page.goto(url)
            assert page.locator("h2#worked-example").count() == 1
            lesson = root / "lessons/1.3/01-first.md"
            lesson.write_text(lesson.read_text().replace("## Worked example", "## A freshly edited heading"))
            page.wait_for_selector("h2#a-freshly-edited-heading", timeout=30_000)
            lesson.write_text(lesson.read_text().replace("source: old-lesson", "source: nowhere"))
            overlay = page.wait_for_selector(".course-overlay", timeout=30_000)
            assert "CB301" in overlay.inner_text() and "source: nowhere" in overlay.inner_text()
            browser.close()
            assert outside == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)

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


def seen(page, selector: str) -> None:
    """The element is drawn inside the viewport, fixed over the page, and the topmost thing where it is."""
    box = page.locator(selector).bounding_box()
    view = page.viewport_size
    assert box and box["width"] > 200 and box["height"] > 50, box
    assert 0 <= box["y"] and box["y"] + 40 <= view["height"] and 0 <= box["x"] < view["width"], (box, view)
    style = page.eval_on_selector(".course-overlay", "e => [getComputedStyle(e).position, getComputedStyle(e).display, "
                                  "getComputedStyle(e).visibility, getComputedStyle(e).opacity]")
    assert style == ["fixed", "block", "visible", "1"], style
    top = page.evaluate(f"(() => {{ const r = document.querySelector('{selector}').getBoundingClientRect(); "
                        f"return document.elementFromPoint(r.left + r.width / 2, r.top + 20).closest('{selector}') !== null; }})()")
    assert top, "something covers the overlay"


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
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the author is reading further down
            lesson.write_text(lesson.read_text().replace("source: old-lesson", "source: nowhere"))
            overlay = page.wait_for_selector(".course-overlay", timeout=30_000)
            assert "CB301" in overlay.inner_text() and "source: nowhere" in overlay.inner_text()
            assert "hint:" in overlay.inner_text() and "lessons/1.3/01-first.md:" in overlay.inner_text()
            seen(page, ".course-overlay-box")  # in the viewport, on top, styled: not just in the DOM
            for scheme in ("dark", "light"):
                page.emulate_media(color_scheme=scheme)
                style = page.eval_on_selector(".course-overlay-box", "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
                assert style[0] != style[1] and "rgba(0, 0, 0, 0)" not in style[1], (scheme, style)
            assert page.evaluate("document.activeElement.className") == "course-overlay-close"
            page.click(".course-overlay-close")
            assert page.locator(".course-overlay").count() == 0
            browser.close()
            assert outside == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)

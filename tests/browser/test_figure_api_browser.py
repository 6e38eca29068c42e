"""A course written from the docs alone, with its own @explorer: the explorer's controls redraw its chart in
Debian's Chromium, offline (no request leaves 127.0.0.1), with no console error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package (pip install '.[test]')")

from browser_fixtures import FIGURE_CSP, browser, open_page, serve  # noqa: E402,F401  (fixtures)
from playwright.sync_api import expect  # noqa: E402
from conftest import make_project  # noqa: E402
from test_figure_api import FILES  # noqa: E402


@pytest.fixture(scope="module")
def base_url(tmp_path_factory) -> Iterator[str]:
    from builder.pipeline import build

    root = make_project(tmp_path_factory.mktemp("decay"), FILES)
    build(root)
    yield from serve(root / "_site", FIGURE_CSP)


def test_the_explorers_controls_redraw_its_chart(base_url, open_page):
    w = open_page(base_url + "first/index.html")
    page = w.page
    explorer = page.locator('[data-explorer="decay-explorer"]')
    explorer.scroll_into_view_if_needed()
    page.wait_for_selector('[data-explorer="decay-explorer"][data-explorer-ready="yes"]', timeout=20000)
    bars = "JSON.stringify(document.querySelector('[data-explorer=\"decay-explorer\"] [data-plot]').data[0].y)"
    status = explorer.locator("[data-status]")
    assert page.evaluate(bars) == "[1,0.5,0.25,0.125,0.0625,0.03125,0.015625]"  # rate 0.5, steps 7 (the directive)
    assert status.text_content() == "after 6 steps 0.016 remains"
    explorer.get_by_label("Rate").select_option("0.9")
    expect(status).to_have_text("after 6 steps 0.000 remains")  # (no wait_for_function: the page's CSP forbids eval)
    assert page.evaluate(bars).startswith("[1,0.1,0.01")
    steps = explorer.get_by_label("Steps")
    steps.focus()
    page.keyboard.press("ArrowLeft")  # the range input answers the keyboard
    page.keyboard.press("ArrowLeft")
    expect(status).to_have_text("after 4 steps 0.000 remains")
    assert page.evaluate(bars) == "[1,0.1,0.01,0.001,0.0001]"
    assert steps.get_attribute("aria-valuetext") == "Steps 5"
    assert not w.errors and not w.external and not w.violations()

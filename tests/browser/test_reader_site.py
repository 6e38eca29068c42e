"""The reader's site in a real browser (Debian's Chromium driven by Playwright): the shipped module, built once,
served on 127.0.0.1 under a strict Content-Security-Policy.

Without /usr/bin/chromium or the playwright package every test here is skipped with a one-line reason.
Never run `playwright install`: the tests use the system Chromium.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package (pip install '.[test]')")

from browser_fixtures import FIGURE_CSP, STRICT_CSP, browser, open_page, serve  # noqa: F401  (fixtures)

REPO = Path(__file__).resolve().parents[2]
LESSON6 = "training-dynamics/index.html"
AXE_PAGES = {"home": "index.html", "module": "modules/1.3/index.html", "lesson6": LESSON6, "ledger": "concepts/index.html"}


# --- fixtures: one build, two servers, one browser (the servers' threads and the browser end with this module:
#     tests after it fork worker processes, and a fork while other threads run can deadlock) -------------------------------------------------

@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The shipped module built once into a temporary folder (figures and math come from the project's cache)."""
    from builder.pipeline import build

    out = tmp_path_factory.mktemp("browser") / "site"
    build(REPO, out=out)
    return out


@pytest.fixture(scope="module")
def base_url(site) -> Iterator[str]:
    """The site over HTTP with the figure-page CSP."""
    yield from serve(site, FIGURE_CSP)


@pytest.fixture(scope="module")
def strict_url(site) -> Iterator[str]:
    """The same site over HTTP with the strict CSP (no inline anything)."""
    yield from serve(site, STRICT_CSP)


def _scroll_through(page, step: int = 600, pause: int = 60) -> None:
    """Scroll to the bottom in steps, so lazily loaded figures come near the viewport."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + step, step):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(pause)


def _all_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))


# --- tests -------------------------------------------------------------------------------------------------------

def test_every_page_loads_clean_under_the_csp(site, base_url, open_page):
    """No console error, no CSP violation and no request leaving 127.0.0.1, on every page (figures drawn)."""
    problems = {}
    for rel in _all_pages(site):
        w = open_page(base_url + rel)
        if w.page.locator(".figure-plot, .explorer").count():
            _scroll_through(w.page)
            w.page.wait_for_timeout(300)
        found = w.errors + w.violations() + [f"external request: {u}" for u in w.external]
        if found:
            problems[rel] = found
        w.context.close()
    assert not problems


def test_pages_without_figures_pass_the_strict_csp(site, strict_url, open_page):
    """`default-src 'self'; img-src 'self' data:`: no inline script or style anywhere in our markup."""
    plain = [rel for rel in _all_pages(site) if "figures.js" not in (site / rel).read_text(encoding="utf-8")]
    assert "index.html" in plain and "concepts/index.html" in plain and len(plain) >= 4
    problems = {}
    for rel in plain:
        w = open_page(strict_url + rel)
        w.page.locator("#search-input").fill("gradient")  # the search index loads too
        w.page.wait_for_selector("#search-results a")
        found = w.errors + w.violations()
        if found:
            problems[rel] = found
        w.context.close()
    assert not problems


def test_math_is_typeset_and_visible(base_url, open_page):
    w = open_page(base_url + LESSON6)
    formulas = w.page.locator(".katex")
    assert formulas.count() > 50
    box = formulas.first.bounding_box()
    assert box and box["width"] > 5 and box["height"] > 5
    # KaTeX's positioning survived the strict CSP: its inline styles became classes, and they apply
    strut_height = w.page.evaluate("parseFloat(getComputedStyle(document.querySelector('.katex .katex-strut, .katex .strut')).height)")
    assert strut_height > 5
    assert w.page.evaluate("document.fonts.check('16px KaTeX_Main')")
    display = w.page.locator(".math-display .katex-display").first
    assert display.bounding_box()["height"] > 20


def test_a_check_reveals_its_answer(base_url, open_page):
    w = open_page(base_url + LESSON6)
    check = w.page.locator(".check").first
    answer = check.locator(".reveal-body")
    assert not answer.is_visible()
    check.locator("summary").click()
    assert answer.is_visible()


def test_quiz_feedback_without_script(base_url, browser):
    """Choosing an answer shows right/wrong by CSS alone (JavaScript off)."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + LESSON6)
    quiz = page.locator(".quiz").first
    wrong = quiz.locator(".quiz-choice.is-wrong").first
    wrong.locator("label").click()
    assert wrong.locator(".quiz-feedback").is_visible()
    assert "Not this one" in wrong.locator(".quiz-feedback").inner_text()
    right = quiz.locator(".quiz-choice.is-correct").first
    right.locator("label").click()
    assert right.locator(".quiz-feedback").is_visible() and not wrong.locator(".quiz-feedback").is_visible()
    context.close()


@pytest.mark.parametrize("transport", ["http", "file"])
def test_search_finds_a_lesson_and_section(site, base_url, open_page, transport):
    url = (base_url + "index.html") if transport == "http" else (site / "index.html").as_uri()
    w = open_page(url)
    w.page.locator("#search-input").fill("batch normalization")
    results = w.page.locator("#search-results a")
    results.first.wait_for()
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any(h.startswith("training-dynamics/index.html#") for h in hrefs), hrefs
    first = results.first
    assert first.locator(".result-lesson").inner_text() and first.locator(".result-section").count() == 1
    with w.page.expect_navigation():
        first.click()
    assert "#" in w.page.url and not w.errors


def test_search_from_a_nested_page_links_correctly(base_url, open_page):
    w = open_page(base_url + "modules/1.3/index.html")
    w.page.locator("#search-input").fill("dropout")
    w.page.locator("#search-results a").first.wait_for()
    with w.page.expect_navigation():
        w.page.keyboard.press("Enter")
    assert "/overfitting-and-regularization/" in w.page.url and not w.errors


def test_dark_mode_toggle_works_and_persists(base_url, open_page):
    w = open_page(base_url + LESSON6)
    page = w.page
    html = page.locator("html")
    assert html.get_attribute("data-theme") == "light"
    light_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.locator(".theme-toggle").click()
    assert html.get_attribute("data-theme") == "dark"
    assert page.locator(".theme-toggle").get_attribute("aria-pressed") == "true"
    dark_bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert dark_bg != light_bg and _luminance(dark_bg) < 0.1
    page.reload()
    assert html.get_attribute("data-theme") == "dark"
    page.goto(base_url + "index.html")
    assert html.get_attribute("data-theme") == "dark"
    page.locator(".theme-toggle").click()
    page.reload()
    assert html.get_attribute("data-theme") == "light" and not w.errors


def test_dark_system_preference_is_followed(base_url, site, open_page):
    w = open_page(base_url + LESSON6, color_scheme="dark")
    assert w.page.locator("html").get_attribute("data-theme") == "dark"
    assert _luminance(w.page.evaluate("getComputedStyle(document.body).backgroundColor")) < 0.1


def test_dark_system_preference_without_javascript(base_url, browser):
    context = browser.new_context(color_scheme="dark", java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + LESSON6)
    assert _luminance(page.evaluate("getComputedStyle(document.body).backgroundColor")) < 0.1
    context.close()


@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_no_horizontal_scroll_at_360px(base_url, open_page, name):
    w = open_page(base_url + AXE_PAGES[name], width=360)
    if name == "lesson6":
        _scroll_through(w.page)
        w.page.wait_for_timeout(500)
    width = w.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, _widest(w.page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_violations(base_url, open_page, name, scheme):
    from axe_playwright_python.sync_playwright import Axe

    w = open_page(base_url + AXE_PAGES[name], color_scheme=scheme)
    if name == "lesson6":
        _scroll_through(w.page, step=900, pause=30)
    results = Axe().run(w.page)
    violations = results.response["violations"]
    assert not violations, results.generate_report()


def test_figures_render_when_scrolled_near(base_url, open_page):
    # A short window: lesson 6's first figure starts about 1,300 px down (the "Before you start" box is one line), so
    # a 900 px window plus the loader's 600 px margin would reach it at once.
    w = open_page(base_url + LESSON6, height=500)
    page = w.page
    plots = page.locator(".figure-plot")
    assert plots.count() >= 5
    assert page.evaluate("typeof window.Plotly") == "undefined"  # plotly.js is not loaded up front
    for i in range(plots.count()):
        plots.nth(i).scroll_into_view_if_needed()
        plots.nth(i).locator("svg").first.wait_for(timeout=15000)
    explorer = page.locator(".explorer").first
    explorer.scroll_into_view_if_needed()
    explorer.locator(".explorer-plot svg").first.wait_for(timeout=15000)
    assert not w.errors


def test_print_shows_answers_and_hides_navigation(base_url, open_page):
    w = open_page(base_url + LESSON6)
    page = w.page
    page.emulate_media(media="print")
    assert not page.locator(".sidebar").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert page.locator(".check .reveal-body").first.is_visible()
    assert page.locator(".callout").first.is_visible()


def test_404_page_is_served_and_styled(base_url, open_page):
    w = open_page(base_url + "no/such/page/")
    assert w.page.locator("h1").inner_text() == "Page not found"
    assert w.page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle") == "solid"
    assert not [e for e in w.errors if "404" not in e]


def test_heading_anchors_and_keyboard_skip_link(base_url, open_page):
    w = open_page(base_url + LESSON6)
    page = w.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    anchor = page.locator("h2 .heading-anchor").first
    href = anchor.get_attribute("href")
    assert href.startswith("#") and page.locator(href).count() == 1


def _luminance(css_colour: str) -> float:
    r, g, b = (int(c) / 255 for c in re.findall(r"\d+", css_colour)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _widest(page) -> str:
    """The elements that stick out past the viewport (for the assertion message)."""
    return page.evaluate("""() => {
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > document.documentElement.clientWidth + 1 && r.width > 0)
          out.push(el.tagName.toLowerCase() + '.' + el.className + ' right=' + Math.round(r.right));
        if (out.length > 8) break;
      }
      return out.join('\\n');
    }""")


EXPLORER_TIMING = """async () => {
  const root = document.querySelector('[data-explorer="training-dynamics-explorer"]');
  const bars = () => JSON.stringify(root.querySelector('[data-plot]').data[1].y);
  const control = (name) => root.querySelector('[data-control="' + name + '"]');
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  const times = [], unchanged = [];
  async function change(name, apply) {
    const before = bars();
    const t0 = performance.now();
    apply(control(name));
    control(name).dispatchEvent(new Event('input', {bubbles: true}));
    times.push(await frame() - t0);  /* the explorer redraws in the frame after the input event */
    if (bars() === before) unchanged.push(name);
  }
  for (let depth = 3; depth <= 20; depth++) await change('depth', (c) => { c.value = String(depth); });
  for (const act of ['relu', 'tanh', 'sigmoid']) await change('activation', (c) => { c.value = act; });
  for (const init of ['he', 'naive_uniform', 'naive_normal', 'xavier']) await change('init', (c) => { c.value = init; });
  for (let i = 0; i < 4; i++) await change('batchnorm', (c) => { c.checked = !c.checked; });
  times.sort((a, b) => a - b);
  return {count: times.length, p95: times[Math.floor(0.95 * (times.length - 1))], unchanged,
          status: root.querySelector('[data-status]').textContent};
}"""


def test_explorer_controls_redraw_the_bars(base_url, open_page):
    """Every control of the training-dynamics explorer changes the gradient bars (how fast: bench/explorer_redraw.py)."""
    w = open_page(base_url + LESSON6)
    page = w.page
    explorer = page.locator('[data-explorer="training-dynamics-explorer"]')
    explorer.scroll_into_view_if_needed()
    page.wait_for_selector('[data-explorer="training-dynamics-explorer"][data-explorer-ready="yes"]', timeout=20000)
    for label in ("Layers", "Activation", "Initialization", "Batch normalization"):
        assert explorer.get_by_label(label).is_visible()
    result = page.evaluate(EXPLORER_TIMING)
    assert result["count"] == 29 and result["unchanged"] == [], result
    assert "20 layers" in result["status"] and "batch norm" not in result["status"]
    assert not w.errors and not w.external


def test_wide_blocks_become_keyboard_scrollable_on_a_phone(base_url, open_page):
    """At 360 px, formulas and tables wider than the column scroll sideways and can be reached with Tab."""
    w = open_page(base_url + LESSON6, width=360)
    page = w.page
    for _ in range(50):  # the page is measured in idle-time slices after load (no wait_for_function: the CSP forbids eval)
        page.wait_for_timeout(200)
        if page.evaluate("document.querySelectorAll('[data-scroller]').length") > 0:
            break
    page.wait_for_timeout(1500)
    wrong = page.evaluate("""() => Array.from(document.querySelectorAll('.table-wrap, .math-display, pre'))
        .filter(el => (el.scrollWidth > el.clientWidth + 1) !== (el.getAttribute('tabindex') === '0'))
        .map(el => el.className)""")
    assert wrong == []


# --- prerequisite maps and the compact "Before you start" (issue 16, items 4 and 6) ------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 360])
def test_module_map_is_visible_and_axe_finds_nothing(base_url, browser, width, scheme):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.goto(base_url + AXE_PAGES["module"], wait_until="load")
    graph = page.locator("#module-1-3 .map-graph")
    graph.scroll_into_view_if_needed()
    box = graph.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the map scrolls inside its own box
    page.keyboard.press("Tab")  # links in the SVG take the focus like any link
    for _ in range(80):
        if page.evaluate("document.activeElement.closest('.map-graph') !== null"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('class')").startswith("map-node")
    results = Axe().run(page)
    assert not results.response["violations"], results.generate_report()
    context.close()


@pytest.mark.parametrize("width, height", [(1280, 800), (360, 740)])
def test_lesson6_before_you_start_is_one_collapsed_line(base_url, browser, width, height):
    """The box is closed (20 prerequisites), one summary line high, and the lesson's first h2 is on the first screen,
    light and dark alike (the lesson opens with its objective and a collapsed scope note)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(base_url + LESSON6, wait_until="load")
    details = page.locator("details.ledger-box.before")
    assert details.get_attribute("open") is None
    assert details.bounding_box()["height"] <= (100 if width == 1280 else 80)
    body = page.locator(".lesson-body").bounding_box()
    assert body["y"] < height * 0.6
    h2 = page.locator(".lesson-body h2").first.bounding_box()
    assert h2["y"] + h2["height"] <= height, h2
    details.locator("summary").first.click()  # opened, every prerequisite is one line with its why on demand
    rows = page.locator("details.ledger-box.before li")
    assert rows.count() == 20
    assert page.locator("details.ledger-box.before .why-toggle[open]").count() == 0
    if width == 1280:
        heights = [rows.nth(i).bounding_box()["height"] for i in range(rows.count())]
        assert max(heights) < 40, heights
    context.close()


def test_lesson_map_is_drawn(base_url, open_page):
    w = open_page(base_url + LESSON6)
    graph = w.page.locator("#lesson-training-dynamics .map-graph")
    graph.scroll_into_view_if_needed()
    box = graph.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 300
    assert w.errors == []

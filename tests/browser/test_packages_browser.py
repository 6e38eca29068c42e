"""The LMS packages in Chromium: a SCORM lesson reports to a real SCORM 1.2 runtime (the npm package scorm-again,
pinned and downloaded by the test setup, never committed), and every package's lesson pages open from the unzipped
folder (file://) with no console errors and no request leaving the machine.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package (pip install '.[test]')")

from browser_fixtures import FIGURE_CSP, browser, open_page, serve  # noqa: E402,F401  (fixtures)

REPO = Path(__file__).resolve().parents[2]
LESSON = "optimizers"
"""A lesson with quizzes and an explorer."""

HARNESS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SCORM 1.2 harness</title>
<script src="scorm12.js"></script>
<script src="harness.js"></script>
</head><body>
<iframe id="sco" title="SCO" src="sco/{lesson}/index.html" width="1100" height="800"></iframe>
</body></html>
"""
HARNESS_JS = """window.calls = [];
window.API = new Scorm12API({ logLevel: 5 });
["LMSInitialize", "LMSSetValue", "LMSCommit", "LMSFinish"].forEach(function (name) {
  window.API.on(name, function (element, value) { window.calls.push([name, element || "", value === undefined ? "" : String(value)]); });
});
"""


def scorm_again() -> Path:
    """scorm-again's SCORM 1.2 runtime, downloaded once with npm and checked against its pinned integrity hash."""
    from builder.npm import Pin, ensure_package

    pin = Pin("scorm-again", "3.4.3", "sha512-Zbe+7ArMUbT1lVnqYxsbGRfI9JD9JVqEPzZLQdk0nfNmcDYJ404rMO9nbkQ0Hzwux5uACF9zKsvc29Q/ZzMOdg==",
              "The SCORM test needs the npm registry once, to download scorm-again into ~/.cache/course-builder/.")
    return ensure_package(pin) / "dist" / "scorm12.js"


def unzip(package: Path, folder: Path) -> Path:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    return folder


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory) -> dict[str, Path]:
    """The shipped module's SCORM and IMS CC packages, exported and unzipped."""
    from builder.model.export import ExportFormat
    from builder.pipeline import export

    out = tmp_path_factory.mktemp("lms")
    folders = {}
    for fmt in (ExportFormat.SCORM12, ExportFormat.IMSCC):
        package = export(REPO, fmt, out / f"course{fmt.suffix}").path
        folders[fmt.value] = unzip(package, out / fmt.value)
    return folders


@pytest.fixture(scope="module")
def harness(unzipped, tmp_path_factory) -> Iterator[str]:
    """A page that provides scorm-again's Scorm12API as window.API and loads a SCO in a frame, served with the
    unzipped package on 127.0.0.1 (the SCO must be of the LMS page's origin to reach its API)."""
    folder = tmp_path_factory.mktemp("harness")
    shutil.copy(scorm_again(), folder / "scorm12.js")
    (folder / "harness.js").write_text(HARNESS_JS, encoding="utf-8")
    (folder / "index.html").write_text(HARNESS_HTML.format(lesson=LESSON), encoding="utf-8")
    shutil.copytree(unzipped["scorm12"], folder / "sco")
    yield from serve(folder, FIGURE_CSP)


def test_a_sco_reports_completion_score_and_finish_to_a_scorm_runtime(harness, open_page):
    watched = open_page(harness + "index.html")
    page = watched.page
    sco = page.frame_locator("#sco")
    quizzes = sco.locator("section.quiz")
    count = quizzes.count()
    assert count == 5
    right = 0
    for i in range(count):  # the first three right, the others wrong
        choice = ".quiz-choice.is-correct label" if i < 3 else ".quiz-choice.is-wrong label"
        quizzes.nth(i).locator(choice).first.click()
        right += i < 3
    frame = page.frame(url=lambda url: url.endswith(f"sco/{LESSON}/index.html"))
    assert frame.evaluate("window.API === undefined && window.parent.API !== undefined")
    frame.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("() => window.API.cmi.core.lesson_status === 'completed'")
    page.evaluate("document.getElementById('sco').src = 'about:blank'")  # the reader leaves
    page.wait_for_function("() => window.calls.some((c) => c[0] === 'LMSFinish')")
    recorded = page.evaluate("""({status: window.API.cmi.core.lesson_status, raw: window.API.cmi.core.score.raw,
                                 max: window.API.cmi.core.score.max, calls: window.calls})""")
    assert recorded["status"] == "completed"
    assert recorded["raw"] == str(round(100 * right / count)) == "60" and recorded["max"] == "100"
    calls = [name for name, _, _ in recorded["calls"]]
    assert ["LMSSetValue", "cmi.core.session_time"] in [call[:2] for call in recorded["calls"]]
    assert calls[0] == "LMSInitialize" and calls[-1] == "LMSFinish" and "LMSCommit" in calls
    assert calls.index("LMSCommit", len(calls) - 2) == len(calls) - 2  # committed just before finishing
    assert watched.errors == [] and watched.external == []


def test_a_sco_without_an_lms_works_as_a_plain_page(unzipped, open_page):
    watched = open_page((unzipped["scorm12"] / LESSON / "index.html").as_uri())
    watched.page.locator("section.quiz .quiz-choice.is-correct label").first.click()
    watched.page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    watched.page.wait_for_timeout(200)
    assert watched.errors == [] and watched.external == []


@pytest.mark.parametrize("fmt", ["imscc", "scorm12"])
def test_every_lesson_page_opens_offline_from_the_unzipped_package(unzipped, open_page, fmt):
    from builder.pipeline import check

    for lesson in check(REPO).course.lessons:
        watched = open_page((unzipped[fmt] / lesson.slug / "index.html").as_uri())
        page = watched.page
        assert page.locator("h1").inner_text().strip() == lesson.title
        figures = page.locator(".figure-plot, .explorer")
        if figures.count():  # figures are drawn as they near the viewport: the first one must draw
            figures.first.scroll_into_view_if_needed()
            page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length > 0")
        assert watched.errors == [] and watched.external == [], lesson.slug

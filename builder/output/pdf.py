"""The module as one PDF, printed by headless Chromium through Playwright: the engine that draws the site, so KaTeX's
formulas and the Plotly figures print exactly as readers see them (WeasyPrint runs no JavaScript, so it could only
place figures drawn beforehand).

The book page (book.py) is written with the site's assets into a temporary folder and opened from disk; every
figure is drawn as a static chart, then Chromium prints. Chromium has no CSS for "the page this heading is on", so
the contents get their page numbers from a first print: pypdf reads where each chapter's link in the contents
points, the numbers are written into the open page, and it is printed again (the contents keep their length, so
the numbers hold). Dates and ids in the file are fixed, so two exports of a course are byte-identical.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..model.course import Course
from ..model.errors import EngineUnavailable
from ..model.export import Paper
from ..model.figures import FigureTable
from ..model.ledger import Ledger
from ..model.maps import MapTable
from ..model.media import LinkedFiles
from ..model.output import PageLayout
from ..model.math import MathTable
from ..model.rendered import RenderedCourse
from ..stages.pages import render_pages
from ..theming.environment import Partials, make_environment
from .book import book_html

MARGINS = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
CONTENT_WIDTH = {Paper.A4: 672, Paper.LETTER: 695}
"""CSS pixels between the side margins (210 mm and 8.5 in less 32 mm): figures are drawn at this width."""
LAUNCH_ARGS = ["--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-quic"]
INSTALL = "pip install 'course-builder[pdf]'"


@dataclass(frozen=True)
class PdfDocument:
    """The printed PDF."""

    data: bytes
    pages: int
    summary: str


def require_engine() -> None:
    """EngineUnavailable now, before any work, when Playwright or Chromium is missing."""
    _playwright()
    chromium_path()


def make_pdf(course: Course, ledger: Ledger, rendered: RenderedCourse, math: MathTable, figures: FigureTable,
             media: LinkedFiles, paper: Paper) -> PdfDocument:
    """The course printed on `paper`; EngineUnavailable when Playwright or Chromium is missing."""
    sync_playwright = _playwright()
    executable = chromium_path()
    no_maps = MapTable({}, {}, 0, 0)  # the printed book has no prerequisite maps (they are for navigating the site)
    pages = render_pages(course, ledger, rendered, math, figures, no_maps, media, False, last={}, layout=PageLayout.BOOK)
    footer = Partials(make_environment(course.config))("book_footer.html", title=course.config.title)
    with tempfile.TemporaryDirectory(prefix="course-pdf-") as tmp:
        folder = Path(tmp)
        for rel, data in pages.files.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_bytes(data)
        book = folder / "book" / "index.html"
        book.parent.mkdir(parents=True, exist_ok=True)
        book.write_text(book_html(course, ledger, rendered, math, figures), encoding="utf-8")
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(executable_path=executable, headless=True, args=_launch_args())
            except Exception as exc:  # Playwright's own browser not installed, or Chromium does not start
                raise EngineUnavailable(f"Chromium could not be started ({str(exc).splitlines()[0]}); install it "
                                        "(apt-get install chromium, or `playwright install chromium`) or set COURSE_CHROMIUM") from None
            try:
                data, count = _print(browser, book, paper, footer)
            finally:
                browser.close()
    lessons = len(course.lessons)
    return PdfDocument(data, count, f"{lessons} lessons on {count} {paper.value} pages")


def chromium_path() -> str | None:
    """The Chromium to print with: COURSE_CHROMIUM, else one on PATH, else None (Playwright's own, if installed)."""
    chosen = os.environ.get("COURSE_CHROMIUM")
    if chosen:
        if not Path(chosen).is_file():
            raise EngineUnavailable(f"COURSE_CHROMIUM names no file ({chosen}); install Chromium (apt-get install chromium) "
                                    "or point it at a Chromium or Chrome executable")
        return chosen
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
        import pypdf  # noqa: F401  (the page numbers of the contents)
    except ImportError:
        raise EngineUnavailable(f"the PDF is printed by Chromium through Playwright, which is not installed: {INSTALL}") from None
    return sync_playwright


def _launch_args() -> list[str]:
    return LAUNCH_ARGS + (["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])  # root: no sandbox


def _print(browser, book: Path, paper: Paper, footer: str) -> tuple[bytes, int]:
    page = browser.new_page(viewport={"width": CONTENT_WIDTH[paper], "height": 900})
    page.emulate_media(media="print")
    page.goto(book.as_uri(), wait_until="load")
    page.evaluate("() => (window.courseFigures ? window.courseFigures.drawn : Promise.resolve()).then(() => document.fonts.ready)")
    options = dict(format=paper.value, print_background=True, margin=MARGINS, display_header_footer=True,
                   header_template="<span></span>", footer_template=footer, outline=True, tagged=True)
    first = page.pdf(**options)
    numbers = _destination_pages(first)
    page.evaluate("""(numbers) => { document.querySelectorAll('.book-page').forEach((el) => {
        el.textContent = numbers[el.getAttribute('data-for')] || ''; }); }""", numbers)
    return _fixed(page.pdf(**options))


def _destination_pages(pdf: bytes) -> dict[str, str]:
    """Where each link of the contents points: element id -> page number (1-based), from the PDF's link annotations."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    found = {}
    for name, destination in reader.named_destinations.items():
        page = reader.get_destination_page_number(destination)
        found[str(name).lstrip("/")] = str(page + 1)
    return found


def _fixed(pdf: bytes) -> tuple[bytes, int]:
    """The PDF with its dates and file id fixed (Chromium stamps the time of printing); and its page count."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/CreationDate": "D:19800101000000Z", "/ModDate": "D:19800101000000Z"})
    fixed_id = ByteStringObject(b"course-builder-pdf")
    writer._ID = ArrayObject([fixed_id, fixed_id])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(reader.pages)

"""`course export --format pdf`: the shipped module as one PDF printed by Chromium, its text read with pypdf: every
lesson title in order after a contents page with page numbers, no raw TeX, answers in an appendix, editions."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import sys
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("the PDF tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("playwright.sync_api", reason="the PDF tests need the playwright package (pip install '.[test]')")
pypdf = pytest.importorskip("pypdf", reason="the PDF tests need pypdf (pip install '.[test]')")

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from instructor_notes import note_phrases  # noqa: E402


def words(text: str) -> str:
    """Text as a reader would copy it: ligatures (ﬁ) spelled out, white space collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    from builder.model.config import Edition
    from builder.model.export import ExportFormat
    from builder.pipeline import export

    out = tmp_path_factory.mktemp("pdf")
    return {edition.value: export(REPO, ExportFormat.PDF, out / f"{edition.value}.pdf", edition=edition).path
            for edition in Edition}


@pytest.fixture(scope="module")
def pages(pdfs) -> list[str]:
    return [words(page.extract_text()) for page in pypdf.PdfReader(pdfs["student"]).pages]


@pytest.fixture(scope="module")
def shipped():
    from builder.pipeline import check

    return check(REPO)


def test_every_lesson_title_in_order_after_a_contents_page_with_page_numbers(pages, shipped):
    titles = [lesson.title for lesson in shipped.course.lessons]
    contents = next(i for i, text in enumerate(pages) if text.startswith("Contents"))
    listed = re.findall(r"(\d+)\. (.+?) (\d+)(?= \d+\. | Answers)", pages[contents])
    assert [title for _, title, _ in listed] == titles
    for number, title, page in listed:  # each number is the page the lesson starts on, in order
        assert pages[int(page) - 1].startswith(f"Lesson {number} ") and title in pages[int(page) - 1]
    starts = [int(page) for _, _, page in listed]
    assert starts == sorted(set(starts)) and starts[0] > contents + 1


def test_no_raw_tex_of_the_lessons_formulas(pages, shipped):
    text = " ".join(pages)
    commands = {m for doc in shipped.rendered.lessons.values() for item in doc.math
                for m in re.findall(r"\\[a-zA-Z]{2,}", item.tex)}
    assert len(commands) > 20
    assert [c for c in commands if c in text] == []


def test_answers_are_in_an_appendix_and_checks_are_numbered(pages, shipped):
    appendix = " ".join(pages[next(i for i, t in enumerate(pages) if t.startswith("Answers to the checks")):])
    count = sum(len(doc.assessments) for doc in shipped.rendered.lessons.values())
    assert len(re.findall(r"\b(?:Check|Quiz) \d\.\d+\b", appendix)) == count
    assert "Glossary" in appendix


def test_explorers_are_printed_with_a_note(pages):
    assert sum("An interactive figure, shown in its starting state" in text for text in pages) == 2


def test_student_pdf_has_no_instructor_note_and_the_instructor_pdf_each(pdfs, pages):
    student = " ".join(pages)
    instructor = " ".join(words(page.extract_text()) for page in pypdf.PdfReader(pdfs["instructor"]).pages)
    for phrases in note_phrases(REPO).values():
        for phrase in phrases:
            short = words(phrase)[:40]  # a line break may fall anywhere in a long phrase
            assert short not in student
            assert short in instructor, short
    assert "Instructor edition" in instructor and "Instructor edition" not in student


def test_letter_paper(tmp_path):
    from builder.model.export import ExportFormat, Paper
    from builder.pipeline import export

    path = export(REPO, ExportFormat.PDF, tmp_path / "letter.pdf", paper=Paper.LETTER).path
    box = pypdf.PdfReader(path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_a_missing_engine_is_one_line_and_exit_2(tmp_path):
    code = ("import sys; sys.modules['playwright'] = None; from builder.cli import main; "
            f"main(['export', {str(REPO)!r}, '--format', 'pdf', '--out', {str(tmp_path / 'x.pdf')!r}])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "pip install 'course-builder[pdf]'" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "builder.cli", "export", str(REPO), "--format", "pdf", "--out",
                           str(tmp_path / "x.pdf")], capture_output=True, text=True,
                          env={**__import__("os").environ, "COURSE_CHROMIUM": str(tmp_path / "no-chromium")})
    assert proc.returncode == 2 and proc.stderr.strip().count("\n") == 0 and "apt-get install chromium" in proc.stderr
    assert not (tmp_path / "x.pdf").exists()

"""Editions: `{instructor}` notes are absent from every student output (not hidden), shown and marked in the
instructor edition, which also shows every answer; the two editions never share a cached rendering or a build."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BASE, REPO, check_json, codes, line_of, run
from instructor_notes import note_phrases, texts_of

NOTE_LESSON = BASE["lessons/1.3/01-first.md"].replace("## Worked example\n", """## Worked example

::::::{instructor} Ten minutes on the board
Ask the room for the first step before showing it, then $\\alpha^2$ on the board.

## A heading only instructors see

::::{check} A question only for instructors
:::{answer}
Its answer.
:::
::::
::::::

::::{check} What is alpha?
:::{answer}
The first idea.
:::
::::
""")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> dict[str, Path]:
    """The shipped module built in both editions (figures and math from the project's cache)."""
    from builder.model.config import Edition
    from builder.pipeline import build

    out = tmp_path_factory.mktemp("editions")
    sites = {edition.value: out / edition.value for edition in Edition}
    for edition in Edition:
        build(REPO, out=sites[edition.value], edition=edition)
    return sites


def test_every_shipped_lesson_has_an_instructor_note():
    notes = note_phrases(REPO)
    lessons = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "lessons").rglob("*.md"))
    assert sorted(notes) == lessons and all(notes.values())


def test_student_build_has_no_text_of_any_note_anywhere(shipped):
    files = texts_of(shipped["student"])
    leaks = [(phrase, path) for phrases in note_phrases(REPO).values() for phrase in phrases
             for path, text in files.items() if phrase in text]
    assert not leaks
    pages = {path: text for path, text in files.items() if path.endswith((".html", ".js")) and "plotly" not in path}
    assert not [path for path, text in pages.items() if "Instructor note" in text or "callout-instructor" in text]


def test_instructor_build_shows_each_note_marked(shipped):
    for source, phrases in note_phrases(REPO).items():
        slug = source.rsplit("/", 1)[1].removesuffix(".md").split("-", 1)[1]
        html = (shipped["instructor"] / slug / "index.html").read_text(encoding="utf-8")
        assert all(phrase in html for phrase in phrases), source
        assert 'class="callout callout-instructor"' in html and "Instructor note" in html
        assert '<meta name="robots" content="noindex">' in html and 'class="edition-banner"' in html


def test_instructor_build_shows_every_answer_expanded(shipped):
    for edition, expected in (("student", False), ("instructor", True)):
        html = (shipped[edition] / "optimizers" / "index.html").read_text(encoding="utf-8")
        reveals = html.count('<details class="reveal"')
        assert reveals > 5
        assert html.count('<details class="reveal" open>') == (reveals if expected else 0)


def test_a_note_is_absent_from_the_student_page_its_contents_and_its_assessments(project):
    root = project({"lessons/1.3/01-first.md": NOTE_LESSON})
    for edition in ("student", "instructor"):
        code, out = run("build", str(root), "--out", str(root / edition), "--edition", edition)
        assert code == 0, out
    student = (root / "student/first/index.html").read_text()
    instructor = (root / "instructor/first/index.html").read_text()
    for text in ("Ten minutes on the board", "Ask the room", "A heading only instructors see", "A question only for instructors"):
        assert text not in student and text not in (root / "student/assets/search-index.js").read_text()
        assert text in instructor
    assert "What is alpha?" in student  # the check outside the note stays
    assert 'href="#a-heading-only-instructors-see"' in instructor and "a-heading-only-instructors-see" not in student


def test_assessments_inside_a_note_are_only_in_the_instructor_rendering(project):
    from builder.model.config import Edition
    from builder.pipeline import check_course
    from builder.incremental import Memo
    from builder.load.config import load_config
    from dataclasses import replace

    root = project({"lessons/1.3/01-first.md": NOTE_LESSON})
    titles = {}
    for edition in Edition:
        config = replace(load_config(root), edition=edition)
        checked = check_course(config, Memo.for_project(root))
        titles[edition] = [a.title_html for a in checked.rendered.lessons["first"].assessments]
    assert titles[Edition.STUDENT] == ["What is alpha?", "Which of these holds?"]
    assert titles[Edition.INSTRUCTOR] == ["A question only for instructors", "What is alpha?", "Which of these holds?"]


def test_check_finds_the_problems_inside_notes(project):
    text = NOTE_LESSON.replace("$\\alpha^2$", "$\\frac{1}{$")
    code, findings = check_json(project({"lessons/1.3/01-first.md": text}))
    assert code == 1 and codes(findings) == ["CB410"]
    assert findings[0]["line"] == line_of(text, "$\\frac{1}{$")


def test_a_note_takes_no_name(project):
    text = NOTE_LESSON.replace("::::{instructor} Ten minutes on the board\n", "::::{instructor} Ten minutes on the board\n:name: notes\n")
    code, findings = check_json(project({"lessons/1.3/01-first.md": text}))
    assert code == 1 and codes(findings) == ["CB408"]
    assert findings[0]["line"] == line_of(text, ":name: notes") and ":class:" in findings[0]["hint"]


def test_editions_built_in_turn_into_one_folder_never_mix(project):
    root = project({"lessons/1.3/01-first.md": NOTE_LESSON})
    page = root / "_site/first/index.html"
    for edition, shown in (("student", False), ("instructor", True), ("student", False), ("instructor", True)):
        code, out = run("build", str(root), "--edition", edition)
        assert code == 0, out
        assert ("Ten minutes on the board" in page.read_text()) is shown, edition

"""Markup fixtures (markdown-it-py style): tests/fixtures/markup.md holds Markdown and the HTML it becomes, side by side.

All cases are built as one project, one lesson per case, through the real pipeline (parser, directives, KaTeX,
Pygments, theme partials); each page's lesson body must equal the expected HTML. After an intended change to
the output, rewrite the expected blocks with: COURSE_UPDATE_FIXTURES=1 pytest tests/test_markup_fixtures.py
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BASE, make_project

FIXTURES = Path(__file__).parent / "fixtures" / "markup.md"
UPDATE = bool(os.environ.get("COURSE_UPDATE_FIXTURES"))
RELAXED_SITE = BASE["site.yaml"] + ("rules:\n  min_misconceptions: 0\n  min_examples: {positive: 0, negative: 0}\n"
                                    "  min_modalities: 0\n")
_DIV = re.compile(r"<(/?)div\b")


def lesson_body(page: str) -> str:
    """The inside of the page's <div class="lesson-body"> (to its matching </div>)."""
    start = page.index('<div class="lesson-body">') + len('<div class="lesson-body">')
    depth = 1
    for tag in _DIV.finditer(page, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return page[start:tag.start()].strip("\n ")
    raise AssertionError("lesson body not closed")


@dataclass
class Case:
    slug: str
    title: str
    markdown: str
    html: str


def read_cases(text: str) -> tuple[str, list[Case]]:
    """The file's preamble and its cases, in order."""
    blocks = re.split(r"^\.$\n?", text, flags=re.M)
    preamble, *rest = blocks
    head, _, first_title = preamble.rstrip("\n").rpartition("\n\n")
    cases, title = [], first_title
    for i in range(0, len(rest) - 2, 3):
        markdown, html, after = rest[i], rest[i + 1], rest[i + 2]
        slug, _, what = title.strip().partition(": ")
        cases.append(Case(slug, what, markdown, html.rstrip("\n")))
        title = after
    return head + "\n\n", cases


def write_cases(head: str, cases: list[Case]) -> str:
    return head + "\n".join(f"{c.slug}: {c.title}\n.\n{c.markdown}.\n{c.html}\n.\n" for c in cases)


HEAD, CASES = read_cases(FIXTURES.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, str]:
    """slug -> the lesson body HTML of each case's page."""
    files = {"site.yaml": RELAXED_SITE, "lessons/1.3/01-first.md": None, "lessons/1.3/02-second.md": None,
             "lessons/1.3/03-third.md": None}
    for i, case in enumerate(CASES, start=1):
        files[f"lessons/1.3/{i:02d}-{case.slug}.md"] = (f"---\ntitle: {json.dumps(case.title.capitalize())}\n"
                                                       f"type: CONSOLIDATE\n---\n{case.markdown}")
    root = make_project(tmp_path_factory.mktemp("fixtures"), files)
    from builder.pipeline import build

    build(root, out=root / "_site", use_cache=False)
    out = {}
    for case in CASES:
        out[case.slug] = lesson_body((root / "_site" / case.slug / "index.html").read_text(encoding="utf-8"))
    if UPDATE:  # rewrite, then fail: a run that rewrote the expected HTML has compared nothing
        for case in CASES:
            case.html = out[case.slug]
        FIXTURES.write_text(write_cases(HEAD, CASES), encoding="utf-8")
        pytest.fail("COURSE_UPDATE_FIXTURES is set: tests/fixtures/markup.md was rewritten; read `git diff`, then run again without it")
    return out


def test_fixture_file_round_trips():
    assert write_cases(HEAD, CASES) == FIXTURES.read_text(encoding="utf-8")
    assert len({c.slug for c in CASES}) == len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c.slug for c in CASES])
def test_markup_fixture(built, case):
    assert built[case.slug] == case.html, f"{case.title} (COURSE_UPDATE_FIXTURES=1 rewrites the expected HTML)"

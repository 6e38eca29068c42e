"""MyST fixtures: tests/fixtures/myst.md holds MyST snippets (most from the MyST docs' own examples) and the HTML the
builder makes of them, side by side, one case per feature of the MyST compatibility issue. They are built as one
project, one lesson per case, through the real pipeline (parser, KaTeX, Pygments, pybtex, theme partials), like
tests/fixtures/markup.md; the project also has a references.bib, a file to include and an image.
Rewrite the expected HTML after an intended change with: COURSE_UPDATE_FIXTURES=1 pytest tests/test_myst_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import make_project
from test_markup_fixtures import RELAXED_SITE, UPDATE, lesson_body, read_cases, write_cases

FIXTURES = Path(__file__).parent / "fixtures" / "myst.md"
HEAD, CASES = read_cases(FIXTURES.read_text(encoding="utf-8"))
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f5f0a50000000049454e44ae426082")
BIB = """@inproceedings{glorot2010,
  author = {Glorot, Xavier and Bengio, Yoshua},
  title = {Understanding the difficulty of training deep feedforward neural networks},
  booktitle = {Proceedings of the Thirteenth International Conference on Artificial Intelligence and Statistics},
  pages = {249--256},
  year = {2010}
}
@inproceedings{he2015,
  author = {He, Kaiming and Zhang, Xiangyu and Ren, Shaoqing and Sun, Jian},
  title = {Delving Deep into Rectifiers},
  booktitle = {Proceedings of the IEEE International Conference on Computer Vision},
  pages = {1026--1034},
  year = {2015}
}
"""
NOTATION = "## Shared notation\n\nWe write $\\theta$ for the parameters.\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, str]:
    """slug -> the lesson body HTML of each case's page."""
    files: dict[str, str | bytes | None] = {
        "site.yaml": RELAXED_SITE, "lessons/1.3/01-first.md": None, "lessons/1.3/02-second.md": None,
        "lessons/1.3/03-third.md": None, "content/references.bib": BIB, "content/shared/notation.md": NOTATION,
        "content/media/fun-fish.png": PNG}
    for i, case in enumerate(CASES, start=1):
        files[f"lessons/1.3/{i:02d}-{case.slug}.md"] = (f"---\ntitle: {json.dumps(case.title[:1].upper() + case.title[1:])}\n"
                                                       f"type: CONSOLIDATE\n---\n{case.markdown}")
    root = make_project(tmp_path_factory.mktemp("myst"), files)  # type: ignore[arg-type]
    from builder.pipeline import build

    build(root, out=root / "_site", use_cache=False)
    out = {case.slug: lesson_body((root / "_site" / case.slug / "index.html").read_text(encoding="utf-8")) for case in CASES}
    out["genindex"] = (root / "_site" / "genindex" / "index.html").read_text(encoding="utf-8")
    if UPDATE:  # rewrite, then fail: a run that rewrote the expected HTML has compared nothing
        for case in CASES:
            case.html = out[case.slug]
        FIXTURES.write_text(write_cases(HEAD, CASES), encoding="utf-8")
        pytest.fail("COURSE_UPDATE_FIXTURES is set: tests/fixtures/myst.md was rewritten; read `git diff`, then run again without it")
    return out


def test_fixture_file_round_trips():
    assert write_cases(HEAD, CASES) == FIXTURES.read_text(encoding="utf-8")
    assert len({c.slug for c in CASES}) == len(CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=[c.slug for c in CASES])
def test_myst_fixture(built, case):
    assert built[case.slug] == case.html, f"{case.title} (COURSE_UPDATE_FIXTURES=1 rewrites the expected HTML)"


def test_index_entries_are_collected_on_the_index_page(built):
    page = built["genindex"]
    assert "<dt>lion; the animal</dt>" in page and "<dt>tiger</dt>" in page
    assert 'href="../index/index.html#index-1"' in page and 'href="../index/index.html#index-2"' in page

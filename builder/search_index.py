"""The offline search index: titles, section headings, concept names and section words, as a small .js file."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence

from .course import Course
from .markup.render import PLACEHOLDER
from .rendering import RenderedDoc

_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)
_WORD = re.compile(r"[a-z0-9]+")
STOP = frozenset("a an and are as at be but by can do does for from has have how if in into is it its not of on or "
                 "so than that the their then there these they this to was we what when where which while who why "
                 "will with you your".split())
MAX_WORDS = 80
"""Distinct words kept per section: enough to find a section by what it is about, small at 1,000 lessons."""


def build_search_index(course: Course, docs: Sequence[RenderedDoc]) -> str:
    """The index as a script assigning window.COURSE_SEARCH (loads from file:// where fetch cannot)."""
    by_key = {doc.key: doc for doc in docs}
    pages = []
    for lesson in course.lessons:
        doc = by_key[f"lesson:{lesson.slug}"]
        concepts = sorted({course.concepts[t.concept].name for t in lesson.teaches})
        pages.append({"t": lesson.title, "u": f"{lesson.slug}/index.html", "c": "; ".join(concepts),
                      "s": _sections(doc.fragments["body"])})
    for module in course.modules:
        pages.append({"t": f"Module {module.id}: {module.title}", "u": f"modules/{module.id}/index.html", "c": "", "s": []})
    pages.append({"t": "Concepts and the depth ledger", "u": "concepts/index.html",
                  "c": "; ".join(sorted(c.name for c in course.concepts.values())), "s": []})
    data = json.dumps({"pages": pages}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return "window.COURSE_SEARCH=" + data.replace("</", "<\\/") + ";\n"


def _sections(body: str) -> list[list[str]]:
    body = PLACEHOLDER.sub(" ", body)
    cuts = list(_HEADING.finditer(body))
    sections = []
    for i, match in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(body)
        title = _text(match.group(3)).rstrip("#").strip()
        sections.append([match.group(2), title, " ".join(_words(body[match.end():end]))])
    return sections


def _text(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).strip()


def _words(fragment: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in _WORD.findall(_text(fragment).lower()):
        if word not in STOP and len(word) > 2 and word not in seen:
            seen[word] = None
            if len(seen) >= MAX_WORDS:
                break
    return list(seen)

"""References between pages, checked once the whole course, its ledger and its rendered pages are known. Pure.

A page renders on its own and records what it points at (model.rendered.Reference); here each is checked:
lessons and their anchors exist, linked files are there to publish, concepts are known to the ledger by then,
and every misconception's `where` names an id its page defines.
"""

from __future__ import annotations

import posixpath
import re

from ..model.media import FileStatus, LinkedFiles
from ..model.course import Course, Lesson, Module
from ..model.diagnostics import Diagnostic, error, warning
from ..model.ledger import Ledger
from ..model.rendered import DocKind, Reference, RefKind, Rendered, RenderedCourse
from ..suggest import did_you_mean
from .xrefs import check_xref


def check_references(course: Course, ledger: Ledger, rendered: RenderedCourse, media: LinkedFiles) -> tuple[Diagnostic, ...]:
    """Every broken reference of every page, and every `where` that names no id."""
    diags: list[Diagnostic] = []
    targets = rendered.targets
    for doc in rendered.documents:
        diags += _page_references(course, ledger, rendered, doc, media)
        diags += [d for ref in doc.references if ref.kind is RefKind.XREF for d in check_xref(targets, doc, ref)]
    for lesson in course.lessons:
        diags += _lesson_wheres(lesson, rendered.lessons[lesson.slug].anchors)
    for module in course.modules:
        unread = frozenset(u.slug for u in course.unread if u.module == module.id)
        diags += _module_wheres(module, rendered.modules[module.id].anchors | unread)
    return tuple(diags)


def _page_references(course: Course, ledger: Ledger, rendered: RenderedCourse, doc: Rendered,
                     media: LinkedFiles) -> list[Diagnostic]:
    step = ledger.at(doc.key.id) if doc.key.kind is DocKind.LESSON else None
    known = step.after if step and not course.follows_unread(course.lesson(doc.key.id)) else None
    unread = {u.slug for u in course.unread}
    diags = []
    for ref in doc.references:
        if ref.kind is RefKind.CONCEPT:
            if known is not None and ref.target not in known:
                diags.append(warning("CB403", ref.path or doc.path, ref.pos,
                                     f"concept `{ref.target}` is used before any lesson up to here has mentioned it",
                                     "Add it to this lesson's `teaches` (at least MENTIONED), or to an earlier lesson's, or to prior.yaml."))
        elif ref.kind is RefKind.LESSON:
            if course.lesson(ref.target) is None and ref.target not in unread:
                slugs = sorted(lesson.slug for lesson in course.lessons)
                diags.append(error("CB402", ref.path or doc.path, ref.pos, f"unknown lesson `{ref.target}`",
                                   f"{did_you_mean(ref.target, slugs)} Use a lesson's slug (its file name without NN- and .md).".strip()))
        elif ref.kind is RefKind.LESSON_FILE:
            diags += _lesson_link(course, rendered, doc, ref)
        elif ref.kind is RefKind.XREF:
            continue
        elif media.status.get(ref.target) is FileStatus.MISSING:
            diags.append(error("CB404", ref.path or doc.path, ref.pos, f"`{ref.written}` does not exist (looked for {ref.target})",
                               "Put the file in the project (e.g. content/media/) and link it relative to this lesson."))
        elif media.status.get(ref.target) is FileStatus.OUTSIDE:
            diags.append(error("CB404", ref.path or doc.path, ref.pos, f"`{ref.written}` is a link that leads outside the project",
                               "Copy the file into the project (e.g. content/media/) instead of linking to it."))
    return diags


def _lesson_link(course: Course, rendered: RenderedCourse, doc: Rendered, ref: Reference) -> list[Diagnostic]:
    lesson = course.lesson_at(ref.target)
    if lesson is None and any(u.path == ref.target for u in course.unread):
        return []  # its own file's finding says what is wrong with it
    if lesson is None:
        return [error("CB404", ref.path or doc.path, ref.pos, f"`{ref.target}` is not a lesson of this course",
                      _lesson_link_hint(ref.target, ref.path or doc.path, course))]
    anchors = rendered.lessons[lesson.slug].anchors
    if ref.anchor and ref.anchor not in anchors:
        return [error("CB404", ref.path or doc.path, ref.pos, f"lesson `{lesson.slug}` has no heading or callout with id `#{ref.anchor}`",
                      f"{did_you_mean(ref.anchor, sorted(anchors))} Check the heading text or `:name:`.".strip())]
    return []


def _lesson_wheres(lesson: Lesson, anchors: frozenset[str]) -> list[Diagnostic]:
    make = warning if lesson.draft else error
    diags = []
    for m in lesson.misconceptions:
        if m.where and m.where not in anchors:
            guess = did_you_mean(m.where, sorted(anchors))
            diags.append(make("CB309", lesson.path, m.where_pos,
                               f"`where: {m.where}` does not match any heading or callout id in the body",
                               (guess + " " if guess else "") + "Give the misconception callout `:name: " + m.where
                               + "`, or point at a heading's id (its GitHub-style slug)."))
    return diags


def _module_wheres(module: Module, anchors: frozenset[str]) -> list[Diagnostic]:
    slugs = {lesson.slug for lesson in module.lessons}
    diags = []
    for m in module.misconceptions:
        if m.where and m.where not in slugs and m.where not in anchors:
            guess = did_you_mean(m.where, sorted(slugs | anchors))
            diags.append(error("CB309", module.path, m.where_pos,
                               f"module misconception points at `{m.where}`, which is neither a lesson of module "
                               f"{module.id} nor a heading or callout id on the module page",
                               (guess + " " if guess else "") + "Name the slug of the lesson that addresses it ("
                               + ", ".join(sorted(slugs)) + "), or an id in the module page's body."))
    return diags


def _lesson_link_hint(target: str, here: str, course: Course) -> str:
    """Name the lesson the author probably meant (by slug, not by path), as a path relative to the linking file."""
    lessons = course.lessons
    if not lessons:
        return "Link to a lesson file by its path relative to this file."
    wanted = re.sub(r"^\d+-|\.md$", "", posixpath.basename(target))
    guess = did_you_mean(wanted, [lesson.slug for lesson in lessons])
    meant = next((lesson for lesson in lessons if guess and f"`{lesson.slug}`" in guess), None)
    example = posixpath.relpath((meant or lessons[0]).path, posixpath.dirname(here))
    if meant:
        return f"Did you mean `{example}`? Lesson files are linked by their path relative to this file."
    return f"Link to a lesson file by its path relative to this file, e.g. `{example}`."

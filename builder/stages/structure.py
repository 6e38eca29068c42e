"""The digest of a course's structure: what its ledger, and every view made from the ledger, follows from.

The ledger is made from the frontmatter's plan alone (each lesson's place, prerequisites, gaps and teaches, the prior
knowledge, the depth scale), never from a lesson's prose. So views of it (the maps' graphs, the depth grids, what each
page shows of it) made by a build before are still right when this digest is as it was: an edit of prose, the most
common edit, makes none of them again.
"""

from __future__ import annotations

from ..incremental.keys import builder_fingerprint, content_key
from ..model.course import Course

_LAST: list[tuple[Course, str]] = []
"""The last course digested and its digest (the map and page stages both ask for it, of the same course)."""


def structure_digest(course: Course) -> str:
    """The digest of each lesson's place, title, prerequisites, gaps and teaches, the modules' lessons, the prior
    knowledge, the depth scale, the concepts' names, and the builder's code (which makes the ledger from them)."""
    if _LAST and _LAST[0][0] is course:
        return _LAST[0][1]
    lessons = [(lesson.slug, lesson.module, lesson.title, [(p.concept, p.depth) for p in lesson.prerequisites],
                [g.concept for g in lesson.gaps], [(t.concept, t.depth) for t in lesson.teaches])
               for lesson in course.lessons]
    modules = [(module.id, [lesson.slug for lesson in module.lessons]) for module in course.modules]
    prior = [(r.concept, r.depth, r.source, r.module) for r in course.prior]
    names = sorted((cid, concept.name) for cid, concept in course.concepts.items())
    digest = content_key("structure", builder_fingerprint(), course.config.depths, lessons, modules, prior, names)
    _LAST[:] = [(course, digest)]
    return digest

"""The prerequisite maps' graphs, from the frontmatter and the ledger alone (pure: no layout, no HTML).

A module's map has every lesson of the module and every concept its lessons need or teach, one node each; an edge
runs from a concept to each lesson that lists it in `prerequisites`, and from a lesson to each concept in its
`teaches`. A gap (a prerequisite the lesson resolves itself) gets no edge into its lesson: the lesson's edge out to
the concept already says where it is taught, and a two-way pair would only be a loop in the drawing.

A lesson's map is its neighbourhood: what it needs (concept -> lesson), what it teaches (lesson -> concept) and the
later lessons that need those (concept -> later lesson). A concept the lesson both needs and raises is drawn on
both sides, at the depth needed and at the depth taught.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from ..model.course import Course, Lesson, Module, Teach
from ..model.ledger import Ledger
from ..model.maps import ConceptMap, MapEdge, MapNode, NodeKind, Role

LATER_LESSONS = 6
"""A lesson's map shows at most this many later lessons that need what it teaches (the nearest ones): enough to see
where the lesson leads without growing with the course."""


def module_map(course: Course, ledger: Ledger, module: Module) -> ConceptMap:
    """The module's lessons in order and the concepts they need and teach."""
    taught = {t.concept for lesson in module.lessons for t in lesson.teaches}
    reached = _reached(course, ledger, module)
    nodes: dict[str, MapNode] = {}
    edges: dict[tuple[str, str], MapEdge] = {}

    def concept(cid: str) -> str:
        node_id = f"concept:{cid}"
        if node_id not in nodes:
            nodes[node_id] = MapNode(node_id, NodeKind.CONCEPT, cid, course.concepts[cid].name, reached.get(cid, ""),
                                     Role.TAUGHT if cid in taught else Role.KNOWN, 0)
        return node_id

    for i, lesson in enumerate(module.lessons):
        here = f"lesson:{lesson.slug}"
        needed = {p.concept: p.depth for p in reversed(lesson.prerequisites)}
        for cid in _needs(course, lesson):
            _add(edges, MapEdge(concept(cid), here, needed[cid]))
        nodes[here] = _lesson_node(lesson, i + 1)
        for t in lesson.teaches:
            if t.concept in course.concepts:
                _add(edges, MapEdge(here, concept(t.concept), t.depth))
    return ConceptMap(f"module-{module.id.replace('.', '-')}", tuple(nodes.values()), tuple(edges.values()),
                      _order(module.lessons))


def lesson_maps(course: Course, limit: int = LATER_LESSONS) -> dict[str, ConceptMap]:
    """Every lesson's neighbourhood: what it needs, what it teaches, and the nearest later lessons (in course order)
    that need what it teaches."""
    return {slug: make() for slug, make in lesson_map_makers(course, limit).items()}


def lesson_map_makers(course: Course, limit: int = LATER_LESSONS) -> dict[str, Callable[[], ConceptMap]]:
    """For each lesson, how to make its map (what lesson_maps gives): the course-wide index is made at once, each
    graph when called (a build that reuses the maps' keys makes only the graphs of the pages it renders again)."""
    lessons = course.lessons
    needs = {lesson.slug: _needs(course, lesson) for lesson in lessons}
    needed_by: dict[str, list[int]] = {}
    for i, lesson in enumerate(lessons):
        for cid in needs[lesson.slug]:
            needed_by.setdefault(cid, []).append(i)
    places = {lesson.slug: i + 1 for module in course.modules for i, lesson in enumerate(module.lessons)}

    def neighbourhood(i: int) -> ConceptMap:
        lesson = lessons[i]
        taught = [t for t in lesson.teaches if t.concept in course.concepts]
        later = sorted({j for t in taught for j in needed_by.get(t.concept, ()) if j > i})
        return _neighbourhood(course, lesson, places, needs, taught, [lessons[j] for j in later], limit)
    return {lesson.slug: functools.partial(neighbourhood, i) for i, lesson in enumerate(lessons)}


def _neighbourhood(course: Course, lesson: Lesson, places: dict[str, int], needs: dict[str, list[str]],
                   taught: list[Teach], later: list[Lesson], limit: int) -> ConceptMap:
    here = f"lesson:{lesson.slug}"
    nodes: dict[str, MapNode] = {}
    edges: dict[tuple[str, str], MapEdge] = {}
    needed = {p.concept: p.depth for p in reversed(lesson.prerequisites)}
    for cid in needs[lesson.slug]:
        nodes[f"need:{cid}"] = MapNode(f"need:{cid}", NodeKind.CONCEPT, cid, course.concepts[cid].name, needed[cid],
                                       Role.KNOWN, 0)
        _add(edges, MapEdge(f"need:{cid}", here, needed[cid]))
    nodes[here] = _lesson_node(lesson, places[lesson.slug], current=True)
    for t in taught:
        nodes[f"teach:{t.concept}"] = MapNode(f"teach:{t.concept}", NodeKind.CONCEPT, t.concept,
                                              course.concepts[t.concept].name, t.depth, Role.TAUGHT, 0)
        _add(edges, MapEdge(here, f"teach:{t.concept}", t.depth))
    for other in later[:limit]:
        there = f"lesson:{other.slug}"
        nodes[there] = _lesson_node(other, places[other.slug] if other.module == lesson.module else 0)
        for t in taught:
            if t.concept in needs[other.slug]:
                _add(edges, MapEdge(f"teach:{t.concept}", there, _needed(other, t.concept)))
    return ConceptMap(f"lesson-{lesson.slug}", tuple(nodes.values()), tuple(edges.values()), (),
                      max(0, len(later) - limit))


def _needs(course: Course, lesson: Lesson) -> list[str]:
    """The concepts a lesson needs from before it: its prerequisites that are not its own gaps, known, in order."""
    gaps = {g.concept for g in lesson.gaps}
    return list(dict.fromkeys(p.concept for p in lesson.prerequisites
                              if p.concept not in gaps and p.concept in course.concepts))


def _add(edges: dict[tuple[str, str], MapEdge], edge: MapEdge) -> None:
    """An edge, unless the same two nodes are joined already (a concept listed twice)."""
    edges.setdefault((edge.source, edge.target), edge)


def _needed(lesson: Lesson, cid: str) -> str:
    return next(p.depth for p in lesson.prerequisites if p.concept == cid)


def _lesson_node(lesson: Lesson, position: int, current: bool = False) -> MapNode:
    return MapNode(f"lesson:{lesson.slug}", NodeKind.LESSON, lesson.slug, lesson.title, "", Role.TAUGHT, position,
                   current)


def _order(lessons: Sequence[Lesson]) -> tuple[MapEdge, ...]:
    return tuple(MapEdge(f"lesson:{a.slug}", f"lesson:{b.slug}") for a, b in zip(lessons, lessons[1:]))


def _reached(course: Course, ledger: Ledger, module: Module) -> dict[str, str]:
    """Each concept's depth at the end of the module (a module only deepens what it touches)."""
    last = ledger.at(module.lessons[-1].slug) if module.lessons else None
    if last is not None:
        return {cid: entry.depth for cid, entry in last.after.items()}
    scale = {name: i for i, name in enumerate(course.config.depths)}
    deepest: dict[str, str] = {}
    for lesson in module.lessons:
        for cid, depth in [(p.concept, p.depth) for p in lesson.prerequisites] + [(t.concept, t.depth) for t in lesson.teaches]:
            if scale.get(depth, -1) > scale.get(deepest.get(cid, ""), -1):
                deepest[cid] = depth
    return deepest

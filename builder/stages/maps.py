"""The map stage: every prerequisite map of the site (one per module, one per lesson) laid out by elkjs.

A map's layout depends only on its graph (node ids, label sizes, edges) and on the layout options, so that is its
cache key: a warm build, or an edit that leaves every map's graph as it was, starts no Node, and reads a layout from
the cache only for a page it renders again. The misses of a build go to elkjs in one batch. The graphs themselves
are made from the frontmatter's structure, so the maps' keys are kept under its digest: an edit of a lesson's prose
makes no graph but those of the pages it renders again.

Module maps flow down: ELK's layered algorithm with the lessons kept in module order (by edges between consecutive
lessons that are laid out but never drawn), at most a few concepts per layer (Coffman-Graham), and edges that meet
a node merged into one orthogonal bus, which keeps a 40-concept module about as wide as a screen. Lesson maps flow
right: needs, the lesson, what it teaches, the later lessons that need it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..incremental import Deferred, Memo
from ..incremental.keys import content_key, files_digest
from ..model.course import Course
from ..model.diagnostics import Pos, error
from ..model.ledger import Ledger
from ..model.maps import Box, ConceptMap, LaidOutMap, MapKeys, MapLayout, MapTable, Route
from ..progress import stage
from ..theming.map_text import node_size
from .map_graph import LATER_LESSONS, lesson_map_makers, module_map
from .structure import structure_digest

_COMMON = {
    "elk.algorithm": "layered",
    "elk.randomSeed": "1",
    "elk.edgeRouting": "ORTHOGONAL",
    "elk.layered.mergeEdges": "true",
    "elk.layered.cycleBreaking.strategy": "MODEL_ORDER",
    "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
    "elk.padding": "[top=8,left=8,bottom=8,right=8]",
}
MODULE_OPTIONS = {**_COMMON, "elk.direction": "DOWN", "elk.spacing.nodeNode": "14",
                  "elk.layered.spacing.nodeNodeBetweenLayers": "30",
                  "elk.layered.layering.strategy": "COFFMAN_GRAHAM",
                  "elk.layered.layering.coffmanGraham.layerBound": "5",
                  "elk.layered.nodePlacement.strategy": "SIMPLE"}
"""ELK options of a module's map."""
LESSON_OPTIONS = {**_COMMON, "elk.direction": "RIGHT", "elk.spacing.nodeNode": "8",
                  "elk.layered.spacing.nodeNodeBetweenLayers": "22", "elk.layered.nodePlacement.strategy": "SIMPLE"}
"""ELK options of a lesson's map."""


@dataclass(frozen=True)
class _Request:
    graph: ConceptMap
    options: dict[str, str]

    @property
    def key(self) -> str:
        """The graph and the options, with the sizing code: everything the layout depends on, found without sizing
        any label (a warm build only hashes its graphs)."""
        from ..elk import ELK_VERSION

        return content_key("map-layout", ELK_VERSION, _sizing(), self.options, repr(self.graph))

    @property
    def elk(self) -> dict[str, Any]:
        """The graph as ELK JSON, its nodes sized for their labels."""
        children = []
        for node in self.graph.nodes:
            width, height = node_size(node)
            children.append({"id": node.id, "width": width, "height": height})
        edges = [{"id": f"e{i}", "sources": [e.source], "targets": [e.target]} for i, e in enumerate(self.graph.edges)]
        edges += [{"id": f"order{i}", "sources": [e.source], "targets": [e.target]} for i, e in enumerate(self.graph.order)]
        return {"id": "root", "layoutOptions": self.options, "children": children, "edges": edges}


@functools.lru_cache(maxsize=1)
def _sizing() -> str:
    """The label-sizing code's digest (a change to it changes every node's size)."""
    from ..theming import map_text

    return files_digest(Path(map_text.__file__).parent, [Path(map_text.__file__)])


@stage("laying out maps", lambda t: f"{t.laid_out} maps laid out, {t.cached} from the cache")
def layout_maps(course: Course, ledger: Ledger, memo: Memo) -> MapTable:
    """Each module's and each lesson's map with its layout; a finding (CB503) when elkjs cannot be had.

    When what the graphs are made from is as in a build before (`_structure_digest`), their keys are read from the
    cache and no graph is made but those of the pages rendered again (an edit of a lesson's prose)."""
    from ..elk import LayoutUnavailable

    modules = {m.id: functools.cache(functools.partial(module_map, course, ledger, m)) for m in course.modules if m.lessons}
    lessons = {slug: functools.cache(make) for slug, make in lesson_map_makers(course).items()}
    structure = _structure_digest(course)
    known = memo.get("map-keys", structure, MapKeys)
    if known is not None and known.modules.keys() == modules.keys() and known.lessons.keys() == lessons.keys():
        return MapTable({mid: _known(memo, known.modules[mid], make, MODULE_OPTIONS) for mid, make in modules.items()},
                        {slug: _known(memo, known.lessons[slug], make, LESSON_OPTIONS) for slug, make in lessons.items()},
                        0, len(modules) + len(lessons))
    requests = ([(make, _Request(make(), MODULE_OPTIONS)) for make in modules.values()]
                + [(make, _Request(make(), LESSON_OPTIONS)) for make in lessons.values()])
    try:
        done = memo.deferred_batch("map-layout", [r for _, r in requests], key=lambda r: r.key, compute=_lay_out,
                                   value_type=MapLayout)
    except LayoutUnavailable as exc:
        where = course.modules[0].path if course.modules else "site.yaml"
        return MapTable({}, {}, 0, 0, (error("CB503", where, Pos(1), f"the prerequisite maps cannot be laid out: {exc.message}",
                                             exc.hint),))
    laid = {r.graph.id: LaidOutMap(key, read, make) for (make, r), read, key in zip(requests, done.values, done.keys)}
    table = MapTable({mid: laid[make().id] for mid, make in modules.items()},
                     {slug: laid[make().id] for slug, make in lessons.items()}, done.computed, done.cached)
    memo.put("map-keys", structure, MapKeys({mid: m.key for mid, m in table.modules.items()},
                                            {slug: m.key for slug, m in table.lessons.items()}))
    return table


def _known(memo: Memo, key: str, make: Callable[[], ConceptMap], options: dict[str, str]) -> LaidOutMap:
    """A map whose key a build before found: its layout read when asked for (laid out again, alone, should the entry
    prove unreadable), its graph made when asked for."""
    compute = functools.partial(_lay_out_one, make, options)
    return LaidOutMap(key, Deferred(memo, "map-layout", key, MapLayout, compute), make)


def _lay_out_one(make: Callable[[], ConceptMap], options: dict[str, str]) -> MapLayout:
    return _lay_out([_Request(make(), options)])[0]


def _structure_digest(course: Course) -> str:
    """The digest of everything the maps' graphs are made from: the course's structure (stages/structure.py), the
    label sizes and the number of later lessons a lesson's map shows."""
    from ..elk import ELK_VERSION

    return content_key("map-graphs", structure_digest(course), ELK_VERSION, _sizing(), LATER_LESSONS)


def _lay_out(requests: list[_Request]) -> list[MapLayout]:
    from ..elk import layout_graphs

    return [_layout_of(r.graph, laid) for r, laid in zip(requests, layout_graphs([r.elk for r in requests]))]


def _layout_of(graph: ConceptMap, laid: dict[str, Any]) -> MapLayout:
    """ELK's answer as a MapLayout: coordinates rounded to a tenth of a pixel (stable text, byte-identical SVG)."""
    boxes = tuple(Box(c["id"], _r(c["x"]), _r(c["y"]), _r(c["width"]), _r(c["height"])) for c in laid["children"])
    by_id = {e["id"]: e for e in laid.get("edges", [])}
    routes = []
    for i, edge in enumerate(graph.edges):
        points: list[tuple[float, float]] = []
        for section in by_id[f"e{i}"].get("sections", []):
            for p in [section["startPoint"], *section.get("bendPoints", []), section["endPoint"]]:
                point = (_r(p["x"]), _r(p["y"]))
                if not points or points[-1] != point:
                    points.append(point)
        routes.append(Route(edge.source, edge.target, tuple(points)))
    return MapLayout(_r(laid["width"]), _r(laid["height"]), boxes, tuple(routes))


def _r(value: float) -> float:
    return round(float(value), 1) + 0.0  # + 0.0: never -0.0

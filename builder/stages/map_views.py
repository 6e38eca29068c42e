"""A laid-out map as the theme draws it (theming.map_models): nodes with their links, label lines and depth meters,
edges grouped with their lesson, and the same graph as lists for the text alternative. No markup here."""

from __future__ import annotations

from collections.abc import Mapping

from ..model.course import Course
from ..model.maps import Box, LaidOutMap, MapNode, NodeKind, Role
from ..theming.map_models import ConceptRef, EdgeView, LabelLine, LessonEntry, LessonGroup, MapView, MeterDot, NodeView
from ..theming.map_text import FONT_SIZE, LINE_HEIGHT, METER, PAD_X, PAD_Y, node_lines
from ..theming.models import Depth

_BASELINE = 12
"""From the top of a label line to its baseline, at FONT_SIZE."""


def map_view(laid: LaidOutMap, course: Course, depths: Mapping[str, Depth], root: str) -> MapView:
    """The drawable map; links relative to the page (`root`: the relative prefix to the site root)."""
    graph, layout = laid.graph, laid.layout
    boxes = {box.id: box for box in layout.boxes}
    nodes = {node.id: node for node in graph.nodes}
    for_module = graph.id.startswith("module-")
    module = next((n for n in graph.nodes if n.kind is NodeKind.LESSON and n.current), None)
    views = {node.id: _node(node, boxes[node.id], course, depths, root, for_module,
                            module.key if module else "") for node in graph.nodes}
    touching: dict[str, list[EdgeView]] = {node.id: [] for node in graph.nodes if node.kind is NodeKind.LESSON}
    for edge, route in zip(graph.edges, layout.routes):
        needs = nodes[edge.target].kind is NodeKind.LESSON
        touching[edge.target if needs else edge.source].append(EdgeView(route.points, needs))
    groups = tuple(LessonGroup(views[nid], tuple(edges)) for nid, edges in touching.items())
    concepts = tuple(views[n.id] for n in graph.nodes if n.kind is NodeKind.CONCEPT)

    def ref(node_id: str, depth: str) -> ConceptRef:
        node = nodes[node_id]
        return ConceptRef(node.label, f"{root}concepts/index.html#{node.key}", depths.get(depth))

    entries = []
    for node in graph.nodes:
        if node.kind is NodeKind.LESSON:
            lesson = course.lesson(node.key)
            entries.append(LessonEntry(node.label, views[node.id].href, node.position, lesson.module if lesson else "",
                                       node.current,
                                       tuple(ref(e.source, e.depth) for e in graph.edges if e.target == node.id),
                                       tuple(ref(e.target, e.depth) for e in graph.edges if e.source == node.id)))
    return MapView(graph.id, layout.width, layout.height, FONT_SIZE, groups, concepts, tuple(entries), len(groups),
                   len({n.key for n in graph.nodes if n.kind is NodeKind.CONCEPT}), graph.left_out,
                   any(v.known for v in concepts))


def _node(node: MapNode, box: Box, course: Course, depths: Mapping[str, Depth], root: str, for_module: bool,
          current: str) -> NodeView:
    lesson = node.kind is NodeKind.LESSON
    left = box.x + PAD_X + (0 if lesson else METER)
    lines = tuple(LabelLine(left, box.y + PAD_Y + i * LINE_HEIGHT + _BASELINE, text)
                  for i, text in enumerate(node_lines(node)))
    if lesson:
        other = course.lesson(node.key)
        where = f"Lesson {node.position}" if node.position else f"Module {other.module if other else ''}"
        return NodeView("lesson", box.x, box.y, box.width, box.height, f"{root}{node.key}/index.html",
                        f"{where}: {node.label}{' (this lesson)' if node.current else ''}", lines, None, (), False,
                        node.current)
    depth = depths.get(node.depth)
    known = node.role is Role.KNOWN
    said = depth.name.lower() if depth else ""
    if for_module:
        name = f"{node.label}, {said} by the end of the module" + (" (taught before it)" if known else "")
    else:
        name = f"{node.label}, needed at {said} depth" if known else f"{node.label}, taught to {said} depth"
    return NodeView("concept", box.x, box.y, box.width, box.height, f"{root}concepts/index.html#{node.key}", name, lines,
                    depth, _meter(box, depth), known, False)


def _meter(box: Box, depth: Depth | None) -> tuple[MeterDot, ...]:
    """The depth as a column of dots at the node's left, filled from the bottom up to the depth's level."""
    if depth is None:
        return ()
    step = min(6.0, (box.height - 8) / max(depth.of - 1, 1))
    x = round(box.x + PAD_X + 1.5, 1)
    top = box.y + box.height / 2 - step * (depth.of - 1) / 2
    return tuple(MeterDot(x, round(top + step * (depth.of - 1 - k), 1), k < depth.level) for k in range(depth.of))

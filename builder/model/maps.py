"""Prerequisite maps as values: which lessons and concepts a map shows and how they connect (made from the
frontmatter by stages.map_graph), and where the layout engine put them (stages.maps).

A map links a concept to a lesson that needs it and a lesson to a concept it teaches, nothing else: the frontmatter
pairs no prerequisite with a particular taught concept, so a map never draws one concept leading to another.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from .diagnostics import Diagnostic


class NodeKind(Enum):
    """What a node of a map stands for."""

    LESSON = "lesson"
    CONCEPT = "concept"


class Role(Enum):
    """Why a concept is on a map."""

    TAUGHT = "taught"
    """The module (or, on a lesson's map, the lesson) teaches it."""
    KNOWN = "known"
    """Only needed: it was taught before this module (or this lesson)."""


@dataclass(frozen=True)
class MapNode:
    """A lesson or a concept on a map."""

    id: str
    """Unique in its map: "lesson:<slug>", "concept:<id>" (a lesson's map may show a concept twice, as "need:<id>"
    and "teach:<id>")."""
    kind: NodeKind
    key: str
    """The lesson's slug or the concept's id."""
    label: str
    """The lesson's title or the concept's name."""
    depth: str
    """A concept's depth: the deepest the module reaches (module map), the depth needed or taught (lesson map); ""
    for a lesson."""
    role: Role
    position: int
    """A lesson's number in its module (1-based); 0 for a concept."""
    current: bool = False
    """The lesson whose page shows this map."""


@dataclass(frozen=True)
class MapEdge:
    """Concept -> the lesson that needs it, or lesson -> the concept it teaches."""

    source: str
    target: str
    depth: str = ""
    """The depth the lesson needs or teaches the concept at ("" for the lesson order)."""


@dataclass(frozen=True)
class ConceptMap:
    """A map before layout: its nodes in the order they are first met, its edges in frontmatter order."""

    id: str
    """"module-<id>" or "lesson-<slug>" (element ids on the page derive from it)."""
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    order: tuple[MapEdge, ...]
    """Lesson -> next lesson pairs that keep the lessons in module order in the layout (never drawn)."""
    left_out: int = 0
    """Later lessons that need what a lesson teaches but are not shown (a lesson's map keeps the nearest few)."""


@dataclass(frozen=True)
class Box:
    """Where the layout put a node: its top-left corner and size, in SVG user units (CSS pixels)."""

    id: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Route:
    """The polyline of an edge: start, bends, end (the end touches the target node)."""

    source: str
    target: str
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class MapLayout:
    """The layout engine's answer for one map (what the cache keeps)."""

    width: float
    height: float
    boxes: tuple[Box, ...]
    routes: tuple[Route, ...]


@dataclass(frozen=True)
class LaidOutMap:
    """A map and its layout, each made or read when first asked for: a page carried over from the last build needs
    the key only."""

    key: str
    """The layout's cache key: the graph, the engine's options and version, the label sizing (the layout follows
    from them, so a page showing the map depends on this key alone)."""
    read: Callable[[], MapLayout] = field(compare=False, repr=False)
    make: Callable[[], ConceptMap] = field(compare=False, repr=False)

    @property
    def graph(self) -> ConceptMap:
        """Which lessons and concepts the map shows and how they connect."""
        return self.make()

    @property
    def layout(self) -> MapLayout:
        """Where the engine put each node and edge."""
        return self.read()


@dataclass(frozen=True)
class MapKeys:
    """Each map's layout key, kept under the digest of what the maps' graphs are made from: a build whose lessons'
    structure (prerequisites, gaps, teaches, titles, order) and concept names are as they were reuses the keys
    without making the graphs."""

    modules: Mapping[str, str]
    lessons: Mapping[str, str]


@dataclass(frozen=True)
class MapTable:
    """Every map of the site: one per module, one per lesson."""

    modules: Mapping[str, LaidOutMap]
    lessons: Mapping[str, LaidOutMap]
    laid_out: int
    """Maps the layout engine computed in this build."""
    cached: int
    """Maps taken from the cache."""
    diagnostics: tuple[Diagnostic, ...] = ()
    """A CB503 finding when the layout engine could not be had (then there are no maps)."""

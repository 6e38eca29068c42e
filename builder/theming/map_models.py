"""What the map partial (theme/partials/concept_map.html) receives: a laid-out map as drawable data.

Coordinates are SVG user units (CSS pixels at 100 %); the partial turns them into markup. Every edge touches exactly
one lesson, so edges are grouped with their lesson: the theme can then highlight a lesson's edges with CSS alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Depth


@dataclass(frozen=True)
class LabelLine:
    """One line of a node's label: where its baseline starts."""

    x: float
    y: float
    text: str


@dataclass(frozen=True)
class MeterDot:
    """One dot of a concept node's depth meter (filled up to the concept's depth)."""

    x: float
    y: float
    filled: bool


@dataclass(frozen=True)
class NodeView:
    """A lesson or a concept, placed, with its link."""

    kind: str
    """"lesson" or "concept"."""
    x: float
    y: float
    width: float
    height: float
    href: str
    """Relative to the page: the lesson's page, or the concept's glossary entry."""
    name: str
    """What the link says to assistive technology and in the tooltip."""
    lines: tuple[LabelLine, ...]
    depth: Depth | None
    """A concept's depth (None for a lesson)."""
    meter: tuple[MeterDot, ...]
    known: bool
    """A concept only needed here, taught before (drawn dashed)."""
    current: bool
    """The lesson whose page this is."""


@dataclass(frozen=True)
class EdgeView:
    """An edge's polyline, ending at its target."""

    points: tuple[tuple[float, float], ...]
    needs: bool
    """Concept -> lesson (True) or lesson -> concept (False)."""


@dataclass(frozen=True)
class LessonGroup:
    """A lesson and every edge that touches it."""

    lesson: NodeView
    edges: tuple[EdgeView, ...]


@dataclass(frozen=True)
class ConceptRef:
    """A concept in the text alternative."""

    name: str
    href: str
    depth: Depth | None


@dataclass(frozen=True)
class LessonEntry:
    """One lesson in the text alternative: what it needs and what it teaches on this map."""

    title: str
    href: str
    position: int
    """Its number in its module; 0 for a lesson of another module."""
    module: str
    current: bool
    needs: tuple[ConceptRef, ...]
    teaches: tuple[ConceptRef, ...]


@dataclass(frozen=True)
class MapView:
    """A map ready to draw, with its text alternative."""

    id: str
    """Prefix of the element ids of this map."""
    width: float
    height: float
    font_size: int
    groups: tuple[LessonGroup, ...]
    concepts: tuple[NodeView, ...]
    entries: tuple[LessonEntry, ...]
    """The same graph as lists, lesson by lesson."""
    lesson_count: int
    concept_count: int
    left_out: int
    """Later lessons not drawn (a lesson's map)."""
    has_known: bool
    """Some concept is drawn as known from before."""

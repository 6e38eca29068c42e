"""The loaded course: frozen dataclasses, complete when made (frontmatter validated into fields)."""

from __future__ import annotations

import functools

from dataclasses import dataclass
from typing import Any

from .config import SiteConfig
from .diagnostics import Pos


@dataclass(frozen=True)
class Concept:
    """An entry of content/concepts.yaml."""

    id: str
    name: str
    aliases: tuple[str, ...]
    definition: str
    pos: Pos


@dataclass(frozen=True)
class PriorRecord:
    """What an earlier module established (content/prior.yaml)."""

    concept: str
    depth: str
    source: str
    module: str
    pos: Pos


@dataclass(frozen=True)
class Prerequisite:
    """A concept a lesson assumes, the depth it needs, and the lesson that taught it."""

    concept: str
    depth: str
    source: str
    why: str
    pos: Pos
    depth_pos: Pos
    source_pos: Pos


@dataclass(frozen=True)
class Gap:
    """A prerequisite no earlier lesson taught, resolved in this lesson."""

    concept: str
    size: str
    resolution: str
    pos: Pos


@dataclass(frozen=True)
class Teach:
    """A depth this lesson brings a concept to."""

    concept: str
    depth: str
    notes: str
    pos: Pos
    depth_pos: Pos


@dataclass(frozen=True)
class Misconception:
    """A wrong belief the lesson confronts, and where in the body it does."""

    claim: str
    why: str
    counterexample: str
    where: str
    pos: Pos
    where_pos: Pos


@dataclass(frozen=True)
class Example:
    """A planned example (positive or negative)."""

    name: str
    kind: str
    purpose: str
    pos: Pos


@dataclass(frozen=True)
class Lesson:
    """One lesson file, its frontmatter validated, its body parsed."""

    path: str
    """Path relative to the project, forward slashes."""
    module: str
    slug: str
    position: int
    title: str
    """The frontmatter title (the slug when it is missing or invalid, which is a finding)."""
    type: str
    """STRETCH, BUILD or CONSOLIDATE; "" when missing or invalid (a finding)."""
    summary: str
    objective: str
    prerequisites: tuple[Prerequisite, ...]
    gaps: tuple[Gap, ...]
    teaches: tuple[Teach, ...]
    misconceptions: tuple[Misconception, ...]
    examples: tuple[Example, ...]
    modalities: tuple[str, ...]
    positions: dict[str, Pos]
    """Position of each frontmatter key's value (for findings about a whole key), and "title" at least."""
    source: str
    """The whole file text (LF line endings, no BOM); empty once the lesson is compiled (rendering is done)."""
    tokens: tuple[Any, ...]
    """markdown-it tokens of the whole file (front matter token first); maps are true file lines (0-based); empty
    once the lesson is compiled."""
    anchors: frozenset[str]
    """Ids the body defines: heading slugs and directive `:name:`s."""

    def pos(self, key: str) -> Pos:
        """Where a frontmatter key's value is (or the title, or line 1)."""
        return self.positions.get(key) or self.positions.get("title") or Pos(1)


@dataclass(frozen=True)
class Module:
    """A module page and its lessons in order."""

    id: str
    path: str
    title: str
    goal: str
    misconceptions: tuple[Misconception, ...]
    source: str
    tokens: tuple[Any, ...]
    lessons: tuple[Lesson, ...]
    anchors: frozenset[str] = frozenset()
    """Ids the module page's body defines (headings, callout names): a misconception's `where` may name one."""


@dataclass(frozen=True)
class Course:
    """Everything loaded: configuration, concept registry, prior knowledge, modules with lessons."""

    config: SiteConfig
    concepts: dict[str, Concept]
    prior: tuple[PriorRecord, ...]
    modules: tuple[Module, ...]

    @functools.cached_property
    def lessons(self) -> tuple[Lesson, ...]:
        """All lessons in ledger order."""
        return tuple(lesson for module in self.modules for lesson in module.lessons)

    @functools.cached_property
    def _by_slug(self) -> dict[str, Lesson]:
        return {lesson.slug: lesson for lesson in self.lessons}

    def lesson(self, slug: str) -> Lesson | None:
        """The lesson with this slug, if any."""
        return self._by_slug.get(slug)

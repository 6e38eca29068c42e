"""A module's plan, as the lessons' frontmatter (and their checks and quizzes) make it: the lesson sequence, the
concept distribution, the cognitive-load trajectory, the module's misconceptions and the assessment coverage.

`course plan` prints it (Markdown, CSV, JSON: docs/plan.md documents the JSON) and the module page shows it: one
value, made by stages/plan.py, so the two never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Change(Enum):
    """What a lesson did to a concept's depth."""

    NEW = "new"
    """Brought into the ledger above the lowest depth: counts toward the lesson's load."""
    MENTIONED = "mentioned"
    """Brought into the ledger at the lowest depth: recorded, not load."""
    RAISED = "raised"
    """Taken deeper than it was (a reinforcement, not load)."""
    REINFORCED = "reinforced"
    """Taught again at the depth it had."""


@dataclass(frozen=True)
class PlanLesson:
    """One row of the lesson sequence and of the load trajectory."""

    position: int
    slug: str
    title: str
    type: str
    new: tuple[str, ...]
    """The concepts that are its load (new at INTRODUCED or deeper), in `teaches` order."""
    first_mentions: tuple[str, ...]
    cap: int | None
    """The most new concepts its type allows (site.yaml `max_new_concepts`), if any."""
    draft: bool


@dataclass(frozen=True)
class PlanConcept:
    """One row of the concept distribution: a concept a lesson taught, and what that did to its depth."""

    concept: str
    name: str
    lesson: str
    """The lesson's slug."""
    position: int
    change: Change
    old: str | None
    """Its depth before the lesson (None when new to the ledger)."""
    depth: str
    """Its depth after."""

    @property
    def label(self) -> str:
        """The distribution's wording: New (DEVELOPED), Mentioned, Reinforced: INTRODUCED -> DEVELOPED ..."""
        if self.change is Change.NEW:
            return f"New ({self.depth})"
        if self.change is Change.MENTIONED:
            return "Mentioned (not load)"
        if self.change is Change.RAISED:
            return f"Reinforced: {self.old} -> {self.depth}"
        return f"Reinforced ({self.depth})"


@dataclass(frozen=True)
class PlanMisconception:
    """A module-level misconception and where the module addresses it."""

    claim: str
    where: str
    lesson: str
    """The slug of the lesson that addresses it, or "" when `where` is an id on the module page."""
    position: int
    """That lesson's position (0 for the module page)."""


@dataclass(frozen=True)
class Coverage:
    """How a lesson's checks and quizzes cover its misconceptions and its deepest concepts."""

    lesson: str
    position: int
    checks: int
    quizzes: int
    misconceptions: tuple[str, ...]
    """The `where` ids of the lesson's misconceptions."""
    probed: tuple[str, ...]
    """Those a check or quiz choice probes."""
    deepest: tuple[str, ...]
    """The concepts the lesson teaches to the deepest depth."""
    assessed: tuple[str, ...]
    """Those a check or quiz assesses."""


@dataclass(frozen=True)
class ModulePlan:
    """Everything `course plan MODULE` prints."""

    module: str
    title: str
    depths: tuple[str, ...]
    lessons: tuple[PlanLesson, ...]
    concepts: tuple[PlanConcept, ...]
    misconceptions: tuple[PlanMisconception, ...]
    coverage: tuple[Coverage, ...]

    @property
    def pattern(self) -> str:
        """The lesson types' initials in order, e.g. S-B-B-S-B-S-C."""
        return "-".join(lesson.type[:1] for lesson in self.lessons)

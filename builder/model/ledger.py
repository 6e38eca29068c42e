"""The concept-depth ledger as a value: what a student knows before and after each lesson (made by check.ledger)."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from .diagnostics import Diagnostic


@dataclass(frozen=True)
class Entry:
    """A concept's state in the ledger: its depth and the lesson (or prior record) that set it."""

    depth: str
    source: str
    module: str = ""


@dataclass(frozen=True)
class DepthChange:
    """A depth a lesson raised (old None = the concept is new to the course here)."""

    concept: str
    old: str | None
    new: str


@dataclass(frozen=True)
class LessonLedger:
    """The ledger around one lesson: what the student knows entering it, and what it changed."""

    slug: str
    before: Mapping[str, Entry]
    after: Mapping[str, Entry]
    changes: tuple[DepthChange, ...]
    """Raised depths, in the order the lesson's `teaches` lists them."""
    reinforced: tuple[str, ...]
    """Concepts taught again at the depth they already had."""
    new_concepts: tuple[str, ...]
    """The lesson's load: concepts the ledger had never seen, brought in above the scale's lowest depth (INTRODUCED
    or deeper). These count toward the lesson type's limit."""
    first_mentions: tuple[str, ...] = ()
    """Concepts the ledger had never seen, brought in at the lowest depth (MENTIONED): recorded, not load; raising
    one later is a reinforcement, not new."""


@dataclass(frozen=True)
class Ledger:
    """The whole walk: prior knowledge, one LessonLedger per lesson in order, and the rules it found broken."""

    prior: Mapping[str, Entry]
    lessons: tuple[LessonLedger, ...]
    diagnostics: tuple[Diagnostic, ...]

    def at(self, slug: str) -> LessonLedger | None:
        """The ledger around a lesson."""
        return self._by_slug.get(slug)

    @functools.cached_property
    def _by_slug(self) -> dict[str, LessonLedger]:
        return {step.slug: step for step in self.lessons}

    @property
    def final(self) -> Mapping[str, Entry]:
        """What the student knows after the last lesson."""
        return self.lessons[-1].after if self.lessons else self.prior

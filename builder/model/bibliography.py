"""The course's bibliography: content/references.bib's entries, each with the words a citation shows and its
reference formatted for a lesson's list of references (one style for the whole course)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Work:
    """One entry of the bibliography."""

    key: str
    authors: str
    """As a citation names them: "LeCun", "Glorot & Bengio", "He et al."."""
    year: str
    html: str
    """The full reference, formatted (pybtex's plain style, as HTML)."""
    line: int
    """Where the entry starts in content/references.bib."""


@dataclass(frozen=True)
class Bibliography:
    """Every work the lessons may cite, by key."""

    works: Mapping[str, Work] = field(default_factory=dict)
    path: str = "content/references.bib"

"""Computed figures as the page stage sees them (made by compute_figures from the course's figure code)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .diagnostics import Diagnostic


@dataclass(frozen=True)
class OptionProblem:
    """A problem with a figure directive's id or options (option None: the figure id itself)."""

    option: str | None
    message: str
    hint: str


@dataclass(frozen=True)
class ComputedFigure:
    """A computed figure, ready for a page: Plotly JSON, a text alternative and the data files it needs."""

    figure_id: str
    kind: str
    """"plot" (theme/partials/figure.html) or "explorer" (theme/partials/explorer.html)."""
    spec: Any
    """{"data": [...], "layout": {...}}: plain JSON values, floats rounded, NaN as null."""
    summary: str
    """1-3 sentences with real numbers from the data (the figure's text alternative)."""
    assets: Mapping[str, str]
    """File name under assets/figures/ -> its text (an explorer's precomputed data)."""


@dataclass(frozen=True)
class FigureTable:
    """compute_figures' output: every figure the pages use, by FigureRef.key."""

    figures: Mapping[str, ComputedFigure]
    computed: int
    """Figures computed this run."""
    cached: int
    """Figures taken from the cache."""
    diagnostics: tuple[Diagnostic, ...]

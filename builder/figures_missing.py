"""The answer figure validation gives when builder.figures cannot be imported (a broken installation)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class _Problem:
    option: str | None
    message: str
    hint: str


def unavailable(figure_id: str, exc: Exception) -> tuple[None, list[_Problem]]:
    """One finding saying figures cannot be computed here, and why."""
    return None, [_Problem(None, f"figure `{figure_id}` cannot be computed: {exc}",
                           "Reinstall course-builder with its dependencies (numpy, plotly).")]

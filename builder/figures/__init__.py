"""Figures a course computes: the public API for content/figures/*.py, and the runtime that loads and runs them.

    from builder.figures import figure, explorer, Option

See docs/figures.md. `builder.dynamics`, the numpy model of training dynamics, is a library figure code may use.
"""

from ..model.figures import Option
from .api import explorer, figure

__all__ = ["Option", "explorer", "figure"]

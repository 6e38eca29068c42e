"""Figure registry: figure id -> options + build(params) -> ComputedFigure (Plotly graph_objects JSON).

The page code calls validate() (course check), compute() (course build), figure_ids() and
source_hash() (the build cache key). Every figure is computed from the numpy model in builder.dynamics.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from . import explorers, lesson4, lesson5, lesson6, lesson7  # noqa: F401  (registration)
from .registry import REGISTRY, ComputedFigure, FigureSpec, Option, OptionError, compute, figure_ids, reference_markdown, validate

__all__ = ["ComputedFigure", "FigureSpec", "Option", "OptionError", "REGISTRY", "compute", "figure_ids",
           "reference_markdown", "source_hash", "validate"]

_PACKAGES = (Path(__file__).resolve().parent.parent / "dynamics", Path(__file__).resolve().parent)


def source_hash() -> str:
    """sha256 over the source of builder/dynamics and builder/figures (and numpy/plotly versions)."""
    h = hashlib.sha256()
    for pkg in _PACKAGES:
        for path in sorted(pkg.rglob("*.py")):
            h.update(f"{pkg.name}/{path.relative_to(pkg).as_posix()}\0".encode())
            h.update(path.read_bytes())
            h.update(b"\0")
    for dist in ("numpy", "plotly"):
        try:
            h.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:  # pragma: no cover
            h.update(f"{dist}=?\0".encode())
    return h.hexdigest()

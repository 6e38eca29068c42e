"""The look every figure of this course shares: colours, labels, layout, and numbers written for prose.

Rounding for the page (4 significant digits, NaN as a gap) is the builder's, set by `digits=4` on each declaration.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np

# Okabe-Ito colours, readable on light and dark backgrounds.
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE, GREY = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#8C8C8C")
OPTIMIZER_COLOURS = {"sgd": VERMILLION, "momentum": SKY, "rmsprop": PURPLE, "adam": GREEN}
INIT_COLOURS = {"naive_uniform": VERMILLION, "naive_normal": ORANGE, "xavier": SKY, "he": GREEN}
GRID = "rgba(128,128,128,0.25)"

OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "Momentum", "rmsprop": "RMSProp", "adam": "Adam"}
INIT_LABELS = {"naive_uniform": "naive U[0, 1]", "naive_normal": "naive N(0, 1)",
               "xavier": "LeCun/Xavier (Var 1/n)", "he": "He (Var 2/n)"}
INIT_NAMES = {"naive_uniform": "naive U[0, 1]", "naive_normal": "naive N(0, 1)", "xavier": "Xavier", "he": "He"}
ACTIVATION_LABELS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU"}

#: gradient-bar axis limits (log10): values outside are drawn at the edge, hatched
GRAD_AXIS = (-12.0, 12.0)
#: within this many decades of the healthy reference a bar is green; at HEALTH_RED decades, red
HEALTH_GREEN, HEALTH_RED = 1.0, 3.0


def sig(x: float, digits: int = 4) -> float | int | None:
    """x rounded to `digits` significant digits; None for NaN/inf (JSON null, a gap in Plotly)."""
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    if not math.isfinite(x):
        return None
    if x == 0.0:
        return 0.0
    return float(f"{x:.{digits - 1}e}")


def r4(values: Any) -> list:
    """An array (any shape) as nested lists of 4-significant-digit floats (None for non-finite)."""
    arr = np.asarray(values, dtype=float)
    if arr.ndim == 0:
        return sig(float(arr))  # type: ignore[return-value]
    return [r4(v) for v in arr] if arr.ndim > 1 else [sig(v) for v in arr.tolist()]


def base_layout(**overrides: Any) -> dict:
    """Layout shared by all figures: transparent background (figures.js sets font colours per theme)."""
    layout = {
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 64, "r": 16, "t": 40, "b": 52},
        "legend": {"bgcolor": "rgba(0,0,0,0)", "orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "hovermode": "closest",
        "xaxis": {"gridcolor": GRID, "zerolinecolor": GRID},
        "yaxis": {"gridcolor": GRID, "zerolinecolor": GRID},
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout


def health_level(g: float, ref: float) -> float:
    """How unhealthy a gradient is: 0 within 1 decade of the healthy reference, 1 at 3+ decades away (or 0)."""
    if not math.isfinite(g) or g <= 0.0:
        return 1.0
    d = abs(math.log10(g / ref))
    return min(max((d - HEALTH_GREEN) / (HEALTH_RED - HEALTH_GREEN), 0.0), 1.0)


def level_colour(t: float) -> str:
    """The colour of a health level: green (0) through yellow to red (1)."""
    return f"hsl({round(130 * (1 - t))},{round(60 + 10 * t)}%,{round(42 + 8 * t)}%)"


def health_colour(g: float, ref: float) -> str:
    """Bar colour from green (within 1 decade of the healthy reference) to red (3+ decades away, or 0)."""
    return level_colour(health_level(g, ref))


HEALTH_SCALE = [[k / 20, level_colour(k / 20)] for k in range(21)]
"""The health colours as a Plotly colorscale (bars coloured by their health_level)."""


@lru_cache(maxsize=1)
def healthy_reference() -> float:
    """Typical healthy |dL/dW|: geometric mean of the median layer gradients of four healthy 10-layer nets."""
    from builder.dynamics import gradient_profile

    healthy = [("relu", "he", False), ("tanh", "xavier", False), ("relu", "he", True), ("sigmoid", "xavier", True)]
    medians = [float(np.median(gradient_profile(10, a, i, bn))) for a, i, bn in healthy]
    return float(sig(math.exp(sum(math.log(m) for m in medians) / len(medians))))


def fmt(x: float, digits: int = 2) -> str:
    """A number for prose: 0.693, 4.6e-07, 1.2e+30 (digits significant digits)."""
    if x is None or not math.isfinite(x):
        return "NaN"
    if x == 0:
        return "0"
    if 1e-3 <= abs(x) < 1e4:
        return f"{x:.{digits}g}" if abs(x) >= 1 else f"{x:.{digits}g}"
    mant, exp = f"{x:.{digits - 1}e}".split("e")
    return f"{mant}e{int(exp)}"

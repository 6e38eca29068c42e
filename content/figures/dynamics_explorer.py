"""The training-dynamics explorer: gradient magnitude per layer at initialization and the training loss curve, for
every depth (2-20), activation, initialization and batch norm setting (456 networks, the training-dynamics lesson).

The builder computes the combinations of one depth in one process (it splits an explorer's work by its first
option), so the networks of one (depth, activation, batch norm) are trained once, as one stack of four
initializations, and shared by the combinations that show them.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go

from builder.dynamics import gradient_profile, train_stack
from builder.dynamics.init import INITS
from builder.figures import Option, explorer

from .gradients import LN2
from .style import (ACTIVATION_LABELS, GRAD_AXIS, GREY, HEALTH_GREEN, HEALTH_SCALE, INIT_LABELS, INIT_NAMES, SKY,
                    base_layout, fmt, health_level, healthy_reference, r4)

ACTIVATIONS = ("sigmoid", "relu", "tanh")
WIDTH, STEPS = 32, 150
"""The explorer's training runs: width-32 layers, 150 steps of plain SGD on the two-spirals task."""
STRIDE = 2
"""Every second step of each loss curve is kept."""
LOSS_AXIS = (-3.0, 1.0)
"""log10 range of the loss panel."""


@lru_cache(maxsize=None)
def runs(depth: int, activation: str, batchnorm: bool) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """init -> (|dL/dW| per layer at initialization, loss per training step) for one depth, activation and setting."""
    losses = train_stack(depth, activation, list(INITS), batchnorm, width=WIDTH, steps=STEPS)
    return {init: (gradient_profile(depth, activation, init, batchnorm), losses[k]) for k, init in enumerate(INITS)}


@explorer("training-dynamics-explorer", title="Training dynamics explorer", digits=4, options=[
    Option("depth", "int", 10, "number of hidden layers", min=2, max=20, label="Layers"),
    Option("activation", "choice", "sigmoid", "hidden-layer activation",
           choices=tuple((a, ACTIVATION_LABELS[a]) for a in ACTIVATIONS), label="Activation"),
    Option("init", "choice", "xavier", "weight initialization", choices=tuple((i, INIT_LABELS[i]) for i in INITS),
           label="Initialization"),
    Option("batchnorm", "bool", False, "a batch norm layer before each nonlinearity", label="Batch normalization"),
])
def training_dynamics_explorer(depth: int, activation: str, init: str, batchnorm: bool) -> tuple[go.Figure, str]:
    """Gradient bars (top) and the training curve (bottom) of one configuration, and what they show in words."""
    g, losses = runs(depth, activation, batchnorm)[init]
    ref = healthy_reference()
    curve = losses[::STRIDE]
    # Traces as plain dicts and no validation: checking 456 figures' properties took more time than drawing them
    # (tests/test_course_figures.py checks what this makes against the data file and the charts in a browser).
    fig = go.Figure(_gradient_traces(g, ref) + _loss_traces(curve), _layout(depth, _nan_step(losses)), _validate=False)
    return fig, _status(depth, activation, init, batchnorm, g, ref, losses, curve)


def _gradient_traces(g: np.ndarray, ref: float) -> list:
    """The healthy band and one bar per layer, coloured by distance from the healthy reference; bars beyond the
    axis are drawn at its edge, hatched."""
    lo, hi = GRAD_AXIS
    logs = [math.log10(v) if v > 0 and math.isfinite(v) else -math.inf for v in g]
    clipped = [lv < lo or lv > hi for lv in logs]
    depth = len(g)
    band = dict(type="scatter", x=[0.5, depth + 0.5, depth + 0.5, 0.5, 0.5],
                y=[ref / 10, ref / 10, ref * 10, ref * 10, ref / 10], fill="toself", mode="lines", line={"width": 0},
                fillcolor="rgba(0,158,115,0.12)", name="healthy range", hoverinfo="skip")
    # Colours as numbers on the health scale (green 0 to red 1): the data file stays small, the colours exact to 1%.
    # (keys in plotly's order, so the data file is what validated traces gave, byte for byte)
    marker = {"cmax": 1, "cmin": 0, "color": [round(health_level(v, ref), 2) for v in g], "colorscale": HEALTH_SCALE}
    bars = {"x": list(range(1, depth + 1)), "y": r4([10 ** min(max(lv, lo), hi) for lv in logs]), "marker": marker,
            "hovertemplate": "layer %{x}: |dL/dW| = %{y:.2g}<extra></extra>"}
    if any(clipped):  # drawn at the axis' edge: hatched, and the hover tells the true value
        marker["pattern"] = {"shape": ["/" if c else "" for c in clipped]}
        bars |= {"customdata": r4(g), "hovertemplate": "layer %{x}: |dL/dW| = %{customdata:.2g}<extra></extra>"}
    return [band, dict(type="bar", name="|dL/dW| per layer", **bars)]


def _loss_traces(curve: np.ndarray) -> list:
    steps = list(range(0, STEPS, STRIDE))
    return [dict(type="scatter", x=steps, y=r4(curve), mode="lines", name="training loss",
                 line={"color": SKY, "width": 2.5}, xaxis="x2", yaxis="y2"),
            dict(type="scatter", x=[0, STEPS - 1], y=[LN2, LN2], mode="lines", name="chance (ln 2)", hoverinfo="skip",
                 line={"color": GREY, "dash": "dot", "width": 1.5}, xaxis="x2", yaxis="y2")]


def _layout(depth: int, nan: int | None) -> dict:
    """Bars above, the training curve below; both on log axes over fixed ranges, so redraws compare."""
    layout = base_layout(
        height=640, showlegend=False, bargap=0.15, margin={"l": 64, "r": 12, "t": 12, "b": 48},
        xaxis={"title": {"text": "layer (1 = next to the input)"}, "range": [0.5, depth + 0.5], "dtick": 1 if depth <= 12 else 2},
        yaxis={"title": {"text": "|dL/dW| (log scale)"}, "type": "log", "range": list(GRAD_AXIS), "dtick": 3,
               "exponentformat": "power", "domain": [0.56, 1.0]},
        xaxis2={"title": {"text": "training step"}, "range": [0, STEPS - 1], "anchor": "y2"},
        yaxis2={"title": {"text": "training loss (log scale)"}, "type": "log", "range": list(LOSS_AXIS), "dtick": 1,
                "exponentformat": "power", "domain": [0.0, 0.4], "anchor": "x2"})
    if nan is not None:
        layout["annotations"] = [{"text": f"loss overflowed (NaN) at step {nan}", "xref": "x2 domain", "yref": "y2 domain",
                                  "x": 1, "y": 1, "xanchor": "right", "yanchor": "top", "showarrow": False}]
    return layout


def _nan_step(losses: np.ndarray) -> int | None:
    """First step whose loss is NaN (the run overflowed), or None."""
    bad = np.flatnonzero(~np.isfinite(losses))
    return int(bad[0]) if bad.size else None


def _status(depth: int, activation: str, init: str, batchnorm: bool, g: np.ndarray, ref: float,
            losses: np.ndarray, curve: np.ndarray) -> str:
    """What the configuration shows, in one sentence a screen reader reads out after each change."""
    healthy = sum(1 for v in g if v > 0 and abs(math.log10(v / ref)) <= HEALTH_GREEN)
    nan = _nan_step(losses)
    finite = curve[np.isfinite(curve)]
    outcome = (f"the loss overflowed to NaN at step {nan}" if nan is not None
               else f"the loss went from {fmt(finite[0])} to {fmt(finite[-1])}")
    setting = f"{ACTIVATION_LABELS[activation]}, {INIT_NAMES[init]}{', batch norm' if batchnorm else ''}"
    return (f"{depth} layers, {setting}: gradient {fmt(g[0])} at layer 1, {fmt(g[-1])} at layer {depth}; "
            f"{healthy} of {depth} layers healthy. After {STEPS} steps of training, {outcome}.")

"""SGD, momentum, RMSProp and Adam on a bowl, a ravine and a saddle: a figure, and an explorer of learning rates
(the optimizers lesson)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from builder.dynamics.optimizers import OPTIMIZERS
from builder.dynamics.surfaces import SURFACES, get_surface, surface_grid, surface_path

from builder.figures import Option, explorer, figure

from .sgd import contour_trace
from .style import GREY, OPTIMIZER_COLOURS, OPTIMIZER_LABELS, base_layout, fmt, r4

#: learning rate of optimizer-paths when the lr option is left out: each surface's story
SURFACE_LR = {"bowl": 0.1, "ravine": 0.2, "saddle": 0.03}
STEPS = 100


def contour_z(surface: str, n: int = 60) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Grid of log(1 + f - min f): evenly spaced contour lines near and far from the minimum."""
    xs, ys, z = surface_grid(surface, n)
    return xs, ys, np.log1p(z - z.min())


def path_trace(path: np.ndarray, optimizer: str, width: float = 2.5) -> go.Scatter:
    """One optimizer's path as a line with small markers."""
    return go.Scatter(x=r4(path[:, 0]), y=r4(path[:, 1]), mode="lines+markers", name=OPTIMIZER_LABELS[optimizer],
                      line={"color": OPTIMIZER_COLOURS[optimizer], "width": width}, marker={"size": 3})


def surface_layout(surface: str) -> dict:
    """Axes fixed to the surface's window (paths that leave it have diverged)."""
    s = get_surface(surface)
    return base_layout(xaxis={"title": {"text": "x"}, "range": list(s.x_range)},
                       yaxis={"title": {"text": "y"}, "range": list(s.y_range)})


def marker_traces(surface: str) -> list[go.Scatter]:
    """Start point and minimum markers."""
    s = get_surface(surface)
    return [go.Scatter(x=[s.start[0]], y=[s.start[1]], mode="markers", name="start",
                       marker={"symbol": "circle-open", "size": 12, "color": GREY, "line": {"width": 2}}),
            go.Scatter(x=[s.minimum[0]], y=[s.minimum[1]], mode="markers", name="minimum",
                       marker={"symbol": "x", "size": 11, "color": GREY})]


def describe_end(surface: str, path: np.ndarray, steps: int) -> str:
    """'reaches f = 0.0003 at (0.02, -0.01)' or 'diverges after 6 steps'."""
    s = get_surface(surface)
    if len(path) < steps + 1:
        return f"diverges after {len(path) - 1} steps"
    x, y = (0.0 if abs(v) < 0.005 else float(v) for v in path[-1])
    return f"ends at ({x:.2f}, {y:.2f}) with f = {fmt(float(s.f(*path[-1])), 2)}"


@figure("optimizer-paths", title="SGD, momentum, RMSProp and Adam on one surface", digits=4, options=[
    Option("surface", "choice", "ravine", "loss surface", choices=tuple(SURFACES)),
    Option("lr", "float", None, "learning rate for all four (default: 0.1 bowl, 0.2 ravine, 0.03 saddle)",
           min=0.001, max=1.0),
    Option("steps", "int", STEPS, "number of updates", min=10, max=500),
])
def optimizer_paths(surface: str, lr: float | None, steps: int) -> tuple[go.Figure, str]:
    """The four optimizers' trajectories from the same start with the same learning rate."""
    lr = SURFACE_LR[surface] if lr is None else lr
    xs, ys, z = contour_z(surface)
    paths = {o: surface_path(surface, o, lr, steps) for o in OPTIMIZERS}
    traces = [contour_trace(xs, ys, z, "loss")] + [path_trace(path, o) for o, path in paths.items()]
    fig = go.Figure(traces + marker_traces(surface), surface_layout(surface))
    s = get_surface(surface)
    ends = "; ".join(f"{OPTIMIZER_LABELS[o]} {describe_end(surface, path, steps)}" for o, path in paths.items())
    summary = (f"{s.description}. From ({fmt(s.start[0], 2)}, {fmt(s.start[1], 2)}), {steps} steps at learning "
               f"rate {fmt(lr, 3)}: {ends}.")
    return fig, summary


EXPLORER_LRS = ("0.01", "0.03", "0.1", "0.2", "0.3", "0.5")


@explorer("optimizer-explorer", title="Optimizer explorer", digits=4, options=[
    Option("surface", "choice", "ravine", "loss surface", choices=tuple((name, name) for name in SURFACES), label="Surface"),
    Option("optimizer", "choice", "all", "the optimizer whose path is drawn",
           choices=(("all", "all four"), *((o, OPTIMIZER_LABELS[o]) for o in OPTIMIZERS)), label="Optimizer"),
    Option("lr", "choice", "0.2", "learning rate of every optimizer", choices=EXPLORER_LRS, label="Learning rate"),
])
def optimizer_explorer(surface: str, optimizer: str, lr: str) -> tuple[go.Figure, str]:
    """The chosen optimizers' paths on one surface at one learning rate."""
    shown = list(OPTIMIZERS) if optimizer == "all" else [optimizer]
    xs, ys, z = contour_z(surface, 50)
    paths = {o: surface_path(surface, o, float(lr), STEPS) for o in shown}
    fig = go.Figure([contour_trace(xs, ys, z, "loss")] + [path_trace(paths[o], o) for o in shown] + marker_traces(surface),
                    surface_layout(surface) | {"height": 420})
    ends = "; ".join(f"{OPTIMIZER_LABELS[o]} {describe_end(surface, paths[o], STEPS)}" for o in shown)
    return fig, f"{get_surface(surface).description}. Learning rate {lr}, {STEPS} steps: {ends}."

"""Mini-batch SGD on a 2-parameter linear regression: the path of each batch size (the batching lesson)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from builder.dynamics import linear_data
from builder.dynamics.surfaces import linreg_loss, sgd_linreg_path
from builder.figures import Option, figure

from .style import GREEN, PURPLE, SKY, VERMILLION, base_layout, fmt, r4

N_POINTS = 1024
BATCH_SIZES = (1, 8, 64, None)  # None = the full batch
BATCH_COLOURS = {1: VERMILLION, 8: PURPLE, 64: SKY, None: GREEN}
START = (-1.0, -1.0)
W_RANGE, B_RANGE = (-1.5, 3.0), (-1.5, 2.0)


def regression_data() -> tuple[np.ndarray, np.ndarray]:
    """The lesson's regression: 1,024 points, x ~ N(0, 1), y = 2x + 1 + N(0, 0.5^2) noise (fixed seed)."""
    return linear_data(N_POINTS, w=2.0, b=1.0, noise=0.5, rng=np.random.default_rng(0))


def contour_trace(xs: np.ndarray, ys: np.ndarray, z: np.ndarray, label: str) -> go.Contour:
    """Loss contours drawn as lines only, so the page background shows through in both themes."""
    return go.Contour(x=r4(xs), y=r4(ys), z=r4(z), contours={"coloring": "lines", "showlabels": False},
                      colorscale=[[0, "#6b8fd6"], [1, "#d6a06b"]], showscale=False, ncontours=18,
                      line={"width": 1}, name=label, hoverinfo="skip")


@figure("sgd-batch-paths", title="SGD paths on a 2-parameter regression for batch sizes 1, 8, 64 and all 1,024", digits=4,
        options=[Option("lr", "float", 0.1, "learning rate", min=0.001, max=0.45),
                 Option("steps", "int", 60, "number of updates", min=5, max=500)])
def sgd_batch_paths(lr: float, steps: int) -> tuple[go.Figure, str]:
    """Loss contours of y ~ w x + b and the (w, b) path of mini-batch SGD for each batch size."""
    x, y = regression_data()
    ws, bs = np.linspace(*W_RANGE, 70), np.linspace(*B_RANGE, 70)
    W, B = np.meshgrid(ws, bs)
    Z = np.log10(linreg_loss(W, B, x, y))
    opt = np.linalg.lstsq(np.c_[x, np.ones_like(x)], y, rcond=None)[0]
    traces: list = [contour_trace(ws, bs, Z, "loss (log10 of the mean squared error)")]
    finals = {}
    for size in BATCH_SIZES:
        path = sgd_linreg_path(x, y, size, lr, steps, START, np.random.default_rng(0))
        name = f"full batch ({N_POINTS:,})" if size is None else f"batch size {size}"
        finals[name] = float(linreg_loss(path[-1, 0], path[-1, 1], x, y))
        traces.append(go.Scatter(x=r4(path[:, 0]), y=r4(path[:, 1]), mode="lines+markers", name=name,
                                 line={"color": BATCH_COLOURS[size], "width": 2}, marker={"size": 4}))
    traces.append(go.Scatter(x=[START[0]], y=[START[1]], mode="markers", name="start",
                             marker={"symbol": "circle-open", "size": 12, "color": "#8C8C8C", "line": {"width": 2}}))
    traces.append(go.Scatter(x=r4(opt[:1]), y=r4(opt[1:]), mode="markers", name="least-squares minimum",
                             marker={"symbol": "x", "size": 11, "color": "#8C8C8C"}))
    fig = go.Figure(traces, base_layout(
        xaxis={"title": {"text": "weight w"}, "range": list(W_RANGE)},
        yaxis={"title": {"text": "bias b"}, "range": list(B_RANGE), "scaleanchor": "x", "scaleratio": 1}))
    best = float(linreg_loss(opt[0], opt[1], x, y))
    parts = ", ".join(f"{k} {fmt(v, 3)}" for k, v in finals.items())
    summary = (f"SGD from (w, b) = (-1, -1) toward the minimum ({fmt(opt[0], 3)}, {fmt(opt[1], 3)}) of a "
               f"{N_POINTS:,}-point regression (y = 2x + 1 plus noise of sd 0.5), {steps} updates at learning "
               f"rate {fmt(lr, 3)}. Loss on all the data after the "
               f"last update: {parts} (the minimum is {fmt(best, 3)}); the smaller the batch, the more the path "
               f"wanders.")
    return fig, summary

"""The two interactive explorers: precomputed data files plus an initial (static) view.

The data goes into assets/figures/<name>.js as
``window.COURSE_FIGURE_DATA["<figure-id>"] = {...}`` (a script, since fetch of JSON fails over
file://); theme/static/js/explorer.js draws from it.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go

from builder.dynamics.grid import (
    GRID_ACTIVATIONS, GRID_DEPTHS, GRID_INITS, GRID_TRAIN_STEPS, GRID_TRAIN_WIDTH, GridPoint, explorer_grid,
)
from builder.dynamics.optimizers import OPTIMIZERS
from builder.dynamics.surfaces import SURFACES, get_surface, surface_path

from .lesson5 import STEPS, contour_z, describe_end, marker_traces, path_trace, surface_layout
from .lesson4 import contour_trace
from .lesson6 import LN2, gradient_bar_traces, gradient_layout, gradient_summary
from .registry import ComputedFigure, Option, register
from .style import (
    ACTIVATION_LABELS, GRAD_AXIS, GREY, HEALTH_GREEN, HEALTH_RED, INIT_LABELS, OPTIMIZER_COLOURS,
    OPTIMIZER_LABELS, SKY, clean, fmt, healthy_reference, r4,
)

TD_ID, OPT_ID = "training-dynamics-explorer", "optimizer-explorer"
LOSS_AXIS = (-3.0, 1.0)  # log10 range of the explorer's loss plot
LOSS_STRIDE = 2  # the data file keeps every 2nd step of each loss curve (steps 0, 2, 4, ...)
EXPLORER_LRS = (0.01, 0.03, 0.1, 0.2, 0.3, 0.5)


def data_script(figure_id: str, data: dict) -> str:
    """The asset text registering `data` for figure_id on window.COURSE_FIGURE_DATA (deterministic)."""
    body = json.dumps(clean(data), sort_keys=True, separators=(",", ":"), allow_nan=False)
    return ("window.COURSE_FIGURE_DATA = window.COURSE_FIGURE_DATA || {};\n"
            f"window.COURSE_FIGURE_DATA[{json.dumps(figure_id)}] = {body};\n")


def config_key(depth: int, act: str, init: str, bn: bool) -> str:
    """Key of one configuration in the explorer data: '10|sigmoid|xavier|0'."""
    return f"{depth}|{act}|{init}|{int(bn)}"


@lru_cache(maxsize=1)
def training_grid() -> dict:
    """All 456 configurations, computed once per process (2 worker processes)."""
    return explorer_grid()


def nan_step(losses: np.ndarray) -> int | None:
    """First step whose loss is NaN (the run overflowed), or None."""
    bad = np.flatnonzero(~np.isfinite(losses))
    return int(bad[0]) if bad.size else None


def training_data(grid: dict[tuple, GridPoint], ref: float) -> dict:
    """The explorer's data: per config the gradient profile, the loss curve and where it overflowed."""
    configs = {config_key(*k): {"g": r4(p.gradients), "l": r4(p.losses[::LOSS_STRIDE]), "nan": nan_step(p.losses)}
               for k, p in grid.items()}
    return {
        "depths": list(GRID_DEPTHS), "activations": list(GRID_ACTIVATIONS), "inits": list(GRID_INITS),
        "labels": {**{k: v for k, v in ACTIVATION_LABELS.items() if k in GRID_ACTIVATIONS}, **INIT_LABELS},
        "ref": ref, "health": [HEALTH_GREEN, HEALTH_RED], "gradAxis": list(GRAD_AXIS), "lossAxis": list(LOSS_AXIS),
        "steps": GRID_TRAIN_STEPS, "stride": LOSS_STRIDE, "width": GRID_TRAIN_WIDTH, "chance": LN2, "configs": configs,
    }


def td_summary(p: GridPoint, grid: dict[tuple, GridPoint], ref: float) -> str:
    """Text alternative: the initial configuration in numbers, and what batch norm does to it."""
    first = gradient_summary(p.gradients, ref, p.activation, p.init, p.batchnorm)
    other = grid[(p.depth, p.activation, p.init, not p.batchnorm)]
    finite = lambda l: l[np.isfinite(l)]  # noqa: E731
    end, end_other = finite(p.losses), finite(other.losses)
    def said(losses: np.ndarray, full: np.ndarray) -> str:
        """'overflows to NaN at step k' or 'goes from a to b'."""
        if losses.size < full.size:
            return f"overflows to NaN at step {losses.size}"
        return f"goes from {fmt(losses[0], 3)} to {fmt(losses[-1], 3)}"
    return (f"{first} Training it with plain SGD for {GRID_TRAIN_STEPS} steps (width {GRID_TRAIN_WIDTH}), the loss "
            f"{said(end, p.losses)}; {'without' if p.batchnorm else 'with'} batch norm it "
            f"{said(end_other, other.losses)}. The explorer holds all {len(grid)} configurations: depth 2-20, "
            f"sigmoid/ReLU/tanh, four initializations, batch norm on or off.")


def td_initial_view(p: GridPoint, ref: float) -> dict:
    """Static two-panel view of one configuration (gradient bars left, training curve right)."""
    traces = gradient_bar_traces(p.gradients, ref)
    loss = p.losses.copy()
    steps = list(range(len(loss)))
    traces.append(go.Scatter(x=steps, y=r4(loss), mode="lines", name="training loss", line={"color": SKY, "width": 2.5},
                             xaxis="x2", yaxis="y2"))
    traces.append(go.Scatter(x=[0, len(loss) - 1], y=[LN2, LN2], mode="lines", name="chance (ln 2)",
                             line={"color": GREY, "dash": "dot", "width": 1.5}, xaxis="x2", yaxis="y2",
                             hoverinfo="skip"))
    layout = gradient_layout(p.depth)
    layout["xaxis"]["domain"] = [0.0, 0.46]
    layout["xaxis2"] = {**layout["xaxis"], "title": {"text": "training step"}, "domain": [0.56, 1.0], "anchor": "y2",
                        "range": [0, len(loss) - 1], "dtick": None}
    layout["yaxis2"] = {**layout["yaxis"], "title": {"text": "training loss (log scale)"}, "anchor": "x2",
                        "range": list(LOSS_AXIS), "dtick": 1}
    layout["xaxis2"].pop("dtick")
    return clean(go.Figure(traces, layout).to_plotly_json())


@register(TD_ID, "Training dynamics explorer", (
    Option("depth", "int", 10, "initial number of layers", min=2, max=20),
    Option("activation", "choice", "sigmoid", "initial activation", choices=GRID_ACTIVATIONS),
    Option("init", "choice", "xavier", "initial initialization", choices=GRID_INITS),
    Option("batchnorm", "bool", False, "batch norm initially on"),
), kind="explorer")
def training_dynamics_explorer(params: dict) -> ComputedFigure:
    """All 456 configurations precomputed; initial view from the options."""
    grid = training_grid()
    ref = healthy_reference()
    point = grid[(params["depth"], params["activation"], params["init"], params["batchnorm"])]
    spec = td_initial_view(point, ref)
    spec["layout"]["meta"] = {
        "explorer": {"depth": params["depth"], "activation": params["activation"], "init": params["init"],
                     "batchnorm": params["batchnorm"]},
        "controls": {"depth": [GRID_DEPTHS[0], GRID_DEPTHS[-1]],
                     "activations": [[a, ACTIVATION_LABELS[a]] for a in GRID_ACTIVATIONS],
                     "inits": [[i, INIT_LABELS[i]] for i in GRID_INITS]},
    }
    assets = {"explorer-data.js": data_script(TD_ID, training_data(grid, ref))}
    return ComputedFigure(TD_ID, "explorer", spec, td_summary(point, grid, ref), assets)


@lru_cache(maxsize=1)
def optimizer_data() -> dict:
    """Contours and paths for every surface x optimizer x learning rate in EXPLORER_LRS."""
    surfaces = {}
    for name in SURFACES:
        s = get_surface(name)
        xs, ys, z = contour_z(name, 50)
        raw = {o: {repr(lr): surface_path(name, o, lr, STEPS) for lr in EXPLORER_LRS} for o in OPTIMIZERS}
        paths = {o: {lr: r4(path.T) for lr, path in by_lr.items()} for o, by_lr in raw.items()}
        ends = {o: {lr: describe_end(name, path, STEPS) for lr, path in by_lr.items()} for o, by_lr in raw.items()}
        surfaces[name] = {"x": r4(xs), "y": r4(ys), "z": r4(z), "xRange": list(s.x_range), "yRange": list(s.y_range),
                          "start": list(s.start), "min": list(s.minimum), "description": s.description,
                          "paths": paths, "ends": ends}
    return {"surfaces": surfaces, "optimizers": list(OPTIMIZERS), "lrs": [repr(lr) for lr in EXPLORER_LRS],
            "labels": OPTIMIZER_LABELS, "colours": OPTIMIZER_COLOURS, "steps": STEPS}


@register(OPT_ID, "Optimizer explorer", (
    Option("surface", "choice", "ravine", "initial surface", choices=tuple(SURFACES)),
    Option("optimizer", "choice", "all", "initial optimizer", choices=("all", *OPTIMIZERS)),
    Option("lr", "choice", "0.2", "initial learning rate", choices=tuple(repr(lr) for lr in EXPLORER_LRS)),
), kind="explorer")
def optimizer_explorer(params: dict) -> ComputedFigure:
    """Precomputed paths of each optimizer on each surface for several learning rates."""
    surface, chosen, lr = params["surface"], params["optimizer"], float(params["lr"])
    xs, ys, z = contour_z(surface, 50)
    shown = list(OPTIMIZERS) if chosen == "all" else [chosen]
    paths = {o: surface_path(surface, o, lr, STEPS) for o in shown}
    fig = go.Figure([contour_trace(xs, ys, z, "loss")] + [path_trace(paths[o], o) for o in shown]
                    + marker_traces(surface), surface_layout(surface))
    spec = clean(fig.to_plotly_json())
    spec["layout"]["meta"] = {
        "explorer": {**params, "lr_index": [repr(x) for x in EXPLORER_LRS].index(params["lr"])},
        "controls": {"surfaces": [[name, name] for name in SURFACES],
                     "optimizers": [["all", "all four"]] + [[o, OPTIMIZER_LABELS[o]] for o in OPTIMIZERS],
                     "lrs": [repr(lr) for lr in EXPLORER_LRS]},
    }
    ends = "; ".join(f"{OPTIMIZER_LABELS[o]} {describe_end(surface, paths[o], STEPS)}" for o in shown)
    summary = (f"{get_surface(surface).description}. Learning rate {params['lr']}, {STEPS} steps: {ends}. "
               f"The explorer holds every surface (bowl, ravine, saddle), optimizer and learning rate "
               f"({', '.join(repr(x) for x in EXPLORER_LRS)}).")
    assets = {"optimizer-explorer-data.js": data_script(OPT_ID, optimizer_data())}
    return ComputedFigure(OPT_ID, "explorer", spec, summary, assets)



"""Overfitting and regularization: training vs validation curves, early stopping, L2 and dropout.

The task is lesson 6's two spirals, with few and noisy training points, so that a wide network first learns the
spirals and then memorizes the noise: validation loss falls, bottoms out, and climbs.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import plotly.graph_objects as go

from builder.dynamics import MLP, History, fit
from builder.dynamics.tasks import spirals

from builder.figures import Option, figure

from .style import GREEN, GREY, PURPLE, SKY, VERMILLION, base_layout, fmt, r4

N_TRAIN, N_VAL, NOISE, TURNS = 100, 400, 0.25, 1.0
SIZES = [2, 64, 64, 2]
LR = 0.01
EPOCHS = Option("epochs", "int", 400, "training epochs (full-batch Adam steps)", min=50, max=2000)
TASK_TEXT = (f"A 2-64-64-2 ReLU network (He initialization, Adam, learning rate {LR}, cross-entropy loss) classifies "
             f"{N_TRAIN} noisy points of two spirals (noise sd {NOISE}); {N_VAL} fresh points form the validation set")


def datasets():
    """(train, validation): 100 and 400 noisy points of two one-turn spirals, fixed seeds."""
    return (spirals(N_TRAIN, NOISE, TURNS, rng=np.random.default_rng(1)),
            spirals(N_VAL, NOISE, TURNS, rng=np.random.default_rng(2)))


@lru_cache(maxsize=16)
def run(epochs: int, weight_decay: float = 0.0, dropout: float = 0.0, patience: int | None = None) -> History:
    """Train the over-parameterized network (seed 0) and return its per-epoch history."""
    train_set, val_set = datasets()
    rng = np.random.default_rng(0)
    model = MLP.create(SIZES, "relu", "he", rng, dropout=dropout)
    return fit(model, train_set, val_set, "adam", LR, epochs, weight_decay=weight_decay, patience=patience, rng=rng)


def curve(values: list[float], name: str, colour: str, dash: str = "solid", opacity: float = 1.0) -> go.Scatter:
    """A per-epoch loss line (epochs numbered from 1)."""
    return go.Scatter(x=list(range(1, len(values) + 1)), y=r4(values), name=name, mode="lines", opacity=opacity,
                      line={"color": colour, "width": 2.5, "dash": dash})


def vline(x: int, top: float, name: str, colour: str, dash: str = "dash") -> go.Scatter:
    """A vertical marker line from 0 to `top` at epoch x."""
    return go.Scatter(x=[x, x], y=[0, top], mode="lines", name=name, line={"color": colour, "width": 1.5, "dash": dash})


def loss_layout(top: float) -> dict:
    """Epoch on x, cross-entropy loss on y from 0 to `top`."""
    return base_layout(xaxis={"title": {"text": "epoch"}},
                       yaxis={"title": {"text": "loss (cross-entropy)"}, "range": [0, top]})


@figure("overfitting-curves", title="Training and validation loss of an over-parameterized network", digits=4,
        options=[EPOCHS])
def overfitting_curves(epochs: int) -> tuple[go.Figure, str]:
    """Train loss keeps falling while validation loss turns up; the best validation epoch is marked."""
    h = run(epochs)
    val = np.array(h.val_loss)
    best = int(np.argmin(val)) + 1
    top = float(min(max(val.max(), h.train_loss[0]) * 1.1, 2.0))
    fig = go.Figure([curve(h.train_loss, "training loss", SKY), curve(h.val_loss, "validation loss", VERMILLION),
                     vline(best, top, f"best validation epoch ({best})", GREY)], loss_layout(top))
    summary = (f"{TASK_TEXT}. Training loss falls from {fmt(h.train_loss[0], 3)} to {fmt(h.train_loss[-1], 3)}; "
               f"validation loss is lowest at epoch {best} ({fmt(val[best - 1], 3)}) and ends at {fmt(val[-1], 3)} "
               f"after {epochs} epochs.")
    return fig, summary


@figure("early-stopping", title="Early stopping with patience", digits=4, options=[
    Option("patience", "int", 10, "epochs without a new best validation loss before stopping", min=1, max=50),
    EPOCHS,
])
def early_stopping(patience: int, epochs: int) -> tuple[go.Figure, str]:
    """The same curves, stopped once validation loss has not improved for `patience` epochs."""
    full = run(epochs)
    stopped = run(epochs, patience=patience)
    stop, best = stopped.stopped_epoch, stopped.best_epoch
    top = float(min(max(max(full.val_loss), full.train_loss[0]) * 1.1, 2.0))
    traces = [curve(full.train_loss, "training loss (had it continued)", SKY, "dot", 0.45),
              curve(full.val_loss, "validation loss (had it continued)", VERMILLION, "dot", 0.45),
              curve(stopped.train_loss, "training loss", SKY), curve(stopped.val_loss, "validation loss", VERMILLION),
              vline(best, top, f"best epoch ({best}): weights restored", GREEN)]
    if stop is not None:
        traces.append(vline(stop, top, f"stopped at epoch {stop}", GREY))
    fig = go.Figure(traces, loss_layout(top))
    if stop is None:
        what = f"validation loss kept improving, so training ran all {epochs} epochs"
    else:
        what = (f"training stops at epoch {stop}, {patience} epochs after the best validation loss "
                f"{fmt(full.val_loss[best - 1], 3)} at epoch {best}, and restores those weights")
    summary = (f"{TASK_TEXT}. With patience {patience}, {what}; had it run to epoch {epochs}, validation "
               f"loss would have reached {fmt(full.val_loss[-1], 3)}.")
    return fig, summary


@figure("regularization-compare", title="Validation loss without regularization, with L2 weight decay, with dropout",
        digits=4, options=[
            Option("weight_decay", "float", 0.003, "L2 penalty strength (lambda; its gradient is added before Adam's scaling)",
                   min=0.0, max=1.0),
            Option("dropout", "float", 0.5, "dropout probability in the hidden layers", min=0.0, max=0.9),
            EPOCHS,
        ])
def regularization_compare(weight_decay: float, dropout: float, epochs: int) -> tuple[go.Figure, str]:
    """Validation curves of the same network and data: none vs L2 weight decay vs dropout."""
    runs = {"no regularization": (run(epochs), VERMILLION),
            f"L2 weight decay {fmt(weight_decay, 3)}": (run(epochs, weight_decay=weight_decay), SKY),
            f"dropout {fmt(dropout, 3)}": (run(epochs, dropout=dropout), PURPLE)}
    top = float(min(max(max(h.val_loss) for h, _ in runs.values()) * 1.1, 2.0))
    fig = go.Figure([curve(h.val_loss, name, colour) for name, (h, colour) in runs.items()], loss_layout(top))
    parts = "; ".join(f"{name}: lowest {fmt(min(h.val_loss), 3)}, final {fmt(h.val_loss[-1], 3)}"
                      for name, (h, _) in runs.items())
    summary = f"{TASK_TEXT}. Validation loss after {epochs} epochs, {parts}."
    return fig, summary

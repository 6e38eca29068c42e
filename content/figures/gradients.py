"""Why deep networks fail to train, and what fixes it: the depth paradox, the sigmoid's derivative, gradient bars,
activation variance per initialization, batch norm (the training-dynamics lesson)."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from builder.dynamics import activation_profile, gradient_profile, sigmoid, sigmoid_grad, train
from builder.dynamics.activations import HIDDEN_ACTIVATIONS
from builder.dynamics.init import INITS

from builder.figures import Option, figure

from .style import (
    ACTIVATION_LABELS, GRAD_AXIS, GREY, INIT_COLOURS, INIT_LABELS, INIT_NAMES, SKY, VERMILLION, base_layout, fmt,
    health_colour, healthy_reference, r4,
)

LN2 = math.log(2.0)
ACT = Option("activation", "choice", "sigmoid", "hidden-layer activation", choices=HIDDEN_ACTIVATIONS)
INIT = Option("init", "choice", "xavier", "weight initialization", choices=tuple(INITS))
DEPTH = Option("depth", "int", 10, "number of hidden layers", min=2, max=20)
BN = Option("batchnorm", "bool", False, "batch norm before each nonlinearity")


def loss_trace(losses: np.ndarray, name: str, colour: str, dash: str = "solid") -> go.Scatter:
    """A training-loss line (steps on x); NaN after divergence becomes a gap."""
    return go.Scatter(x=list(range(len(losses))), y=r4(losses), name=name, mode="lines",
                      line={"color": colour, "width": 2.5, "dash": dash})


def chance_trace(steps: int) -> go.Scatter:
    """Dashed line at ln 2, the cross-entropy of a 50/50 guess on the two-class task."""
    return go.Scatter(x=[0, steps - 1], y=[LN2, LN2], name="chance (ln 2 = 0.693)", mode="lines",
                      line={"color": GREY, "width": 1.5, "dash": "dot"}, hoverinfo="skip")


def final(losses: np.ndarray) -> float:
    """Last finite loss of a run."""
    finite = losses[np.isfinite(losses)]
    return float(finite[-1]) if finite.size else float("nan")


@figure("depth-paradox", title="A 2-layer and a deeper sigmoid network on the same task", digits=4, options=[
    Option("deep", "int", 10, "hidden layers of the deep network", min=3, max=20),
    Option("steps", "int", 300, "training steps", min=50, max=1000),
])
def depth_paradox(deep: int, steps: int) -> tuple[go.Figure, str]:
    """Real training curves of a shallow and a deep sigmoid + Xavier network, same task and SGD."""
    shallow_l = train(2, "sigmoid", "xavier", steps=steps)
    deep_l = train(deep, "sigmoid", "xavier", steps=steps)
    fig = go.Figure(
        [loss_trace(shallow_l, "2 layers", SKY), loss_trace(deep_l, f"{deep} layers", VERMILLION), chance_trace(steps)],
        base_layout(xaxis={"title": {"text": "training step"}},
                    yaxis={"title": {"text": "training loss (cross-entropy)"}, "rangemode": "tozero"}))
    summary = (f"Both sigmoid networks (Xavier initialization, plain SGD, learning rate 0.1) train on the same "
               f"two-spirals task for {steps} steps. The 2-layer network's loss falls from {fmt(shallow_l[0], 3)} "
               f"to {fmt(final(shallow_l), 3)}; the {deep}-layer network goes from {fmt(deep_l[0], 3)} to "
               f"{fmt(final(deep_l), 3)}, where ln 2 = 0.693 is a coin flip.")
    return fig, summary


@figure("sigmoid-derivative", title="The sigmoid and its derivative", digits=4, options=[
    Option("zmax", "float", 8.0, "z axis runs from -zmax to zmax", min=2.0, max=20.0),
])
def sigmoid_derivative(zmax: float) -> tuple[go.Figure, str]:
    """Sigmoid and its derivative; the derivative peaks at 0.25 at z = 0."""
    z = np.linspace(-zmax, zmax, 201)
    d = sigmoid_grad(z)
    fig = go.Figure([
        go.Scatter(x=r4(z), y=r4(sigmoid(z)), name="sigmoid σ(z)", mode="lines", line={"color": SKY, "width": 2.5}),
        go.Scatter(x=r4(z), y=r4(d), name="derivative σ'(z) = σ(z)(1 − σ(z))", mode="lines",
                   line={"color": VERMILLION, "width": 2.5}),
        go.Scatter(x=[0.0], y=[0.25], name="maximum 0.25 at z = 0", mode="markers+text", text=["0.25"],
                   textposition="top right", marker={"color": VERMILLION, "size": 9}, showlegend=False),
    ], base_layout(xaxis={"title": {"text": "z (input to the sigmoid)"}, "zeroline": True},
                   yaxis={"title": {"text": "value"}, "range": [-0.05, 1.05]}))
    vals = {k: float(sigmoid_grad(np.array([float(k)]))[0]) for k in (1, 2, 5)}
    summary = (f"The sigmoid's derivative is largest at z = 0, where it equals 0.25; it falls to "
               f"{fmt(vals[1], 3)} at z = ±1, {fmt(vals[2], 3)} at z = ±2 and {fmt(vals[5], 2)} at z = ±5. "
               f"Ten layers each multiplying by at most 0.25 give at most 0.25^10 = {fmt(0.25 ** 10, 3)}.")
    return fig, summary


def gradient_bar_traces(g: np.ndarray, ref: float) -> list[go.Scatter | go.Bar]:
    """Healthy band plus one bar per layer, coloured by distance from the healthy reference, clipped to the axis."""
    lo, hi = GRAD_AXIS
    depth = len(g)
    shown, patterns, hover = [], [], []
    for i, v in enumerate(g):
        lv = math.log10(v) if v > 0 and math.isfinite(v) else -math.inf
        clipped = lv < lo or lv > hi
        shown.append(10 ** min(max(lv, lo), hi))
        patterns.append("/" if clipped else "")
        note = " (off the axis)" if clipped else ""
        if v == 0:
            note = " (exactly 0: the units are saturated)"
        hover.append(f"layer {i + 1}: |dL/dW| = {fmt(v, 3)}{note}")
    band = go.Scatter(x=[0.5, depth + 0.5, depth + 0.5, 0.5, 0.5],
                      y=[ref / 10, ref / 10, ref * 10, ref * 10, ref / 10], fill="toself", mode="lines",
                      line={"width": 0}, fillcolor="rgba(0,158,115,0.12)", name="healthy range", hoverinfo="skip")
    bars = go.Bar(x=list(range(1, depth + 1)), y=r4(shown), name="|dL/dW| per layer",
                  marker={"color": [health_colour(v, ref) for v in g], "pattern": {"shape": patterns}},
                  hovertext=hover, hoverinfo="text", showlegend=False)
    return [band, bars]


def gradient_layout(depth: int) -> dict:
    """Axes of a gradient-bar chart: layers 1..depth, log |dL/dW| over the fixed range."""
    return base_layout(
        xaxis={"title": {"text": "layer (1 = next to the input)"}, "dtick": 1 if depth <= 12 else 2,
               "range": [0.5, depth + 0.5]},
        yaxis={"title": {"text": "|dL/dW| (log scale)"}, "type": "log", "range": list(GRAD_AXIS),
               "dtick": 3, "exponentformat": "power"},
        bargap=0.15, showlegend=False)


def gradient_summary(g: np.ndarray, ref: float, act: str, init: str, bn: bool) -> str:
    """1-3 sentences on a gradient profile: first/last layer, ratio, how many layers are healthy."""
    d = len(g)
    healthy = int(sum(1 for v in g if v > 0 and abs(math.log10(v / ref)) <= 1))
    ratio = g[0] / g[-1] if g[-1] > 0 else float("nan")
    what = f"{ACTIVATION_LABELS[act]}, {INIT_NAMES[init]} initialization{', batch norm' if bn else ''}"
    return (f"{d}-layer network ({what}) at initialization: |dL/dW| is {fmt(g[0], 3)} at layer 1 and "
            f"{fmt(g[-1], 3)} at layer {d} (layer 1 / layer {d} = {fmt(ratio, 2)}). {healthy} of {d} layers are "
            f"within a factor 10 of the healthy reference {fmt(ref, 3)}.")


@figure("gradient-bars", title="Gradient magnitude at each layer", digits=4, options=[ACT, INIT, DEPTH, BN])
def gradient_bars(activation: str, init: str, depth: int, batchnorm: bool) -> tuple[go.Figure, str]:
    """Per-layer |dL/dW| at initialization on a log axis, green (healthy) to red (vanishing/exploding)."""
    g = gradient_profile(depth, activation, init, batchnorm)
    ref = healthy_reference()
    return go.Figure(gradient_bar_traces(g, ref), gradient_layout(depth)), gradient_summary(g, ref, activation, init, batchnorm)


VARIANCE_SEEDS = range(5)


def mean_activation_variance(depth: int, act: str, init: str) -> np.ndarray:
    """Activation variance per layer averaged over five random networks (seeds 0-4)."""
    return np.mean([activation_profile(depth, act, init, seed=s) for s in VARIANCE_SEEDS], axis=0)


@figure("activation-variance", title="Activation variance layer by layer for each initialization", digits=4, options=[
    Option("activation", "choice", "relu", "hidden-layer activation", choices=HIDDEN_ACTIVATIONS),
    DEPTH,
])
def activation_variance(activation: str, depth: int) -> tuple[go.Figure, str]:
    """Variance of each layer's activations at init for naive, Xavier and He weights (mean of 5 nets)."""
    act = activation
    layers = list(range(1, depth + 1))
    profiles = {init: mean_activation_variance(depth, act, init) for init in INITS}
    traces = [go.Scatter(x=layers, y=r4(v), name=INIT_LABELS[init], mode="lines+markers",
                         line={"color": INIT_COLOURS[init], "width": 2.5}) for init, v in profiles.items()]
    fig = go.Figure(traces, base_layout(
        xaxis={"title": {"text": "layer"}, "dtick": 1 if depth <= 12 else 2},
        yaxis={"title": {"text": "variance of activations (log scale)"}, "type": "log",
               "exponentformat": "power"}))
    rate = {k: (v[-1] / v[0]) ** (1.0 / (depth - 1)) if v[0] > 0 and v[-1] > 0 else float("nan")
            for k, v in profiles.items()}
    nu, xa, he = profiles["naive_uniform"], profiles["xavier"], profiles["he"]
    summary = (f"{ACTIVATION_LABELS[act]} network, width 64, mean of 5 random networks. With U[0, 1] weights the "
               f"variance goes from {fmt(nu[0])} at layer 1 to {fmt(nu[-1])} at layer {depth}; with Xavier from "
               f"{fmt(xa[0])} to {fmt(xa[-1])} (x{fmt(rate['xavier'])} per layer); with He from {fmt(he[0])} "
               f"to {fmt(he[-1])} (x{fmt(rate['he'])} per layer).")
    return fig, summary


@figure("batchnorm-training", title="Training a deep network with and without batch norm", digits=4, options=[
    Option("depth", "int", 20, "number of hidden layers", min=2, max=20),
    Option("activation", "choice", "sigmoid", "hidden-layer activation", choices=HIDDEN_ACTIVATIONS),
    Option("init", "choice", "xavier", "weight initialization", choices=tuple(INITS)),
    Option("steps", "int", 300, "training steps", min=50, max=1000),
])
def batchnorm_training(depth: int, activation: str, init: str, steps: int) -> tuple[go.Figure, str]:
    """Training curves of the same deep network with and without batch norm (same seed, SGD, lr 0.1)."""
    d, act = depth, activation
    off = train(d, act, init, False, steps=steps)
    on = train(d, act, init, True, steps=steps)
    fig = go.Figure([loss_trace(off, "without batch norm", VERMILLION), loss_trace(on, "with batch norm", SKY),
                     chance_trace(steps)],
                    base_layout(xaxis={"title": {"text": "training step"}},
                                yaxis={"title": {"text": "training loss (cross-entropy)"}, "rangemode": "tozero"}))
    nan_note = "" if np.all(np.isfinite(off)) else " (the loss overflowed to NaN)"
    summary = (f"{d}-layer {ACTIVATION_LABELS[act]} network, {INIT_NAMES[init]} initialization, plain SGD "
               f"(learning rate 0.1), {steps} steps on the two-spirals task. Without batch norm the loss goes from "
               f"{fmt(off[0], 3)} to {fmt(final(off), 3)}{nan_note}; with batch norm from {fmt(on[0], 3)} to "
               f"{fmt(final(on), 3)}.")
    return fig, summary

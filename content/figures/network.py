"""The worked example's two-layer network and its gradient flow (the backprop-worked-example lesson).

The network is the lesson's own: x = 2, target y = 1, w1 = 0.5 (an option: -1 kills the ReLU), b1 = 0.1,
w2 = -0.3, b2 = 0.2, a ReLU hidden unit, a linear output and the squared error. Every number drawn is computed here
with the lesson's rule, incoming gradient times local derivative; tests/test_lesson_numbers.py checks them against
the model's backward pass (builder.dynamics).

Drawn top to bottom, so that it reads on a phone: the forward pass runs down the left column (x, z1, a1, y_hat, L,
each box with its value and, below it, its gradient dL/d(node)); the backward pass runs up beside it, each arrow
labelled with the local derivative it multiplies by; the parameters sit in the right column with their values and
gradients. Text takes the page's colour (figures.js); lines use the course's Okabe-Ito colours, which keep 3:1
contrast on the light and the dark background.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from builder.figures import Option, figure

from .style import GREEN, GREY, VERMILLION, base_layout

X, Y, B1, W2, B2 = 2.0, 1.0, 0.1, -0.3, 0.2

#: rows (data y) of the forward chain, top to bottom, and the columns (data x, 0..1 across the plot)
ROWS = {"x": 9.0, "z1": 7.0, "a1": 5.0, "y_hat": 3.0, "L": 1.0}
MAIN_RIGHT, PARAM_LEFT = 0.47, 0.56     # right edge of the forward boxes, left edge of the parameter boxes
DOWN_X, UP_X = 0.33, 0.42               # the forward (down) and backward (up) arrows between the boxes
PARAM_ROWS = {"w1": 7.4, "b1": 6.6, "w2": 3.4, "b2": 2.6, "y": 1.0}
#: the two layers as shaded bands (data y from, to) behind their rows, labelled at the top left
LAYERS = {"layer 1 (hidden)": (4.45, 7.9), "layer 2 (output)": (2.1, 3.9)}
FORMULAS = {"x": "x = 2", "z1": "z\u2081 = w\u2081x + b\u2081", "a1": "a\u2081 = ReLU(z\u2081)",
            "y_hat": "\u0177 = w\u2082a\u2081 + b\u2082", "L": "L = (\u0177 \u2212 y)\u00b2"}


@dataclass(frozen=True)
class Pass:
    """One forward and backward pass of the lesson's network."""

    w1: float
    z1: float
    a1: float
    y_hat: float
    loss: float
    relu_slope: float
    d_y_hat: float
    d_a1: float
    d_z1: float
    d_w1: float
    d_b1: float
    d_w2: float
    d_b2: float


def run(w1: float) -> Pass:
    """Forward, storing every value; backward, incoming gradient times local derivative at every node."""
    z1 = w1 * X + B1
    a1 = max(0.0, z1)
    y_hat = W2 * a1 + B2
    loss = (y_hat - Y) ** 2
    relu_slope = 1.0 if z1 > 0 else 0.0
    d_y_hat = 1.0 * 2 * (y_hat - Y)        # dL/dL = 1, times the square's local derivative
    d_a1 = d_y_hat * W2                    # the output node hands a1 the other factor, w2
    d_z1 = d_a1 * relu_slope               # ReLU: 1 if z1 > 0, else 0
    return Pass(w1, z1, a1, y_hat, loss, relu_slope, d_y_hat, d_a1, d_z1,
                d_w1=d_z1 * X, d_b1=d_z1 * 1.0, d_w2=d_y_hat * a1, d_b2=d_y_hat * 1.0)


def num(v: float) -> str:
    """A number as the lesson writes it: at most 4 decimals, no trailing zeros, a real minus sign."""
    text = f"{round(v, 4):.4f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return text.replace("-", "\u2212")


def sub(name: str) -> str:
    """z1 -> z₁, dL/dw1 -> ∂L/∂w₁; y_hat -> ŷ."""
    return name.replace("y_hat", "\u0177").replace("1", "\u2081").replace("2", "\u2082")


def grad(name: str) -> str:
    return f"\u2202L/\u2202{sub(name)}"


def box(x: float, y: float, text: str, anchor: str, border: str, dim: bool = False) -> dict:
    """A text box (an annotation with a border) anchored by its left or right edge."""
    return {"x": x, "y": y, "xref": "x", "yref": "y", "text": text, "showarrow": False, "xanchor": anchor,
            "yanchor": "middle", "align": "left", "bordercolor": border, "borderwidth": 2 if not dim else 1,
            "borderpad": 5, "bgcolor": "rgba(0,0,0,0)", "font": {"size": 13}, "opacity": 1 if not dim else 0.75}


def arrow(x0: float, y0: float, x1: float, y1: float, colour: str, width: float) -> dict:
    """An arrow from (x0, y0) to (x1, y1) in data coordinates."""
    return {"x": x1, "y": y1, "ax": x0, "ay": y0, "xref": "x", "yref": "y", "axref": "x", "ayref": "y", "text": "",
            "showarrow": True, "arrowhead": 2, "arrowsize": 1, "arrowwidth": width, "arrowcolor": colour}


def label(x: float, y: float, text: str, anchor: str) -> dict:
    return {"x": x, "y": y, "xref": "x", "yref": "y", "text": text, "showarrow": False, "xanchor": anchor,
            "yanchor": "middle", "font": {"size": 12}}


def forward_box(node: str, p: Pass, backward: bool) -> str:
    value = {"x": X, "z1": p.z1, "a1": p.a1, "y_hat": p.y_hat, "L": p.loss}[node]
    shown = FORMULAS[node] if not backward else f"{sub(node)} = {num(value)}"
    if not backward or node == "x":
        return shown
    g = {"z1": p.d_z1, "a1": p.d_a1, "y_hat": p.d_y_hat, "L": 1.0}[node]
    return f"<b>{shown}</b><br>{grad(node)} = {num(g)}"


def parameter_box(name: str, p: Pass, backward: bool) -> str:
    value = {"w1": p.w1, "b1": B1, "w2": W2, "b2": B2, "y": Y}[name]
    head = f"{sub(name)} = {num(value)}" + (" (target)" if name == "y" else "")
    if not backward or name == "y":
        return head
    g = {"w1": p.d_w1, "b1": p.d_b1, "w2": p.d_w2, "b2": p.d_b2}[name]
    return f"{head}<br><b>{grad(name)} = {num(g)}</b>"


@figure("backprop-network", title="The worked example's network: forward values and every gradient", digits=4,
        options=[
            Option("w1", "float", 0.5, "the hidden weight w1 (the lesson's 0.5; -1 is the dying-ReLU variant)",
                   min=-2.0, max=2.0),
            Option("show", "choice", "backward", "network: structure and parameters; backward: every value and "
                   "gradient", choices=("network", "backward")),
        ])
def backprop_network(w1: float, show: str) -> tuple[go.Figure, str]:
    """The 1-1-1 ReLU network of the worked example, drawn down the page, with its forward and backward pass."""
    p = run(w1)
    backward = show == "backward"
    notes: list[dict] = []
    traces: list[go.Scatter] = []
    # forward chain: boxes down the left column, arrows down between them, each labelled with its operation
    for node, row in ROWS.items():
        notes.append(box(MAIN_RIGHT, row, forward_box(node, p, backward), "right", GREY))
    ops = ["\u00d7w\u2081 + b\u2081", "ReLU", "\u00d7w\u2082 + b\u2082", "(\u0177 \u2212 y)\u00b2"]
    chain = list(ROWS.values())
    for (top, bottom), op in zip(zip(chain, chain[1:]), ops):
        notes.append(arrow(DOWN_X, top - 0.55, DOWN_X, bottom + 0.55, GREY, 1.5))
        if backward:  # the boxes show values: the arrows say which operation made them
            notes.append(label(DOWN_X - 0.025, (top + bottom) / 2, op, "right"))
    # parameters: boxes in the right column, a line into the node they feed
    feeds = {"w1": "z1", "b1": "z1", "w2": "y_hat", "b2": "y_hat", "y": "L"}
    zero = {name: backward and name != "y" and getattr(p, f"d_{name}") == 0.0 for name in feeds}
    for name, target in feeds.items():
        live = backward and name != "y" and not zero[name]
        notes.append(box(PARAM_LEFT, PARAM_ROWS[name], parameter_box(name, p, backward), "left",
                         GREEN if live else GREY, dim=zero[name]))
        if live:  # the gradient handed to the parameter
            notes.append(arrow(MAIN_RIGHT + 0.01, ROWS[target], PARAM_LEFT - 0.005, PARAM_ROWS[name], VERMILLION, 2.5))
        else:
            traces.append(go.Scatter(
                x=[MAIN_RIGHT + 0.01, PARAM_LEFT - 0.01], y=[ROWS[target], PARAM_ROWS[name]], mode="lines",
                hoverinfo="skip", showlegend=False,
                line={"color": GREY, "width": 1.5, "dash": "dot" if zero[name] else "solid"}))
    # backward chain: arrows up beside the forward ones, each labelled with the local derivative it multiplies by
    if backward:
        local = [("\u00d7 ReLU\u2032 = " + num(p.relu_slope), p.relu_slope),
                 (f"\u00d7 w\u2082 = {num(W2)}", W2),
                 (f"\u00d7 2(\u0177 \u2212 y) = {num(p.d_y_hat)}", p.d_y_hat)]
        for (top, bottom), (text, factor) in zip(list(zip(chain, chain[1:]))[1:], local):
            colour, width = (VERMILLION, 2.5) if factor != 0 else (GREY, 1.5)
            notes.append(arrow(UP_X, bottom + 0.55, UP_X, top - 0.55, colour, width))
            notes.append(label(UP_X + 0.025, (top + bottom) / 2, text, "left"))
    shapes = [{"type": "rect", "xref": "x", "yref": "y", "x0": 0.0, "x1": 1.0, "y0": y0, "y1": y1, "layer": "below",
               "line": {"width": 0}, "fillcolor": "rgba(128,128,128,0.09)"} for y0, y1 in LAYERS.values()]
    for name, (_, y1) in LAYERS.items():
        notes.append({**label(0.015, y1 - 0.17, name, "left"), "font": {"size": 11}, "opacity": 0.85})
    layout = base_layout(
        height=660, shapes=shapes, margin={"l": 8, "r": 8, "t": 8, "b": 8}, showlegend=False, hovermode=False, dragmode=False,
        xaxis={"range": [0.0, 1.0], "visible": False, "fixedrange": True},
        yaxis={"range": [0.2, 9.8], "visible": False, "fixedrange": True},
        annotations=notes)
    fig = go.Figure(traces, layout)
    return fig, summary(p, backward)


def summary(p: Pass, backward: bool) -> str:
    """The figure in words, with the numbers it draws."""
    setup = (f"The network drawn top to bottom: x = 2 feeds z\u2081 = w\u2081x + b\u2081 (w\u2081 = {num(p.w1)}, "
             "b\u2081 = 0.1), a\u2081 = ReLU(z\u2081), \u0177 = w\u2082a\u2081 + b\u2082 (w\u2082 = \u22120.3, b\u2082 = 0.2) "
             "and the loss L = (\u0177 \u2212 y)\u00b2 with target y = 1.")
    if not backward:
        return setup
    text = (f"{setup} Forward: z\u2081 = {num(p.z1)}, a\u2081 = {num(p.a1)}, \u0177 = {num(p.y_hat)}, "
            f"L = {num(p.loss)}. Backward, each gradient the one above times a local derivative: "
            f"{grad('y_hat')} = {num(p.d_y_hat)}, {grad('a1')} = {num(p.d_a1)}, {grad('z1')} = {num(p.d_z1)}; "
            f"for the parameters {grad('w1')} = {num(p.d_w1)}, {grad('b1')} = {num(p.d_b1)}, "
            f"{grad('w2')} = {num(p.d_w2)}, {grad('b2')} = {num(p.d_b2)}")
    if p.relu_slope == 0:
        text += (" (the ReLU's slope at a negative z\u2081 is 0, so w\u2081 and b\u2081 get exactly zero; "
                 "its output a\u2081 is 0, so w\u2082 gets exactly zero too)")
    return text + "."

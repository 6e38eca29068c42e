"""This course's figures: what is left after losing a fraction of it at every step.

A lesson places one with `:::{figure} decay-curve` (options as `:rate: 0.3` lines); `course figures` lists them.
"""

import numpy as np
import plotly.graph_objects as go

from builder.figures import Option, explorer, figure


@figure("decay-curve", options=[Option("rate", "float", default=0.5, min=0.01, max=0.99, help="fraction lost per step")])
def decay_curve(rate: float):
    steps = np.arange(21)
    left = (1 - rate) ** steps
    fig = go.Figure(go.Scatter(x=steps, y=left, mode="lines+markers", name="what is left"),
                    layout={"xaxis": {"title": {"text": "step"}}, "yaxis": {"title": {"text": "left of 1"}, "rangemode": "tozero"}})
    return fig, f"Losing {rate:.0%} a step, {left[5]:.3f} is left after 5 steps and {left[20]:.2g} after 20."


@explorer("decay-explorer", options=[
    Option("rate", "choice", default="0.5", choices=("0.1", "0.3", "0.5", "0.9"), help="fraction lost per step"),
    Option("steps", "int", default=6, min=2, max=12, help="steps shown"),
])
def decay_explorer(rate: str, steps: int):
    x = np.arange(steps + 1)
    left = (1 - float(rate)) ** x
    fig = go.Figure(go.Bar(x=x, y=left, name="what is left"),
                    layout={"xaxis": {"title": {"text": "step"}}, "yaxis": {"title": {"text": "left of 1"}, "range": [0, 1]}})
    return fig, f"Losing {float(rate):.0%} a step: {left[-1]:.3g} is left after {steps} steps."

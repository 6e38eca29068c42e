"""The public figure API: `@figure` and `@explorer` declare a course's figures in content/figures/*.py.

    import numpy as np
    import plotly.graph_objects as go
    from builder.figures import figure, explorer, Option

    @figure("decay-curve", options=[Option("rate", "float", default=0.5, min=0.01, max=1.0, help="fraction lost per step")])
    def decay_curve(rate: float) -> go.Figure:
        steps = np.arange(30)
        return go.Figure(go.Scatter(x=steps, y=(1 - rate) ** steps, name="remaining"))

A decorator records the declaration (where it is written, its options) and returns the function unchanged, so a
figure function can be called and tested like any other. A mistake in a declaration is not raised: it is kept with
its file and line, and reported as a finding when the course is checked.
"""

from __future__ import annotations

import inspect
import math
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.figures import TYPES, Option

MAX_COMBINATIONS = 2000
"""An explorer computes every combination of its options' values; more than this is an error at its declaration."""
DEFAULT_DIGITS = 6
"""Significant digits the numbers of a computed figure are rounded to (pages stay small; charts look the same)."""
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Declaration:
    """A figure or explorer as its decorator recorded it."""

    id: str
    kind: str
    """"figure" or "explorer"."""
    title: str
    options: tuple[Option, ...]
    function: Callable[..., Any]
    file: Path
    line: int
    digits: int
    problems: tuple[str, ...]
    """What is wrong with the declaration (each a finding at its line); empty when it is usable."""


DECLARED: list[Declaration] = []
"""Declarations in the order their modules ran them (the loader reads and clears it around each import)."""


def figure(id: str, options: Sequence[Option] = (), *, title: str = "", digits: int = DEFAULT_DIGITS) -> Callable:
    """Declare a figure: the function takes the options as keyword arguments and returns a plotly `go.Figure`, or
    `(go.Figure, text)` where the text describes the data in words (the figure's text alternative)."""
    return _declare("figure", id, options, title, digits)


def explorer(id: str, options: Sequence[Option] = (), *, title: str = "", digits: int = DEFAULT_DIGITS) -> Callable:
    """Declare an explorer: the function is computed for every combination of its options' values at build time,
    and the page gets one control per option that redraws the chart from that data, offline. It returns a
    `go.Figure`, or `(go.Figure, text)` where the text is read out under the chart as the controls change."""
    return _declare("explorer", id, options, title, digits)


def _declare(kind: str, id: str, options: Sequence[Option], title: str, digits: int) -> Callable:
    caller = sys._getframe(2)
    file, line = Path(caller.f_code.co_filename), caller.f_lineno

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        opts = tuple(options)
        problems = tuple(_problems(kind, id, opts, function, digits))
        DECLARED.append(Declaration(str(id), kind, title or str(id), opts, function, file, line, digits, problems))
        return function
    return register


def combinations(options: Sequence[Option]) -> int:
    """How many combinations of values an explorer's options have."""
    count = 1
    for option in options:
        count *= len(explorer_values(option))
    return count


def explorer_values(option: Option) -> tuple[Any, ...]:
    """Every value an explorer computes for an option: each choice, each integer of the range, both booleans."""
    if option.type == "choice":
        return option.values
    if option.type == "bool":
        return (False, True)
    if option.type == "int" and option.min is not None and option.max is not None:
        return tuple(range(int(option.min), int(option.max) + 1))
    return ()


def _problems(kind: str, id: str, options: tuple[Option, ...], function: Callable[..., Any], digits: int) -> list[str]:
    out = []
    if not isinstance(id, str) or not _ID.match(id):
        out.append(f"figure id {id!r} must be lower-case letters, digits and hyphens, e.g. 'decay-curve'")
    if not isinstance(digits, int) or not 2 <= digits <= 17:
        out.append(f"digits={digits!r}: give a whole number from 2 to 17")
    names = [getattr(o, "name", None) for o in options]
    for option in options:
        out += _option_problems(kind, option)
    for name in {n for n in names if names.count(n) > 1}:
        out.append(f"option {name!r} is declared twice")
    out += _signature_problems(function, [n for n in names if isinstance(n, str)])
    if kind == "explorer" and not out and combinations(options) > MAX_COMBINATIONS:
        out.append(f"explorer {id!r} has {combinations(options):,} combinations of option values; at most "
                   f"{MAX_COMBINATIONS:,} are computed (narrow an int range or drop a choice)")
    return out


def _option_problems(kind: str, option: Any) -> list[str]:
    if not isinstance(option, Option):
        return [f"{option!r} is not an Option: write Option(name, type, default, ...)"]
    name = option.name
    if option.type not in TYPES:
        return [f"option {name!r} has type {option.type!r}; use one of: {', '.join(TYPES)}"]
    if kind == "explorer" and option.type == "float":
        return [f"option {name!r} is a float: an explorer is computed for every value of its options, so use an int "
                f"range, a choice or a bool"]
    if option.type == "int" and kind == "explorer" and (option.min is None or option.max is None):
        return [f"int option {name!r} of an explorer needs min= and max= (every integer between is computed)"]
    if option.type == "choice" and not option.choices:
        return [f"choice option {name!r} has no choices=(...)"]
    if option.default is None and (kind == "explorer" or option.type in ("choice", "bool")):
        return [f"option {name!r} needs a default"]
    if option.default is not None:
        value, problem = option.parse(option.default)
        if problem is not None or (option.type == "int" and value != option.default):
            return [f"the default of option {name!r}, {option.default!r}, is not {option.describe()}"]
    if option.type in ("int", "float") and option.min is not None and option.max is not None and option.min > option.max:
        return [f"option {name!r} has min {option.min} above max {option.max}"]
    if option.type in ("int", "float") and any(v is not None and not math.isfinite(v) for v in (option.min, option.max)):
        return [f"option {name!r} needs finite min and max"]
    return []


def _signature_problems(function: Callable[..., Any], names: list[str]) -> list[str]:
    if not callable(function):
        return [f"{function!r} is not a function"]
    try:
        params = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return []
    takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
    missing = [n for n in names if n not in params and not takes_any]
    required = [p.name for p in params.values() if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                and p.name not in names]
    out = []
    if missing:
        out.append(f"{function.__name__}() has no parameter for option(s) {', '.join(missing)}")
    if required:
        out.append(f"{function.__name__}() requires {', '.join(required)}, which no option gives")
    return out

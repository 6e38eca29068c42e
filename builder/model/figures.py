"""Figures as data: a figure's declared options, the course's catalog of figures, and computed figures.

A course declares its figures in content/figures/*.py with builder.figures' `@figure` and `@explorer`; what the
rest of the builder needs of a declaration (its id, kind, options, where it is written, a fingerprint of its code)
is plain data here, so lessons are validated without running figure code and cached results can be keyed.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union

from .diagnostics import Diagnostic

OptionValue = Union[bool, int, float, str]
"""A figure option's typed value."""

TYPES = ("int", "float", "choice", "bool")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


@dataclass(frozen=True)
class OptionProblem:
    """A problem with a figure directive's id or options (option None: the figure id itself)."""

    option: str | None
    message: str
    hint: str


@dataclass(frozen=True)
class Option:
    """One option of a figure or explorer: `Option(name, type, default, help="", min=None, max=None, choices=())`.

    `type` is "int", "float", "choice" or "bool". `choices` lists a choice option's values (text), each optionally
    as a (value, label) pair for an explorer's control; `label` is the control's label (default: the name).
    """

    name: str
    type: str
    default: Any
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[Any, ...] = ()
    label: str = ""

    @property
    def values(self) -> tuple[str, ...]:
        """A choice option's allowed values."""
        return tuple(str(c[0]) if isinstance(c, (tuple, list)) else str(c) for c in self.choices)

    @property
    def labels(self) -> tuple[str, ...]:
        """A choice option's labels for readers (the values, unless pairs give labels)."""
        return tuple(str(c[1]) if isinstance(c, (tuple, list)) else str(c) for c in self.choices)

    @property
    def title(self) -> str:
        """The label of the option's control."""
        return self.label or self.name.replace("_", " ").capitalize()

    def describe(self) -> str:
        """What values are allowed, for hints: 'an integer from 2 to 20', 'one of: a, b'."""
        if self.type == "choice":
            return "one of: " + ", ".join(self.values)
        if self.type == "bool":
            return "true or false"
        kind = "an integer" if self.type == "int" else "a number"
        if self.min is not None and self.max is not None:
            return f"{kind} from {self.min:g} to {self.max:g}"
        return kind

    def parse(self, raw: Any) -> tuple[OptionValue | None, OptionProblem | None]:
        """The typed value of a directive's option text, or the problem with it."""
        text = ("true" if raw else "false") if isinstance(raw, bool) else str(raw).strip()
        if self.type == "bool":
            if text.lower() in _TRUE | _FALSE:
                return text.lower() in _TRUE, None
            return None, OptionProblem(self.name, f"{self.name}: {text!r} is not true or false", "use true or false")
        if self.type == "choice":
            if text in self.values:
                return text, None
            close = difflib.get_close_matches(text, self.values, n=1)
            return None, OptionProblem(self.name, f"{self.name}: {text!r} is not a valid choice",
                                       (f"did you mean {close[0]!r}? " if close else "") + self.describe())
        try:
            value: float | int = int(text) if self.type == "int" else float(text)
        except ValueError:
            return None, OptionProblem(self.name, f"{self.name}: {text!r} is not {'an integer' if self.type == 'int' else 'a number'}",
                                       self.describe())
        if not math.isfinite(value):
            return None, OptionProblem(self.name, f"{self.name}: {text!r} is not a finite number", self.describe())
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            return None, OptionProblem(self.name, f"{self.name}: {text} is out of range", self.describe())
        return value, None


@dataclass(frozen=True)
class FigureDecl:
    """A declared figure or explorer, as data."""

    id: str
    kind: str
    """"figure" or "explorer"."""
    title: str
    options: tuple[Option, ...]
    path: str
    """The figure module, relative to the project."""
    line: int
    """The line of its `@figure`/`@explorer`."""
    fingerprint: str
    """Hash of the code it runs: its module, the course modules that module imports, the model, library versions."""
    digits: int
    """Significant digits its numbers are rounded to."""

    def option(self, name: str) -> Option | None:
        """The declared option of that name."""
        return next((o for o in self.options if o.name == name), None)


@dataclass(frozen=True)
class FigureCatalog:
    """Every figure a course declares (content/figures/*.py), and the findings of loading them."""

    figures: Mapping[str, FigureDecl]
    diagnostics: tuple[Diagnostic, ...]
    broken: tuple[str, ...]
    """Figure modules that failed to import (their figures are unknown; lessons using them say so)."""

    def validate(self, figure_id: str, options: Mapping[str, str]) -> tuple[dict[str, OptionValue] | None, list[OptionProblem]]:
        """A figure directive's options, typed and with defaults filled in, or the problems with its id and options."""
        decl = self.figures.get(figure_id)
        if decl is None:
            return None, [self._unknown(figure_id)]
        params: dict[str, OptionValue] = {o.name: o.default for o in decl.options}
        problems = []
        for name, raw in options.items():
            option = decl.option(name)
            if option is None:
                names = [o.name for o in decl.options]
                close = difflib.get_close_matches(name, names, n=1)
                hint = (f"did you mean {close[0]!r}?" if close else f"figure {figure_id!r} takes: " + ", ".join(names)
                        if names else f"figure {figure_id!r} takes no options")
                problems.append(OptionProblem(name, f"unknown option {name!r} for figure {figure_id!r}", hint))
                continue
            value, problem = option.parse(raw)
            if problem is not None:
                problems.append(problem)
            else:
                params[name] = value  # type: ignore[assignment]
        return (None, problems) if problems else (params, [])

    def _unknown(self, figure_id: str) -> OptionProblem:
        ids = sorted(self.figures)
        close = difflib.get_close_matches(figure_id, ids, n=1, cutoff=0.5)
        if close:
            hint = f"did you mean {close[0]!r}?"
        elif self.broken:
            hint = f"{', '.join(self.broken)} failed to load (see that finding); its figures are unknown until it does"
        elif ids:
            hint = "the course's figures: " + ", ".join(ids)
        else:
            hint = "declare figures in content/figures/*.py with @figure or @explorer (see docs/figures.md)"
        return OptionProblem(None, f"unknown figure {figure_id!r}", hint)


@dataclass(frozen=True)
class Control:
    """One control of an explorer: a range input (int), a select (choice) or a checkbox (bool)."""

    name: str
    kind: str
    """"range", "select" or "checkbox"."""
    label: str
    help: str
    value: str
    """The initial value, as the control holds it ("1"/"0" for a checkbox)."""
    min: int
    max: int
    options: tuple[tuple[str, str], ...]
    """A select's (value, label) pairs."""


@dataclass(frozen=True)
class ComputedFigure:
    """A computed figure, ready for a page: Plotly JSON, a text alternative, an explorer's controls and data files."""

    figure_id: str
    kind: str
    """"plot" (theme/partials/figure.html) or "explorer" (theme/partials/explorer.html)."""
    title: str
    spec: Any
    """{"data": [...], "layout": {...}}: plain JSON values, numbers rounded, NaN as null (a gap)."""
    summary: str
    """The text the figure function returned with it (its text alternative), or ""."""
    controls: tuple[Control, ...]
    """An explorer's controls, set to the directive's options (empty for a plot)."""
    assets: Mapping[str, str]
    """File name under assets/figures/ -> its text (an explorer's precomputed data)."""


@dataclass(frozen=True)
class FigureTable:
    """compute_figures' output: every figure the pages use, by FigureRef.key."""

    figures: Mapping[str, ComputedFigure]
    computed: int
    """Figures (or explorer parts) computed this run."""
    cached: int
    """Figures (or explorer parts) taken from the cache."""
    diagnostics: tuple[Diagnostic, ...]

"""The figure registry: declared options, validation of directive options, and computation."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Callable

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


@dataclass(frozen=True)
class OptionError:
    """A problem with a figure directive; option None means the figure id itself is unknown."""

    option: str | None
    message: str
    hint: str


@dataclass(frozen=True)
class Option:
    """One declared option: type 'int' | 'float' | 'choice' | 'bool', default, range or choices."""

    name: str
    type: str
    default: Any
    help: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()

    def describe(self) -> str:
        """What values are allowed, for hints: 'an integer from 2 to 20', 'one of: a, b'."""
        if self.type == "choice":
            return "one of: " + ", ".join(self.choices)
        if self.type == "bool":
            return "true or false"
        kind = "an integer" if self.type == "int" else "a number"
        if self.min is not None and self.max is not None:
            return f"{kind} from {self.min:g} to {self.max:g}"
        return kind

    def parse(self, raw: Any) -> tuple[Any, OptionError | None]:
        """Typed value of a raw (string) option value, or an OptionError."""
        if raw is None and self.default is None:
            return None, None
        text = str(raw).strip() if not isinstance(raw, bool) else ("true" if raw else "false")
        if self.type == "bool":
            low = text.lower()
            if low in _TRUE or low in _FALSE:
                return low in _TRUE, None
            return None, OptionError(self.name, f"{self.name}: {text!r} is not a boolean", "use true or false")
        if self.type == "choice":
            if text in self.choices:
                return text, None
            close = difflib.get_close_matches(text, self.choices, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            return None, OptionError(self.name, f"{self.name}: {text!r} is not a valid choice",
                                     hint + self.describe())
        try:
            value: float | int = int(text) if self.type == "int" else float(text)
        except ValueError:
            return None, OptionError(self.name, f"{self.name}: {text!r} is not "
                                     f"{'an integer' if self.type == 'int' else 'a number'}", self.describe())
        if value != value or value in (float("inf"), float("-inf")):
            return None, OptionError(self.name, f"{self.name}: {text!r} is not a finite number", self.describe())
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            return None, OptionError(self.name, f"{self.name}: {text} is out of range", self.describe())
        return value, None


@dataclass(frozen=True)
class ComputedFigure:
    """A computed figure, ready for a page: Plotly JSON, text alternative and extra asset files."""

    figure_id: str
    kind: str  # "plot" (theme/partials/figure.html) or "explorer" (theme/partials/explorer.html)
    spec: dict  # {"data": [...], "layout": {...}}, JSON-able, floats rounded to 4 significant digits
    summary: str  # 1-3 sentences with real numbers from the data
    assets: dict[str, str] = field(default_factory=dict)  # file name under assets/figures/ -> text


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: id, title, declared options and the function computing it from typed params."""

    id: str
    title: str
    options: tuple[Option, ...]
    build: Callable[[dict], ComputedFigure]
    kind: str = "plot"

    def option(self, name: str) -> Option | None:
        """The declared option of that name, if any."""
        return next((o for o in self.options if o.name == name), None)

    def defaults(self) -> dict:
        """Every option at its default."""
        return {o.name: o.default for o in self.options}


REGISTRY: dict[str, FigureSpec] = {}


def register(id: str, title: str, options: tuple[Option, ...] = (), kind: str = "plot"):
    """Decorator registering build(params) -> ComputedFigure under a figure id."""
    def wrap(build: Callable[[dict], ComputedFigure]) -> Callable[[dict], ComputedFigure]:
        """Register build and return it unchanged."""
        if id in REGISTRY:
            raise ValueError(f"figure {id!r} registered twice")
        REGISTRY[id] = FigureSpec(id, title, tuple(options), build, kind)
        return build
    return wrap


def figure_ids() -> list[str]:
    """All registered figure ids, sorted."""
    return sorted(REGISTRY)


def reference_markdown() -> str:
    """Every figure id with its options, as the Markdown page docs/figures.md (`course figures` prints it)."""
    lines = ["# Figures", "",
             "The figure ids a lesson can use in `:::{figure} <id>`, with their options (`:name: value` lines under",
             "the opening fence). Every figure is computed by the builder's numpy model of training dynamics at build",
             "time and embedded as an interactive chart. An unknown id is a CB411 finding, an unknown or out-of-range option a CB408.",
             "This page is generated by `course figures`.", ""]
    for spec in REGISTRY.values():
        kind = " (interactive explorer)" if spec.kind == "explorer" else ""
        lines += [f"## `{spec.id}`", "", f"{spec.title}{kind}.", ""]
        if spec.options:
            lines += ["| option | values | default | what it sets |", "|---|---|---|---|"]
            lines += [f"| `{o.name}` | {o.describe()} | {'(see right)' if o.default is None else f'`{o.default}`'} | {o.help} |"
                      for o in spec.options]
        else:
            lines.append("No options.")
        lines.append("")
    return "\n".join(lines)


def validate(figure_id: str, options: dict[str, str]) -> tuple[dict | None, list[OptionError]]:
    """Directive options (strings) -> typed params with defaults filled, or (None, errors)."""
    spec = REGISTRY.get(figure_id)
    if spec is None:
        close = difflib.get_close_matches(figure_id, list(REGISTRY), n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}?" if close else "known figures: " + ", ".join(figure_ids())
        return None, [OptionError(None, f"unknown figure {figure_id!r}", hint)]
    params = spec.defaults()
    errors: list[OptionError] = []
    for name, raw in options.items():
        opt = spec.option(name)
        if opt is None:
            names = [o.name for o in spec.options]
            close = difflib.get_close_matches(name, names, n=1)
            if close:
                hint = f"did you mean {close[0]!r}?"
            elif names:
                hint = f"figure {figure_id!r} takes: " + ", ".join(names)
            else:
                hint = f"figure {figure_id!r} takes no options"
            errors.append(OptionError(name, f"unknown option {name!r} for figure {figure_id!r}", hint))
            continue
        value, err = opt.parse(raw)
        if err is not None:
            errors.append(err)
        else:
            params[name] = value
    return (None, errors) if errors else (params, [])


def compute(figure_id: str, params: dict) -> ComputedFigure:
    """Compute a figure from typed params (missing ones take their defaults); ValueError if invalid."""
    spec = REGISTRY.get(figure_id)
    if spec is None:
        raise ValueError(f"unknown figure {figure_id!r}")
    unknown = set(params) - {o.name for o in spec.options}
    if unknown:
        raise ValueError(f"unknown option(s) for {figure_id!r}: {', '.join(sorted(unknown))}")
    full = spec.defaults()
    for name, value in params.items():
        checked, err = spec.option(name).parse(value)  # type: ignore[union-attr]
        if err is not None:
            raise ValueError(f"{err.message} ({err.hint})")
        full[name] = checked
    fig = spec.build(full)
    if fig.figure_id != figure_id or fig.kind != spec.kind:
        raise AssertionError(f"figure {figure_id!r} built an inconsistent result")
    return fig

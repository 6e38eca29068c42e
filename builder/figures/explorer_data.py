"""An explorer's precomputed figures as one compact data file, and its combinations of option values.

Every combination's figure is stored as the differences from the first one, and every distinct value (an array
of numbers, a colour list, a layout setting, a sentence) is stored once and referred to by number: the curves of
one configuration, the contours of one surface or the axis of one depth are written once however many
combinations show them. theme/static/js/explorer.js rebuilds a combination's figure from this and draws it.

    {"options": [option names], "base": <figure of the first combination>,
     "paths": [[key, index, ...], ...], "values": [<value>, ...],
     "combos": {"<value>|<value>|...": {"p": [path, value, path, value, ...], "t": <value of its text>}}}

A value number of -1 deletes the key (or list item) at that path; setting the item just past a list's end appends.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any

from ..model.figures import Option, OptionValue
from .api import explorer_values

DELETE = -1


def combinations(options: Sequence[Option]) -> list[dict[str, OptionValue]]:
    """Every combination of the options' values, the last option varying fastest."""
    names = [o.name for o in options]
    return [dict(zip(names, values)) for values in itertools.product(*(explorer_values(o) for o in options))]


def combo_key(options: Sequence[Option], values: dict[str, Any]) -> str:
    """A combination's key, as the page's controls spell it: "10|sigmoid|xavier|0"."""
    def part(option: Option, value: Any) -> str:
        if option.type == "bool":
            return "1" if value else "0"
        return str(int(value)) if option.type == "int" else str(value)
    return "|".join(part(o, values[o.name]) for o in options)


def encode(options: Sequence[Option], figures: Sequence[tuple[str, Any, str]]) -> dict:
    """The data of an explorer from (key, figure JSON, text) of every combination, in combination order."""
    table = _Table()
    paths = _Table()
    base = figures[0][1]
    combos = {}
    for key, spec, text in figures:
        changes: list[tuple[list, Any]] = []
        _diff(base, spec, [], changes)
        flat: list[int] = []
        for path, value in changes:
            flat += [paths.number(path), DELETE if value is _DELETED else table.number(value)]
        combos[key] = {"p": flat, "t": table.number(text)}
    return {"options": [o.name for o in options], "base": base, "paths": paths.items, "values": table.items, "combos": combos}


def data_script(figure_id: str, data: dict) -> str:
    """The data file: a script registering the data (a fetch of JSON would fail on pages opened from disk)."""
    body = json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False, ensure_ascii=False).replace("</", "<\\/")
    return ("window.COURSE_FIGURE_DATA = window.COURSE_FIGURE_DATA || {};\n"
            f"window.COURSE_FIGURE_DATA[{json.dumps(figure_id)}] = {body};\n")


def apply(data: dict, key: str) -> tuple[Any, str]:
    """A combination's figure and text rebuilt from the data (what explorer.js does; used by the tests)."""
    spec = json.loads(json.dumps(data["base"]))
    combo = data["combos"][key]
    flat = combo["p"]
    for i in range(0, len(flat), 2):
        *parents, last = data["paths"][flat[i]]
        node = spec
        for part in parents:
            node = node[part]
        if flat[i + 1] == DELETE:
            del node[last]  # a list item: the list shrinks, as JavaScript's splice does
        elif isinstance(node, list) and last == len(node):
            node.append(data["values"][flat[i + 1]])
        else:
            node[last] = data["values"][flat[i + 1]]
    return spec, data["values"][combo["t"]]


_DELETED = object()


def _diff(base: Any, other: Any, path: list, out: list[tuple[list, Any]]) -> None:
    """The (path, value) changes that turn `base` into `other`: objects key by key, lists of objects item by item
    (items past the shorter one's end appended, or deleted from the end back), anything else (numbers, text, lists
    of numbers) as a whole."""
    if type(base) is dict and type(other) is dict:
        for key in base:
            if key not in other:
                out.append((path + [key], _DELETED))
            else:
                _diff(base[key], other[key], path + [key], out)
        out += [(path + [key], other[key]) for key in other if key not in base]
    elif type(base) is list and type(other) is list and any(isinstance(v, (dict, list)) for v in base + other):
        for i, (a, b) in enumerate(zip(base, other)):
            _diff(a, b, path + [i], out)
        out += [(path + [i], other[i]) for i in range(len(base), len(other))]
        out += [(path + [i], _DELETED) for i in reversed(range(len(other), len(base)))]
    elif _canonical(base) != _canonical(other):
        out.append((path, other))


class _Table:
    """Distinct JSON values, numbered in the order they are first met."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self._index: dict[str, int] = {}

    def number(self, value: Any) -> int:
        key = _canonical(value)
        if key not in self._index:
            self._index[key] = len(self.items)
            self.items.append(value)
        return self._index[key]


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))

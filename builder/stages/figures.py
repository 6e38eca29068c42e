"""The figure stage: compute every figure the pages use with the course's own figure code (content/figures/),
once per figure and options, in worker processes, cached by the figure's code and options.

A figure is one unit of work; an explorer is split into parts along the values of its first option (at most 8
parts, so two cores share it), and its parts are put together into one data file. A figure function that fails is a
finding at the line of the figure code that failed, naming the figure and the lesson that uses it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..incremental import Memo, Pool
from ..incremental.keys import content_key
from ..model.course import Course
from ..model.diagnostics import Diagnostic, Pos, error
from ..model.figures import ComputedFigure, Control, FigureDecl, FigureTable, Option, OptionValue
from ..model.rendered import FigureRef, RenderedCourse
from ..progress import stage

EXPLORER_PARTS = 8
"""An explorer's combinations are computed in at most this many parts (fixed, so cached parts fit any machine). A
part holds whole values of the first option: combinations that share it run in one process, so figure code can
share work between them (an lru_cache keyed by that value)."""


@dataclass(frozen=True)
class Unit:
    """One piece of figure work: a figure with its options, or a part of an explorer's combinations."""

    figure_id: str
    params: tuple[Mapping[str, OptionValue], ...]
    """The options of each call: one for a figure, a part's combinations for an explorer."""
    fingerprint: str
    part: int

    @property
    def figure(self) -> str:
        """Which figure the unit is (part of): an explorer is one figure however many parts it has."""
        return self.figure_id if self.explorer else f"{self.figure_id}{dict(self.params[0])}"

    explorer: bool = False


@dataclass(frozen=True)
class Result:
    """What a unit gave: for each call its Plotly JSON and text, or the failure that stopped it."""

    specs: tuple[Any, ...]
    texts: tuple[str, ...]
    failure: tuple[str, str, int] | None
    """(message, file, line) of the figure code that failed."""


@stage("computing figures", lambda t: f"{t.computed} computed, {t.cached} from the cache" if t.computed or t.cached else "")
def compute_figures(course: Course, rendered: RenderedCourse, memo: Memo) -> FigureTable:
    """Every figure the pages use, by FigureRef.key (two directives with the same id and options share one)."""
    catalog = course.figures.figures
    refs = {ref.key: (ref, doc.path) for doc in rendered.documents for ref in doc.figures}
    units = _units(catalog, [ref for ref, _ in refs.values()])
    if not units:
        return FigureTable({}, 0, 0, ())
    done = memo.cached_map("figure", units, key=lambda u: content_key("figure", u.fingerprint, u.figure_id, u.part,
                                                                         [dict(p) for p in u.params]),
                           compute=_compute, value_type=Result, label="Computing figures", keep=lambda r: r.failure is None,
                           pool=Pool(_init_worker, (str(course.config.root), course.config.figure_timeout), min_items=2))
    results = list(zip(units, done.values))
    fresh = {unit.figure for unit, new in zip(units, done.fresh) if new}
    computed, cached = len(fresh), len({unit.figure for unit in units} - fresh)  # an explorer counts once
    failures = [_finding(unit, result, refs) for unit, result in results if result.failure is not None]
    if failures:
        return FigureTable({}, computed, cached, tuple(failures))
    figures = {}
    for key, (ref, _) in refs.items():
        decl = catalog[ref.figure_id]
        mine = [(u, r) for u, r in results if u.figure_id == ref.figure_id]
        figures[key] = _plot(decl, ref, mine) if decl.kind == "figure" else _explorer(decl, ref, mine)
    return FigureTable(figures, computed, cached, ())


def _units(catalog: Mapping[str, FigureDecl], refs: list[FigureRef]) -> list[Unit]:
    from ..figures.api import explorer_values
    from ..figures.explorer_data import combinations

    units: list[Unit] = []
    seen: set[str] = set()
    for ref in sorted(refs, key=lambda r: r.key):
        decl = catalog[ref.figure_id]
        if decl.kind == "figure":
            units.append(Unit(decl.id, (dict(ref.params),), decl.fingerprint, 0))
        elif decl.id not in seen:
            seen.add(decl.id)
            combos = combinations(decl.options)
            per_value = len(combos) // len(explorer_values(decl.options[0])) if decl.options else 1
            size = per_value * math.ceil(len(combos) / per_value / EXPLORER_PARTS)
            units += [Unit(decl.id, tuple(combos[start:start + size]), decl.fingerprint, part, explorer=True)
                      for part, start in enumerate(range(0, len(combos), size))]
    # The explorers' parts are the largest units: handed to the workers first, with the single figures filling the
    # gaps at the end, the workers finish together (the other way round, the last explorer part ran alone).
    return sorted(units, key=lambda unit: not unit.explorer)


def _plot(decl: FigureDecl, ref: FigureRef, results: list[tuple[Unit, Result]]) -> ComputedFigure:
    [(_, result)] = [(u, r) for u, r in results if dict(u.params[0]) == dict(ref.params)]
    return ComputedFigure(decl.id, "plot", decl.title, result.specs[0], result.texts[0], (), {})


def _explorer(decl: FigureDecl, ref: FigureRef, results: list[tuple[Unit, Result]]) -> ComputedFigure:
    from ..figures.explorer_data import combo_key, data_script, encode

    calls = [(combo_key(decl.options, params), spec, text) for unit, result in sorted(results, key=lambda ur: ur[0].part)
             for params, spec, text in zip(unit.params, result.specs, result.texts)]
    initial = combo_key(decl.options, ref.params)
    spec, text = next((spec, text) for key, spec, text in calls if key == initial)
    controls = tuple(_control(option, ref.params[option.name]) for option in decl.options)
    data = data_script(decl.id, encode(decl.options, calls))
    return ComputedFigure(decl.id, "explorer", decl.title, spec, text, controls, {f"{decl.id}.js": data})


def _control(option: Option, value: OptionValue) -> Control:
    if option.type == "bool":
        return Control(option.name, "checkbox", option.title, option.help, "1" if value else "0", 0, 1, ())
    if option.type == "int":
        return Control(option.name, "range", option.title, option.help, str(int(value)), int(option.min or 0), int(option.max or 0), ())
    return Control(option.name, "select", option.title, option.help, str(value), 0, 0, tuple(zip(option.values, option.labels)))


def _finding(unit: Unit, result: Result, refs: Mapping[str, tuple[FigureRef, str]]) -> Diagnostic:
    message, path, line = result.failure  # type: ignore[misc]
    uses = sorted((doc, ref.pos.line) for ref, doc in refs.values() if ref.figure_id == unit.figure_id)
    where = f"{uses[0][0]}:{uses[0][1]}" + (f" and {len(uses) - 1} more" if len(uses) > 1 else "")
    options = ", ".join(f"{k}={v}" for k, v in unit.params[0].items()) if len(unit.params) == 1 else "one of its combinations"
    return error("CB414", path, Pos(line) if line else None,
                 f"figure `{unit.figure_id}` ({options or 'no options'}), used at {where}, {message}",
                 "Fix the figure code at this line, or the lesson's options; `course build` runs it again. "
                 "Run the function by hand to see its traceback.")


_WORKER: dict[str, object] = {}


def _init_worker(root: str, timeout: float) -> None:
    from threadpoolctl import threadpool_limits

    _WORKER["root"], _WORKER["timeout"] = Path(root), timeout
    # Figure work is spread over processes, one per core; a BLAS thread pool in each as well (inherited from the
    # parent at fork) oversubscribes the cores: numpy code on small matrices ran six times slower.
    _WORKER["blas"] = threadpool_limits(limits=1)


def _compute(unit: Unit) -> Result:
    from ..figures.compute import Failure, run_figure
    from ..figures.discovery import load_figures

    root: Path = _WORKER["root"]  # type: ignore[assignment]
    decl = load_figures(root).declarations[unit.figure_id]
    specs, texts = [], []
    for params in unit.params:
        out = run_figure(root, decl, params, float(_WORKER["timeout"]))  # type: ignore[arg-type]
        if isinstance(out, Failure):
            return Result((), (), (out.message, out.path, out.line))
        specs.append(out.spec)
        texts.append(out.text)
    return Result(tuple(specs), tuple(texts), None)


def figure_assets(figures: FigureTable) -> dict[str, bytes]:
    """Files the figures need: plotly.min.js once, and each explorer's data file."""
    if not figures.figures:
        return {}
    from plotly.offline import get_plotlyjs

    files = {"assets/js/plotly.min.js": get_plotlyjs().encode("utf-8")}
    for figure in figures.figures.values():
        for name, text in figure.assets.items():
            files[f"assets/figures/{name}"] = text.encode("utf-8")
    return files

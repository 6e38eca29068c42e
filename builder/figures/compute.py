"""Running a figure function: its output made plain, small and deterministic JSON, every failure a finding.

Around each call: what the function prints goes to stderr (stdout carries findings), numpy's and Python's global
random generators start from a fixed seed (so code using them is reproducible), a generator made without a seed
is reported (its numbers would differ on every build), and a call that runs past the site's time limit is stopped.
"""

from __future__ import annotations

import contextlib
import math
import random
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.figures import OptionValue
from .api import Declaration
from .discovery import FOLDER, describe, failure_position

SEED = 0
"""The seed numpy's and Python's global generators get before each figure function runs."""


@dataclass(frozen=True)
class Failure:
    """Why a figure could not be computed, and where in the course's figure code."""

    message: str
    path: str
    line: int
    """0 when no line of the figure code is to blame (a timeout)."""


@dataclass(frozen=True)
class Output:
    """One computed figure (or one combination of an explorer): its Plotly JSON and its text."""

    spec: Any
    text: str


class FigureTimeout(Exception):
    """The figure function ran past the time limit."""


class UnseededRandom(Exception):
    """The figure function made a random generator without a seed."""


def run_figure(root: Path, decl: Declaration, params: Mapping[str, OptionValue], timeout: float) -> Output | Failure:
    """Call a figure function with its options; its result as plain JSON, or the failure."""
    folder = root / FOLDER
    try:
        with _guarded(timeout):
            result = decl.function(**params)
        return to_output(result, decl.digits)
    except KeyboardInterrupt:
        raise
    except FigureTimeout:
        return Failure(f"took longer than the limit of {timeout:g} s and was stopped", _rel(root, decl.file), decl.line)
    except _WrongResult as exc:
        return Failure(str(exc), _rel(root, decl.file), decl.line)
    except BaseException as exc:  # noqa: BLE001 - whatever the author's code raises is a finding
        where, at = failure_position(exc, root, folder, _rel(root, decl.file))
        if isinstance(exc, UnseededRandom):
            return Failure(str(exc), where, at.line if at else decl.line)
        return Failure(f"raised {describe(exc)}", where, at.line if at else decl.line)


class _WrongResult(Exception):
    pass


def to_output(result: Any, digits: int) -> Output:
    """A figure function's result (a go.Figure, or (go.Figure, text)) as plain JSON and text."""
    from plotly.basedatatypes import BaseFigure

    text = ""
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], str):
        result, text = result
    if not isinstance(result, BaseFigure):
        raise _WrongResult(f"returned {_kind(result)}; a figure function returns a plotly go.Figure, or (go.Figure, text)")
    return Output(clean(result.to_plotly_json(), digits), text)


def clean(value: Any, digits: int) -> Any:
    """Plotly JSON made plain and deterministic: numpy values to lists and numbers, floats rounded to `digits`
    significant digits, NaN and infinities to null (a gap in the chart), no template (the theme styles figures)."""
    import numpy as np

    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:  # plotly stores numpy arrays as base64 "typed arrays"
            return clean(_typed_array(value), digits)
        return {str(k): clean(v, digits) for k, v in value.items() if k != "template"}
    if isinstance(value, (list, tuple)):
        return [clean(v, digits) for v in value]
    if isinstance(value, np.ndarray):
        return clean(value.tolist(), digits)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if not math.isfinite(x):
            return None
        return 0.0 if x == 0 else float(f"{x:.{digits - 1}e}")
    if isinstance(value, np.generic):
        return value.item()
    return value


def _typed_array(value: dict) -> Any:
    """A plotly typed array ({"dtype", "bdata", "shape"}) as a numpy array."""
    import base64

    import numpy as np

    array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
    shape = value.get("shape")
    if shape:
        array = array.reshape([int(n) for n in str(shape).split(",")])
    return array


@contextlib.contextmanager
def _guarded(timeout: float) -> Iterator[None]:
    """Stdout to stderr, seeded global generators, unseeded generators refused, a time limit."""
    import numpy as np

    random.seed(SEED)
    np.random.seed(SEED)
    real = np.random.default_rng

    def default_rng(seed: Any = None) -> Any:
        if seed is None:
            raise UnseededRandom("made a random generator without a seed (np.random.default_rng()): its numbers, "
                                 "and so the page, would differ on every build; give it a seed, e.g. default_rng(0)")
        return real(seed)
    np.random.default_rng = default_rng  # type: ignore[assignment]
    alarm = timeout > 0 and threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if alarm:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        np.random.default_rng = real  # type: ignore[assignment]


def _on_alarm(signum: int, frame: Any) -> None:
    raise FigureTimeout


def _kind(value: Any) -> str:
    if value is None:
        return "None"
    return f"a {type(value).__module__}.{type(value).__qualname__}" if not isinstance(value, (str, int, float, dict, list, tuple)) \
        else f"a {type(value).__name__}"


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


Compute = Callable[..., Any]

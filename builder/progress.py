"""Saying what a long run is doing, on stderr (stdout carries findings and summaries).

Stage functions are decorated with `@stage(title, describe)`; while a Reporter is `reporting()`, each stage's
end is a line `  <title>: <what it did> (<seconds> s)`. The lines appear only once the run has lasted longer than
PATIENCE seconds (the earlier ones then at once), so a quick build prints nothing but its summary. On a terminal,
long loops (`Reporter.bar`) also draw a bar that is redrawn in place and cleared when done.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, TextIO, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

PATIENCE = 2.0
"""Seconds a run may take before it reports its stages."""

_current: contextvars.ContextVar[Reporter | None] = contextvars.ContextVar("reporter", default=None)


class Reporter:
    """The stages of one run: their lines (once the run is slow enough) and a bar per long loop on a terminal."""

    def __init__(self, enabled: bool = True, stream: TextIO | None = None, patience: float = PATIENCE) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.patience = patience
        self.started = time.monotonic()
        self.pending: list[str] = []
        self.showing = False
        self.tty = enabled and self.stream.isatty()

    def line(self, text: str) -> None:
        """A stage's line: held back until the run has taken PATIENCE seconds, then written."""
        if not self.enabled:
            return
        self.pending.append(text)
        if self.showing or time.monotonic() - self.started > self.patience:
            self.showing = True
            for held in self.pending:
                self.stream.write(held + "\n")
            self.stream.flush()
            self.pending = []

    def bar(self, label: str, total: int) -> Bar:
        """A bar for `total` items of work (drawn on a terminal only)."""
        return Bar(label, total, self.stream if self.tty and total > 1 else None)


class Bar:
    """`label [#####.....] n/total`, redrawn at most ten times a second, cleared when closed."""

    def __init__(self, label: str, total: int, stream: TextIO | None) -> None:
        self.label, self.total, self.done, self.stream = label, total, 0, stream
        self._last = 0.0

    def advance(self, n: int = 1) -> None:
        """Record finished items and redraw."""
        self.done += n
        now = time.monotonic()
        if self.stream is not None and (now - self._last > 0.1 or self.done == self.total):
            self._last = now
            filled = int(30 * self.done / max(self.total, 1))
            self.stream.write(f"\r  {self.label} [{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        """Clear the bar's line (the stage's own line follows)."""
        if self.stream is not None and self.done:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


@contextlib.contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Within: stages report to `reporter`."""
    token = _current.set(reporter)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> Reporter | None:
    """The reporter of the running stage, if any."""
    return _current.get()


def bar(label: str, total: int) -> Bar:
    """A bar on the current reporter (a silent one when there is none)."""
    reporter = _current.get()
    return reporter.bar(label, total) if reporter is not None else Bar(label, total, None)


def stage(title: str, describe: Callable[[Any], str] = lambda result: "") -> Callable[[F], F]:
    """Decorate a stage function: when it returns, the reporter gets `title: describe(result) (seconds)`."""
    def decorate(function: F) -> F:
        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.monotonic()
            result = function(*args, **kwargs)
            reporter = _current.get()
            if reporter is not None:
                detail = describe(result)
                reporter.line(f"  {title}{': ' + detail if detail else ''} ({time.monotonic() - started:.1f} s)")
            return result
        return timed  # type: ignore[return-value]
    return decorate

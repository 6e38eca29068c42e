"""Ctrl+C and SIGTERM end a run cleanly, and worker pools stop with it.

The first signal raises KeyboardInterrupt in the main thread and is remembered: where Python cannot pass it on
(a finalizer, a callback), `raise_if_interrupted()` finds it at the next safe point, so a build that was asked
to stop never publishes. A second signal stops the process at once (exit 130); an interrupted publish is
repaired by the next run (see writer.clean_leftovers).

Worker processes ignore SIGINT (Ctrl+C reaches the whole process group; the main process decides). When an
interrupt leaves their pool, they are killed as the process ends, instead of finishing the queued work.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

T = TypeVar("T")

EXIT_INTERRUPTED = 130
"""Exit code of an interrupted run (128 + SIGINT), as shells report a Ctrl+C."""

_signalled = False
_abandoned: list = []
"""Worker processes of pools left behind by an interrupt; exit_process() stops them."""


def _on_signal(signum: int, frame: object) -> None:  # noqa: ARG001 - signal handler signature
    global _signalled
    if _signalled:
        os._exit(EXIT_INTERRUPTED)
    _signalled = True
    raise KeyboardInterrupt


@contextmanager
def handling_interrupts() -> Iterator[None]:
    """Within: SIGINT and SIGTERM (even if the shell started us with SIGINT ignored) raise KeyboardInterrupt.

    A KeyboardInterrupt that Python cannot raise where it lands (a finalizer, an at-fork callback) is remembered
    rather than printed as "Exception ignored"; so is, once interrupted, a finalizer's failure on what the interrupt
    cut short (a zip archive closing itself while a member was half written): the run is ending and its output is
    discarded, so the traceback would tell the user nothing. After an interrupt the handlers stay ours until the process
    ends, so a second signal stops it at once instead of raising again during clean-up.
    """
    global _signalled, _abandoned
    _signalled, _abandoned = False, []
    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    unraisable = sys.unraisablehook
    sys.unraisablehook = lambda info: None if info.exc_type is KeyboardInterrupt or _signalled else unraisable(info)
    try:
        yield
    finally:
        if not _signalled:
            sys.unraisablehook = unraisable
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def was_interrupted() -> bool:
    """Whether a signal arrived during this run."""
    return _signalled


def acknowledge_interrupt() -> None:
    """The interrupt was expected (it is how `course serve` stops): the run has not failed."""
    global _signalled
    _signalled = False


def raise_if_interrupted() -> None:
    """Raise KeyboardInterrupt if a signal arrived that could not be raised where it landed."""
    if _signalled:
        raise KeyboardInterrupt


def _start_worker(initializer: Callable[..., Any] | None, initargs: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer is not None:
        initializer(*initargs)


@contextmanager
def worker_pool(workers: int, initializer: Callable[..., Any] | None = None, initargs: tuple = (),
                mp_context: Any = None) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers leave signals to the main process and are stopped at once if it fails."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp_context, initializer=_start_worker,
                               initargs=(initializer, initargs))
    try:
        yield pool
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, BrokenProcessPool)) or was_interrupted():
            # Neither joined nor cancelled: a worker killed while it sends a result leaves the pool's thread
            # waiting forever for the rest, and on 3.11 a pool that sees its workers die fails on the futures
            # map() cancelled. The workers run on (ignoring Ctrl+C) until exit_process() kills them.
            _abandoned.extend((getattr(pool, "_processes", None) or {}).values())
        else:  # an error in this process or in a task: the workers are healthy, only the queue is dropped
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


_FORKED: list[Callable[[], Any]] = []
"""The jobs of the forked pool being run: set before its workers fork, so they inherit them and nothing is pickled."""


def run_forked(jobs: Sequence[Callable[[], T]], min_jobs: int) -> list[T]:
    """Each job's result, in order: from forked worker processes (one per core) when there are `min_jobs` or more,
    which inherit the jobs and everything they close over, so only the results travel back; else here, as where
    processes cannot fork, or fork from a process with other threads (`course serve`)."""
    workers = min(os.cpu_count() or 1, len(jobs) // max(1, min_jobs // 2))
    if len(jobs) < min_jobs or workers < 2 or "fork" not in multiprocessing.get_all_start_methods() \
            or threading.active_count() > 1:
        return [job() for job in jobs]
    _FORKED[:] = jobs
    try:
        with worker_pool(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_run_forked, range(len(jobs)), chunksize=max(1, len(jobs) // (workers * 8))))
    finally:
        _FORKED.clear()


def _run_forked(i: int) -> Any:
    return _FORKED[i]()


def exit_process(code: int) -> NoReturn:
    """sys.exit(code); after an interrupt, stop the workers of pools it left behind and end the process at once.

    Ending at once also keeps the exit code: on 3.11 a KeyboardInterrupt that passed through exec() of a string
    (dataclasses, namedtuple) marks the interpreter to die by SIGINT at exit even though it was handled.
    """
    if _signalled or _abandoned:
        for process in _abandoned:
            process.kill()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


__all__ = ["EXIT_INTERRUPTED", "acknowledge_interrupt", "exit_process", "handling_interrupts", "raise_if_interrupted", "was_interrupted", "worker_pool"]

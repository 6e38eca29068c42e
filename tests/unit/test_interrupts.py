"""Interrupts: after Ctrl+C, what was cut short is dropped without a traceback."""

from __future__ import annotations

import signal
import sys

import pytest

from builder import interrupts


class HalfWritten:
    """Fails in its finalizer, as a zip archive does when an interrupt cut one of its members short."""

    def __del__(self) -> None:
        raise ValueError("cannot close the archive while a member is open")


@pytest.fixture
def restored():
    """The signal handlers and the unraisable hook as they were (an interrupt leaves them set for the process)."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    hook = sys.unraisablehook
    yield
    interrupts.acknowledge_interrupt()
    sys.unraisablehook = hook
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


def test_a_finalizer_failing_after_an_interrupt_prints_nothing_and_one_failing_before_is_reported(restored):
    reported = []
    sys.unraisablehook = reported.append
    with pytest.raises(KeyboardInterrupt):
        with interrupts.handling_interrupts():
            HalfWritten()  # before any signal: a real failure, passed on
            assert [type(info.exc_value) for info in reported] == [ValueError]
            signal.raise_signal(signal.SIGINT)
    HalfWritten()  # after the interrupt: dropped
    assert len(reported) == 1 and interrupts.was_interrupted()

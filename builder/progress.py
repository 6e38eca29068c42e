"""A small progress bar on stderr, shown only on a terminal for work that takes a while."""

from __future__ import annotations

import sys
import time


class Progress:
    """Counts work items; draws `label [#####.....] n/total` on a TTY, at most ten times a second."""

    def __init__(self, label: str, total: int, enabled: bool = True) -> None:
        self.label, self.total, self.done = label, total, 0
        self.enabled = enabled and sys.stderr.isatty() and total > 1
        self._last = 0.0

    def advance(self, n: int = 1) -> None:
        """Record finished items and redraw."""
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.1 or self.done == self.total):
            self._last = now
            width = 30
            filled = int(width * self.done / max(self.total, 1))
            sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}")
            sys.stderr.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()

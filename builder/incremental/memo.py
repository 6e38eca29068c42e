"""`Memo`, the incremental layer as the stages see it: values computed once and kept under content keys.

A stage names a kind, its items, how to key one and how to compute one; `cached_map` reads what the cache has,
computes the rest (in a process pool when there are many) and stores them. The stage itself holds no cache
bookkeeping, and nothing it gets back was made by code read from the cache (see codec.py).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..interrupts import worker_pool
from ..progress import bar
from .store import CACHE_DIR, Store
from .sweep import record_uses, sweep_if_due

T = TypeVar("T")
V = TypeVar("V")


@dataclass(frozen=True)
class Pool:
    """How to compute misses in worker processes: a per-process initializer and when a pool pays."""

    initializer: Callable[..., None] | None = None
    """Runs once in each worker (and once here when computing in-process): parsers, templates, imports."""
    initargs: tuple = ()
    min_items: int = 24
    """Below this many misses a pool costs more than it saves: compute them here."""
    max_workers: int | None = None
    """Default: one per CPU."""


@dataclass(frozen=True)
class Computed(Generic[V]):
    """What cached_map gave: one value per item, in order, and how many were computed and read."""

    values: tuple[V, ...]
    computed: int
    cached: int
    fresh: tuple[bool, ...]
    """For each item: computed this run (True) or read from the cache."""
    keys: tuple[str, ...] = ()
    """Each item's key (a value's identity: what depends on it can record the key instead of hashing the value)."""
    wholes: tuple[V | None, ...] = ()
    """For each item computed whole this run: that value (a caller of summaries may want it), else None."""


class Memo:
    """The cache of one project (or none, for --no-cache)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def for_project(cls, root: Path, enabled: bool = True, memory: dict | None = None) -> Memo:
        """The layer over <root>/.course-cache/ (or over nothing when `enabled` is false); `memory`: values a
        long-lived process keeps between runs (see Store)."""
        return cls(Store(root / CACHE_DIR if enabled else None, memory))

    def get(self, kind: str, key: str, value_type: Any) -> Any | None:
        """One stored value of `value_type`, or None."""
        return self.store.get(kind, key, value_type)

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store one value."""
        self.store.put(kind, key, value)

    def finish(self, flavour: str) -> None:
        """At the end of a run that completed: keep the list of the entries it used as `flavour`'s (what `course
        check`, a build into one folder, an export... uses), and sweep what no list holds when a sweep is due."""
        record_uses(self.store, flavour)
        sweep_if_due(self.store)

    def source_text(self, path: Path, read: Callable[[], str | None]) -> str | None:
        """A source file's text, as `read` reads it. A long-lived process (`course serve`) keeps each file's text in
        memory and reads a file again only when its size, times or inode changed since: a save re-reads one lesson,
        not the course. A file that cannot be read is not kept (`read` reports it every time)."""
        if self.store.memory is None:
            return read()
        try:
            st = os.stat(path)
        except OSError:
            return read()
        seen = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        kept = self.store.recall("source-text", str(path))
        if kept is not None and kept[0] == seen:
            return kept[1]
        text = read()
        if text is not None:
            self.store.keep("source-text", str(path), (seen, text))
        return text

    def cached_map(self, kind: str, items: Sequence[T], key: Callable[[T], str], compute: Callable[[T], V],
                   value_type: Any, pool: Pool | None = None, label: str = "",
                   keep: Callable[[V], bool] = lambda value: True, summaries: Sequence[Summary] = (),
                   only: Summary | None = None) -> Computed[V]:
        """compute(item) for each item, read from the cache when its key is there; the misses are computed (in a
        process pool when `pool` says it pays: `compute` must then be a module-level function) and stored when
        `keep(value)` (a failure is not kept: it is computed again next time).

        `summaries`: smaller forms of each value, stored beside it; with `only` (one of them) the caller wants that
        form alone: it is read first, then the whole value (summarized, and the summary stored). A value computed
        for such a caller is stored whole with every summary when `only.computed_whole`, else as that summary only,
        and Computed.wholes has it."""
        keys = [key(item) for item in items]
        values: list[Any] = [self._lookup(kind, k, value_type, only) for k in keys]
        wholes: list[Any] = [None] * len(items)
        todo = [i for i, value in enumerate(values) if value is None]
        progress = bar(label, len(todo))
        for i, value in zip(todo, _run(compute, [items[i] for i in todo], pool)):
            values[i], wholes[i] = self._keep(kind, keys[i], value, summaries, only) if keep(value) else (value, value)
            progress.advance()
        progress.close()
        return _computed(values, todo, keys, wholes)

    def cached_batch(self, kind: str, items: Sequence[T], key: Callable[[T], str],
                     compute: Callable[[list[T]], list[V]], value_type: Any, summaries: Sequence[Summary] = (),
                     only: Summary | None = None) -> Computed[V]:
        """Like cached_map, but the misses are computed by one call (an engine that works best in batches)."""
        keys = [key(item) for item in items]
        values: list[Any] = [self._lookup(kind, k, value_type, only) for k in keys]
        wholes: list[Any] = [None] * len(items)
        todo = [i for i, value in enumerate(values) if value is None]
        for i, value in zip(todo, compute([items[i] for i in todo]) if todo else []):
            values[i], wholes[i] = self._keep(kind, keys[i], value, summaries, only)
        return _computed(values, todo, keys, wholes)

    def deferred_batch(self, kind: str, items: Sequence[T], key: Callable[[T], str],
                       compute: Callable[[list[T]], list[V]], value_type: Any) -> Computed[Deferred[V]]:
        """Like cached_batch, but what the cache has is not read: each value is read when first asked for (and
        computed then, alone, if its entry proves unreadable), so a build decodes only the values its changed
        pages show."""
        keys = [key(item) for item in items]
        todo = [i for i, k in enumerate(keys) if not self.store.has(kind, k)]
        made: dict[int, V] = {}
        for i, value in zip(todo, compute([items[i] for i in todo]) if todo else []):
            self.store.put(kind, keys[i], value)
            made[i] = value
        deferred = [Deferred(self, kind, k, value_type, functools.partial(_one, compute, item), made.get(i))
                    for i, (item, k) in enumerate(zip(items, keys))]
        return _computed(deferred, todo, keys, [None] * len(items))

    def _lookup(self, kind: str, key: str, value_type: Any, only: Summary | None) -> Any | None:
        if only is None:
            return self.store.get(kind, key, value_type)
        found = self.store.get(only.kind, key, value_type)
        if found is None:
            whole = self.store.get(kind, key, value_type)
            if whole is not None:
                found = only.of(whole)
                self.store.put(only.kind, key, found)
        return found

    def _keep(self, kind: str, key: str, value: Any, summaries: Sequence[Summary], only: Summary | None) -> tuple[Any, Any]:
        """Store a computed value and its summaries; what the caller gets (the value, or the summary it asked
        for) and the whole value (None when what was computed is not one)."""
        if only is not None and not only.computed_whole:
            short = only.of(value)
            self.store.put(only.kind, key, short)
            return short, None
        seen: dict[int, tuple[Any, Any]] = {}  # the summaries share most of their parts with the value: encoded once
        short = value
        for summary in summaries:
            summarized = summary.of(value)
            self.store.put(summary.kind, key, summarized, seen)
            if summary is only:
                short = summarized
        self.store.put(kind, key, value, seen)
        return short, value


class Deferred(Generic[V]):
    """A value kept in the cache and read only when first called for; `compute` makes it again should its entry
    prove unreadable (a value computed this run is held from the start)."""

    __slots__ = ("_memo", "_kind", "key", "_type", "_compute", "_value")

    def __init__(self, memo: Memo, kind: str, key: str, value_type: Any, compute: Callable[[], V],
                 value: V | None = None) -> None:
        self._memo, self._kind, self.key, self._type, self._compute, self._value = (memo, kind, key, value_type,
                                                                                    compute, value)
        memo.store.referenced.add(key)

    def __call__(self) -> V:
        if self._value is None:
            value = self._memo.get(self._kind, self.key, self._type)
            if value is None:
                value = self._compute()
                self._memo.put(self._kind, self.key, value)
            self._value = value
        return self._value

    def __repr__(self) -> str:
        return f"Deferred({self._kind}:{self.key})"


def _one(compute: Callable[[list[T]], list[V]], item: T) -> V:
    return compute([item])[0]


@dataclass(frozen=True)
class Summary(Generic[V]):
    """A smaller form of a stage's values that some readers need instead of the whole (`course check` needs a
    lesson's findings, not its HTML; a build, the body only of the pages it renders again), kept under its own kind
    and the same key, so those readers decode only it."""

    kind: str
    of: Callable[[V], V]
    """The summary of one value: of the same type, with what those readers do not use left empty."""
    computed_whole: bool = False
    """Whether computing a value for a reader of summaries makes the whole value all the same (a typeset formula),
    so it is stored too; otherwise (a lesson checked without making its HTML) only its summary is."""


def _computed(values: list, todo: list[int], keys: list[str], wholes: list) -> Computed:
    fresh = set(todo)
    return Computed(tuple(values), len(todo), len(values) - len(todo), tuple(i in fresh for i in range(len(values))),
                    tuple(keys), tuple(wholes))


def _run(compute: Callable[[T], V], items: list[T], pool: Pool | None):
    """compute over items, in order: in worker processes when the pool pays, else here (lazily, one by one)."""
    if not items:
        return
    workers = min((pool.max_workers if pool else None) or os.cpu_count() or 1, len(items))
    if pool is None or workers < 2 or len(items) < pool.min_items:
        if pool is not None and pool.initializer is not None:
            pool.initializer(*pool.initargs)
        yield from (compute(item) for item in items)
        return
    with worker_pool(workers, initializer=pool.initializer, initargs=pool.initargs) as executor:
        yield from executor.map(compute, items, chunksize=max(1, len(items) // (workers * 8)))

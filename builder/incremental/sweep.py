"""Keeping .course-cache/ to what the latest runs use: every edit, and every new version of the builder, leaves
entries no build will read again (after a hundred edits at 1,000 lessons the cache held 1.1 GB, 90% of it dead).

Each run that used the cache lists the keys it asked for (read, wrote, or looked up) and those it holds unread for
later (`Deferred`: a map's layout reused from the last build), stored under its flavour:
one list for `course check`, one per output folder and options of `course build` and `course serve`, one per export
(a run replaces its flavour's list). A sweep keeps every entry whose key one of these lists holds, whatever its kind:
a lesson's whole rendering and its summaries share one key, so a build that read only outlines keeps the wholes its
later page renderings read and the findings `course check` reads. Lists made by another builder (another version,
or edited source) are dropped first: every key they hold was made by that builder. An entry written in the last
GRACE seconds is kept too, since a run still going may not have listed it yet. The sweep runs by itself at most once
a day, at the end of a run (`course clean` runs it at once). Removing an entry only ever costs speed: what is
missing is computed again.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from .keys import builder_fingerprint, content_key
from .store import Store

USES = "uses"
"""The cache kind of the runs' lists of keys."""

SWEPT = "swept"
"""The file in the cache folder whose time is the last sweep's."""

EVERY = 24 * 3600.0
"""Seconds between sweeps that runs make by themselves."""

_KEY = re.compile("[0-9a-f]{64}").fullmatch
"""Whether a name is a key (a sha256 in hex): the sweep removes nothing else but its own temporary files."""

GRACE = 3600.0
"""Seconds for which a new entry is kept even if no list holds it (a run still going writes entries before it lists
them)."""


@dataclass(frozen=True)
class Uses:
    """The keys one run used, and the builder that made them."""

    builder: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Swept:
    """What a sweep removed and kept (files and bytes)."""

    removed: int
    removed_bytes: int
    kept: int
    kept_bytes: int


def record_uses(store: Store, flavour: str) -> None:
    """Store the keys this run used as `flavour`'s list (nothing without a cache folder)."""
    if store.folder is None:
        return
    keys = {key for _, key in store.used} | store.referenced
    store.put(USES, content_key(USES, flavour), Uses(builder_fingerprint(), tuple(sorted(keys))))


def sweep_if_due(store: Store) -> Swept | None:
    """Sweep when the last sweep is more than EVERY seconds old (a new cache starts its clock and is not swept)."""
    if store.folder is None:
        return None
    now = time.time()
    marker = store.folder / SWEPT
    try:
        due = now - marker.stat().st_mtime > EVERY
    except FileNotFoundError:
        _touch(marker)
        return None
    except OSError:
        return None
    return sweep(store, now - GRACE) if due else None


def sweep(store: Store, before: float) -> Swept:
    """Remove every entry that no current list holds and that was written before `before` (a time), every list made
    by another builder, and temporary files left by runs that stopped mid-write."""
    folder = store.folder
    assert folder is not None
    keep = _listed_keys(store)
    removed = removed_bytes = kept = kept_bytes = 0
    for kind in _folders(folder):
        if kind.name == USES:
            continue
        for shard in _folders(Path(kind.path)):
            if len(shard.name) != 2:
                continue
            for entry in os.scandir(shard.path):
                key = entry.name[:-5] if entry.name.endswith(".json") else ""
                is_entry = key[:2] == shard.name and _KEY(key) is not None
                if not is_entry and not entry.name.startswith(".tmp-"):
                    continue  # not the store's: left alone
                try:
                    st = entry.stat(follow_symlinks=False)
                    if (is_entry and key in keep) or st.st_mtime >= before:
                        kept, kept_bytes = kept + 1, kept_bytes + st.st_size
                        continue
                    os.unlink(entry.path)
                    removed, removed_bytes = removed + 1, removed_bytes + st.st_size
                except OSError:
                    continue
            try:
                os.rmdir(shard.path)  # only when it is now empty
            except OSError:
                pass
    _touch(folder / SWEPT)
    return Swept(removed, removed_bytes, kept, kept_bytes)


def _listed_keys(store: Store) -> set[str]:
    """The keys the current builder's lists hold; lists of another builder, or unreadable, are removed."""
    folder = store.folder
    assert folder is not None
    current = builder_fingerprint()
    keys: set[str] = set()
    for shard in _folders(folder / USES):
        for entry in os.scandir(shard.path):
            key = entry.name.removesuffix(".json")
            uses = store.peek(USES, key, Uses) if _KEY(key) and entry.name.endswith(".json") else None
            if uses is not None and uses.builder == current:
                keys.update(uses.keys)
                continue
            try:
                os.unlink(entry.path)
            except OSError:
                pass
    return keys


def _folders(path: Path) -> list[os.DirEntry]:
    try:
        return [entry for entry in os.scandir(path) if entry.is_dir(follow_symlinks=False)]
    except OSError:
        return []


def _touch(path: Path) -> None:
    try:
        path.touch()  # made, or its time set to now
    except OSError:
        pass

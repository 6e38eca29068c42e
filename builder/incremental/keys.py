"""Every cache key and fingerprint: what a cached value depends on, hashed in one place.

A key is the sha256 of the canonical JSON of its parts plus FORMAT (bumped when a cached type changes shape).
Fingerprints stand for inputs too big to put in a key: the builder's own source, a theme, a tree of files.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__

FORMAT = 3
"""Version of the cached data's shapes; part of every key."""

BUILDER = Path(__file__).resolve().parent.parent
"""The builder package's folder."""


def content_key(*parts: Any) -> str:
    """sha256 of the canonical JSON of `parts` (with the cache format and the builder's version)."""
    blob = json.dumps([FORMAT, __version__, *parts], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()


def text_digest(text: str) -> str:
    """sha256 of a text (a source file's content)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@functools.lru_cache(maxsize=None)
def builder_fingerprint() -> str:
    """Hash of the builder's own Python source: a changed builder never reuses what an older one made."""
    return files_digest(BUILDER, sorted(BUILDER.rglob("*.py")))


@functools.lru_cache(maxsize=None)
def source_fingerprint(folder: Path) -> str:
    """Hash of the Python source under one folder of the builder (e.g. builder/dynamics: figures depend on it)."""
    return files_digest(folder, sorted(folder.rglob("*.py")))


def files_digest(base: Path, paths: Iterable[Path]) -> str:
    """Hash of files' names (relative to `base`) and bytes."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def theme_fingerprint(folders: Sequence[Path], kinds: Sequence[str] = ("templates", "partials")) -> str:
    """Hash of the theme files pages are rendered with, in lookup order (a site's own theme folder first)."""
    digest = hashlib.sha256()
    for folder in folders:
        for kind in kinds:
            files = sorted((folder / kind).glob("*.html")) if (folder / kind).is_dir() else []
            digest.update(f"{folder.name}/{kind}\0{files_digest(folder, files)}\0".encode())
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def package_versions(*names: str) -> tuple[str, ...]:
    """`name=version` of installed distributions (results of numpy and plotly code depend on them)."""
    out = []
    for name in names:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:  # pragma: no cover - a broken installation
            out.append(f"{name}=?")
    return tuple(out)


def tree_stamp(paths: Sequence[Path]) -> str:
    """A cheap fingerprint of every file under `paths` (name, size, modification time; an unreadable one by name):
    has anything changed since the last build?"""
    digest = hashlib.sha256()
    for base in paths:
        states = [(str(base), file_state(base))] if base.is_file() else \
            sorted(_tree_states(str(base), os.path.realpath(base))) if base.is_dir() else []
        for path, state in states:
            digest.update(f"{path}\0{state}\n".encode())
    return digest.hexdigest()


def _tree_states(folder: str, real: str) -> list[tuple[str, str]]:
    """file_state of everything under `folder` (whose real path is `real`), by path; links to folders are not
    followed (as Path.rglob). One scandir per folder, and a real path resolved only for a link: a build that finds
    nothing changed stamps a thousand lessons, and resolving each path was most of its time."""
    try:
        with os.scandir(folder) as scan:
            entries = list(scan)
    except OSError:
        return []
    states = []
    for entry in entries:
        try:
            link = entry.is_symlink()
            st = entry.stat()
        except OSError:  # a broken link, a file that just vanished
            states.append((entry.path, "missing"))
            continue
        where = os.path.realpath(entry.path) if link else os.path.join(real, entry.name)
        states.append((entry.path, _state(st, where)))
        if stat.S_ISDIR(st.st_mode) and not link:
            states += _tree_states(entry.path, where)
    return states


def file_state(path: Path) -> str:
    """What can be seen of a file without reading it: kind, size, time and real path ("missing" if there is none)."""
    try:
        st = path.stat()
    except OSError:  # missing, a broken link, a file that just vanished: the build proper reports it
        return "missing"
    try:
        real = str(path.resolve())
    except (OSError, RuntimeError):
        real = "?"
    return _state(st, real)


def _state(st: os.stat_result, real: str) -> str:
    return f"{'file' if stat.S_ISREG(st.st_mode) else 'other'}:{st.st_size}:{st.st_mtime_ns}:{real}"

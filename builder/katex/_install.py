"""Locating (and on first use installing) the pinned KaTeX package, through builder.npm.

Lookup order:

1. ``$COURSE_KATEX_DIR`` -- an existing KaTeX directory (a package directory
   holding ``dist/katex.min.js``, or a dist directory holding ``katex.min.js``).
   Nothing is downloaded; the version must match ``KATEX_VERSION``.
2. ``$XDG_CACHE_HOME/course-builder/katex-<version>/`` (default
   ``~/.cache/course-builder/katex-<version>/``), installed there on first use.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from .. import npm
from ..npm import node_executable  # noqa: F401  (the engine runs KaTeX with it)

KATEX_VERSION = "0.19.1"
# `npm view katex@0.19.1 dist.integrity`
KATEX_INTEGRITY = (
    "sha512-jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr5614uRrEfA=="
)
ENV_KATEX_DIR = "COURSE_KATEX_DIR"


class MathUnavailable(Exception):
    """KaTeX cannot be found or installed.  ``message`` says what went wrong,
    ``hint`` what the author can do about it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message if not hint else f"{message}\nhint: {hint}")
        self.message = message
        self.hint = hint


_HINT = (
    "KaTeX {v} is downloaded once from the npm registry and then cached. Connect to the "
    "network and run `python -m builder.katex install`, or set {env} to an existing KaTeX "
    "{v} directory (one containing dist/katex.min.js)."
).format(v=KATEX_VERSION, env=ENV_KATEX_DIR)


def katex_pin() -> npm.Pin:
    """The pinned KaTeX package (read at call time, so tests can pin another hash)."""
    return npm.Pin("katex", KATEX_VERSION, KATEX_INTEGRITY, _HINT)


def default_install_dir() -> Path:
    """Where KaTeX is installed on first use."""
    return npm.install_dir(katex_pin())


def _dist_of(directory: Path) -> Path | None:
    """The dist directory inside a KaTeX directory (package dir or dist dir)."""
    if (directory / "dist" / "katex.min.js").is_file():
        return directory / "dist"
    if (directory / "katex.min.js").is_file():
        return directory
    return None


_VERSION_RE = re.compile(r'version:"(\d+\.\d+\.\d+[^"]*)"')


def _version_of(dist: Path) -> str | None:
    pkg = dist.parent / "package.json"
    if pkg.is_file():
        try:
            data = json.loads(pkg.read_text(encoding="utf-8"))
            if data.get("name") == "katex":
                return str(data.get("version"))
        except (OSError, ValueError):
            pass
    try:
        m = _VERSION_RE.search((dist / "katex.min.js").read_text(encoding="utf-8"))
    except OSError:
        return None
    return m.group(1) if m else None


def _check_dir(directory: Path, origin: str) -> Path:
    dist = _dist_of(directory)
    if dist is None:
        raise MathUnavailable(f"{origin}{directory} is not a KaTeX directory (no dist/katex.min.js or katex.min.js in it).", _HINT)
    version = _version_of(dist)
    if version != KATEX_VERSION:
        raise MathUnavailable(f"{origin}{directory} holds KaTeX {version or '(unknown version)'}, "
                              f"but course-builder is pinned to KaTeX {KATEX_VERSION}.", _HINT)
    missing = [n for n in ("katex.min.css", "fonts") if not (dist / n).exists()]
    if missing:
        raise MathUnavailable(f"{origin}{directory} is incomplete: {', '.join(missing)} missing from {dist}.", _HINT)
    return directory


def _check_unpacked(folder: Path) -> None:
    if _version_of(folder / "dist") != KATEX_VERSION:
        raise npm.PackageUnavailable(f"The downloaded tarball is not KaTeX {KATEX_VERSION}.", _HINT)


def install_katex(target: Path | None = None) -> Path:
    """Download, verify and unpack KaTeX into ``target`` (default: the per-user cache)."""
    try:
        return npm.install_package(katex_pin(), target or default_install_dir(), _check_unpacked)
    except npm.PackageUnavailable as exc:
        raise MathUnavailable(exc.message.replace(f"katex@{KATEX_VERSION}", f"KaTeX {KATEX_VERSION}"), exc.hint) from None


def is_installed(target: Path) -> bool:
    """Whether `target` holds the verified pinned KaTeX."""
    return npm.is_installed(katex_pin(), target) and (target / "dist" / "katex.min.js").is_file()


def ensure_katex() -> Path:
    """Return the KaTeX package directory, installing it on first use.

    Honours ``$COURSE_KATEX_DIR``.  Raises :class:`MathUnavailable` with an
    author-facing message and hint when KaTeX cannot be found or installed."""
    override = os.environ.get(ENV_KATEX_DIR)
    if override:
        return _check_dir(Path(override).expanduser(), f"{ENV_KATEX_DIR}=")
    target = default_install_dir()
    return target if is_installed(target) else install_katex(target)


def katex_dist_dir() -> Path:
    """The KaTeX dist directory (katex.min.js, katex.min.css, fonts/) of the pinned version."""
    dist = _dist_of(ensure_katex())
    assert dist is not None
    return dist

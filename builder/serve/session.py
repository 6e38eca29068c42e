"""A `course serve` session: build, serve the site on 127.0.0.1, rebuild after each save, tell the open pages.

It builds into .course-cache/serve-site/ (so _site/ never carries the live-reload script), with drafts. A failed
rebuild keeps the last good site served and shows its findings over the open page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from ..incremental.keys import tree_stamp
from ..incremental.store import CACHE_DIR
from ..interrupts import acknowledge_interrupt, raise_if_interrupted
from ..load.config import load_config
from ..model.config import Edition
from ..model.errors import CourseError
from ..report import format_text
from .server import BuildState, DevServer
from .watch import watch, watch_paths

Echo = Callable[[str], None]


def serve_project(root: Path, host: str, port: int, echo: Echo, echo_err: Echo,
                  edition: Edition = Edition.STUDENT) -> None:
    """Serve until Ctrl+C; OSError when the address cannot be bound."""
    out = root / CACHE_DIR / "serve-site"
    memory: dict = {}  # the course as the last build left it: a rebuild reads and decodes only what changed
    state = BuildState()
    lock = threading.Lock()

    def rebuild(changed: set[str] | None = None) -> None:
        with lock:
            if changed:
                names = ", ".join(sorted(_shown(Path(p), root) for p in changed)[:3])
                echo(f"Changed: {names}{' ...' if len(changed) > 3 else ''}")
            published: list[bool] = []

            def reload_now() -> None:  # the new site is in place: the open pages reload while the build finishes
                state.publish([])
                published.append(True)
            findings = _build(root, out, echo, echo_err, edition, memory, reload_now)
            if findings:  # it failed: the open pages show why
                state.publish(findings)
            elif not published and (findings is not None or state.findings):  # nothing changed, nothing wrong: no reload
                state.publish([])
            raise_if_interrupted()  # a signal that could not be raised where it landed still stops the server

    try:
        theme_dir = load_config(root).theme_dir
    except CourseError:
        theme_dir = None
    paths = watch_paths(root, theme_dir)
    before = tree_stamp(paths)
    rebuild()
    server = DevServer(out, state, host=host, port=port).start()
    echo(f"Serving {root} at {server.url}  (Ctrl+C to stop)")
    stop = threading.Event()

    def watching() -> None:  # what changed between the first build and the watcher's start is not lost
        if tree_stamp(paths) != before:
            rebuild({str(p) for p in paths})
    try:
        watch(paths, rebuild, stop, ready=watching)
    except KeyboardInterrupt:
        acknowledge_interrupt()  # Ctrl+C is how a server is stopped: not a failure
    finally:
        stop.set()
        server.stop()
        echo("Stopped.")


def _build(root: Path, out: Path, echo: Echo, echo_err: Echo, edition: Edition, memory: dict,
           on_published: Callable[[], None]) -> list[dict] | None:
    """One serve-mode build: findings (with their source lines) when it failed, [] when it built, None when nothing
    had changed."""
    from ..pipeline import Built, build

    try:
        result = build(root, out=out, force=True, live_reload=True, drafts=True, edition=edition, memory=memory,
                       on_published=on_published, in_place=True)
    except CourseError as exc:
        echo_err(format_text(exc.diagnostics))
        return [_with_source(root, d.as_dict()) for d in exc.diagnostics if d.severity == "error"]
    except Exception as exc:  # keep serving the last good site; say what broke
        raise_if_interrupted()  # unless Ctrl+C or SIGTERM landed in clean-up code and surfaced as another error
        echo_err(f"internal error in course-builder: {type(exc).__name__}: {exc}")
        return [{"code": "internal", "severity": "error", "file": "", "line": 0, "column": 0, "source": "",
                 "message": f"{type(exc).__name__}: {exc}", "hint": "This is a bug in course-builder; please report it."}]
    if not isinstance(result, Built):
        return None
    written = result.report.written
    echo(f"Rebuilt in {result.seconds:.2f} s ({written} file{'' if written == 1 else 's'} changed).")
    return []


def _with_source(root: Path, finding: dict) -> dict:
    try:
        lines = (root / finding["file"]).read_text(encoding="utf-8").splitlines()
        finding["source"] = lines[finding["line"] - 1] if 0 < finding["line"] <= len(lines) else ""
    except (OSError, UnicodeDecodeError, KeyError):
        finding["source"] = ""
    return finding


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)

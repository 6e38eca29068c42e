"""What `course serve` watches, and the watching: a rebuild after each burst of saves."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

WATCHED = ("content", "lessons", "theme", "site.yaml")
_SED_TEMP = re.compile(r"^sed[A-Za-z0-9]{6}$")


def is_scratch(name: str) -> bool:
    """An editor's or tool's temporary file, not a change to the course: hidden files (vim's .swp, emacs' .#lock),
    vim's write test `4913`, emacs' `#autosave#`, `backup~` files, and `sed -i`'s sedXXXXXX."""
    return (name.startswith(".") or name == "4913" or name.endswith("~") or (name.startswith("#") and name.endswith("#"))
            or bool(_SED_TEMP.match(name)) or name.endswith((".swp", ".swx", ".tmp")))


def watch_paths(project: Path, theme_dir: Path | None) -> list[Path]:
    """What the server watches: content/, lessons/, theme/, site.yaml, and the site's theme folder."""
    paths = [project / name for name in WATCHED if (project / name).exists()]
    if theme_dir and theme_dir.exists() and theme_dir not in paths:
        paths.append(theme_dir)
    return paths


def watch(paths: list[Path], on_change: Callable[[set[str]], None], stop: threading.Event,
          ready: Callable[[], None] | None = None) -> None:
    """Call on_change with the changed paths after each burst of file changes, until stop is set; `ready` once the
    watcher is running (changes before that moment are not reported: compare a tree_stamp to find them)."""
    from watchfiles import watch as watch_files

    for changes in watch_files(*paths, stop_event=stop, debounce=150, step=50, rust_timeout=200, yield_on_timeout=True):
        if ready is not None:
            ready, started = None, ready
            started()
        changed = {path for _, path in changes if not is_scratch(os.path.basename(path))}
        if changed:
            on_change(changed)


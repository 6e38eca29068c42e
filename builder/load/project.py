"""Which project a command is about: like git, the nearest folder at or above a path that holds a site.yaml."""

from __future__ import annotations

from pathlib import Path

PROJECT_FILE = "site.yaml"


def find_project(start: Path) -> Path | None:
    """The project folder holding `start` (a folder or a file), or None when no folder above it has a site.yaml."""
    here = start.resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None

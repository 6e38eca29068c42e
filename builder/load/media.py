"""The project files pages link to (images, downloads): whether each is there to be published."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ..model.config import SiteConfig
from ..model.rendered import RenderedCourse


class FileStatus(Enum):
    """What a linked project file is."""

    OK = "ok"
    MISSING = "missing"
    """No such file (or not a regular file)."""
    OUTSIDE = "outside"
    """A symbolic link that leads outside the project: never published."""


@dataclass(frozen=True)
class LinkedFiles:
    """Every project file a page links to, by its path relative to the project, and its status."""

    status: Mapping[str, FileStatus]

    @property
    def published(self) -> list[str]:
        """The files to copy into the site (under media/)."""
        return sorted(rel for rel, status in self.status.items() if status is FileStatus.OK)


def load_media(config: SiteConfig, rendered: RenderedCourse) -> LinkedFiles:
    """Look at each file the pages link to (nothing is read yet: the writer copies them)."""
    wanted = sorted({rel for doc in rendered.documents for rel in doc.files})
    return LinkedFiles({rel: _status(config.root, rel) for rel in wanted})


def _status(root: Path, rel: str) -> FileStatus:
    path = root / rel
    if not path.is_file():
        return FileStatus.MISSING
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symbolic link loop
        inside = False
    return FileStatus.OK if inside else FileStatus.OUTSIDE

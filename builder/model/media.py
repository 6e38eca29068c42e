"""The project files pages link to (images, downloads) and whether each can be published."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum


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

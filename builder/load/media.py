"""The project files pages link to (images, downloads): whether each is there to be published."""

from __future__ import annotations

from pathlib import Path

from ..model.config import SiteConfig
from ..model.media import FileStatus, LinkedFiles
from ..model.rendered import RenderedCourse


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

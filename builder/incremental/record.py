"""The record of the last build into an output folder: what it was made from, so the next build does only what
changed (nothing at all when no input changed; only the pages whose inputs changed otherwise)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..model.diagnostics import Diagnostic
from ..model.output import PageInputs, SearchScores
from .keys import builder_fingerprint, content_key, file_state, tree_stamp
from .memo import Memo

KIND = "builds"
STAMP_KIND = "build-stamps"
"""The record without what only a build that renders needs (pages' inputs, search scores): what a no-op reads."""


@dataclass(frozen=True)
class BuildRecord:
    """One successful build into one folder."""

    stamp: str
    """Fingerprint of every source file (name, size, time) and of the builder, when the build started."""
    marker: str
    """Identity of the output folder's marker file then: the record holds only while the folder is that build's."""
    files: int
    bytes: int
    pages: Mapping[str, PageInputs]
    """Lesson, module and home page path -> the inputs it was made from."""
    linked: Mapping[str, str]
    """Project files the pages link to (outside the watched folders too) -> their state then."""
    diagnostics: tuple[Diagnostic, ...]
    """The build's warnings, shown again when nothing changed."""
    search: SearchScores | None = None
    """What its search index was scored from (the next build scores only what changed)."""

    def is_current(self, root: Path, stamp: str) -> bool:
        """Whether nothing this build was made from has changed."""
        return self.stamp == stamp and all(file_state(root / rel) == state for rel, state in self.linked.items())


def source_stamp(roots: list[Path], target: Path, options: object) -> str:
    """The stamp of a build's inputs: every file under `roots`, the builder itself, where and how (`options`) it builds."""
    return content_key("stamp", builder_fingerprint(), str(target), options, tree_stamp(roots))


def last_build(memo: Memo, target: Path, live_reload: bool, marker: str) -> BuildRecord | None:
    """The record of the last build into `target`, if the folder still holds what that build wrote."""
    return _of_folder(memo.get(KIND, _key(target, live_reload), BuildRecord), marker)


def current_build(memo: Memo, target: Path, live_reload: bool, marker: str, root: Path, stamp: str) -> BuildRecord | None:
    """The last build into `target` when nothing it was made from has changed since (read from its stamp alone: a
    no-op decodes no page's inputs and no search score), else None."""
    record = _of_folder(memo.get(STAMP_KIND, _key(target, live_reload), BuildRecord), marker)
    return record if record is not None and record.is_current(root, stamp) else None


def _of_folder(record: BuildRecord | None, marker: str) -> BuildRecord | None:
    """The record, if the output folder still holds what that build wrote (its marker is the same)."""
    return record if record is not None and record.marker == marker and marker else None


def save_build(memo: Memo, target: Path, live_reload: bool, record: BuildRecord) -> None:
    """Keep the record of a build that was just published (and its stamp apart: see current_build)."""
    memo.put(KIND, _key(target, live_reload), record)
    memo.put(STAMP_KIND, _key(target, live_reload), replace(record, pages={}, search=None))


def linked_states(root: Path, files: list[str]) -> dict[str, str]:
    """The state of each linked project file now (for a record)."""
    return {rel: file_state(root / rel) for rel in sorted(set(files))}


def _key(target: Path, live_reload: bool) -> str:
    return content_key("last-build", str(target), live_reload)

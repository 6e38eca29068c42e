"""The only module that writes the site: build into a temporary folder beside the output, then swap it in.

A failed or interrupted build leaves the previous output as it was. The output folder carries a marker
file; a non-empty folder without it is never replaced (unless forced), and the project root or a source
folder never is.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import error
from .errors import BuildError

MARKER = ".course-build"
MARKER_TEXT = "This folder is written by `course build`; it is replaced on every build. Do not edit files here.\n"
SOURCE_FOLDERS = ("content", "lessons", "theme", "builder", "tests", ".git")


@dataclass(frozen=True)
class WriteReport:
    """What a publish did."""

    files: int
    written: int
    """Files whose bytes changed (the others were carried over unchanged)."""
    bytes: int


def check_output_dir(out: Path, project: Path, force: bool = False) -> None:
    """Refuse outputs that would destroy something we did not make."""
    out, project = out.resolve(), project.resolve()
    rel = _display(out, project)
    if out == project or out in project.parents:
        raise BuildError([error("CB500", "site.yaml", None, f"the output folder `{rel}` is the project folder or contains it",
                                "Set `output:` in site.yaml (or --out) to a folder of its own, e.g. `_site`.")])
    for name in SOURCE_FOLDERS:
        source = project / name
        if source.exists() and (out == source or source in out.parents or out in source.parents):
            raise BuildError([error("CB500", "site.yaml", None, f"the output folder `{rel}` overlaps the source folder `{name}/`",
                                    "Build into a separate folder, e.g. `_site`.")])
    if (project / "site.yaml").exists() and out.is_dir() and (out / "site.yaml").exists():
        raise BuildError([error("CB500", "site.yaml", None, f"the output folder `{rel}` holds a site.yaml: it looks like a project",
                                "Choose another output folder.")])
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file() and not force:
        raise BuildError([error("CB500", "site.yaml", None,
                                f"the output folder `{rel}` is not empty and was not made by `course build`",
                                "Choose an empty or new folder, or pass --force to replace it (its files will be deleted).")])


def write_site(files: Mapping[str, bytes], out: Path, project: Path, force: bool = False) -> WriteReport:
    """Publish `files` (site path -> bytes) as the folder `out`, atomically."""
    check_output_dir(out, project, force)
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    written = total = 0
    try:
        tmp.mkdir()
        for rel in sorted(files):
            data = files[rel]
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            previous = out / rel
            total += len(data)
            if _same_bytes(previous, data):
                try:
                    os.link(previous, target)  # unchanged: keep the old file (and its mtime)
                    continue
                except OSError:
                    pass
            target.write_bytes(data)
            written += 1
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        if out.exists():
            out.rename(old)
        tmp.rename(out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out.exists():
            old.rename(out)
        raise BuildError([error("CB501", _display(out, project), None,
                                f"could not write the site: {exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename else ""),
                                "Check that the output folder's parent is writable and the disk has space; the previous site is unchanged.")]) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return WriteReport(files=len(files), written=written, bytes=total)


def clean_leftovers(out: Path) -> None:
    """Remove temporary folders an interrupted build left beside the output."""
    for leftover in out.parent.glob(f".{out.name}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out.parent.glob(f".{out.name}.old-*"):
        if out.exists():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.rename(out)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _display(out: Path, project: Path) -> str:
    try:
        return out.relative_to(project).as_posix()
    except ValueError:
        return str(out)

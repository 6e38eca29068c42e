"""Writing an export: one file, written beside its final place under a temporary name and renamed at the end.

An export that fails or is interrupted leaves no half-written file, and a package already there untouched. A zip is
deterministic: members in a fixed order (the manifest first), fixed times and permissions, so two exports of the same
course are byte-identical.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO

from ..interrupts import raise_if_interrupted
from ..model.diagnostics import error
from ..model.errors import BuildError
from .writer import SOURCE_FOLDERS

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every member's time: the earliest a zip can hold (a package's bytes must not depend on when it was made)."""
STORED = (".woff2", ".woff", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip")
"""Already compressed: stored as they are."""


def check_package_path(target: Path, project: Path, suffix: str) -> None:
    """Refuse an output that would destroy something: a folder, a file of another kind, a file among the sources."""
    def refuse(message: str, hint: str) -> BuildError:
        return BuildError([error("CB500", _display(target, project), None, message, hint)])

    target, project = target.resolve(), project.resolve()
    if target.is_dir():
        raise refuse("the output is a folder", f"Name a file, e.g. `--out {target.name}/course{suffix}`.")
    if target.suffix.lower() != suffix:
        raise refuse(f"the output file must end in `{suffix}`",
                     f"Name the package `<name>{suffix}`; an existing file of another kind is never replaced.")
    for source in [project / name for name in SOURCE_FOLDERS]:
        if source in target.parents:
            raise refuse(f"the output is inside the source folder `{_display(source, project)}/`",
                         "Export outside the project's sources, e.g. into `_export/` (the default).")


def write_package(target: Path, project: Path, write: Callable[[BinaryIO], None]) -> int:
    """Write the file `target` atomically with `write(stream)`; its size. OSError becomes a CB501 finding."""
    target = target.resolve()
    tmp = target.parent / f".{target.name}.tmp-{os.getpid()}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _clean_leftovers(target)
        with open(tmp, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        raise_if_interrupted()  # a signal that landed where it could not be raised: do not publish
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        where = f" ({exc.filename})" if exc.filename else ""
        raise BuildError([error("CB501", _display(target, project.resolve()), None,
                                f"could not write the package: {exc.strerror or exc}{where}",
                                "Check that the folder is writable and the disk has space; an earlier package is unchanged.")]) from exc
    except BaseException:  # interrupted (Ctrl+C, SIGTERM) or failed: no half-written file
        tmp.unlink(missing_ok=True)
        raise
    return target.stat().st_size


def zip_writer(members: Mapping[str, bytes], first: str = "imsmanifest.xml") -> Callable[[BinaryIO], None]:
    """What writes `members` as a deterministic zip: `first` leads (LMSs look for it), the rest by name."""
    def write(stream: BinaryIO) -> None:
        names = sorted(members, key=lambda name: (name != first, name))
        with zipfile.ZipFile(stream, "w") as archive:
            for name in names:
                info = zipfile.ZipInfo(name, ZIP_TIME)
                info.create_system = 3  # unix: the permissions below mean the same everywhere
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_STORED if name.lower().endswith(STORED) else zipfile.ZIP_DEFLATED
                archive.writestr(info, members[name], compresslevel=6)
                raise_if_interrupted()
    return write


def bytes_writer(data: bytes) -> Callable[[BinaryIO], None]:
    """What writes `data` as it is (a PDF)."""
    return lambda stream: stream.write(data) and None


def _clean_leftovers(target: Path) -> None:
    """Remove temporary files that a killed export left beside the target (not those of an export still running)."""
    for leftover in target.parent.glob(f".{target.name}.tmp-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _is_running(int(pid)):
            leftover.unlink(missing_ok=True)


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _display(path: Path, project: Path) -> str:
    try:
        return path.relative_to(project).as_posix()
    except ValueError:
        return str(path)

"""The only module that writes the site: build into a temporary folder beside the output, then swap it in.

A failed or interrupted build leaves the previous output as it was. The output folder carries a marker
file; a non-empty folder without it is never replaced (unless forced), and the project root or a source
folder never is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ..interrupts import raise_if_interrupted
from ..model.diagnostics import Pos, error
from ..model.errors import BuildError
from ..model.output import PageSet, WriteReport
from ..progress import stage

MARKER = ".course-build"
MARKER_TEXT = "This folder is written by `course build`; it is replaced on every build. Do not edit files here.\n"
SOURCE_FOLDERS = ("content", "lessons", "theme", "builder", "tests", ".git")


def check_output_dir(out: Path, project: Path, force: bool = False, sources: Sequence[Path] = (),
                     where: Pos | None = None) -> None:
    """Refuse outputs that would destroy something we did not make.

    `sources`: more source folders (a site's theme_dir); `where`: the position of site.yaml's `output:` when the
    output folder comes from there (findings then point at it).
    """
    def refuse(message: str, hint: str) -> BuildError:
        return BuildError([error("CB500", "site.yaml", where, message, hint)])

    out, project = out.resolve(), project.resolve()
    rel = _display(out, project)
    if out == project or out in project.parents:
        raise refuse(f"the output folder `{rel}` is the project folder or contains it",
                      "Set `output:` in site.yaml (or --out) to a folder of its own, e.g. `_site`.")
    for source in [project / name for name in SOURCE_FOLDERS] + [Path(s).resolve() for s in sources]:
        if source.exists() and (out == source or source in out.parents or out in source.parents):
            raise refuse(f"the output folder `{rel}` overlaps the source folder `{_display(source, project)}/`",
                          "Build into a separate folder, e.g. `_site`.")
    if out.exists() and not out.is_dir():
        raise refuse(f"the output `{rel}` is a file, not a folder", "Choose a folder for the site, e.g. `_site`; the file is left as it is.")
    if (project / "site.yaml").exists() and out.is_dir() and (out / "site.yaml").exists():
        raise refuse(f"the output folder `{rel}` holds a site.yaml: it looks like a project", "Choose another output folder.")
    if out.is_dir() and not force and not (out / MARKER).is_file() and _has_entries(out):
        raise refuse(f"the output folder `{rel}` is not empty and was not made by `course build`",
                      "Choose an empty or new folder, or pass --force to replace it (its files will be deleted).")


@stage("writing", lambda r: f"{r.files} files, {r.written} changed")
def write_site(pages: PageSet, out: Path, project: Path, force: bool = False,
               sources: Sequence[Path] = (), where: Pos | None = None,
               on_published: Callable[[], None] | None = None, in_place: bool = False) -> WriteReport:
    """Publish the site as the folder `out`, atomically (see check_output_dir for the options): the files made this
    run, and the pages carried over from the folder's current content (`pages.kept`). `on_published` is called as
    soon as the new site is in place (before the old one is deleted: `course serve` reloads the open pages then).

    `in_place` (`course serve`'s own folder in .course-cache/, which no reader keeps): a folder this builder wrote
    is updated file by file instead (each file replaced atomically, files no longer made deleted), which saves
    making a folder per page. Its marker is removed first and written anew last, so the folder is never taken for
    the last build's (by marker_identity) while it is half updated, or updated but not yet recorded: a failed or
    interrupted update makes the next build render every page."""
    check_output_dir(out, project, force, sources, where)
    files = pages.files
    kept = sorted(set(pages.kept) - set(files))
    for rel in [*files, *kept]:
        if not is_safe_site_path(rel):  # paths come from slugs and module ids, validated upstream: never trust them here
            raise BuildError([error("CB501", _display(out.resolve(), project.resolve()), None,
                                    f"refusing to write `{rel}`: it is not a plain path inside the output folder",
                                    "This is a bug in course-builder; please report it. Nothing was written.")])
    out = out.resolve()
    if in_place and (out / MARKER).is_file():
        try:
            (out / MARKER).unlink()
            report = _update(out, files, set(kept))
            raise_if_interrupted()  # a signal that landed where it could not be raised: leave the folder unmarked
            (out / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        except OSError as exc:
            raise _write_error(exc, out, project, "the next build writes the folder again.") from exc
        if on_published is not None:
            on_published()
        return report
    tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    written = total = 0
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(out)
        tmp.mkdir()
        made = {tmp}
        for rel in sorted(files):
            data = files[rel]
            target = tmp / rel
            _make_parent(target, made)
            previous = out / rel
            total += len(data)
            if _same_bytes(previous, data):
                try:
                    os.link(previous, target)  # unchanged: keep the old file (and its mtime)
                    continue
                except OSError:
                    pass
            try:
                target.write_bytes(data)
            except OSError as exc:
                exc.filename = exc.filename or str(target)  # a failed write() names no file; say which one
                raise
            written += 1
        for rel in kept:
            target = tmp / rel
            _make_parent(target, made)
            total += _carry_over(out / rel, target)
        (tmp / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        raise_if_interrupted()  # a signal that landed where it could not be raised: do not publish
        if out.exists():
            out.rename(old)
        tmp.rename(out)
    except OSError as exc:
        _roll_back(tmp, old, out)
        raise _write_error(exc, out, project) from exc
    except BaseException:  # interrupted (Ctrl+C, SIGTERM): leave the previous site and no temporary folder
        _roll_back(tmp, old, out)
        raise
    if on_published is not None:
        on_published()
    shutil.rmtree(old, ignore_errors=True)
    return WriteReport(files=len(files) + len(kept), written=written, bytes=total)


def _update(out: Path, files: Mapping[str, bytes], kept: set[str]) -> WriteReport:
    """Bring a published folder to the new site file by file: changed files replaced, others left, extra deleted."""
    written = total = 0
    made: set[Path] = set()
    for rel, data in sorted(files.items()):
        target = out / rel
        total += len(data)
        if _same_bytes(target, data):
            continue
        _make_parent(target, made)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        written += 1
    wanted = set(files) | kept | {MARKER}
    for folder, _, names in os.walk(out, topdown=False):
        for name in names:
            path = Path(folder) / name
            rel = path.relative_to(out).as_posix()
            if rel in kept:
                total += path.stat().st_size
            elif rel not in wanted:
                path.unlink()
        if Path(folder) != out and not os.listdir(folder):
            os.rmdir(folder)
    return WriteReport(files=len(files) + len(kept), written=written, bytes=total)


def _write_error(exc: OSError, out: Path, project: Path, after: str = "the previous site is unchanged.") -> BuildError:
    where = f" ({exc.filename})" if exc.filename else ""
    return BuildError([error("CB501", _display(out, project.resolve()), None,
                             f"could not write the site: {exc.strerror or exc}{where}",
                             "Check that the output folder and its parent are writable and the disk has space; " + after)])


def _make_parent(path: Path, made: set[Path]) -> None:
    """Make the folder of `path` unless this write already made it (a site has a folder per page)."""
    if path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        made.add(path.parent)


def marker_identity(out: Path) -> str:
    """Which publish the output folder holds (its marker file's inode and time; "" if none). The build cache's
    record of the last build is trusted only while this matches, so a folder another build wrote (--no-cache,
    another checkout) is never taken for the one the record describes."""
    try:
        st = (out / MARKER).stat()
    except OSError:
        return ""
    return f"{st.st_ino}:{st.st_mtime_ns}"


def is_safe_site_path(rel: str) -> bool:
    """True for a relative, normalized, forward-slash path with no `..`, e.g. `lesson/index.html`."""
    if not rel or rel.startswith("/") or "\\" in rel or "\0" in rel:
        return False
    parts = rel.split("/")
    return all(part not in ("", ".", "..") for part in parts)


def clean_leftovers(out: Path) -> None:
    """Remove temporary folders an interrupted build left beside the output (not those of a build still running)."""
    for leftover in out.parent.glob(f".{out.name}.tmp-*"):
        if not _is_running(leftover.name.rsplit("-", 1)[-1]):
            shutil.rmtree(leftover, ignore_errors=True)
    for leftover in out.parent.glob(f".{out.name}.old-*"):
        if out.exists():
            shutil.rmtree(leftover, ignore_errors=True)
        else:  # killed between the two renames of a publish: the previous site is here
            leftover.rename(out)


def _roll_back(tmp: Path, old: Path, out: Path) -> None:
    shutil.rmtree(tmp, ignore_errors=True)
    if old.exists() and not out.exists():
        old.rename(out)


def _is_running(pid_text: str) -> bool:
    """Whether another live process has this pid (its build may still be writing its temporary folder)."""
    if not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _has_entries(folder: Path) -> bool:
    try:
        return any(folder.iterdir())
    except OSError:
        return True  # cannot look inside: treat as not ours


def _carry_over(previous: Path, target: Path) -> int:
    """Hard-link (else copy) a file of the published site into the new one; its size."""
    try:
        os.link(previous, target)
    except OSError:
        shutil.copyfile(previous, target)
    return target.stat().st_size


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

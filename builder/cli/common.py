"""What the commands share: how they find the project, print findings and fail."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

FORMATS = ("text", "json", "github")
LESSON_TYPES = ("STRETCH", "BUILD", "CONSOLIDATE")

project_argument = click.argument("project", required=False, type=click.Path(path_type=Path))
edition_option = click.option("--edition", type=click.Choice(["student", "instructor"]), default="student", show_default=True,
                              help="student: {instructor} notes left out; instructor: notes and every answer shown.")


class NoProject(click.ClickException):
    """The command needs a course project and there is none at or above the path: one line, exit 2."""

    exit_code = 2


def project_root(path: Path | None) -> Path:
    """The project folder at or above `path` (default: the current folder)."""
    from ..load.project import find_project

    start = path or Path.cwd()
    if path is not None and not path.exists():
        raise NoProject(f"{path} does not exist")
    root = find_project(start)
    if root is None:
        raise NoProject(f"no course project here: no site.yaml in {start.resolve()} or any folder above it. "
                        "Start one with `course new project DIR` (or `course init` in this folder).")
    return root


def paths_scope(paths: tuple[Path, ...]) -> tuple[Path, list[str]]:
    """The project of `paths`, and the files/folders (relative to it) the report is limited to ([] for all)."""
    roots = {project_root(path) for path in paths} if paths else {project_root(None)}
    if len(roots) > 1:
        raise NoProject("the paths belong to different projects: check one project at a time")
    root = roots.pop()
    only = [path.resolve().relative_to(root).as_posix() for path in paths if path.resolve() != root]
    return root, only


def within(rel: str, only: list[str]) -> bool:
    return any(rel == item or rel.startswith(item.rstrip("/") + "/") for item in only)


def report_created(folder: Path, written: list[str], here: bool) -> None:
    click.echo(f"Created {len(written)} files in {folder}:")
    for rel in written:
        click.echo(f"  {rel}")
    go = "" if here else f"cd {folder}\n  "
    click.echo(f"Next:\n  {go}course serve      # the site on http://127.0.0.1:8000/, rebuilt as you save\n"
               "  course check      # every finding, like CI\n  course build      # the site into _site/\n"
               '  course new lesson "A title"   # another lesson (a draft)')


def print_findings(diags, fmt: str) -> None:
    from ..report import format_github, format_json, format_text

    if fmt == "json":
        click.echo(format_json(diags))
    elif fmt == "github":
        text = format_github(diags)
        if text:
            click.echo(text)
    else:
        click.echo(format_text(diags))


def fail(diags, message: str) -> None:
    from ..report import format_text

    click.echo(format_text(diags), err=True)
    click.echo(message, err=True)
    sys.exit(1)


def shown_path(path: Path, root: Path) -> str:
    """A path as a summary line shows it: relative to the project, with a trailing slash (an output folder), when it
    is inside the project; else as given."""
    try:
        return path.resolve().relative_to(root).as_posix() + "/"
    except ValueError:
        return str(path)


def internal_error() -> None:
    from ..interrupts import was_interrupted

    if was_interrupted():  # an error the interrupt caused where it landed (e.g. inside an import)
        raise KeyboardInterrupt
    if os.environ.get("COURSE_DEBUG"):
        traceback.print_exc()
    else:
        exc = sys.exc_info()[1]
        click.echo(f"internal error in course-builder: {type(exc).__name__}: {exc}\n"
                   "This is a bug, not a problem with your files. Run again with COURSE_DEBUG=1 for details and report it.",
                   err=True)
    sys.exit(1)

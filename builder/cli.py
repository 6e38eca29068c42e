"""The `course` command: thin wrappers that run a pipeline stage and map results to exit codes.

Exit codes: 0 no errors (warnings allowed unless --strict), 1 findings or a failed build, 2 usage errors.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from pathlib import Path

import click

from . import __version__

FORMATS = ("text", "json", "github")

project_argument = click.argument("project", required=False, default=".",
                                  type=click.Path(file_okay=False, path_type=Path))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="course")
def main() -> None:
    """Build course modules written in Markdown into a static site, checking the concept-depth ledger.

    \b
    course check     lint lessons and the ledger (what CI runs)
    course build     build the site into _site/
    course serve     build, serve on 127.0.0.1 and rebuild on change
    course new       start a new lesson file
    """
    signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


@main.command()
@project_argument
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for tools, github for GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option("--no-cache", is_flag=True, help="Do not read or write .course-cache/.")
def check(project: Path, fmt: str, strict: bool, no_cache: bool) -> None:
    """Check every lesson and the ledger; print all findings; exit 1 if any error (or warning with --strict)."""
    from .diagnostics import has_errors
    from .errors import CourseError
    from .site import check as run_check

    root = _project(project)
    try:
        diags = run_check(root, use_cache=not no_cache).diagnostics
    except CourseError as exc:
        diags = exc.diagnostics
    except KeyboardInterrupt:
        raise SystemExit(130)
    except Exception:  # a bug in course-builder, not the author's fault
        _internal_error()
    _print(diags, fmt)
    sys.exit(1 if has_errors(diags, strict) else 0)


@main.command()
@project_argument
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: site.yaml `output`, _site).")
@click.option("--force", is_flag=True, help="Replace a non-empty output folder not made by course build.")
@click.option("--strict", is_flag=True, help="Warnings fail the build too.")
@click.option("--no-cache", is_flag=True, help="Compute everything again; do not use .course-cache/.")
@click.option("-q", "--quiet", is_flag=True, help="Print only findings.")
def build(project: Path, out: Path | None, force: bool, strict: bool, no_cache: bool, quiet: bool) -> None:
    """Build the site. With any error, nothing is written and the previous site stays as it was."""
    from .diagnostics import format_text, has_errors
    from .errors import CourseError
    from .site import build as run_build
    from .site import check as run_check

    root = _project(project)
    try:
        if strict:
            diags = run_check(root, use_cache=not no_cache).diagnostics
            if has_errors(diags, strict=True):
                _fail(diags, "Build stopped: --strict and there are findings. Nothing was written.")
        result = run_build(root, out=out.resolve() if out else None, force=force, use_cache=not no_cache, quiet=quiet)
    except CourseError as exc:
        _fail(exc.diagnostics, "Build failed. Nothing was written; the previous site is unchanged.")
    except KeyboardInterrupt:
        click.echo("Build interrupted. Nothing was written; the previous site is unchanged.", err=True)
        raise SystemExit(130)
    except Exception:
        _internal_error()
    if result.diagnostics:
        click.echo(format_text(result.diagnostics), err=True)
    if not quiet:
        s, r = result.stats, result.report
        assert result.config is not None and r is not None
        target = out or result.config.output
        click.echo(f"Built {r.files} files ({r.written} changed, {r.bytes / 1e6:.1f} MB) into {_rel(target, root)} "
                   f"in {s['seconds']:.2f} s; math: {s['math_rendered']:.0f} rendered, {s['math_cached']:.0f} cached; "
                   f"figures: {s['figures_computed']:.0f} computed, {s['figures_cached']:.0f} cached.")


def _project(project: Path) -> Path:
    root = project.resolve()
    if not root.is_dir():
        raise click.BadParameter(f"{project} is not a folder", param_hint="PROJECT")
    return root


def _print(diags, fmt: str) -> None:
    from .diagnostics import format_github, format_json, format_text

    if fmt == "json":
        click.echo(format_json(diags))
    elif fmt == "github":
        text = format_github(diags)
        if text:
            click.echo(text)
    else:
        click.echo(format_text(diags))


def _fail(diags, message: str) -> None:
    from .diagnostics import format_text

    click.echo(format_text(diags), err=True)
    click.echo(message, err=True)
    sys.exit(1)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix() + "/"
    except ValueError:
        return str(path)


def _internal_error() -> None:
    if os.environ.get("COURSE_DEBUG"):
        traceback.print_exc()
    else:
        exc = sys.exc_info()[1]
        click.echo(f"internal error in course-builder: {type(exc).__name__}: {exc}\n"
                   "This is a bug, not a problem with your files. Run again with COURSE_DEBUG=1 for details and report it.",
                   err=True)
    sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()

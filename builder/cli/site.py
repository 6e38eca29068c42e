"""The commands that run the pipeline: check, build, export, serve."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import (FORMATS, edition_option, fail, internal_error, paths_scope, print_findings, project_argument,
                     project_root, shown_path, within)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for tools, github for GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option("--no-cache", is_flag=True, help="Do not read or write .course-cache/.")
def check(paths: tuple[Path, ...], fmt: str, strict: bool, no_cache: bool) -> None:
    """Check the lessons and the ledger; print every finding; exit 1 on any error (or warning with --strict).

    PATHS: the project folder (the default: the one you are in), or lesson files and folders of one project: the
    whole course is still checked, and the report shows their findings, with one line counting the others.
    """
    from ..model.diagnostics import has_errors
    from ..model.errors import CourseError
    from ..pipeline import check as run_check

    root, only = paths_scope(paths)
    try:
        diags = list(run_check(root, use_cache=not no_cache).diagnostics)
    except CourseError as exc:
        diags = exc.diagnostics
    except Exception:  # a bug in course-builder, not the author's fault
        internal_error()
    shown = [d for d in diags if within(d.path, only)] if only else diags
    print_findings(shown, fmt)
    if len(shown) < len(diags):
        others = len(diags) - len(shown)
        click.echo(f"{others} more finding{'s' if others != 1 else ''} in other files of the project: "
                   "run `course check` for the whole project.", err=True)
    sys.exit(1 if has_errors(diags, strict) else 0)


@click.command()
@project_argument
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: site.yaml `output`, _site).")
@click.option("--drafts", is_flag=True, help="Include draft lessons (left out by default).")
@click.option("--force", is_flag=True, help="Replace a non-empty output folder not made by course build.")
@click.option("--strict", is_flag=True, help="Warnings fail the build too.")
@click.option("--no-cache", is_flag=True, help="Compute everything again; do not use .course-cache/.")
@click.option("-q", "--quiet", is_flag=True, help="Print only findings.")
@edition_option
def build(project: Path | None, out: Path | None, drafts: bool, force: bool, strict: bool, no_cache: bool, quiet: bool,
          edition: str) -> None:
    """Build the site. With any error, nothing is written and the previous site stays as it was."""
    from ..model.config import Edition
    from ..model.diagnostics import has_errors
    from ..model.errors import CourseError
    from ..pipeline import UpToDate
    from ..pipeline import build as run_build
    from ..pipeline import check as run_check
    from ..progress import Reporter
    from ..report import build_summary, format_text

    root = project_root(project)
    reporter = Reporter(enabled=not quiet)
    try:
        if strict:
            diags = run_check(root, use_cache=not no_cache, drafts=drafts).diagnostics
            if has_errors(diags, strict=True):
                fail(diags, "Build stopped: --strict and there are findings. Nothing was written.")
        result = run_build(root, out=out.resolve() if out else None, force=force, use_cache=not no_cache,
                           drafts=drafts, reporter=reporter, edition=Edition(edition))
    except CourseError as exc:
        fail(exc.diagnostics, "Build failed. Nothing was written; the previous site is unchanged.")
    except Exception:
        internal_error()
    diags = result.record.diagnostics if isinstance(result, UpToDate) else result.checked.diagnostics
    if diags:
        click.echo(format_text(diags), err=True)
    if not quiet:
        click.echo(build_summary(result, shown_path(out or result.config.output, root)))


@click.command()
@project_argument
@click.option("--all", "everything", is_flag=True, help="Remove the whole .course-cache/ (the next run computes everything).")
def clean(project: Path | None, everything: bool) -> None:
    """Remove from .course-cache/ what no recent run uses: entries older edits, or another version of course-builder,
    left behind (builds do this by themselves once a day). Only speed depends on the cache: what is missing is
    computed again."""
    import shutil
    import time

    from ..incremental import Memo
    from ..incremental.store import CACHE_DIR
    from ..incremental.sweep import sweep

    root = project_root(project)
    folder = root / CACHE_DIR
    if not folder.is_dir():
        click.echo(f"No cache to clean: {shown_path(folder, root)} does not exist.")
        return
    if everything:
        shutil.rmtree(folder, ignore_errors=True)
        click.echo(f"Removed {shown_path(folder, root)}.")
        return
    swept = sweep(Memo.for_project(root).store, before=time.time())
    click.echo(f"Removed {swept.removed} cache files ({swept.removed_bytes / 1e6:.1f} MB) that no recent run uses; "
               f"kept {swept.kept} ({swept.kept_bytes / 1e6:.1f} MB).")


@click.command()
@project_argument
@click.option("--format", "fmt", type=click.Choice(["imscc", "scorm12", "pdf"]), required=True,
              help="imscc: IMS Common Cartridge 1.3 (Canvas, Moodle, ...); scorm12: SCORM 1.2; pdf: the module as one PDF.")
@click.option("--out", type=click.Path(path_type=Path), help="The package file (default: _export/<course>.<ext>).")
@click.option("--paper", type=click.Choice(["A4", "Letter"], case_sensitive=False), default="A4", show_default=True,
              help="Paper size of the PDF.")
@edition_option
@click.option("--strict", is_flag=True, help="Warnings fail the export too.")
@click.option("--no-cache", is_flag=True, help="Compute everything again; do not use .course-cache/.")
@click.option("-q", "--quiet", is_flag=True, help="Print only findings.")
def export(project: Path | None, fmt: str, out: Path | None, paper: str, edition: str, strict: bool, no_cache: bool,
           quiet: bool) -> None:
    """Export the course as one file for where students are (drafts left out). With any error nothing is written,
    and a package already there is unchanged."""
    from ..model.config import Edition
    from ..model.diagnostics import has_errors
    from ..model.errors import CourseError, EngineUnavailable
    from ..model.export import ExportFormat, Paper
    from ..pipeline import check as run_check
    from ..pipeline import export as run_export
    from ..progress import Reporter
    from ..report import format_text

    root = project_root(project)
    try:
        if strict and has_errors(diags := run_check(root, use_cache=not no_cache, drafts=False).diagnostics, strict=True):
            fail(diags, "Export stopped: --strict and there are findings. Nothing was written.")
        result = run_export(root, ExportFormat(fmt), out=out.resolve() if out else None, edition=Edition(edition),
                            paper=Paper("Letter" if paper.lower() == "letter" else "A4"), use_cache=not no_cache,
                            reporter=Reporter(enabled=not quiet))
    except EngineUnavailable as exc:
        click.echo(f"course export: {exc}", err=True)
        sys.exit(2)
    except CourseError as exc:
        fail(exc.diagnostics, "Export failed. Nothing was written; an existing package is unchanged.")
    except Exception:
        internal_error()
    if result.diagnostics:
        click.echo(format_text(result.diagnostics), err=True)
    if not quiet:
        click.echo(f"Exported {result.summary} to {shown_path(result.path, root).rstrip('/')} "
                   f"({result.bytes / 1e6:.1f} MB) in {result.seconds:.1f} s.")


@click.command()
@project_argument
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0 = any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; keep the default unless you mean to share it.")
@edition_option
def serve(project: Path | None, port: int, host: str, edition: str) -> None:
    """Build (drafts included, marked), serve on 127.0.0.1, rebuild when lessons, content, theme or site.yaml change,
    and reload the page.

    Findings of a failed rebuild print here and show over the page; the last good site keeps being served.
    """
    from ..model.config import Edition
    from ..serve.session import serve_project

    root = project_root(project)
    try:
        serve_project(root, host, port, echo=click.echo, echo_err=lambda text: click.echo(text, err=True),
                      edition=Edition(edition))
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; try --port 0 or another port")

"""The `course` command: thin wrappers that run a pipeline stage and map results to exit codes.

Exit codes: 0 no errors (warnings allowed unless --strict), 1 findings or a failed build, 2 usage errors.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__

FORMATS = ("text", "json", "github")

project_argument = click.argument("project", required=False, default=".",
                                  type=click.Path(file_okay=False, path_type=Path))
edition_option = click.option("--edition", type=click.Choice(["student", "instructor"]), default="student", show_default=True,
                              help="student: {instructor} notes left out; instructor: notes and every answer shown.")


class CourseCommand(click.Group):
    """The `course` group: an interrupt (Ctrl+C, SIGTERM) anywhere ends the run with one line and exit 130."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        from .interrupts import EXIT_INTERRUPTED, exit_process, handling_interrupts, was_interrupted

        with handling_interrupts():
            try:
                code = super().main(args, prog_name, complete_var, False, **extra)
            except click.ClickException as exc:
                exc.show()
                code = exc.exit_code
            except click.Abort as exc:  # click turns KeyboardInterrupt into Abort
                code = EXIT_INTERRUPTED if isinstance(exc.__cause__, KeyboardInterrupt) else 1
                if code == 1:
                    click.echo("Aborted!", err=True)
            except KeyboardInterrupt:
                code = EXIT_INTERRUPTED
            except SystemExit as exc:  # a command's own exit code
                code = exc.code
            if was_interrupted() or code == EXIT_INTERRUPTED:
                click.echo("course was interrupted: nothing was written, and the previous site is unchanged.", err=True)
                code = EXIT_INTERRUPTED
        exit_process(code if isinstance(code, int) else 0)


@click.group(cls=CourseCommand, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="course")
def main() -> None:
    """Build course modules written in Markdown into a static site, checking the concept-depth ledger.

    \b
    course check     lint lessons and the ledger (what CI runs)
    course build     build the site into _site/
    course export    an LMS package (IMS Common Cartridge, SCORM 1.2) or a PDF of the course
    course serve     build, serve on 127.0.0.1 and rebuild on change
    course new       start a new lesson file
    course figures   list the figure ids and their options
    """


@main.command()
@project_argument
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people, json for tools, github for GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Warnings fail the run too.")
@click.option("--no-cache", is_flag=True, help="Do not read or write .course-cache/.")
def check(project: Path, fmt: str, strict: bool, no_cache: bool) -> None:
    """Check every lesson and the ledger; print all findings; exit 1 if any error (or warning with --strict)."""
    from .model.diagnostics import has_errors
    from .model.errors import CourseError
    from .pipeline import check as run_check

    root = _project(project)
    try:
        diags = run_check(root, use_cache=not no_cache).diagnostics
    except CourseError as exc:
        diags = exc.diagnostics
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
@edition_option
def build(project: Path, out: Path | None, force: bool, strict: bool, no_cache: bool, quiet: bool, edition: str) -> None:
    """Build the site. With any error, nothing is written and the previous site stays as it was."""
    from .model.config import Edition
    from .model.diagnostics import has_errors
    from .model.errors import CourseError
    from .pipeline import UpToDate
    from .pipeline import build as run_build
    from .pipeline import check as run_check
    from .report import build_summary, format_text

    root = _project(project)
    try:
        if strict:
            diags = run_check(root, use_cache=not no_cache).diagnostics
            if has_errors(diags, strict=True):
                _fail(diags, "Build stopped: --strict and there are findings. Nothing was written.")
        result = run_build(root, out=out.resolve() if out else None, force=force, use_cache=not no_cache,
                           show_progress=not quiet, edition=Edition(edition))
    except CourseError as exc:
        _fail(exc.diagnostics, "Build failed. Nothing was written; the previous site is unchanged.")
    except Exception:
        _internal_error()
    diags = result.record.diagnostics if isinstance(result, UpToDate) else result.checked.diagnostics
    if diags:
        click.echo(format_text(diags), err=True)
    if not quiet:
        click.echo(build_summary(result, _rel(out or result.config.output, root)))


@main.command()
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
def export(project: Path, fmt: str, out: Path | None, paper: str, edition: str, strict: bool, no_cache: bool,
           quiet: bool) -> None:
    """Export the course as one file for where students are. With any error nothing is written, and a package
    already there is unchanged."""
    from .model.config import Edition
    from .model.diagnostics import has_errors
    from .model.errors import CourseError, EngineUnavailable
    from .model.export import ExportFormat, Paper
    from .pipeline import check as run_check
    from .pipeline import export as run_export
    from .report import format_text

    root = _project(project)
    try:
        if strict and has_errors(diags := run_check(root, use_cache=not no_cache).diagnostics, strict=True):
            _fail(diags, "Export stopped: --strict and there are findings. Nothing was written.")
        result = run_export(root, ExportFormat(fmt), out=out.resolve() if out else None, edition=Edition(edition),
                            paper=Paper("Letter" if paper.lower() == "letter" else "A4"), use_cache=not no_cache,
                            show_progress=not quiet)
    except EngineUnavailable as exc:
        click.echo(f"course export: {exc}", err=True)
        sys.exit(2)
    except CourseError as exc:
        _fail(exc.diagnostics, "Export failed. Nothing was written; an existing package is unchanged.")
    except Exception:
        _internal_error()
    if result.diagnostics:
        click.echo(format_text(result.diagnostics), err=True)
    if not quiet:
        click.echo(f"Exported {result.summary} to {_rel(result.path, root).rstrip('/')} "
                   f"({result.bytes / 1e6:.1f} MB) in {result.seconds:.1f} s.")


@main.command()
@project_argument
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0 = any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; keep the default unless you mean to share it.")
@edition_option
def serve(project: Path, port: int, host: str, edition: str) -> None:
    """Build, serve on 127.0.0.1, rebuild when lessons, content, theme or site.yaml change, and reload the page.

    Findings of a failed rebuild print here and show over the page; the last good site keeps being served.
    """
    import threading

    from .incremental.keys import tree_stamp
    from .incremental.store import CACHE_DIR
    from .interrupts import acknowledge_interrupt
    from .serve.server import BuildState, DevServer
    from .serve.watch import watch, watch_paths

    root = _project(project)
    out = root / CACHE_DIR / "serve-site"
    state = BuildState()
    lock = threading.Lock()

    def rebuild(changed: set[str] | None = None) -> None:
        with lock:
            if changed:
                names = ", ".join(sorted(_rel(Path(p), root).rstrip("/") for p in changed)[:3])
                click.echo(f"Changed: {names}{' ...' if len(changed) > 3 else ''}")
            findings = _serve_build(root, out, edition)
            if findings is not None or state.findings:  # nothing changed and nothing was wrong: no reload
                state.publish(findings or [])

    from .load.config import load_config
    from .model.errors import CourseError

    try:
        theme_dir = load_config(root).theme_dir
    except CourseError:
        theme_dir = None
    paths = watch_paths(root, theme_dir)
    before = tree_stamp(paths)
    rebuild()
    try:
        server = DevServer(out, state, host=host, port=port).start()
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; try --port 0 or another port")
    click.echo(f"Serving {_rel(root, root)} at {server.url}  (Ctrl+C to stop)")
    stop = threading.Event()

    def watching() -> None:  # what changed between the first build and the watcher's start is not lost
        if tree_stamp(paths) != before:
            rebuild({str(p) for p in paths})
    try:
        watch(paths, rebuild, stop, ready=watching)
    except KeyboardInterrupt:
        acknowledge_interrupt()  # Ctrl+C is how a server is stopped: not a failure
    finally:
        stop.set()
        server.stop()
        click.echo("Stopped.")


@main.command()
@project_argument
def figures(project: Path) -> None:
    """List the course's figures (content/figures/*.py): ids, kinds, options (Markdown)."""
    from .figures.discovery import load_figures
    from .figures.reference import reference_markdown
    from .load.config import load_config
    from .model.errors import CourseError
    from .report import format_text

    root = _project(project)
    try:
        config = load_config(root)
    except CourseError as exc:
        _fail(exc.diagnostics, "No site.yaml here: run `course figures` in a course project.")
    catalog = load_figures(root).catalog
    if catalog.diagnostics:
        click.echo(format_text(catalog.diagnostics), err=True)
    click.echo(reference_markdown(catalog, config.title), nl=False)
    sys.exit(1 if catalog.diagnostics else 0)


@main.group()
def new() -> None:
    """Start new content from a skeleton."""


@new.command("lesson")
@click.argument("title")
@click.option("--module", "module_id", required=True, help="Module id from site.yaml, e.g. 1.3.")
@click.option("--type", "lesson_type", type=click.Choice(["STRETCH", "BUILD", "CONSOLIDATE"]), default="BUILD", show_default=True)
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=".", help="Project folder.")
def new_lesson(title: str, module_id: str, lesson_type: str, project: Path) -> None:
    """Write lessons/<module>/NN-slug.md with a frontmatter skeleton, at the next position."""
    from .scaffold import new_lesson_file

    root = _project(project)
    try:
        path = new_lesson_file(root, title, module_id, lesson_type)
    except ValueError as exc:
        raise click.UsageError(str(exc))
    click.echo(f"Created {path.relative_to(root).as_posix()}; fill in its frontmatter, then run `course check`.")


def _serve_build(root: Path, out: Path, edition: str = "student") -> list[dict] | None:
    """One serve-mode build: findings (as dicts with the source line) when it failed, [] when it built, None when
    nothing had changed."""
    from .model.config import Edition
    from .model.errors import CourseError
    from .pipeline import Built
    from .pipeline import build as run_build
    from .report import format_text

    try:
        result = run_build(root, out=out, force=True, live_reload=True, edition=Edition(edition))
    except CourseError as exc:
        click.echo(format_text(exc.diagnostics), err=True)
        return [_with_source(root, d.as_dict()) for d in exc.diagnostics if d.severity == "error"]
    except Exception as exc:  # keep serving the last good site; say what broke
        click.echo(f"internal error in course-builder: {type(exc).__name__}: {exc}", err=True)
        return [{"code": "internal", "severity": "error", "file": "", "line": 0, "column": 0,
                 "message": f"{type(exc).__name__}: {exc}", "hint": "This is a bug in course-builder; please report it."}]
    if not isinstance(result, Built):
        return None
    click.echo(f"Rebuilt in {result.seconds:.2f} s ({result.report.written} files changed).")
    return []


def _with_source(root: Path, finding: dict) -> dict:
    try:
        lines = (root / finding["file"]).read_text(encoding="utf-8").splitlines()
        finding["source"] = lines[finding["line"] - 1] if 0 < finding["line"] <= len(lines) else ""
    except (OSError, UnicodeDecodeError, KeyError):
        finding["source"] = ""
    return finding


def _project(project: Path) -> Path:
    root = project.resolve()
    if not root.is_dir():
        raise click.BadParameter(f"{project} is not a folder", param_hint="PROJECT")
    return root


def _print(diags, fmt: str) -> None:
    from .report import format_github, format_json, format_text

    if fmt == "json":
        click.echo(format_json(diags))
    elif fmt == "github":
        text = format_github(diags)
        if text:
            click.echo(text)
    else:
        click.echo(format_text(diags))


def _fail(diags, message: str) -> None:
    from .report import format_text

    click.echo(format_text(diags), err=True)
    click.echo(message, err=True)
    sys.exit(1)


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix() + "/"
    except ValueError:
        return str(path)


def _internal_error() -> None:
    from .interrupts import was_interrupted

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


if __name__ == "__main__":  # pragma: no cover
    main()

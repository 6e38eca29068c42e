"""The `course` command: thin wrappers that find the project, run the pipeline and map results to exit codes.

Exit codes: 0 no errors (warnings allowed unless --strict), 1 findings or a failed build, 2 usage errors (and no
project here). Every command finds its project like git does: the nearest folder at or above the given path (or
the current folder) that holds a site.yaml.
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__

FORMATS = ("text", "json", "github")
GC_YOUNG_OBJECTS = 20_000
"""How many new objects Python's cycle collector lets pass between collections (its default, 700, is made for
programs that keep few objects): a warm run decodes some 200 objects per cached lesson, and with the default the
collector walked them again and again (a warm `course check` at 1,000 lessons: 1.85 s -> 1.4 s in-process)."""
LESSON_TYPES = ("STRETCH", "BUILD", "CONSOLIDATE")

project_argument = click.argument("project", required=False, type=click.Path(path_type=Path))
edition_option = click.option("--edition", type=click.Choice(["student", "instructor"]), default="student", show_default=True,
                              help="student: {instructor} notes left out; instructor: notes and every answer shown.")


class NoProject(click.ClickException):
    """The command needs a course project and there is none at or above the path: one line, exit 2."""

    exit_code = 2


class CourseCommand(click.Group):
    """The `course` group: an interrupt (Ctrl+C, SIGTERM) anywhere ends the run with one line and exit 130."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        from .interrupts import EXIT_INTERRUPTED, exit_process, handling_interrupts, was_interrupted

        gc.set_threshold(GC_YOUNG_OBJECTS)
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
    course new project DIR   start a course (course init: in the current folder)
    course check             lint lessons and the ledger (what CI runs)
    course build             build the site into _site/
    course export            an LMS package (IMS Common Cartridge, SCORM 1.2) or a PDF of the course
    course serve             build, serve on 127.0.0.1, rebuild and reload on every save
    course new lesson TITLE  add a draft lesson
    course plan [MODULE]     the module plan: sequence, concepts, load, misconceptions, coverage
    course figures           list the course's figures and their options

    Run them anywhere inside a project (the folder with site.yaml), or name the project folder.
    """


@main.command()
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
    from .model.diagnostics import has_errors
    from .model.errors import CourseError
    from .pipeline import check as run_check

    root, only = _scope(paths)
    try:
        diags = list(run_check(root, use_cache=not no_cache).diagnostics)
    except CourseError as exc:
        diags = exc.diagnostics
    except Exception:  # a bug in course-builder, not the author's fault
        _internal_error()
    shown = [d for d in diags if _within(d.path, only)] if only else diags
    _print(shown, fmt)
    if len(shown) < len(diags):
        others = len(diags) - len(shown)
        click.echo(f"{others} more finding{'s' if others != 1 else ''} in other files of the project: "
                   "run `course check` for the whole project.", err=True)
    sys.exit(1 if has_errors(diags, strict) else 0)


@main.command()
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
    from .model.config import Edition
    from .model.diagnostics import has_errors
    from .model.errors import CourseError
    from .pipeline import UpToDate
    from .pipeline import build as run_build
    from .pipeline import check as run_check
    from .progress import Reporter
    from .report import build_summary, format_text

    root = _root(project)
    reporter = Reporter(enabled=not quiet)
    try:
        if strict:
            diags = run_check(root, use_cache=not no_cache, drafts=drafts).diagnostics
            if has_errors(diags, strict=True):
                _fail(diags, "Build stopped: --strict and there are findings. Nothing was written.")
        result = run_build(root, out=out.resolve() if out else None, force=force, use_cache=not no_cache,
                           drafts=drafts, reporter=reporter, edition=Edition(edition))
    except CourseError as exc:
        _fail(exc.diagnostics, "Build failed. Nothing was written; the previous site is unchanged.")
    except Exception:
        _internal_error()
    diags = result.record.diagnostics if isinstance(result, UpToDate) else result.checked.diagnostics
    if diags:
        click.echo(format_text(diags), err=True)
    if not quiet:
        click.echo(build_summary(result, _shown(out or result.config.output, root)))


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
def export(project: Path | None, fmt: str, out: Path | None, paper: str, edition: str, strict: bool, no_cache: bool,
           quiet: bool) -> None:
    """Export the course as one file for where students are (drafts left out). With any error nothing is written,
    and a package already there is unchanged."""
    from .model.config import Edition
    from .model.diagnostics import has_errors
    from .model.errors import CourseError, EngineUnavailable
    from .model.export import ExportFormat, Paper
    from .pipeline import check as run_check
    from .pipeline import export as run_export
    from .progress import Reporter
    from .report import format_text

    root = _root(project)
    try:
        if strict and has_errors(diags := run_check(root, use_cache=not no_cache, drafts=False).diagnostics, strict=True):
            _fail(diags, "Export stopped: --strict and there are findings. Nothing was written.")
        result = run_export(root, ExportFormat(fmt), out=out.resolve() if out else None, edition=Edition(edition),
                            paper=Paper("Letter" if paper.lower() == "letter" else "A4"), use_cache=not no_cache,
                            reporter=Reporter(enabled=not quiet))
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
        click.echo(f"Exported {result.summary} to {_shown(result.path, root).rstrip('/')} "
                   f"({result.bytes / 1e6:.1f} MB) in {result.seconds:.1f} s.")


@main.command()
@project_argument
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on (0 = any free port).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind; keep the default unless you mean to share it.")
@edition_option
def serve(project: Path | None, port: int, host: str, edition: str) -> None:
    """Build (drafts included, marked), serve on 127.0.0.1, rebuild when lessons, content, theme or site.yaml change,
    and reload the page.

    Findings of a failed rebuild print here and show over the page; the last good site keeps being served.
    """
    from .model.config import Edition
    from .serve.session import serve_project

    root = _root(project)
    try:
        serve_project(root, host, port, echo=click.echo, echo_err=lambda text: click.echo(text, err=True),
                      edition=Edition(edition))
    except OSError as exc:
        raise click.UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; try --port 0 or another port")


@main.command()
@project_argument
def figures(project: Path | None) -> None:
    """List the course's figures (content/figures/*.py): ids, kinds, options (Markdown)."""
    from .figures.discovery import load_figures
    from .figures.reference import reference_markdown
    from .load.config import load_config
    from .model.errors import CourseError
    from .report import format_text

    root = _root(project)
    try:
        config = load_config(root)
    except CourseError as exc:
        _fail(exc.diagnostics, "site.yaml has errors: fix them first.")
    catalog = load_figures(root).catalog
    if catalog.diagnostics:
        click.echo(format_text(catalog.diagnostics), err=True)
    click.echo(reference_markdown(catalog, config.title), nl=False)
    sys.exit(1 if catalog.diagnostics else 0)


@main.command()
@click.argument("module", required=False)
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "json"]), default="md", show_default=True,
              help="md: the tables as Markdown; csv: one table (--table) for spreadsheets; json: every table (docs/plan.md).")
@click.option("--table", type=click.Choice(["sequence", "concepts", "misconceptions", "coverage"]), default="concepts",
              show_default=True, help="The table --format csv writes.")
@click.option("--graph", is_flag=True, help="Instead: the concept dependency list (concept, depends_on, lesson) as CSV.")
@click.option("--project", type=click.Path(path_type=Path), help="The project folder (default: the one you are in).")
def plan(module: str | None, fmt: str, table: str, graph: bool, project: Path | None) -> None:
    """The module plan, from the lessons: lesson sequence, concept distribution, cognitive load, module
    misconceptions, assessment coverage (MODULE: a module id; default: every module). Drafts are included, marked."""
    from .model.diagnostics import has_errors
    from .model.errors import CourseError
    from .output.plan import dependency_csv, plan_csv, plan_json, plan_markdown
    from .pipeline import check as run_check
    from .report import format_text
    from .stages.plan import plan_module

    root = _root(project)
    try:
        checked = run_check(root)
    except CourseError as exc:
        _fail(exc.diagnostics, "site.yaml has errors: fix them first.")
    except Exception:
        _internal_error()
    course = checked.course
    modules = [m for m in course.modules if module in (None, m.id)]
    if not modules:
        raise click.UsageError(f"no module `{module}` in site.yaml (modules: {', '.join(m.id for m in course.modules)})")
    errors = [d for d in checked.diagnostics if d.severity == "error"]
    if errors:
        click.echo(format_text(errors), err=True)
        click.echo("The plan below is made from what could be read; fix the errors above for a complete one.", err=True)
    if graph:
        click.echo(dependency_csv(modules), nl=False)
    else:
        plans = [plan_module(course, checked.ledger, checked.rendered, m) for m in modules]
        click.echo({"md": plan_markdown, "json": plan_json}.get(fmt, lambda p: plan_csv(p, table))(plans), nl=False)
    sys.exit(1 if has_errors(errors) else 0)


@main.group()
def new() -> None:
    """Start a course project, or a lesson in one."""


@new.command("project")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", help="The course title (default: from the folder's name).")
def new_project(folder: Path, title: str | None) -> None:
    """Create a course in FOLDER (new or empty): site.yaml, a module of two lessons, a figure, CI, a README."""
    from .scaffold import ScaffoldError, new_project as make

    try:
        written = make(folder, title)
    except ScaffoldError as exc:
        raise NoProject(str(exc)) from None
    _created(folder, written, here=False)


@main.command()
@click.argument("folder", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--title", help="The course title (default: from the folder's name).")
def init(folder: Path, title: str | None) -> None:
    """Make the current folder (or FOLDER) a course, beside what is there already (a README, .git ...); refuses only
    when a file it would write exists."""
    from .scaffold import ScaffoldError, init_project

    try:
        written = init_project(folder, title)
    except ScaffoldError as exc:
        raise NoProject(str(exc)) from None
    _created(folder, written, here=True)


@new.command("lesson")
@click.argument("title")
@click.option("--module", "module_id", help="Module id from site.yaml, e.g. 1.3 (default: the last module).")
@click.option("--type", "lesson_type", type=click.Choice(LESSON_TYPES), default="BUILD", show_default=True)
@click.option("--project", type=click.Path(path_type=Path), help="The project folder (default: the one you are in).")
def new_lesson(title: str, module_id: str | None, lesson_type: str, project: Path | None) -> None:
    """Add a draft lesson: lessons/<module>/NN-slug.md at the module's next position, with the frontmatter to fill."""
    from .model.errors import CourseError
    from .scaffold import new_lesson_file

    root = _root(project)
    try:
        path = new_lesson_file(root, title, module_id, lesson_type)
    except CourseError as exc:
        _fail(exc.diagnostics, "site.yaml has errors: fix them first.")
    except ValueError as exc:
        raise click.UsageError(str(exc))
    click.echo(f"Created {path.relative_to(root).as_posix()} (a draft: `course build` leaves it out until you remove "
               "`draft: true`).\nFill in its frontmatter and body; `course serve` shows it, `course check` says what is missing.")


def _root(path: Path | None) -> Path:
    """The project folder at or above `path` (default: the current folder)."""
    from .load.project import find_project

    start = path or Path.cwd()
    if path is not None and not path.exists():
        raise NoProject(f"{path} does not exist")
    root = find_project(start)
    if root is None:
        raise NoProject(f"no course project here: no site.yaml in {start.resolve()} or any folder above it. "
                        "Start one with `course new project DIR` (or `course init` in this folder).")
    return root


def _scope(paths: tuple[Path, ...]) -> tuple[Path, list[str]]:
    """The project of `paths`, and the files/folders (relative to it) the report is limited to ([] for all)."""
    roots = {_root(path) for path in paths} if paths else {_root(None)}
    if len(roots) > 1:
        raise NoProject("the paths belong to different projects: check one project at a time")
    root = roots.pop()
    only = [path.resolve().relative_to(root).as_posix() for path in paths if path.resolve() != root]
    return root, only


def _within(rel: str, only: list[str]) -> bool:
    return any(rel == item or rel.startswith(item.rstrip("/") + "/") for item in only)


def _created(folder: Path, written: list[str], here: bool) -> None:
    click.echo(f"Created {len(written)} files in {folder}:")
    for rel in written:
        click.echo(f"  {rel}")
    go = "" if here else f"cd {folder}\n  "
    click.echo(f"Next:\n  {go}course serve      # the site on http://127.0.0.1:8000/, rebuilt as you save\n"
               "  course check      # every finding, like CI\n  course build      # the site into _site/\n"
               '  course new lesson "A title"   # another lesson (a draft)')


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


def _shown(path: Path, root: Path) -> str:
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

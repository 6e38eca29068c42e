"""The commands that start and plan a course: new project, init, new lesson, plan, figures."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import LESSON_TYPES, NoProject, fail, internal_error, project_argument, project_root, report_created


@click.command()
@project_argument
def figures(project: Path | None) -> None:
    """List the course's figures (content/figures/*.py): ids, kinds, options (Markdown)."""
    from ..figures.discovery import load_figures
    from ..figures.reference import reference_markdown
    from ..load.config import load_config
    from ..model.errors import CourseError
    from ..report import format_text

    root = project_root(project)
    try:
        config = load_config(root)
    except CourseError as exc:
        fail(exc.diagnostics, "site.yaml has errors: fix them first.")
    catalog = load_figures(root).catalog
    if catalog.diagnostics:
        click.echo(format_text(catalog.diagnostics), err=True)
    click.echo(reference_markdown(catalog, config.title), nl=False)
    sys.exit(1 if catalog.diagnostics else 0)


@click.command()
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
    from ..model.diagnostics import has_errors
    from ..model.errors import CourseError
    from ..output.plan import dependency_csv, plan_csv, plan_json, plan_markdown
    from ..pipeline import check as run_check
    from ..report import format_text
    from ..stages.plan import plan_module

    root = project_root(project)
    try:
        checked = run_check(root)
    except CourseError as exc:
        fail(exc.diagnostics, "site.yaml has errors: fix them first.")
    except Exception:
        internal_error()
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


@click.group()
def new() -> None:
    """Start a course project, or a lesson in one."""


@new.command("project")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", help="The course title (default: from the folder's name).")
def new_project(folder: Path, title: str | None) -> None:
    """Create a course in FOLDER (new or empty): site.yaml, a module of two lessons, a figure, CI, a README."""
    from ..scaffold import ScaffoldError, new_project as make

    try:
        written = make(folder, title)
    except ScaffoldError as exc:
        raise NoProject(str(exc)) from None
    report_created(folder, written, here=False)


@click.command()
@click.argument("folder", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--title", help="The course title (default: from the folder's name).")
def init(folder: Path, title: str | None) -> None:
    """Make the current folder (or FOLDER) a course, beside what is there already (a README, .git ...); refuses only
    when a file it would write exists."""
    from ..scaffold import ScaffoldError, init_project

    try:
        written = init_project(folder, title)
    except ScaffoldError as exc:
        raise NoProject(str(exc)) from None
    report_created(folder, written, here=True)


@new.command("lesson")
@click.argument("title")
@click.option("--module", "module_id", help="Module id from site.yaml, e.g. 1.3 (default: the last module).")
@click.option("--type", "lesson_type", type=click.Choice(LESSON_TYPES), default="BUILD", show_default=True)
@click.option("--project", type=click.Path(path_type=Path), help="The project folder (default: the one you are in).")
def new_lesson(title: str, module_id: str | None, lesson_type: str, project: Path | None) -> None:
    """Add a draft lesson: lessons/<module>/NN-slug.md at the module's next position, with the frontmatter to fill."""
    from ..model.errors import CourseError
    from ..scaffold import new_lesson_file

    root = project_root(project)
    try:
        path = new_lesson_file(root, title, module_id, lesson_type)
    except CourseError as exc:
        fail(exc.diagnostics, "site.yaml has errors: fix them first.")
    except ValueError as exc:
        raise click.UsageError(str(exc))
    click.echo(f"Created {path.relative_to(root).as_posix()} (a draft: `course build` leaves it out until you remove "
               "`draft: true`).\nFill in its frontmatter and body; `course serve` shows it, `course check` says what is missing.")

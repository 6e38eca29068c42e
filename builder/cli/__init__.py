"""The `course` command: thin wrappers that find the project, run the pipeline and map results to exit codes.

Exit codes: 0 no errors (warnings allowed unless --strict), 1 findings or a failed build, 2 usage errors (and no
project here). Every command finds its project like git does: the nearest folder at or above the given path (or
the current folder) that holds a site.yaml. The commands are in two modules: site.py (check, build, export,
serve: the pipeline) and authoring.py (new, init, plan, figures: starting and planning a course); common.py has
what they share.
"""

from __future__ import annotations

import gc

import click

from .. import __version__
from .authoring import figures, init, new, plan
from .site import build, check, clean, export, serve

GC_YOUNG_OBJECTS = 20_000
"""How many new objects Python's cycle collector lets pass between collections (its default, 700, is made for
programs that keep few objects): a warm run decodes some 200 objects per cached lesson, and with the default the
collector walked them again and again (a warm `course check` at 1,000 lessons: 1.85 s -> 1.4 s in-process)."""


class CourseCommand(click.Group):
    """The `course` group: an interrupt (Ctrl+C, SIGTERM) anywhere ends the run with one line and exit 130."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):  # type: ignore[override]
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        from ..interrupts import EXIT_INTERRUPTED, exit_process, handling_interrupts, was_interrupted

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
    course clean             remove what no recent run uses from .course-cache/

    Run them anywhere inside a project (the folder with site.yaml), or name the project folder.
    """


for command in (check, build, export, serve, clean, figures, plan, new, init):
    main.add_command(command)

"""The pipeline: what `course check`, `course build` and `course export` do, stage by stage, in the order they run.

Each stage takes what the earlier ones made and returns one frozen value of its own (builder/model/); caching
is not done here but by the stages, through the incremental layer (`memo`). First every finding is gathered,
then, when there is no error, the site (or the package) is written: a run with any error writes nothing. The
stages are imported where they run: `course check` does not load the ones only a build or an export runs, and a
build that finds nothing changed loads none.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol, TypeVar

from .incremental import Memo
from .incremental.record import BuildRecord, current_build, last_build, linked_states, save_build, source_stamp
from .load.config import load_config
from .model.media import LinkedFiles
from .model.config import Edition, SiteConfig
from .model.course import Course
from .model.diagnostics import Diagnostic, has_errors, sort_diagnostics
from .model.errors import BuildError
from .model.export import Exported, ExportFormat, Paper
from .model.figures import FigureTable
from .model.ledger import Ledger
from .model.output import PageLayout, PageSet, WriteReport
from .model.math import MathTable
from .model.rendered import Detail, RenderedCourse
from .progress import Reporter, reporting

SOURCES = ("site.yaml", "content", "lessons", "theme")
"""What a project's site is made from (with the site's own theme folder and the default theme)."""


@dataclass(frozen=True)
class Checked:
    """Everything `course check` finds: the loaded course, its ledger, the rendered pages and their formulas."""

    course: Course
    ledger: Ledger
    rendered: RenderedCourse
    media: LinkedFiles
    math: MathTable
    diagnostics: tuple[Diagnostic, ...]
    """Every finding of the run, site.yaml's severities applied, in file order."""


@dataclass(frozen=True)
class Built:
    """What `course build` did (after checking): the figures it computed, the pages it rendered, what it wrote."""

    checked: Checked
    figures: FigureTable
    pages: PageSet
    report: WriteReport
    seconds: float

    @property
    def config(self) -> SiteConfig:
        """The site's settings."""
        return self.checked.course.config


@dataclass(frozen=True)
class UpToDate:
    """A build that found nothing changed since the last one into the same folder."""

    config: SiteConfig
    record: BuildRecord


def check(root: Path, use_cache: bool = True, drafts: bool = True) -> Checked:
    """Everything `course check` does: load, check, render and typeset; no figure is computed, nothing is written.

    With drafts (the default) every lesson is checked, and a published lesson may not depend on a draft; without,
    the course is checked as a build without drafts publishes it."""
    config = load_config(root)
    memo = Memo.for_project(root, use_cache)
    checked = check_course(config, memo, drafts, published_alone=drafts, detail=Detail.FINDINGS)
    memo.finish(f"check drafts={drafts}")
    return checked


def check_course(config: SiteConfig, memo: Memo, drafts: bool = True, published_alone: bool = False,
                 detail: Detail = Detail.WHOLE) -> Checked:
    """The stages that find every problem of a course, in order (without its drafts unless `drafts`); `detail`: how
    much of each lesson's rendering the command needs (`course check`: its findings only, no HTML)."""
    from .check.ledger import check_ledger
    from .check.references import check_references
    from .check.severity import apply_severity
    from .check.teaching import check_teaching
    from .load.course import load_course
    from .load.media import load_media
    from .stages.lessons import render_lessons
    from .stages.math import typeset_math

    course = load_course(config, memo)
    if not drafts:
        course = course.without_drafts()
    ledger = check_ledger(course, published_alone)
    rendered = render_lessons(course, memo, detail)
    media = load_media(config, rendered)
    references = check_references(course, ledger, rendered, media)
    teaching = check_teaching(course, ledger, rendered)
    math = typeset_math(rendered, config, memo, detail is Detail.FINDINGS)
    findings = [*course.diagnostics, *ledger.diagnostics, *rendered.diagnostics, *references, *teaching, *math.diagnostics]
    return Checked(course, ledger, rendered, media, math,
                   tuple(sort_diagnostics(apply_severity(findings, config.rules.severity))))


def build(root: Path, out: Path | None = None, force: bool = False, use_cache: bool = True, live_reload: bool = False,
          drafts: bool = False, reporter: Reporter | None = None, edition: Edition = Edition.STUDENT,
          memory: dict | None = None, on_published: Callable[[], None] | None = None,
          in_place: bool = False) -> Built | UpToDate:
    """Everything `course build` does; BuildError (nothing written) when any error is found. Drafts are left out
    unless `drafts` (`course serve` includes them, marked). `memory`: values a long-lived process keeps between
    builds (`course serve`), so a rebuild reads and decodes nothing it already has; `on_published`: called as soon
    as the new site is in place (the record of the build is kept after it); `in_place`: a folder only this builder
    reads (`course serve`'s) is updated file by file rather than replaced (see write_site)."""
    with reporting(reporter):
        memo = Memo.for_project(root, use_cache, memory)
        try:
            return _build(root, memo, out, force, live_reload, drafts, edition, on_published, in_place)
        finally:
            memo.store.retain_used()


def _build(root: Path, memo: Memo, out: Path | None, force: bool, live_reload: bool, drafts: bool,
           edition: Edition, on_published: Callable[[], None] | None = None, in_place: bool = False) -> Built | UpToDate:
    from .output.writer import marker_identity, write_site

    started = time.perf_counter()
    config = replace(load_config(root), edition=edition)
    target = (out or config.output).resolve()
    stamp = source_stamp(_sources(config), target, (live_reload, drafts, edition.value))
    marker = marker_identity(target)
    current = current_build(memo, target, live_reload, marker, root, stamp)
    if current is not None:
        return UpToDate(config, current)
    from .stages.figures import compute_figures
    from .stages.maps import layout_maps
    from .stages.pages import render_pages

    last = last_build(memo, target, live_reload, marker)
    checked = _passed(check_course(config, memo, drafts, detail=Detail.OUTLINE))
    figures = _passed(compute_figures(checked.course, checked.rendered, memo))
    maps = _passed(layout_maps(checked.course, checked.ledger, memo))
    pages = render_pages(checked.course, checked.ledger, checked.rendered, checked.math, figures, maps, checked.media,
                         live_reload, last=_published(last, target), scored=last.search if last else None)
    report = write_site(pages, target, root, force=force, on_published=on_published, in_place=in_place)
    save_build(memo, target, live_reload, BuildRecord(
        stamp, marker_identity(target), report.files, report.bytes, pages.inputs,
        linked_states(root, list(checked.media.status)), checked.diagnostics, pages.search))
    memo.finish(f"build {target} live_reload={live_reload} drafts={drafts} edition={edition.value}")
    return Built(checked, figures, pages, report, time.perf_counter() - started)


def export(root: Path, fmt: ExportFormat, out: Path | None = None, edition: Edition = Edition.STUDENT,
           paper: Paper = Paper.A4, use_cache: bool = True, reporter: Reporter | None = None) -> Exported:
    """Everything `course export` does: check, compute the figures, make the package from the same pages the site
    has (drafts left out), and write it as one file, atomically; BuildError (nothing written) when any error is
    found."""
    with reporting(reporter):
        return _export(root, fmt, out, edition, paper, use_cache)


def _export(root: Path, fmt: ExportFormat, out: Path | None, edition: Edition, paper: Paper, use_cache: bool) -> Exported:
    from .output.package import bytes_writer, check_package_path, write_package, zip_writer
    from .stages.figures import compute_figures
    from .stages.maps import layout_maps
    from .stages.pages import render_pages

    started = time.perf_counter()
    config = replace(load_config(root), edition=edition)
    target = (out or default_export_path(config, fmt)).resolve()
    check_package_path(target, root, fmt.suffix)
    if fmt is ExportFormat.PDF:
        from .output.pdf import require_engine

        require_engine()  # say so at once, not after checking and computing everything
    memo = Memo.for_project(root, use_cache)
    checked = _passed(check_course(config, memo, drafts=False))
    figures = _passed(compute_figures(checked.course, checked.rendered, memo))
    if fmt is ExportFormat.PDF:
        from .output.pdf import make_pdf

        pdf = make_pdf(checked.course, checked.ledger, checked.rendered, checked.math, figures, checked.media, paper)
        size = write_package(target, root, bytes_writer(pdf.data))
        memo.finish(f"export {fmt.value} edition={edition.value}")
        return Exported(fmt, target, size, pdf.pages, pdf.summary, time.perf_counter() - started, checked.diagnostics)
    maps = _passed(layout_maps(checked.course, checked.ledger, memo))
    layout = PageLayout.SCORM if fmt is ExportFormat.SCORM12 else PageLayout.LMS
    pages = render_pages(checked.course, checked.ledger, checked.rendered, checked.math, figures, maps, checked.media,
                         False, last={}, layout=layout)
    if fmt is ExportFormat.SCORM12:
        from .output.scorm import make_scorm

        package = make_scorm(checked.course, pages)
    else:
        from .output.imscc import make_imscc

        package = make_imscc(checked.course, checked.rendered, checked.math, pages)
    size = write_package(target, root, zip_writer(package.files))
    memo.finish(f"export {fmt.value} edition={edition.value}")
    return Exported(fmt, target, size, package.items, package.summary, time.perf_counter() - started, checked.diagnostics)


def default_export_path(config: SiteConfig, fmt: ExportFormat) -> Path:
    """Where `course export` writes without --out: _export/<course>[-scorm12][-instructor].<ext> in the project."""
    from .scaffold import slugify

    name = slugify(config.title) + ("-scorm12" if fmt is ExportFormat.SCORM12 else "")
    return config.root / "_export" / (name + ("-instructor" if config.edition is Edition.INSTRUCTOR else "") + fmt.suffix)


def _sources(config: SiteConfig) -> list[Path]:
    """Every file a build of this project reads: its sources, its own theme folder and the default theme."""
    from .theming.folders import theme_dirs

    return [config.root / name for name in SOURCES] + theme_dirs(config)


def _published(last: BuildRecord | None, target: Path) -> dict:
    """What each page of the last build was made from, for the pages still in the output folder."""
    return {path: inputs for path, inputs in (last.pages if last else {}).items() if (target / path).is_file()}


class _Found(Protocol):
    @property
    def diagnostics(self) -> Sequence[Diagnostic]: ...


T = TypeVar("T", bound=_Found)


def _passed(result: T) -> T:
    """A stage's result, or BuildError (nothing written) when it found an error."""
    if has_errors(result.diagnostics):
        raise BuildError(list(result.diagnostics))
    return result

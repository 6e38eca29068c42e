"""The render stage: every page's Markdown -> HTML fragments with placeholders (model.rendered).

Each lesson renders on its own, in a worker process when there are many, and is cached under the hash of
everything its rendering depends on; what it says about other pages is recorded as references, checked later.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..incremental import Deferred, Memo, Pool, Summary
from ..incremental.keys import builder_fingerprint, content_key, text_digest, theme_fingerprint
from ..model.bibliography import Bibliography
from ..model.config import SiteConfig
from ..model.course import Concept, Course, Lesson
from ..model.figures import FigureCatalog
from ..model.rendered import Assessment, Detail, LessonFragments, RenderedCourse, RenderedGlossary, RenderedLesson, RenderedModule
from ..theming.folders import theme_dirs
from ..progress import stage

if TYPE_CHECKING:
    from .lesson_render import Renderer


KIND = "rendered-lesson"
"""The cache kind of a lesson's whole rendering (its summaries have kinds of their own: FINDINGS, OUTLINE)."""


@stage("rendering lessons", lambda r: f"{r.rendered} rendered, {r.cached} from the cache")
def render_lessons(course: Course, memo: Memo, detail: Detail = Detail.WHOLE) -> RenderedCourse:
    """Render every lesson (cached one by one), every module page and the glossary, to the `detail` asked for.

    FINDINGS (what `course check` asks): the rules run as always, collecting findings, formulas, references,
    anchors, assessments and mentions, but no markup is made: no theme partial, no code highlighting; such a
    rendering is cached as a summary only. OUTLINE (a build): a lesson read from the cache is read without its body,
    which RenderedCourse.whole reads for the pages rendered again. Every whole rendering stores both summaries beside
    itself, so a check or a build after it decodes only what it needs."""
    config = course.config
    findings_only = detail is Detail.FINDINGS
    fingerprint = content_key(render_fingerprint(config, course.concepts, course.figures, course.bibliography,
                                                 course.includes), course.concepts_readable)
    jobs = [(lesson, course.texts[lesson.path], content_key(fingerprint, lesson.path, text_digest(course.texts[lesson.path])))
            for lesson in course.lessons]
    lessons = memo.cached_map(KIND, jobs, key=lambda job: job[2], compute=_render_job,
                              value_type=RenderedLesson, pool=Pool(_init_worker, (config, course, findings_only)),
                              label="Checking lessons" if findings_only else "Rendering lessons",
                              summaries=(FINDINGS, OUTLINE), only=_SUMMARY[detail])
    renderer = functools.lru_cache(maxsize=1)(lambda: _renderer(config, course, findings_only))  # made if needed
    wholes = {}
    if detail is Detail.OUTLINE:
        wholes = {job[0].slug: Deferred(memo, KIND, job[2], RenderedLesson,
                                        functools.partial(lambda job: renderer().lesson(*job), job), whole)
                  for job, whole in zip(jobs, lessons.wholes)}
    modules = memo.cached_map("rendered-module", course.modules,
                              key=lambda m: content_key(fingerprint, m.path, text_digest(course.texts[m.path])),
                              compute=lambda m: renderer().module(m, course.texts[m.path]), value_type=RenderedModule,
                              summaries=(MODULE_FINDINGS,), only=MODULE_FINDINGS if findings_only else None)
    definitions = [(c.id, c.definition, c.pos.line, c.pos.column, repr(c.definition_pos)) for c in course.concepts.values()]
    glossary = memo.cached_map("rendered-glossary", [course.concepts], key=lambda _: content_key(fingerprint, definitions),
                               compute=lambda concepts: renderer().glossary(concepts), value_type=RenderedGlossary,
                               summaries=(GLOSSARY_FINDINGS,), only=GLOSSARY_FINDINGS if findings_only else None)
    return RenderedCourse(
        lessons={lesson.slug: rendered for lesson, rendered in zip(course.lessons, lessons.values)},
        modules={module.id: rendered for module, rendered in zip(course.modules, modules.values)},
        glossary=glossary.values[0], rendered=lessons.computed, cached=lessons.cached, wholes=wholes,
        earlier=functools.partial(_earlier, memo, _SUMMARY[detail]))


def _earlier(memo: Memo, summary: Summary | None, digest: str) -> RenderedLesson | None:
    """A lesson's rendering by digest (an earlier build's), in the form this command reads, if the cache has it."""
    return memo.get(summary.kind if summary else KIND, digest, RenderedLesson)


def _findings(lesson: RenderedLesson) -> RenderedLesson:
    """What `course check` needs of a rendered lesson: all but its HTML and its search words."""
    return replace(lesson, fragments=NO_FRAGMENTS, search=(), assessments=_counted(lesson.assessments))


def _outline(lesson: RenderedLesson) -> RenderedLesson:
    """What a build needs of a lesson whose page it does not render again: all but the body's markup (of the body,
    its cross-references alone, in order: what the page shows of other pages) and its checks' and quizzes' text."""
    from ..markup import placeholders

    return replace(lesson, fragments=replace(lesson.fragments, body=placeholders.xrefs_only(lesson.fragments.body)),
                   assessments=_counted(lesson.assessments))


def _counted(assessments: tuple[Assessment, ...]) -> tuple[Assessment, ...]:
    """A lesson's checks and quizzes as the checks and the module plan count them: what each is, probes and
    assesses, without its text and choices (a quiz's choices were a quarter of decoding a lesson's outline)."""
    return tuple(replace(a, title_html="", prompt_html="", choices=(), answer_html="") for a in assessments)


NO_FRAGMENTS = LessonFragments(body="", title="", summary="", objective="", why={}, notes={})
FINDINGS = Summary("checked-lesson", _findings)
"""A lesson's rendering as `course check` reads it."""
OUTLINE = Summary("outlined-lesson", _outline, computed_whole=True)
"""A lesson's rendering as a build reads it (rendering one for a build makes the whole, which is kept too)."""
_SUMMARY = {Detail.WHOLE: None, Detail.OUTLINE: OUTLINE, Detail.FINDINGS: FINDINGS}
MODULE_FINDINGS = Summary("checked-module", lambda module: replace(module, body="", goal="", claims=()))
GLOSSARY_FINDINGS = Summary("checked-glossary", lambda glossary: replace(glossary, definitions={}))


def render_fingerprint(config: SiteConfig, concepts: Mapping[str, Concept], figures: FigureCatalog,
                       bibliography: Bibliography, includes: Mapping[str, str]) -> str:
    """Everything besides its own text that a page's rendering depends on (figures: their ids and options only; the
    works it may cite; the files it may include; the edition, so a student and an instructor rendering are never
    taken for each other)."""
    names = sorted((c.id, c.name, c.aliases, c.detect) for c in concepts.values())
    declared = sorted((d.id, d.kind, repr(d.options)) for d in figures.figures.values())
    works = sorted((w.key, w.authors, w.year, w.html) for w in bibliography.works.values())
    return content_key("render", names, config.allow_html, theme_fingerprint(theme_dirs(config), ("partials",)),
                       declared, figures.broken, works, sorted(includes.items()), builder_fingerprint(),
                       config.edition.value)


def _init_worker(config: SiteConfig, course: Course, findings_only: bool) -> None:
    from .lesson_render import init_worker

    init_worker(config, course, findings_only)


def _render_job(job: tuple[Lesson, str, str]) -> RenderedLesson:
    from .lesson_render import render_job

    return render_job(job)


def _renderer(config: SiteConfig, course: Course, findings_only: bool) -> Renderer:
    from .lesson_render import Renderer

    return Renderer(config, course, findings_only)


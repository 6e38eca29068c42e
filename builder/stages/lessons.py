"""The render stage: every page's Markdown -> HTML fragments with placeholders (model.rendered).

Each lesson renders on its own, in a worker process when there are many, and is cached under the hash of
everything its rendering depends on; what it says about other pages is recorded as references, checked later.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from collections.abc import Mapping

from markdown_it import MarkdownIt

from ..incremental import Deferred, Memo, Pool, Summary
from ..incremental.keys import builder_fingerprint, content_key, text_digest, theme_fingerprint
from ..markup import RenderContext, RenderSettings, SourceCursor, anchors_of, make_parser, render_body, render_inline
from ..markup import placeholders
from ..markup.context import Probe
from ..markup.mentions import MentionFinder, concept_forms, finder_for
from ..markup.rules.cite import references_section
from ..model.bibliography import Bibliography
from ..model.config import SiteConfig
from ..model.course import Concept, ConceptIndex, Course, Lesson, Module
from ..model.diagnostics import Pos
from ..model.figures import FigureCatalog
from ..model.rendered import (Assessment, Detail, DocKey, DocKind, LessonFragments, RenderedCourse, RenderedGlossary,
                              RenderedLesson, RenderedModule)
from ..theming.environment import Partials, make_environment
from ..theming.folders import theme_dirs
from ..progress import stage
from .search import sections_of


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
    renderer = functools.lru_cache(maxsize=1)(lambda: Renderer(config, course, findings_only))  # made if needed
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


class Renderer:
    """The parser and settings every page of a course renders with (one per process)."""

    def __init__(self, config: SiteConfig, course: Course, findings_only: bool = False) -> None:
        index = ConceptIndex(course.concepts, course.concepts_readable)
        self.md: MarkdownIt = make_parser()
        partial = _no_markup if findings_only else Partials(make_environment(config))
        self.settings = RenderSettings(partial=partial, concept_ids=index.ids,
                                       resolve_concept=index.resolve, validate_figure=course.figures.validate,
                                       allow_html=config.allow_html, works=course.bibliography.works, includes=course.includes,
                                       concept_names={c.id: c.name for c in course.concepts.values()},
                                       concepts_complete=course.concepts_readable, edition=config.edition)
        self._concepts = course.concepts

    @functools.cached_property
    def mentions(self) -> MentionFinder:
        """The course's concept names as one pattern (made when a lesson first renders)."""
        return finder_for(tuple(concept_forms(self._concepts.values()).items()))

    def _parse(self, path: str, text: str, root: str) -> tuple[list, RenderContext]:
        tokens = self.md.parse(text, {})
        return tokens, RenderContext(path, root, self.settings, SourceCursor(text), anchors_of(tokens))

    def lesson(self, lesson: Lesson, text: str, digest: str) -> RenderedLesson:
        """A lesson's body and frontmatter text."""
        tokens, ctx = self._parse(lesson.path, text, "../")
        ctx.misconceptions = {m.where: Probe(m.where, render_inline(self.md, m.claim, ctx, m.pos),
                                             render_inline(self.md, m.counterexample, ctx, m.pos))
                              for m in lesson.misconceptions if m.where}
        body = render_body(self.md, tokens, ctx) + references_section(ctx)
        fragments = LessonFragments(
            body=body,
            title=render_inline(self.md, lesson.title, ctx, lesson.positions.get("title")),
            summary=render_inline(self.md, lesson.summary, ctx, lesson.positions.get("summary")),
            objective=render_inline(self.md, lesson.objective, ctx, lesson.positions.get("objective")),
            why={p.concept: render_inline(self.md, p.why, ctx, p.pos) for p in lesson.prerequisites},
            notes={t.concept: render_inline(self.md, t.notes, ctx, t.pos) for t in lesson.teaches})
        return RenderedLesson(**_collected(DocKey(DocKind.LESSON, lesson.slug), ctx), fragments=fragments,
                              search=sections_of(body), digest=digest, mentions=self.mentions.first_mentions(tokens, text))

    def module(self, module: Module, text: str) -> RenderedModule:
        """A module page's body, goal and misconception claims."""
        tokens, ctx = self._parse(module.path, text, "../../")
        body = render_body(self.md, tokens, ctx) + references_section(ctx)
        goal = render_inline(self.md, module.goal, ctx, Pos(2))
        claims = tuple(render_inline(self.md, m.claim, ctx, m.pos) for m in module.misconceptions)
        return RenderedModule(**_collected(DocKey(DocKind.MODULE, module.id), ctx), body=body, goal=goal, claims=claims)

    def glossary(self, concepts: dict[str, Concept]) -> RenderedGlossary:
        """Every concept definition (inline Markdown, may hold math)."""
        path = "content/concepts.yaml"
        # A stand-in source with each definition where it is written, so findings point at its line and column.
        at = {c.id: c.definition_pos or c.pos for c in concepts.values()}
        lines = [""] * max([pos.line for pos in at.values()] + [1])
        for concept in concepts.values():
            lines[at[concept.id].line - 1] = " " * (at[concept.id].column - 1) + concept.definition
        ctx = RenderContext(path, "../", self.settings, SourceCursor("\n".join(lines)), frozenset())
        definitions = {c.id: render_inline(self.md, c.definition, ctx, at[c.id]) for c in concepts.values()}
        return RenderedGlossary(**_collected(DocKey(DocKind.GLOSSARY, ""), ctx), definitions=definitions)


def _collected(key: DocKey, ctx: RenderContext) -> dict:
    """The fields every Rendered page has, from what its rendering collected."""
    return dict(key=key, path=ctx.path, math=tuple(ctx.math), figures=tuple(ctx.figures), headings=tuple(ctx.headings),
                references=tuple(ctx.references), anchors=ctx.own_anchors, targets=tuple(ctx.targets),
                citations=tuple(dict.fromkeys(ctx.citations)), assessments=tuple(ctx.assessments),
                diagnostics=tuple(ctx.diagnostics))


_WORKER: dict[str, Renderer] = {}


def _init_worker(config: SiteConfig, course: Course, findings_only: bool) -> None:
    _WORKER["renderer"] = Renderer(config, course, findings_only)


def _no_markup(name: str, **context: object) -> str:
    """A theme partial when only findings are wanted: nothing (the rules still check everything)."""
    return ""


def _render_job(job: tuple[Lesson, str, str]) -> RenderedLesson:
    lesson, text, digest = job
    return _WORKER["renderer"].lesson(lesson, text, digest)


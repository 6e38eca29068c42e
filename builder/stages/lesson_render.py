"""How a lesson, a module page and the glossary are rendered: the parser, the render rules and the theme's
partials, set up once per process. Only a run that renders anything imports this (with markdown-it-py and Jinja2):
`course check` and a build that read every rendering from the cache do not."""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt

from ..markup import RenderContext, RenderSettings, SourceCursor, anchors_of, make_parser, render_body, render_inline
from ..markup.context import Probe
from ..markup.mentions import MentionFinder, concept_forms, finder_for
from ..markup.rules.cite import references_section
from ..model.config import SiteConfig
from ..model.course import Concept, ConceptIndex, Course, Lesson, Module
from ..model.diagnostics import Pos
from ..model.rendered import DocKey, DocKind, LessonFragments, RenderedGlossary, RenderedLesson, RenderedModule
from ..theming.environment import Partials, make_environment
from .search import sections_of


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


def init_worker(config: SiteConfig, course: Course, findings_only: bool) -> None:
    """Set up a worker process (or this one) to render: its Renderer."""
    _WORKER["renderer"] = Renderer(config, course, findings_only)


def _no_markup(name: str, **context: object) -> str:
    """A theme partial when only findings are wanted: nothing (the rules still check everything)."""
    return ""


def render_job(job: tuple[Lesson, str, str]) -> RenderedLesson:
    """One lesson, rendered by the Renderer init_worker set up."""
    lesson, text, digest = job
    return _WORKER["renderer"].lesson(lesson, text, digest)

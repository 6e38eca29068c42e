"""Render stage: Markdown -> HTML fragments with math/figure placeholders, and the cross-reference check.

A lesson renders on its own (so lessons render in parallel and are cached one by one); what it says about
other lessons and concepts is recorded as References and checked by `check_references` once the whole
course and its ledger are known.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt

from .course import Course, Lesson, Module
from .diagnostics import Diagnostic, Pos, error, warning
from .ledger import Ledger
from .loader import ConceptIndex
from .markup.render import FigureRef, Heading, MathItem, Reference, RenderContext, render_inline_text, render_tokens
from .yamlnodes import did_you_mean


@dataclass(frozen=True)
class RenderedDoc:
    """One page's rendered Markdown: named HTML fragments (with placeholders) and what they refer to."""

    key: str
    """"lesson:<slug>", "module:<id>" or "concepts"."""
    path: str
    fragments: dict[str, str]
    """Fragment name -> HTML with placeholders: body, title, summary, objective, why:<concept>, note:<concept>, ..."""
    math: tuple[MathItem, ...]
    figures: tuple[FigureRef, ...]
    headings: tuple[Heading, ...]
    media: dict[str, str]
    references: tuple[Reference, ...]
    diagnostics: tuple[Diagnostic, ...]
    probes: dict[str, str] = field(default_factory=dict)
    """Project files its links were checked against -> their state then (a cached render is stale once one changes)."""
    source_key: str = ""
    """For a lesson: the hash of everything its rendering depends on (its cache key), set by compile_course."""
    search: tuple[tuple[str, str, dict[str, int]], ...] = ()
    """The body's sections for the search index: (anchor, heading, word counts), computed with the page so a
    warm build takes them from the cache."""


def validate_figure(figure_id: str, options: dict[str, str]):
    """builder.figures.validate, imported on first use (numpy and plotly load only for pages with figures)."""
    try:
        from .figures import validate
    except ImportError as exc:
        from .figures_missing import unavailable

        return unavailable(figure_id, exc)
    return validate(figure_id, options)


@dataclass(frozen=True)
class Renderer:
    """What rendering needs that is the same for every page: parser, concept index, theme partials."""

    md: MarkdownIt
    index: ConceptIndex
    partial: Callable[..., str]
    allow_html: bool
    project: object

    def context(self, path: str, source: str, root: str, own_anchors: frozenset[str]) -> RenderContext:
        """A fresh render context for one page."""
        return RenderContext(
            path=path, source=source, root=root, project=self.project, partial=self.partial,
            concept_ids=self.index.ids, concept_lookup=self.index.resolve, own_anchors=own_anchors,
            validate_figure=validate_figure, allow_html=self.allow_html,
        )

    def lesson(self, lesson: Lesson) -> RenderedDoc:
        """Render a lesson's body and frontmatter text."""
        ctx = self.context(lesson.path, lesson.source, "../", lesson.anchors)
        fragments = {"body": render_tokens(self.md, list(lesson.tokens), ctx)}
        for key in ("title", "summary", "objective"):
            fragments[key] = render_inline_text(self.md, getattr(lesson, key), ctx, lesson.positions.get(key))
        for p in lesson.prerequisites:
            fragments[f"why:{p.concept}"] = render_inline_text(self.md, p.why, ctx, p.pos)
        for t in lesson.teaches:
            fragments[f"note:{t.concept}"] = render_inline_text(self.md, t.notes, ctx, t.pos)
        from .search_index import sections_of

        return replace(_doc(f"lesson:{lesson.slug}", lesson.path, fragments, ctx), search=sections_of(fragments["body"]))

    def module(self, module: Module) -> RenderedDoc:
        """Render a module page's body, goal and misconception claims."""
        ctx = self.context(module.path, module.source, "../../", module.anchors)
        fragments = {"body": render_tokens(self.md, list(module.tokens), ctx),
                     "goal": render_inline_text(self.md, module.goal, ctx, Pos(2))}
        for i, m in enumerate(module.misconceptions):
            fragments[f"claim:{i}"] = render_inline_text(self.md, m.claim, ctx, m.pos)
        return _doc(f"module:{module.id}", module.path, fragments, ctx)

    def glossary(self, course: Course) -> RenderedDoc:
        """Render every concept definition (inline Markdown, may hold math)."""
        path = "content/concepts.yaml"
        # A stand-in source with each definition on its entry's line, so findings point at the right line.
        lines = [""] * max([c.pos.line for c in course.concepts.values()] + [1])
        for concept in course.concepts.values():
            lines[concept.pos.line - 1] = concept.definition
        ctx = self.context(path, "\n".join(lines), "../", frozenset())
        fragments = {f"def:{c.id}": render_inline_text(self.md, c.definition, ctx, c.pos) for c in course.concepts.values()}
        return _doc("concepts", path, fragments, ctx)


def _doc(key: str, path: str, fragments: dict[str, str], ctx: RenderContext) -> RenderedDoc:
    return RenderedDoc(key, path, fragments, tuple(ctx.math), tuple(ctx.figures), tuple(ctx.headings),
                       dict(ctx.media), tuple(ctx.references), tuple(ctx.diagnostics), dict(ctx.probes))


def _lesson_link_hint(target: str, here: str, course: Course) -> str:
    """Name the lesson the author probably meant (by slug, not by path), as a path relative to the linking file."""
    import posixpath
    import re

    lessons = course.lessons
    if not lessons:
        return "Link to a lesson file by its path relative to this file."
    wanted = re.sub(r"^\d+-|\.md$", "", posixpath.basename(target))
    guess = did_you_mean(wanted, [lesson.slug for lesson in lessons])
    meant = next((lesson for lesson in lessons if guess and f"`{lesson.slug}`" in guess), None)
    example = posixpath.relpath((meant or lessons[0]).path, posixpath.dirname(here))
    if meant:
        return f"Did you mean `{example}`? Lesson files are linked by their path relative to this file."
    return f"Link to a lesson file by its path relative to this file, e.g. `{example}`."


def check_references(docs: Sequence[RenderedDoc], course: Course, ledger: Ledger) -> list[Diagnostic]:
    """Findings for references to lessons and anchors that do not exist, and concepts used before the ledger has them."""
    by_path = {lesson.path: lesson for lesson in course.lessons}
    by_slug = {lesson.slug: lesson for lesson in course.lessons}
    diags: list[Diagnostic] = []
    for doc in docs:
        known = None
        if doc.key.startswith("lesson:"):
            step = ledger.at(doc.key.split(":", 1)[1])
            known = step.after if step else None
        for ref in doc.references:
            if ref.kind == "concept":
                if known is not None and ref.target not in known:
                    diags.append(warning("CB403", doc.path, ref.pos,
                                         f"concept `{ref.target}` is used before any lesson up to here has mentioned it",
                                         "Add it to this lesson's `teaches` (at least MENTIONED), or to an earlier lesson's, or to prior.yaml."))
            elif ref.kind == "lesson":
                if ref.target not in by_slug:
                    diags.append(error("CB402", doc.path, ref.pos, f"unknown lesson `{ref.target}`",
                                       f"{did_you_mean(ref.target, sorted(by_slug))} Use a lesson's slug (its file name without NN- and .md).".strip()))
            else:
                lesson = by_path.get(ref.target)
                if lesson is None:
                    diags.append(error("CB404", doc.path, ref.pos, f"`{ref.target}` is not a lesson of this course",
                                       _lesson_link_hint(ref.target, doc.path, course)))
                elif ref.anchor and ref.anchor not in lesson.anchors:
                    diags.append(error("CB404", doc.path, ref.pos, f"lesson `{lesson.slug}` has no heading or callout with id `#{ref.anchor}`",
                                       f"{did_you_mean(ref.anchor, sorted(lesson.anchors))} Check the heading text or `:name:`.".strip()))
    return diags

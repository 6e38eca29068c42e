"""Render stage: each lesson and module page's Markdown -> HTML fragments with math/figure placeholders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt

from .course import Course, Lesson, Module
from .diagnostics import Diagnostic, Pos
from .ledger import Ledger
from .loader import ConceptIndex
from .markup import make_parser
from .markup.render import FigureRef, Heading, MathItem, RenderContext, render_inline_text, render_tokens


@dataclass(frozen=True)
class RenderedDoc:
    """One page's rendered Markdown: named HTML fragments (with placeholders) and what they refer to."""

    key: str
    """"lesson:<slug>" or "module:<id>"."""
    path: str
    fragments: dict[str, str]
    """Fragment name -> HTML with placeholders: body, title, summary, objective, why:<concept>, note:<concept>, ..."""
    math: tuple[MathItem, ...]
    figures: tuple[FigureRef, ...]
    headings: tuple[Heading, ...]
    media: dict[str, str]
    diagnostics: tuple[Diagnostic, ...]


def figure_validator() -> Callable | None:
    """builder.figures.validate, or None when the figure registry cannot be imported."""
    try:
        from .figures import validate
    except ImportError:
        return None
    return validate


def render_documents(course: Course, ledger: Ledger, partial: Callable[..., str]) -> list[RenderedDoc]:
    """Render every lesson and module page of the course."""
    md = make_parser()
    index = ConceptIndex(course.concepts)
    shared = _Shared(course, index, partial, figure_validator())
    docs = [_render_lesson(md, shared, lesson, ledger) for lesson in course.lessons]
    docs += [_render_module(md, shared, module) for module in course.modules]
    docs.append(_render_glossary(md, shared, course))
    return docs


@dataclass(frozen=True)
class _Shared:
    course: Course
    index: ConceptIndex
    partial: Callable[..., str]
    validate_figure: Callable | None

    def context(self, path: str, source: str, root: str, own_anchors: frozenset[str], known: frozenset[str] | None) -> RenderContext:
        lessons = self.course.lessons
        return RenderContext(
            path=path, source=source, root=root, project=self.course.config.root, partial=self.partial,
            lesson_files={lesson.path: lesson.slug for lesson in lessons},
            anchors={lesson.slug: lesson.anchors for lesson in lessons},
            concept_ids=frozenset(self.course.concepts), concept_lookup=self.index.resolve,
            known_concepts=known or frozenset(), check_known=known is not None, own_anchors=own_anchors,
            validate_figure=self.validate_figure, allow_html=self.course.config.allow_html,
        )


def _render_lesson(md: MarkdownIt, shared: _Shared, lesson: Lesson, ledger: Ledger) -> RenderedDoc:
    step = ledger.at(lesson.slug)
    known = frozenset(step.after) if step else frozenset()
    ctx = shared.context(lesson.path, lesson.source, "../", lesson.anchors, known)
    fragments = {"body": render_tokens(md, list(lesson.tokens), ctx)}
    for key in ("title", "summary", "objective"):
        fragments[key] = render_inline_text(md, getattr(lesson, key), ctx, lesson.positions.get(key))
    for p in lesson.prerequisites:
        fragments[f"why:{p.concept}"] = render_inline_text(md, p.why, ctx, p.pos)
    for t in lesson.teaches:
        fragments[f"note:{t.concept}"] = render_inline_text(md, t.notes, ctx, t.pos)
    return _doc(f"lesson:{lesson.slug}", lesson.path, fragments, ctx)


def _render_module(md: MarkdownIt, shared: _Shared, module: Module) -> RenderedDoc:
    ctx = shared.context(module.path, module.source, "../../", frozenset(), None)
    fragments = {"body": render_tokens(md, list(module.tokens), ctx),
                 "goal": render_inline_text(md, module.goal, ctx, Pos(2))}
    for i, m in enumerate(module.misconceptions):
        fragments[f"claim:{i}"] = render_inline_text(md, m.claim, ctx, m.pos)
    return _doc(f"module:{module.id}", module.path, fragments, ctx)


def _render_glossary(md: MarkdownIt, shared: _Shared, course: Course) -> RenderedDoc:
    path = "content/concepts.yaml"
    # A stand-in source with each definition on its entry's line, so findings point at the right line.
    lines = [""] * max([c.pos.line for c in course.concepts.values()] + [1])
    for concept in course.concepts.values():
        lines[concept.pos.line - 1] = concept.definition
    ctx = shared.context(path, "\n".join(lines), "../", frozenset(), None)
    fragments = {f"def:{c.id}": render_inline_text(md, c.definition, ctx, c.pos) for c in course.concepts.values()}
    return _doc("concepts", path, fragments, ctx)


def _doc(key: str, path: str, fragments: dict[str, str], ctx: RenderContext) -> RenderedDoc:
    return RenderedDoc(key, path, fragments, tuple(ctx.math), tuple(ctx.figures), tuple(ctx.headings),
                       dict(ctx.media), tuple(ctx.diagnostics))

"""Tokens -> HTML: markdown-it's renderer, with our rules (registered in markup/rules/ through add_render_rule).

The renderer only adds what every rule needs: before an inline block renders, the source cursor moves to that
block's lines (so rules can find their text's column), and content nested too deeply is reported once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from ..model.diagnostics import Pos
from .context import RenderContext
from .directives import MAX_NESTING
from .headings import id_findings
from .rules.foreign import report_foreign_syntax
from .rules.math import warn_spaced_tex


class CourseRenderer(RendererHTML):
    """markdown-it's HTML renderer that keeps the page's source cursor on the block being rendered."""

    def __init__(self, parser: MarkdownIt | None = None) -> None:
        super().__init__(parser)
        self._md = parser

    def render(self, tokens: Sequence[Token], options: Any, env: Any) -> str:
        ctx: RenderContext = env["ctx"]
        out = []
        for i, token in enumerate(tokens):
            if token.nesting != -1 and token.level >= MAX_NESTING - 1 and token.block and token.type != "inline":
                _too_deep(ctx, token)
            if token.type == "inline":
                if token.map:
                    ctx.source.seek_line(token.map[0], token.map[1])
                    warn_spaced_tex(ctx, token.content)
                    ctx.source.seek_line(token.map[0], token.map[1])
                    report_foreign_syntax(ctx, tokens, i)
                    ctx.source.seek_line(token.map[0], token.map[1])
                out.append(self.renderInline(token.children or [], options, env))
            elif token.type in self.rules:
                out.append(self.rules[token.type](tokens, i, options, env))
            else:
                out.append(self.renderToken(tokens, i, options, env))
        return "".join(out)

    def parse(self, text: str) -> list[Token]:
        """Another document's tokens (an included file), parsed like a page."""
        assert self._md is not None
        return self._md.parse(text, {})

    def render_text(self, text: str, options: Any, env: Any) -> str:
        """A piece of inline Markdown (a directive's title) as HTML."""
        assert self._md is not None
        return self.renderInline(self._md.parseInline(text, {})[0].children or [], options, env)


def _too_deep(ctx: RenderContext, token: Token) -> None:
    ctx.error("CB413", Pos((token.map or [0])[0] + 1),
              f"content is nested more than {MAX_NESTING} levels deep here; what is inside is not shown",
              "Nest callouts, lists and quotes less deeply (a few levels is plenty for a reader).")


def render_body(md: MarkdownIt, tokens: Sequence[Token], ctx: RenderContext) -> str:
    """A document's body (front matter skipped) as HTML with placeholders."""
    body = [t for t in tokens if t.type != "front_matter"]
    ctx.diagnostics.extend(id_findings(body, ctx.path))
    return md.renderer.render(body, md.options, {"ctx": ctx})


def render_inline(md: MarkdownIt, text: str, ctx: RenderContext, pos: Pos | None) -> str:
    """A frontmatter text value (inline Markdown, may hold $math$) as HTML, its findings at `pos`."""
    if not text:
        return ""
    tokens = md.parseInline(text, {})
    if pos:
        ctx.source.seek_line(pos.line - 1)
    return md.renderer.renderInline(tokens[0].children or [], md.options, {"ctx": ctx})

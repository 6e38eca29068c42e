"""Math: `$inline$`, `$$display$$`, labelled `$$ ... $$ (label)` and `\begin{align}` become formula placeholders,
each recorded with its file position (typeset_math renders them all in one batch)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.token import Token

from ...model.diagnostics import Pos
from ...model.rendered import MathItem
from .. import placeholders
from ..context import RenderContext


def math_inline(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """`$tex$` (and `$$tex$$` inside a paragraph)."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    display = token.type == "math_inline_double"
    fence = "$$" if display else "$"
    pos = ctx.source.find(fence + token.content)
    return add_formula(ctx, MathItem(token.content, display, Pos(pos.line, pos.column + len(fence)), ""))


def math_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A display formula on lines of its own, or an amsmath environment."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    line0, end0 = token.map if token.map else (0, None)
    ctx.source.seek_line(line0, end0)
    if token.type == "amsmath":
        pos = ctx.source.find(token.content[:20])
    else:
        found = ctx.source.find("$$")
        skipped = len(token.content) - len(token.content.lstrip("\n"))
        pos = Pos(found.line + token.content[:skipped].count("\n"), 1) if skipped else Pos(found.line, found.column + 2)
    label = token.info if token.type == "math_block_label" else ""
    formula = add_formula(ctx, MathItem(token.content.strip(), True, pos, label))
    return ctx.partial("math_block.html", math=formula, label=label)


def add_formula(ctx: RenderContext, item: MathItem) -> str:
    """Record a formula of the page; its placeholder."""
    ctx.math.append(item)
    return placeholders.math(len(ctx.math) - 1)


RULES = {
    "math_inline": math_inline,
    "math_inline_double": math_inline,
    "math_block": math_block,
    "math_block_label": math_block,
    "amsmath": math_block,
}

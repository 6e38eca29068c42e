"""Math: `$inline$`, `$$display$$`, `\\begin{align}` environments, the `{math}` directive and role become formula
placeholders, each recorded with its file position (typeset_math renders them all in one batch).

A display formula with a label - `$$ ... $$ (label)`, `:label:` on a `{math}` directive, or `\\label{...}` inside
the TeX - is numbered in its lesson (1, 2, ...) and is a target for {eq}, {numref} and `[](#label)`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it.token import Token

from ...model.diagnostics import Pos
from ...model.rendered import MathItem, TargetKind
from .. import placeholders
from ..anchors import TEX_LABEL
from ..context import RenderContext
from .kinds import Directive, DirectiveCall



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
    tex = token.content.strip() if token.type == "amsmath" else sphinx_display(token.content)
    return display_formula(ctx, tex, pos, label, source=token.content.strip())


def sphinx_display(tex: str) -> str:
    """Display math as Sphinx (and so Jupyter Book) reads it: equations apart by blank lines are stacked, and one
    that aligns with `&` or breaks with `\\\\` is set in an `aligned` environment (KaTeX alone would refuse the `&`).
    Each closing command starts a line of its own, so a `%` comment in the author's TeX cannot swallow it."""
    parts = [p.strip() for p in re.split(r"\n[ \t]*\n", tex.strip()) if p.strip()]
    parts = [f"\\begin{{aligned}}{p}\n\\end{{aligned}}" if ("&" in p or "\\\\" in p) and "\\begin" not in p else p for p in parts]
    return parts[0] if len(parts) == 1 else "\\begin{gathered}" + "\n\\\\\n".join(parts) + "\n\\end{gathered}"


def display_formula(ctx: RenderContext, tex: str, pos: Pos, label: str, source: str | None = None) -> str:
    """A display formula, numbered when it has a label (given, or a `\\label{}` in the TeX, which is taken out)."""
    exact = source is None or tex == source
    labels = TEX_LABEL.findall(tex)
    if labels:
        exact = False
        tex = TEX_LABEL.sub("", tex)
        if label or len(labels) > 1:
            ctx.error("CB410", pos, "a display formula has one label; this one has " + ", ".join(f"`{x}`" for x in [label, *labels] if x),
                      "Keep one `\\label{...}` (or the `(label)` after `$$`) and split the formula to label its parts.")
        label = label or labels[0]
    number = ctx.add_target(label, TargetKind.EQUATION, "", pos) if label else 0
    formula = add_formula(ctx, MathItem(tex, True, pos, label, exact=exact))
    return ctx.partial("math_block.html", math=formula, label=label, number=number)


_SPACED_TEX = re.compile(r"(?<![\\$\w])\$[ \t]+([^$\n]*\\[A-Za-z|{][^$\n]*?)[ \t]*\$(?!\d)")
"""`$ \\alpha $`: TeX between dollars with spaces inside them, which Pandoc's rule (and so this builder) reads as text."""


def warn_spaced_tex(ctx: RenderContext, source: str) -> None:
    """TeX commands between spaced-out dollars in a paragraph's source are a warning: they are shown as text."""
    if "$" not in source or "\\" not in source:
        return
    for match in _SPACED_TEX.finditer(_CODE_SPAN.sub(lambda m: " " * len(m.group(0)), source)):
        found = source[match.start():match.end()]
        ctx.warning("CB410", ctx.source.find(found), f"`{found}` is shown as text, not as math",
                    f"Write the formula without spaces inside the dollars: `${match.group(1).strip()}$` (a `$` before a "
                    "space is a price, as in Pandoc); to show dollars, escape them: `\\$`.")


_CODE_SPAN = re.compile(r"(`+)[^`]*?\1")


def add_formula(ctx: RenderContext, item: MathItem) -> str:
    """Record a formula of the page; its placeholder."""
    ctx.math.append(item)
    return placeholders.math(len(ctx.math) - 1)


def render_math_directive(call: DirectiveCall) -> str:
    """```` ```{math} ```` with `:label:`: its content is one display formula."""
    line = call.token.meta["body_line"]
    return display_formula(call.ctx, sphinx_display(call.body), Pos(line + 1, 1), call.option("label") or call.name,
                           source=call.body.strip())


RULES = {
    "math_inline": math_inline,
    "math_inline_double": math_inline,
    "math_block": math_block,
    "math_block_label": math_block,
    "amsmath": math_block,
}
DIRECTIVES = {"math": Directive(render_math_directive, options=("label", "name", "class", "nowrap"), raw=True)}

"""MyST's block markers (mdit-py-plugins' myst_blocks): `(label)=` targets, `% comments` and `+++` block breaks.

A target is an anchor on the page and a target of cross-references; before a heading it takes the heading's text as
its title. Comments and block breaks show nothing. MyST's optional block attributes (`{#id .class}` on a line before
a paragraph) are not supported: such a line is reported, never shown as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ...model.diagnostics import Pos
from ...model.rendered import TargetKind
from ..context import RenderContext
from ..headings import plain_text
from .xref import LABEL


def myst_target(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """`(label)=`: an anchor, titled by the heading that follows it (if one does)."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    label = token.content.strip()
    pos = Pos((token.map or [0])[0] + 1, 2)
    if not LABEL.match(label):
        ctx.error("CB404", pos, f"`({label})=` is not a usable label", "A label has no spaces: `(my-label)=`.")
        return ""
    heading = idx + 2 < len(tokens) and tokens[idx + 1].type == "heading_open"
    title = plain_text(tokens[idx + 2]) if heading else ""
    ctx.add_target(label, TargetKind.SECTION if heading else TargetKind.LABEL, title, pos)
    return ctx.partial("target.html", id=label)


_ATTRS = re.compile(r"^\{[#.][^{}\n]*\}$")


def attrs_check_rule(state: StateCore) -> None:
    """Take a paragraph's first line off when it is a block attribute line (`{#id}`), and mark the paragraph (a core
    rule before the inline rules parse the text)."""
    for i, token in enumerate(state.tokens):
        if token.type == "inline" and i and state.tokens[i - 1].type == "paragraph_open":
            first, _, rest = token.content.partition("\n")
            if _ATTRS.match(first.strip()):
                state.tokens[i - 1].meta["attrs"] = first.strip()
                token.content = rest


def paragraph_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A paragraph; one that had a block attribute line is reported at that line."""
    token = tokens[idx]
    attrs = token.meta.get("attrs") if token.meta else None
    if attrs:
        ctx: RenderContext = env["ctx"]
        label = attrs[2:-1].split()[0] if attrs.startswith("{#") and len(attrs) > 3 else "label"
        ctx.error("CB400", Pos((token.map or [0])[0] + 1, 1), f"block attributes `{attrs}` are not supported",
                  f"To label the paragraph, put a `({label})=` line before it; classes have no styles in this theme.")
    return self.renderToken(tokens, idx, options, env)


def nothing(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A `% comment` or a `+++` block break: not shown."""
    return ""


RULES = {"myst_target": myst_target, "myst_line_comment": nothing, "myst_block_break": nothing, "paragraph_open": paragraph_open}

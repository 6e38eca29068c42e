"""MyST's block markers (mdit-py-plugins' myst_blocks): `(label)=` targets, `% comments` and `+++` block breaks.

A target is an anchor on the page and a target of cross-references; before a heading it takes the heading's text as
its title. Comments and block breaks show nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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


def nothing(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A `% comment` or a `+++` block break: not shown."""
    return ""


RULES = {"myst_target": myst_target, "myst_line_comment": nothing, "myst_block_break": nothing}

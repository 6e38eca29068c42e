"""Headings: each is recorded for the on-page contents and gets its anchor link (ids are set at parse time)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.token import Token

from ...model.diagnostics import Pos
from ...model.rendered import Heading, TargetKind
from ..context import RenderContext


def heading_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """`<hN id=...>`, the heading recorded for the contents."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    inline = tokens[idx + 1]
    if inline.map:
        ctx.source.seek_line(inline.map[0], inline.map[1])
    text = self.renderInlineAsText(inline.children or [], options, env)
    ctx.headings.append(Heading(int(token.tag[1]), str(token.attrGet("id")), text))
    ctx.add_target(str(token.attrGet("id")), TargetKind.SECTION, text, Pos((token.map or [0])[0] + 1))
    return ctx.partial("heading_open.html", id=token.attrGet("id"), tag=token.tag)


def heading_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """The anchor link to the heading, and `</hN>`."""
    ctx: RenderContext = env["ctx"]
    opener = next(t for t in reversed(tokens[:idx]) if t.type == "heading_open")
    return ctx.partial("heading_anchor.html", id=opener.attrGet("id"), tag=tokens[idx].tag)


RULES = {"heading_open": heading_open, "heading_close": heading_close}

"""Code blocks: highlighted by the theme's code partial; a fence left open is a finding at its opening line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.common.utils import unescapeAll
from markdown_it.token import Token

from ...model.diagnostics import Pos
from ..context import RenderContext, SourceCursor


def fence(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A fenced or indented code block."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    language = unescapeAll(token.info).strip().split(maxsplit=1)[0] if token.info.strip() else ""  # CommonMark: escapes and entities
    if token.type == "fence" and token.map and not _is_closed(ctx.source, token):
        ctx.error("CB406", Pos(token.map[0] + 1), f"code fence {token.markup} opened here is never closed",
                  f"Close it with a line of {token.markup}; without it, everything below is shown as code.")
    return ctx.partial("code_block.html", code=token.content, language=language)


def _is_closed(source: SourceCursor, token: Token) -> bool:
    """CommonMark lets a code fence run to the end of its container; an author almost always forgot the closer."""
    start, end = token.map  # type: ignore[misc]
    if end - 1 <= start or end - 1 >= len(source.line_starts):
        return False
    last = source.line(end).lstrip(" \t>").rstrip()
    return len(last) >= len(token.markup) and set(last) == {token.markup[0]}


RULES = {"fence": fence, "code_block": fence}

"""Raw HTML: escaped with a warning (it is disabled for safety), or passed through when site.yaml allows it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from ...model.diagnostics import Pos
from ..context import RenderContext


def raw_html(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """An HTML block or inline tag."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    if ctx.settings.allow_html:
        return token.content
    pos = ctx.source.find(token.content) if token.type == "html_inline" else Pos((token.map or [0])[0] + 1)
    if token.type == "html_inline" and token.content.startswith("</"):
        return escapeHtml(token.content)  # the opening tag was reported
    ctx.warning("CB412", pos, "raw HTML is not rendered (it is disabled for safety)",
                "Use Markdown or a directive instead, or set `markdown: {allow_html: true}` in site.yaml.")
    return escapeHtml(token.content)


RULES = {"html_block": raw_html, "html_inline": raw_html}

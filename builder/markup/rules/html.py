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
    if token.type == "html_inline" and token.content.startswith("</") and _opened_before(tokens, idx):
        return escapeHtml(token.content)  # its opening tag was reported
    ctx.warning("CB412", pos, "raw HTML is not rendered (it is disabled for safety)",
                "Use Markdown or a directive instead, or set `markdown: {allow_html: true}` in site.yaml.")
    return escapeHtml(token.content)


def _opened_before(tokens: Sequence[Token], idx: int) -> bool:
    """Whether an inline closing tag closes an opening tag earlier in the same paragraph (one finding for the pair)."""
    name = tokens[idx].content[2:].strip(" \t\n>").lower()
    return any(t.type == "html_inline" and t.content.lower().startswith("<" + name) and t.content[1 + len(name):2 + len(name)] in (">", " ", "\t", "\n", "/")
               for t in tokens[:idx])


RULES = {"html_block": raw_html, "html_inline": raw_html}

"""Syntax of neighboring Markdown dialects that CommonMark reads as plain text: GitHub's alerts (`> [!NOTE]`),
MyST's inline attributes (`[text]{#id .class}`) and sphinx-design's card headers (a `^^^` line). Published as they
are, they would put brackets and carets on the page; each is an error at its line that says what to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.token import Token

from ..context import RenderContext

_ALERT = re.compile(r"\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]", re.I)
_CALLOUT = {"note": "note", "tip": "tip", "important": "important", "warning": "warning", "caution": "caution"}
_SPAN = re.compile(r"\[[^\[\]\n]*\]\{[#.][^{}\n]*\}")
_CARET_LINE = re.compile(r"^[ \t]*\^{3,}[ \t]*$", re.M)


def report_foreign_syntax(ctx: RenderContext, tokens: Sequence[Token], i: int) -> None:
    """Findings for the inline block tokens[i] (the source cursor is on its lines)."""
    token = tokens[i]
    text = "".join(child.content if child.type == "text" else "\n" if child.type in ("softbreak", "hardbreak") else "\0"
                   for child in token.children or [])  # the prose only: code spans, math and roles are not text
    if not any(mark in text for mark in ("[!", "]{", "^^^")):
        return
    alert = _ALERT.match(token.content)
    if alert and i >= 2 and tokens[i - 1].type == "paragraph_open" and tokens[i - 2].type == "blockquote_open":
        kind = alert.group(1).lower()
        ctx.error("CB400", ctx.source.find(alert.group(0)), f"`> {alert.group(0)}` is GitHub's alert syntax, which "
                  "MyST and this builder do not read: the page would show it as a quote starting with the brackets",
                  f"Write a callout: ```` ```{{{_CALLOUT[kind]}}} ```` ... ```` ``` ````, or `:::{{{_CALLOUT[kind]}}}` ... `:::`.")
    for span in _SPAN.finditer(text):
        ctx.error("CB400", ctx.source.find(span.group(0)), f"`{span.group(0)}`: inline attributes are not supported "
                  "(the page would show the braces)",
                  "To link to this place, put a `(label)=` line before its paragraph or heading; for a term, use "
                  "{term}`...`; classes have no styles in this theme.")
    for caret in _CARET_LINE.finditer(text):
        ctx.error("CB400", ctx.source.find(caret.group(0).strip()), "a `^^^` line is sphinx-design's card header "
                  "separator, which this builder does not support (the page would show the carets)",
                  "Put the header in the card's title: ```` ```{card} The header ````; a footer after `+++` is supported.")

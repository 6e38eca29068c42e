"""Footnotes (mdit-py-plugins' footnote: `[^1]` and `[^1]: text`), rendered through the theme's partials as a
footnotes section at the end of the page. A reference to a footnote no line defines, and a definition no reference
uses, are findings at their line (the plugin alone would print the first as an empty note and drop the second).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..context import RenderContext


def footnote_check_rule(state: StateCore) -> None:
    """Mark references to undefined footnotes, and record definitions nobody references (a core rule after
    the plugin's footnote_tail)."""
    data = state.env.get("footnotes", {})
    undefined = set()
    for i, token in enumerate(state.tokens):
        if token.type == "footnote_open" and i + 1 < len(state.tokens) and state.tokens[i + 1].type == "footnote_anchor":
            undefined.add(token.meta["label"])
    for token in state.tokens:
        for child in token.children or []:
            if child.type == "footnote_ref":
                child.meta["undefined"] = child.meta["label"] in undefined
    unused = [key[1:] for key, value in data.get("refs", {}).items() if value == -1]
    if unused:
        state.tokens.append(Token("footnote_unused", "", 0, meta={"labels": unused}))


def footnote_ref(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """`[^label]`: the footnote's number, linked to its text."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    label = token.meta["label"]
    pos = ctx.source.find("[^" + label + "]")
    if token.meta.get("undefined"):
        ctx.error("CB404", pos, f"footnote `[^{label}]` has no definition",
                  f"Add a line `[^{label}]: the note's text` to this lesson (anywhere: notes are listed at its end).")
    return ctx.partial("footnote_ref.html", number=token.meta["id"] + 1, sub=token.meta["subId"])


def footnotes_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """The start of the footnotes section."""
    return env["ctx"].partial("footnotes_open.html")


def footnotes_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """The end of the footnotes section."""
    return env["ctx"].partial("footnotes_close.html")


def footnote_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """One footnote's item."""
    return env["ctx"].partial("footnote_open.html", number=tokens[idx].meta["id"] + 1)


def footnote_close(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """The end of one footnote's item."""
    return env["ctx"].partial("footnote_close.html")


def footnote_anchor(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """The link back from a footnote to (one of) its references."""
    meta = tokens[idx].meta
    return env["ctx"].partial("footnote_backref.html", number=meta["id"] + 1, sub=meta["subId"])


def footnote_unused(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Definitions no reference uses: a warning each (they are not shown)."""
    ctx: RenderContext = env["ctx"]
    for label in tokens[idx].meta["labels"]:
        ctx.source.seek_line(0)
        ctx.warning("CB404", ctx.source.find("[^" + label + "]:"), f"footnote `[^{label}]` is never referenced, so it is not shown",
                    f"Refer to it with `[^{label}]` in the text, or delete the definition.")
    return ""


RULES = {"footnote_ref": footnote_ref, "footnote_block_open": footnotes_open, "footnote_block_close": footnotes_close,
         "footnote_open": footnote_open, "footnote_close": footnote_close, "footnote_anchor": footnote_anchor,
         "footnote_unused": footnote_unused}

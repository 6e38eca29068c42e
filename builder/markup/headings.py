"""Heading ids: GitHub-style slugs, unique within a page, set as the `id` attribute at parse time."""

from __future__ import annotations

import re
import unicodedata

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def slugify(text: str) -> str:
    """GitHub's anchor rule: lower case, punctuation dropped, spaces to hyphens."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return _DROP.sub("", text).replace(" ", "-")


def plain_text(inline: Token) -> str:
    """The visible text of an inline token (roles and math count by their content)."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "math_inline", "myst_role"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def heading_ids_rule(state: StateCore) -> None:
    """Give every heading a unique id (`intro`, `intro-1`, ...), directive names reserved first."""
    from .directives import walk

    used: set[str] = {t.meta["options"].get("name") for t in walk(state.tokens)
                      if t.type == "directive" and t.meta["options"].get("name")}
    tokens = list(walk(state.tokens))
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        base = slugify(plain_text(tokens[i + 1])) or "section"
        slug, n = base, 0
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        token.attrSet("id", slug)

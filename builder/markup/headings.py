"""Heading ids: GitHub-style slugs, unique within a page, set as the `id` attribute at parse time."""

from __future__ import annotations

import re
import unicodedata

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..model.diagnostics import Diagnostic, Pos, error, warning

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
        token.meta["slug"] = base  # the id it would have alone (see id_findings)
        slug, n = base, 0
        while slug in used:
            n += 1
            slug = f"{base}-{n}"
        used.add(slug)
        token.attrSet("id", slug)


def id_findings(tokens: list[Token], path: str) -> list[Diagnostic]:
    """Two callouts with one `:name:` (an error), and a heading whose id a `:name:` took (a warning: links and
    `where:` naming that id reach the callout, and the heading answers to `<id>-1`)."""
    from .directives import walk

    named: dict[str, int] = {}
    findings = []
    for token in walk(tokens):
        name = token.meta.get("options", {}).get("name") if token.type == "directive" else None
        line = (token.map or [0])[0] + 1
        if name and name in named:
            findings.append(error("CB409", path, Pos(line), f"id `{name}` is already the `:name:` of the block on line {named[name]}",
                                  "Give each `:name:` its own id; links and `where:` must mean one place."))
        elif name:
            named[name] = line
    for token in walk(tokens):
        if token.type == "heading_open" and token.meta.get("slug") in named:
            slug = token.meta["slug"]
            findings.append(warning("CB409", path, Pos((token.map or [0])[0] + 1),
                                    f"this heading's id would be `{slug}`, but the block on line {named[slug]} is named "
                                    f"`{slug}`; the heading gets `{token.attrGet('id')}`",
                                    "Rename the `:name:` or the heading, so that `#" + slug + "` and `where: " + slug
                                    + "` mean the place you intend."))
    return findings

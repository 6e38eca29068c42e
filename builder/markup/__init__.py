"""Markdown: the one parser of the project. `make_parser()` is the only place `.use()` is called."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from .directives import KINDS, directive_plugin, walk
from .headings import heading_ids_rule


def make_parser() -> MarkdownIt:
    """CommonMark + tables + front matter + directives + roles + dollar math + amsmath, headings with ids.

    Raw HTML is always parsed (so it can be found and reported); the renderer passes it through only when
    site.yaml allows it, and otherwise escapes it with a warning.
    """
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable("table")
    md.use(front_matter_plugin)
    md.use(directive_plugin)
    md.use(myst_role_plugin)
    md.use(dollarmath_plugin, allow_labels=True, allow_space=True, allow_digits=False, double_inline=True)
    md.use(amsmath_plugin)
    md.core.ruler.push("heading_ids", heading_ids_rule)
    md.validateLink = lambda url: True  # every URL reaches our link check, which refuses unsafe ones with a finding
    return md


def anchors_of(tokens: list[Token]) -> frozenset[str]:
    """Ids a document defines: heading ids and directive `:name:` options."""
    ids = set()
    for token in walk(tokens):
        if token.type == "heading_open" and token.attrGet("id"):
            ids.add(str(token.attrGet("id")))
        elif token.type == "directive" and token.meta["options"].get("name"):
            ids.add(token.meta["options"]["name"])
        elif token.type == "math_block_label" and token.info:
            ids.add(str(token.info))
    return frozenset(ids)


__all__ = ["KINDS", "anchors_of", "make_parser", "walk"]

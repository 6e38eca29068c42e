"""The one Markdown parser of the project: `make_parser()` is the only place `.use()` is called."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.amsmath import amsmath_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.myst_blocks import myst_block_plugin
from mdit_py_plugins.myst_role import myst_role_plugin

from .anchors import anchors_of  # noqa: F401  (re-exported: markup.anchors_of)
from .directives import MAX_NESTING, directive_plugin
from .headings import heading_ids_rule
from .tables import table_math_plugin
from .renderer import CourseRenderer
from .rules import render_rules_plugin
from .rules.blocks import attrs_check_rule
from .rules.directive import RAW_KINDS
from .rules.footnotes import footnote_check_rule


def make_parser() -> MarkdownIt:
    """CommonMark + tables + front matter + directives + roles + dollar math + amsmath, headings with ids, and
    our render rules (markup/rules/).

    Raw HTML is always parsed (so it can be found and reported); the renderer passes it through only when
    site.yaml allows it, and otherwise escapes it with a warning.
    """
    md = MarkdownIt("commonmark", {"html": True, "typographer": False, "maxNesting": MAX_NESTING},
                    renderer_cls=CourseRenderer)
    md.enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(myst_block_plugin)  # (label)= targets, % comments, +++ breaks
    md.use(footnote_plugin, inline=False, always_match_refs=True)  # an undefined footnote is found, not left as text
    md.core.ruler.after("footnote_tail", "footnote_check", footnote_check_rule)
    md.use(deflist_plugin)
    md.core.ruler.before("inline", "myst_attrs_check", attrs_check_rule)
    md.use(directive_plugin, raw_kinds=RAW_KINDS)
    md.use(myst_role_plugin)
    md.inline.ruler.at("myst_role", role_rule)
    md.use(table_math_plugin)
    # Pandoc's rule, so that currency is not math: no space inside the dollars, no digit right after the closing one.
    md.use(dollarmath_plugin, allow_labels=True, allow_space=False, allow_digits=False, double_inline=True)
    md.use(amsmath_plugin)
    md.core.ruler.push("heading_ids", heading_ids_rule)
    md.validateLink = lambda url: True  # every URL reaches our link check, which refuses unsafe ones with a finding
    _limit_inline_nesting(md)
    md.use(render_rules_plugin)  # after the plugins above: it replaces their render rules
    return md


_ROLE_NAME = re.compile(r"\{([a-zA-Z0-9_\-+:]+)\}")


def role_rule(state: StateInline, silent: bool) -> bool:
    """``{name}`content` `` as a `myst_role` token: mdit-py-plugins' rule, without copying the rest of the paragraph.

    The plugin's rule slices `state.src[state.pos:]` at every candidate position, which makes a long paragraph
    with many punctuation characters quadratic; this one matches in place.
    """
    src, start = state.src, state.pos
    if src[start] != "{":
        return False
    match = _ROLE_NAME.match(src, start, state.posMax)
    if not match:
        return False
    pos = match.end()
    ticks = 0
    while pos + ticks < state.posMax and src[pos + ticks] == "`":
        ticks += 1
    if not ticks:
        return False
    opened = pos + ticks
    end = src.find("`" * ticks, opened + 1, state.posMax)
    if end < 0:
        return False
    if not silent:
        token = state.push("myst_role", "", 0)
        token.meta = {"name": match.group(1)}
        token.content = src[opened:end].replace("\n", " ")
    state.pos = end + ticks
    return True


INLINE_NESTING = 20
"""markdown-it's own limit for nested links and emphasis; its cost per `[` grows with the limit."""


def _limit_inline_nesting(md: MarkdownIt) -> None:
    """Keep MAX_NESTING for blocks but CommonMark's 20 for inline nesting (markdown-it has one option for both)."""
    parse = md.inline.parse

    def parse_inline(src, md_, env, tokens):  # type: ignore[no-untyped-def]
        md_.options["maxNesting"] = INLINE_NESTING
        try:
            return parse(src, md_, env, tokens)
        finally:
            md_.options["maxNesting"] = MAX_NESTING

    md.inline.parse = parse_inline  # type: ignore[method-assign]

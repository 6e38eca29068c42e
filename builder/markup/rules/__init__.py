"""Our render rules, one concern per file, registered with markdown-it's `add_render_rule`.

A rule has markdown-it's signature `rule(renderer, tokens, idx, options, env)` and finds the page's
RenderContext in `env["ctx"]`: it emits markup through theme partials and records what it finds (formulas,
figures, references, findings) on the context.
"""

from __future__ import annotations

from markdown_it import MarkdownIt

from . import blocks, code, directive, footnotes, headings, html, links, math, roles

RULE_MODULES = (math, roles, links, headings, html, code, directive, blocks, footnotes)


def render_rules_plugin(md: MarkdownIt) -> None:
    """Register every rule of every module above (each module's RULES: token type -> rule)."""
    for module in RULE_MODULES:
        for token_type, rule in module.RULES.items():
            md.add_render_rule(token_type, rule)

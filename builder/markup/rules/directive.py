"""Directives (`:::{kind} title` or ```` ```{kind} title ```` blocks): the one render rule for the `directive` token,
dispatching by kind.

Each kind is rendered by the module that owns it, listed in KINDS with the options it accepts; an unknown kind is a
finding (MyST kinds this builder does not implement name what to use instead, unsupported.py) and renders as a plain
callout, so the rest of the run still reports every other finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.token import Token

from ...model.diagnostics import Pos
from ...model.rendered import TargetKind
from ...suggest import did_you_mean
from ..context import RenderContext
from . import (callout, card, check, code_directive, exercise, figure, glossary, include, index, math, quiz, table, tabs,
               unsupported)
from .kinds import Directive, DirectiveCall, fence_findings

KINDS: dict[str, Directive] = {**callout.DIRECTIVES, **check.DIRECTIVES, **quiz.DIRECTIVES, **figure.DIRECTIVES,
                               **math.DIRECTIVES, **code_directive.DIRECTIVES, **table.DIRECTIVES, **tabs.DIRECTIVES,
                               **card.DIRECTIVES, **exercise.DIRECTIVES, **glossary.DIRECTIVES, **include.DIRECTIVES,
                               **index.DIRECTIVES}
"""Every directive kind a page may use, in the order findings list them."""

RAW_KINDS = frozenset([kind for kind, spec in KINDS.items() if spec.raw] + list(unsupported.DIRECTIVES))
"""Kinds whose content the parser keeps as text (code, math, ... and unsupported kinds, whose content is not Markdown)."""


def directive(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A folded directive token: its children are the blocks inside the fence."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    meta = token.meta
    kind = meta["kind"]
    line0 = token.map[0] if token.map else 0
    pos = Pos(line0 + 1, 1)
    fence_findings(ctx, token)
    ctx.source.seek_line(line0, line0 + 1)
    title_html = self.render_text(meta["title"], options, env) if meta["title"] and kind in KINDS else ""
    call = DirectiveCall(self, token, ctx, options, env, pos, title_html)
    spec = KINDS.get(kind)
    if spec is None:
        where = Pos(line0 + 1, len(token.markup) + 2)
        if kind.startswith("."):
            ctx.error("CB400", Pos(line0 + 1, len(token.markup) + 1), f"`{token.markup}{kind[1:]}` is a MyST class container, "
                      "which this builder does not support", "Use a directive with braces, e.g. `:::{note}`, or plain Markdown.")
            return call.render()
        if kind in unsupported.DIRECTIVES:
            ctx.error("CB400", where, f"`{{{kind}}}` is a MyST directive this builder does not support",
                      unsupported.DIRECTIVES[kind][0].upper() + unsupported.DIRECTIVES[kind][1:] + ".")
            return ""
        ctx.error("CB400", where, f"unknown directive `{{{kind}}}`",
                  f"{did_you_mean(kind, list(KINDS))} Kinds: {', '.join(KINDS)}.".strip())
        _check_options(call, callout.OPTIONS)
        return callout.render_as(call, "note", classes="")
    if spec.options is not None:
        _check_options(call, spec.options)
    before = len(ctx.targets)
    html = spec.render(call)
    if call.name and not any(t.label == call.name for t in ctx.targets[before:]):  # a named block is a target too
        ctx.add_target(call.name, TargetKind.LABEL, ctx.plain(title_html), pos)
    return html


def _check_options(call: DirectiveCall, allowed: Sequence[str]) -> None:
    """Every option line must be one the kind accepts."""
    kind = call.token.meta["kind"]
    for key in call.token.meta["options"]:
        if key not in allowed:
            call.ctx.error("CB408", call.option_pos(key), f"`{{{kind}}}` has no option `:{key}:`",
                           f"Options of `{{{kind}}}`: {', '.join(':' + a + ':' for a in allowed)}.")


RULES = {"directive": directive}


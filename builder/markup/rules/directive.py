"""Directives (`:::{kind} title` blocks): the one render rule for the `directive` token, dispatching by kind.

Each kind is rendered by the module that owns it (callout.py, check.py, quiz.py, figure.py), listed in KINDS with
the options it accepts; an unknown kind is a finding and renders as a plain callout, so the rest of the run still
reports every other finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.token import Token

from ...model.diagnostics import Pos
from ...suggest import did_you_mean
from ..context import RenderContext
from . import callout, check, figure, quiz
from .kinds import Directive, DirectiveCall

KINDS: dict[str, Directive] = {**callout.DIRECTIVES, **check.DIRECTIVES, **quiz.DIRECTIVES, **figure.DIRECTIVES}
"""Every directive kind a page may use, in the order findings list them."""


def directive(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """A folded directive token: its children are the blocks inside the fence."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    meta = token.meta
    kind, opts = meta["kind"], meta["options"]
    line0 = token.map[0] if token.map else 0
    pos = Pos(line0 + 1, 1)
    if not meta["closed"]:
        ctx.error("CB406", pos, f"`{{{kind}}}` fence opened here is never closed",
                  f"Close it with a line of {len(token.markup)} or more colons (`{':' * len(token.markup)}`).")
    ctx.source.seek_line(line0, line0 + 1)
    title_html = self.render_text(meta["title"], options, env) if meta["title"] else ""
    call = DirectiveCall(self, token, ctx, options, env, pos, title_html)
    spec = KINDS.get(kind)
    if spec is None:
        ctx.error("CB400", Pos(line0 + 1, len(token.markup) + 2), f"unknown directive `{{{kind}}}`",
                  f"{did_you_mean(kind, list(KINDS))} Kinds: {', '.join(KINDS)}.".strip())
        _check_options(call, callout.OPTIONS)
        return callout.render_as(call, "note", classes="")
    if spec.options is not None:
        _check_options(call, spec.options)
    return spec.render(call)


def _check_options(call: DirectiveCall, allowed: Sequence[str]) -> None:
    """Every option line must be one the kind accepts."""
    kind = call.token.meta["kind"]
    for key in call.token.meta["options"]:
        if key not in allowed:
            call.ctx.error("CB408", Pos(call.token.meta["option_lines"][key] + 1, 1), f"`{{{kind}}}` has no option `:{key}:`",
                           f"Options of `{{{kind}}}`: {', '.join(':' + a + ':' for a in allowed)}.")


RULES = {"directive": directive}

"""```` ```{code-block} python ```` (also `{code}`, `{sourcecode}`): a highlighted code block with MyST's options
`:linenos:`, `:lineno-start:`, `:emphasize-lines:` (`1,3-4`), `:caption:` and `:name:` (a named listing is numbered)."""

from __future__ import annotations

import re

from ...model.diagnostics import Pos
from ...model.rendered import TargetKind
from .kinds import Directive, DirectiveCall

OPTIONS = ("linenos", "lineno-start", "emphasize-lines", "caption", "name", "class", "force", "dedent")
_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+))?\s*$")


def render_code_block(call: DirectiveCall) -> str:
    """The code, highlighted, with its caption and number."""
    ctx, code = call.ctx, call.body
    language = call.token.meta["title"].strip()
    lines = code.count("\n") + (0 if code.endswith("\n") else 1)
    start = 1
    if call.option("lineno-start"):
        if call.option("lineno-start").isdigit():
            start = int(call.option("lineno-start"))
        else:
            ctx.error("CB408", call.option_pos("lineno-start"), f"`:lineno-start: {call.option('lineno-start')}` is not a line number",
                      "Write a whole number, e.g. `:lineno-start: 10`.")
    emphasize = _lines(call, call.option("emphasize-lines"), lines)
    caption_html = call.renderer.render_text(call.option("caption"), call.options, call.env) if call.option("caption") else ""
    number = ctx.add_target(call.name, TargetKind.CODE, ctx.plain(caption_html), call.pos) if call.name else 0
    return ctx.partial("code_listing.html", code=code, language=language, id=call.name, caption_html=caption_html,
                       number=number, linenos="linenos" in call.token.meta["options"] or "lineno-start" in call.token.meta["options"],
                       start=start, emphasize=emphasize, classes=call.option("class"))


def _lines(call: DirectiveCall, spec: str, count: int) -> tuple[int, ...]:
    """`1,3-4` as line numbers; a bad part or a line past the end is a finding."""
    out: list[int] = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        match = _RANGE.match(part)
        first, last = (int(match.group(1)), int(match.group(2) or match.group(1))) if match else (0, 0)
        if not match or not 1 <= first <= last <= count:
            call.ctx.error("CB408", call.option_pos("emphasize-lines"), f"`:emphasize-lines:` part `{part}` is not a range of "
                           f"this block's lines (1-{count})", "Write line numbers of the block, counted from 1: `2,4-5`.")
            continue
        out += range(first, last + 1)
    return tuple(sorted(set(out)))


DIRECTIVES = {kind: Directive(render_code_block, options=OPTIONS, raw=True) for kind in ("code-block", "code", "sourcecode")}

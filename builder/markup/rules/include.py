"""```` ```{include} ../../content/shared/notation.md ````: another Markdown file of the project (under content/),
rendered in place as part of the page. Its findings are reported in that file, at its lines; a missing file, one
outside content/ or an include that loops is an error at the `{include}` line."""

from __future__ import annotations

import dataclasses

from ...model.course import include_path
from ..context import SourceCursor
from ..anchors import anchors_of
from .kinds import Directive, DirectiveCall

MAX_DEPTH = 8
"""How deep included files may include others."""


def render_include(call: DirectiveCall) -> str:
    """The included file's blocks, rendered with findings pointing into it."""
    ctx = call.ctx
    written = call.token.meta["title"].strip()
    target = include_path(ctx.path, written) if written else None
    if target is None:
        ctx.error("CB404", call.pos, f"`{{include}}` names `{written}`, which is not a file under content/",
                  "Put shared Markdown under content/ (e.g. content/shared/notation.md) and name it relative to this file.")
        return ""
    text = ctx.settings.includes.get(target)
    if text is None:
        ctx.error("CB404", call.pos, f"`{written}` does not exist (looked for {target})",
                  "Create the file, or fix the path (relative to this file).")
        return ""
    stack: list[str] = call.env.setdefault("include_stack", [])
    if target in stack or target == ctx.path or len(stack) >= MAX_DEPTH:
        ctx.error("CB404", call.pos, f"`{written}` includes itself (through {' -> '.join(stack + [target])})" if target in stack
                  or target == ctx.path else f"includes nest more than {MAX_DEPTH} files deep here",
                  "An included file may include others, but never one that includes it.")
        return ""
    tokens = call.renderer.parse(text)
    saved_path, saved_source = ctx.path, ctx.source
    first_math, first_ref = len(ctx.math), len(ctx.references)
    ctx.path, ctx.source = target, SourceCursor(text)
    ctx.own_anchors = ctx.own_anchors | anchors_of(tokens)  # the page defines what it includes
    stack.append(target)
    try:
        html = call.renderer.render([t for t in tokens if t.type != "front_matter"], call.options, call.env)
    finally:
        stack.pop()
        ctx.path, ctx.source = saved_path, saved_source
    ctx.math[first_math:] = [m if m.path else dataclasses.replace(m, path=target) for m in ctx.math[first_math:]]
    ctx.references[first_ref:] = [r if r.path else dataclasses.replace(r, path=target) for r in ctx.references[first_ref:]]
    return html


DIRECTIVES = {"include": Directive(render_include, options=())}

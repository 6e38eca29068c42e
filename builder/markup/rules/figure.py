"""Figures (`:::{figure} figure-id` with `:option: value` lines and a caption as body): validated against the
course's figure declarations and recorded, to be computed by compute_figures; a placeholder marks the spot."""

from __future__ import annotations

from ...model.diagnostics import Pos
from ...model.rendered import FigureRef
from .. import placeholders
from .kinds import Directive, DirectiveCall


def render_figure(call: DirectiveCall) -> str:
    """The figure's placeholder (nothing, with findings, when its id or options are wrong)."""
    ctx, meta = call.ctx, call.token.meta
    figure_id = meta["title"].strip()
    options = {k: v for k, v in meta["options"].items() if k != "name"}
    caption_html = call.render()
    params, problems = ctx.settings.validate_figure(figure_id, options)
    for problem in problems:
        line = meta["option_lines"].get(problem.option) if problem.option else None
        where = Pos(line + 1, 1) if line is not None else Pos(call.pos.line, 4 + len(call.token.markup))
        ctx.error("CB411" if problem.option is None else "CB408", where, problem.message, problem.hint)
    if params is None or problems:
        return ""
    ctx.figures.append(FigureRef(figure_id, params, caption_html, call.name or f"figure-{len(ctx.figures) + 1}", call.pos))
    return placeholders.figure(len(ctx.figures) - 1)


DIRECTIVES = {"figure": Directive(render_figure, options=None)}

"""Figures: `:::{figure} figure-id` with `:option: value` lines and a caption as body, validated against the
course's figure declarations and recorded, to be computed by compute_figures (a placeholder marks the spot); or,
as in MyST, `:::{figure} path/to/image.png` with `:alt:`, an image with its caption."""

from __future__ import annotations

import re

from ...model.diagnostics import Pos
from ...model.rendered import FigureRef
from .. import placeholders
from .kinds import Directive, DirectiveCall
from .links import refuse_remote_image, resolve_url

IMAGE = re.compile(r"/|\.(png|jpe?g|gif|svg|webp|avif)$", re.IGNORECASE)
"""An argument with a slash or an image file's extension names an image; anything else, a computed figure."""
IMAGE_OPTIONS = ("alt", "width", "height", "align", "name", "class")
_LENGTH = re.compile(r"^\d+(\.\d+)?(px|%)?$")


def render_figure(call: DirectiveCall) -> str:
    """The figure's placeholder (nothing, with findings, when its id or options are wrong), or an image figure."""
    ctx, meta = call.ctx, call.token.meta
    figure_id = meta["title"].strip()
    if IMAGE.search(figure_id):
        return render_image_figure(call, figure_id)
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


def render_image_figure(call: DirectiveCall, src: str) -> str:
    """An image with its caption; the file is checked like a link's, `:alt:` is required (readers who cannot see
    the image get its text)."""
    ctx, meta = call.ctx, call.token.meta
    for key, line in meta["option_lines"].items():
        if key not in IMAGE_OPTIONS:
            ctx.error("CB408", Pos(line + 1, 1), f"an image `{{figure}}` has no option `:{key}:`",
                      f"Options of an image figure: {', '.join(':' + o + ':' for o in IMAGE_OPTIONS)}.")
    for key in ("width", "height"):
        if key in meta["options"] and not _LENGTH.match(meta["options"][key]):
            ctx.error("CB408", Pos(meta["option_lines"][key] + 1, 1), f"`:{key}: {meta['options'][key]}` is not a length",
                      "Write pixels or a percentage, e.g. `:width: 400px` or `:width: 80%`.")
    if meta["options"].get("align", "center") not in ("left", "center", "right"):
        ctx.error("CB408", Pos(meta["option_lines"]["align"] + 1, 1), "`:align:` must be left, center or right", "")
    alt = meta["options"].get("alt", "").strip()
    if not alt:
        ctx.error("CB408", call.pos, f"image figure `{src}` has no `:alt:` text",
                  "Add `:alt: what the image shows` under the fence: readers who cannot see the image hear it instead.")
    ctx.source.seek_line(call.token.map[0] if call.token.map else 0)
    if refuse_remote_image(ctx, src, ctx.source.find(src)):
        return ""
    resolved = resolve_url(ctx, src, ctx.source.find(src))
    caption_html = call.render()
    return ctx.partial("image_figure.html", src=resolved, alt=alt, id=call.name, caption_html=caption_html,
                       width=meta["options"].get("width", ""), height=meta["options"].get("height", ""),
                       align=meta["options"].get("align", ""), classes=meta["options"].get("class", ""))

"""Figures: `:::{figure} figure-id` with `:option: value` lines and a caption as body, validated against the
course's figure declarations and recorded, to be computed by compute_figures (a placeholder marks the spot); or,
as in MyST, `:::{figure} path/to/image.png` with `:alt:`, an image with its caption."""

from __future__ import annotations

import re

from ...model.diagnostics import Pos
from ...model.rendered import FigureRef, TargetKind
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
    number = ctx.add_target(call.name, TargetKind.FIGURE, ctx.plain(caption_html), call.pos) if call.name else 0
    ctx.figures.append(FigureRef(figure_id, params, numbered_caption(call, caption_html, number),
                                 call.name or f"figure-{len(ctx.figures) + 1}", call.pos, number))
    return placeholders.figure(len(ctx.figures) - 1)




def numbered_caption(call: DirectiveCall, caption_html: str, number: int) -> str:
    """A caption that starts with its figure's number ("Figure 2"), inside its first paragraph."""
    if not number:
        return caption_html
    label = call.ctx.partial("caption_number.html", kind="Figure", number=number)
    return caption_html.replace("<p>", "<p>" + label + " ", 1) if caption_html.startswith("<p>") else label + caption_html


def render_image(call: DirectiveCall) -> str:
    """```` ```{image} path ````: an image on its own (no caption), `:alt:` required."""
    if call.token.children:
        call.ctx.error("CB408", call.pos, "`{image}` has no caption; this one has content",
                       "Use ```` ```{figure} path ```` for an image with a caption.")
    return render_image_figure(call, call.token.meta["title"].strip(), figure=False)


def render_image_figure(call: DirectiveCall, src: str, figure: bool = True) -> str:
    """An image with its caption; the file is checked like a link's, `:alt:` is required (readers who cannot see
    the image get its text)."""
    ctx, meta = call.ctx, call.token.meta
    kind = "figure" if figure else "image"
    if not src:
        ctx.error("CB411", call.pos, f"`{{{kind}}}` names no image", f"Write the image's path after the kind: {{{kind}}} path/to/image.png.")
        return ""
    for key, line in meta["option_lines"].items():
        if key not in IMAGE_OPTIONS:
            ctx.error("CB408", Pos(line + 1, 1), f"an image `{{{kind}}}` has no option `:{key}:`",
                      f"Options of an image figure: {', '.join(':' + o + ':' for o in IMAGE_OPTIONS)}.")
    for key in ("width", "height"):
        if key in meta["options"] and not _LENGTH.match(meta["options"][key]):
            ctx.error("CB408", Pos(meta["option_lines"][key] + 1, 1), f"`:{key}: {meta['options'][key]}` is not a length",
                      "Write pixels or a percentage, e.g. `:width: 400px` or `:width: 80%`.")
    if meta["options"].get("align", "center") not in ("left", "center", "right"):
        ctx.error("CB408", Pos(meta["option_lines"]["align"] + 1, 1), "`:align:` must be left, center or right", "")
    alt = meta["options"].get("alt", "").strip()
    if not alt:
        ctx.error("CB408", call.pos, f"image `{src}` has no `:alt:` text",
                  "Add `:alt: what the image shows` under the fence: readers who cannot see the image hear it instead.")
    ctx.source.seek_line(call.token.map[0] if call.token.map else 0)
    if refuse_remote_image(ctx, src, ctx.source.find(src)):
        return ""
    resolved = resolve_url(ctx, src, ctx.source.find(src))
    caption_html = call.render()
    number = ctx.add_target(call.name, TargetKind.FIGURE, ctx.plain(caption_html), call.pos) if call.name and figure else 0
    return ctx.partial("image_figure.html" if figure else "image_block.html", src=resolved, alt=alt, id=call.name,
                       caption_html=numbered_caption(call, caption_html, number),
                       width=meta["options"].get("width", ""), height=meta["options"].get("height", ""),
                       align=meta["options"].get("align", ""), classes=meta["options"].get("class", ""))


DIRECTIVES = {"figure": Directive(render_figure, options=None), "image": Directive(render_image, options=None)}

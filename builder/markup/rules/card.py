"""Cards (sphinx-design): ```` ```{card} Title ```` with a body, an optional footer after a `+++` line, and an
optional `:link:` (checked like any link) that the title points to."""

from __future__ import annotations

from .kinds import Directive, DirectiveCall
from .links import resolve_url


def render_card(call: DirectiveCall) -> str:
    """The card's title, body and footer."""
    ctx = call.ctx
    children = call.token.children or []
    cut = next((i for i, t in enumerate(children) if t.type == "myst_block_break"), len(children))
    body_html = call.render(children[:cut])
    footer_html = call.render(children[cut + 1:]) if cut < len(children) else ""
    link = call.option("link")
    href = resolve_url(ctx, link, call.option_pos("link")) if link else ""
    return ctx.partial("card.html", title_html=call.title_html, body_html=body_html, footer_html=footer_html, href=href,
                       id=call.name, classes=" ".join(filter(None, (call.option("class"), call.option("class-card")))))


DIRECTIVES = {"card": Directive(render_card, options=("link", "name", "class", "class-card", "link-type", "shadow"))}

"""Index entries: ```` ```{index} ```` lines (`single: lion; the animal`, `pair: a; b`, `see: a; b`, or plain
`lion, tiger`) and the {index}`lion` or {index}`text <single: lion>` role. Each entry is an anchor on the page,
recorded as a target; render_pages lists every lesson's entries on the course's index page."""

from __future__ import annotations

from ...model.diagnostics import Pos
from ...model.rendered import TargetKind
from ..context import RenderContext
from .kinds import Directive, DirectiveCall, Role, RoleCall

KINDS = ("single", "pair", "triple", "see", "seealso")


def entries_of(ctx: RenderContext, text: str, pos: Pos) -> list[str]:
    """The index entries one line names (`single: a; b` is "a; b", `pair: a; b` both ways, plain text split at commas)."""
    kind, colon, rest = text.partition(":")
    kind = kind.strip()
    if not colon or " " in kind:
        return [e.strip() for e in text.split(",") if e.strip()]
    parts = [p.strip() for p in rest.split(";") if p.strip()]
    if kind not in KINDS or not parts:
        ctx.error("CB408", pos, f"`{text.strip()}` is not an index entry",
                  "Write `single: term`, `single: term; subterm`, `pair: term; other`, `see: term; other`, or plain terms "
                  "separated by commas.")
        return []
    if kind == "pair" and len(parts) == 2:
        return [f"{parts[0]}; {parts[1]}", f"{parts[1]}; {parts[0]}"]
    if kind == "triple" and len(parts) == 3:
        a, b, c = parts
        return [f"{a}; {b}, {c}", f"{b}; {c}, {a}", f"{c}; {a}, {b}"]
    if kind in ("see", "seealso") and len(parts) == 2:
        return [f"{parts[0]}; see {parts[1]}"]
    return ["; ".join(parts)]


def _anchors(ctx: RenderContext, entries: list[str], pos: Pos) -> list[str]:
    """One anchor per entry (ids index-1, index-2, ... on the page)."""
    ids = []
    for entry in entries:
        anchor = f"index-{ctx.counters.get(TargetKind.INDEX, 0) + 1}"
        ctx.counters[TargetKind.INDEX] = ctx.counters.get(TargetKind.INDEX, 0) + 1
        ctx.add_target(anchor, TargetKind.INDEX, entry, pos)
        ids.append(anchor)
    return ids


def render_index(call: DirectiveCall) -> str:
    """The entries of the directive's argument and content lines, as anchors."""
    ctx = call.ctx
    lines = [(call.token.meta["title"], call.pos.line)] if call.token.meta["title"] else []
    first = call.token.meta["body_line"]
    lines += [(line, first + n + 1) for n, line in enumerate(call.body.split("\n")) if line.strip()]
    entries = [(e, Pos(line)) for text, line in lines for e in entries_of(ctx, text, Pos(line))]
    if not entries:
        ctx.error("CB408", call.pos, "`{index}` names no entry", "Write the entries after the kind or on the lines below it.")
    ids = [anchor for entry, pos in entries for anchor in _anchors(ctx, [entry], pos)]
    return ctx.partial("index_anchors.html", ids=ids)


def index_role(call: RoleCall) -> str:
    """{index}`term` or {index}`text <single: term>`: the text, with an anchor for each entry."""
    entries = entries_of(call.ctx, call.target, call.pos)
    ids = _anchors(call.ctx, entries, call.pos)
    return call.ctx.partial("index_anchors.html", ids=ids) + call.ctx.partial("role.html", element="span", text=call.label or call.target, title="")


DIRECTIVES = {"index": Directive(render_index, options=("name",), raw=True)}
ROLES: dict[str, Role] = {"index": index_role}

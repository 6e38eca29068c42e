"""Tabs (sphinx-design): ```` ````{tab-set} ```` holding ```` ```{tab-item} Label ```` blocks, shown as tabs that
switch without JavaScript (a radio button per tab; the theme's CSS shows the checked tab's panel, print shows all)."""

from __future__ import annotations

from ...model.diagnostics import Pos
from .callout import render_as
from .kinds import Directive, DirectiveCall, fence_findings


def render_tab_set(call: DirectiveCall) -> str:
    """The tab set: each `{tab-item}` a label and a panel; anything else inside is a finding."""
    ctx = call.ctx
    items = []
    for token in call.token.children or []:
        if token.type == "directive" and token.meta["kind"] == "tab-item":
            items.append(token)
        elif token.type == "directive" or token.nesting >= 0:
            line = (token.map or [call.pos.line - 1])[0] + 1
            ctx.error("CB408", Pos(line), "a `{tab-set}` holds only `{tab-item}` blocks",
                      "Put this content inside a ```` ```{tab-item} Label ```` (the tab set's fence needs more backticks or colons).")
            break
    if not items:
        ctx.error("CB408", call.pos, "this `{tab-set}` has no `{tab-item}`", "Add ```` ```{tab-item} Label ```` blocks inside it.")
    group = call.name or f"tabs-{call.pos.line}"
    tabs = []
    for n, item in enumerate(items, start=1):
        fence_findings(ctx, item)
        title = item.meta["title"]
        if not title:
            ctx.error("CB408", Pos(item.map[0] + 1 if item.map else call.pos.line), "a `{tab-item}` needs a label",
                      "Write the tab's label after the kind: ```` ```{tab-item} Python ````.")
        label = call.renderer.render_text(title, call.options, call.env) if title else str(n)
        tabs.append({"id": f"{group}-{n}", "label_html": label, "panel_html": call.renderer.render(item.children or [], call.options, call.env),
                     "selected": "selected" in item.meta["options"]})
        for key in item.meta["options"]:
            if key not in ("selected", "sync", "name", "class"):
                ctx.error("CB408", Pos(item.meta["option_lines"][key] + 1), f"`{{tab-item}}` has no option `:{key}:`",
                          "Options of `{tab-item}`: :selected:, :sync:, :name:, :class:.")
    if tabs and not any(t["selected"] for t in tabs):
        tabs[0]["selected"] = True
    return ctx.partial("tab_set.html", group=group, tabs=tabs, id=call.name, classes=call.option("class"))


def render_stray_tab_item(call: DirectiveCall) -> str:
    """A `{tab-item}` outside a tab set: a finding, shown as a note so the run goes on."""
    call.ctx.error("CB408", call.pos, "`{tab-item}` outside a `{tab-set}`",
                   "Put the tab items inside a ```` ````{tab-set} ```` fence (with more backticks than the items').")
    return render_as(call, "note", classes="")


DIRECTIVES = {"tab-set": Directive(render_tab_set, options=("name", "class", "sync-group")),
              "tab-item": Directive(render_stray_tab_item, options=None)}

"""Cross-reference roles: {ref}`label` (the target's title), {eq}`label` ("(2)"), {numref}`label` ("Figure 2", or
a template: {numref}`Fig. %s <label>`), {doc}`path` (a lesson, by its file, its title as the text).

The target may be further down the page or in another lesson, so the link's address and text are placeholders,
filled in by render_pages; each reference is recorded and checked against every page's targets (a label no page
defines is an error at its line).
"""

from __future__ import annotations

import posixpath
import re

from markdown_it.common.utils import escapeHtml

from ...model.rendered import RefKind, Reference
from .. import placeholders
from .kinds import Role, RoleCall
from .links import LESSON_FILE, resolve_url

LABEL = re.compile(r"^[^\s\x00-\x1f<>`]+$")
"""What a label may be: no spaces, no control characters, no `<>` or backtick."""


def xref(call: RoleCall) -> str:
    """{ref}, {eq}, {numref}: a link to a target by its label."""
    ctx, label = call.ctx, call.target
    if not LABEL.match(label):
        ctx.error("CB404", call.pos, f"{{{call.name}}}`{call.content}` does not name a label",
                  "Write the target's label, e.g. {" + call.name + "}`my-label`; labels have no spaces.")
        return escapeHtml(call.content)
    ctx.references.append(Reference(RefKind.XREF, label, "", call.pos, label, role=call.name))
    style = {"eq": "eq", "numref": call.label or "numref"}.get(call.name, "")
    text = escapeHtml(call.label) if call.name == "ref" and call.label else placeholders.xref_text(label, "", style)
    return link(ctx.partial, placeholders.xref_href(label, "", ctx.root), text, call.name)


def link(partial, href: str, text_html: str, kind: str) -> str:  # type: ignore[no-untyped-def]
    """The cross-reference link, through the theme's partial."""
    return partial("xref.html", href=href, text_html=text_html, kind=kind)


def doc(call: RoleCall) -> str:
    """{doc}`path` or {doc}`text <path>`: a link to a lesson by its file (`.md` may be left out)."""
    ctx, path = call.ctx, call.target
    written = path if path.endswith(".md") else path + ".md"
    href = resolve_url(ctx, written, call.pos)
    name = LESSON_FILE.match(posixpath.basename(written))
    text = escapeHtml(call.label) if call.label else placeholders.lesson_title(name.group(1)) if name else escapeHtml(path)
    return link(ctx.partial, href, text, "doc")


ROLES: dict[str, Role] = {"ref": xref, "eq": xref, "numref": xref, "doc": doc}

"""The one placeholder protocol: what a rendered fragment leaves open until every page has rendered.

A lesson renders on its own (in parallel, cached one by one), so four things are not known yet when it does:
its formulas' HTML (typeset_math works on all pages in one batch), its figures' HTML (compute_figures), other
lessons' titles ({lesson} roles) and where a cross-reference leads and what it says ({ref}, {eq}, {numref},
`[](#label)`: the target may be further down the page or in another lesson). Rendering writes a placeholder for
each - control characters that Markdown text cannot contain - and render_pages fills them in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markdown_it.common.utils import escapeHtml

_PLACEHOLDER = re.compile("\x02([MFLTR])([^\x02\x03]+)\x03")
_SEP = "\x1f"


@dataclass(frozen=True)
class Xref:
    """What a cross-reference placeholder stands for: the link's address or its text."""

    part: str
    """"href" (the address, from the page's root) or "text" (what the link says)."""
    label: str
    lesson: str
    """The lesson whose targets are searched ("": the page's own, then every lesson's)."""
    style: str
    """For the text: "" (the target's title, or its number when it has no title), "eq" ("(2)"), or a {numref}
    template with `%s`/`{number}` and `{name}`."""
    root: str
    """For the address: the relative path from the page to the site root."""


def math(n: int) -> str:
    """Formula n of the page, as typeset HTML."""
    return f"\x02M{n}\x03"


def math_text(n: int) -> str:
    """Formula n of the page, spelled out as plain text (inside an attribute, where HTML cannot go)."""
    return f"\x02T{n}\x03"


def figure(n: int) -> str:
    """Figure n of the page."""
    return f"\x02F{n}\x03"


def lesson_title(slug: str) -> str:
    """The title of the lesson `slug`."""
    return f"\x02L{slug}\x03"


def xref_href(label: str, lesson: str, root: str) -> str:
    """The address of the target `label` (in `lesson`, or the page's own / any lesson's when "")."""
    return "\x02R" + _SEP.join(("href", label, lesson, "", root)) + "\x03"


def xref_text(label: str, lesson: str, style: str) -> str:
    """What a link to the target `label` says (see Xref.style)."""
    return "\x02R" + _SEP.join(("text", label, lesson, style, "")) + "\x03"


def _xref(key: str) -> Xref:
    return Xref(*key.split(_SEP))


def has_math(html: str) -> bool:
    """Whether a fragment holds a formula."""
    return "\x02M" in html


def as_text(html: str) -> str:
    """The fragment with each formula placeholder turned into its plain-text placeholder (for attributes)."""
    return _PLACEHOLDER.sub(lambda m: math_text(int(m.group(2))) if m.group(1) == "M" else m.group(0), html)


def fill(html: str, formulas: Sequence[str] = (), figures: Sequence[str] = (), titles: Mapping[str, str] | None = None,
         formula_text: Callable[[int], str] | None = None, xref: Callable[[Xref], str] | None = None) -> str:
    """The fragment with every placeholder replaced: formulas and figures by their HTML, lesson titles (escaped),
    formulas in attributes by `formula_text(n)` (escaped), cross-references by `xref(...)` (escaped)."""
    def final(m: re.Match[str]) -> str:
        kind, key = m.group(1), m.group(2)
        if kind == "L":
            return escapeHtml((titles or {}).get(key, key))
        if kind == "R":
            return escapeHtml(xref(_xref(key))) if xref else ""
        if kind == "T":
            return escapeHtml(formula_text(int(key))) if formula_text else ""
        return (formulas if kind == "M" else figures)[int(key)]
    return _PLACEHOLDER.sub(final, html)


def strip(html: str, keep: Callable[[str, str], str] = lambda kind, key: " ") -> str:
    """The fragment with each placeholder replaced by keep(kind, key) (a space by default): for plain text.
    A cross-reference's key is read with `xref_of`."""
    return _PLACEHOLDER.sub(lambda m: keep(m.group(1), m.group(2)), html)


def xrefs_only(html: str) -> str:
    """The fragment's cross-reference placeholders alone, in order: what it shows of other pages, without its text."""
    return "".join(m.group(0) for m in _PLACEHOLDER.finditer(html) if m.group(1) == "R")


def xref_of(key: str) -> Xref:
    """The cross-reference a placeholder key (as `strip` passes it) stands for."""
    return _xref(key)

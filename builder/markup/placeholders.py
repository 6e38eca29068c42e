"""The one placeholder protocol: what a rendered fragment leaves open until every page has rendered.

A lesson renders on its own (in parallel, cached one by one), so three things are not known yet when it does:
its formulas' HTML (typeset_math works on all pages in one batch), its figures' HTML (compute_figures) and other
lessons' titles ({lesson} roles). Rendering writes a placeholder for each - control characters that Markdown text
cannot contain - and render_pages fills them in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from markdown_it.common.utils import escapeHtml

_PLACEHOLDER = re.compile("\x02([MFLT])([^\x02\x03]+)\x03")


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


def has_math(html: str) -> bool:
    """Whether a fragment holds a formula."""
    return "\x02M" in html


def as_text(html: str) -> str:
    """The fragment with each formula placeholder turned into its plain-text placeholder (for attributes)."""
    return _PLACEHOLDER.sub(lambda m: math_text(int(m.group(2))) if m.group(1) == "M" else m.group(0), html)


def fill(html: str, formulas: Sequence[str] = (), figures: Sequence[str] = (), titles: Mapping[str, str] | None = None,
         formula_text: Callable[[int], str] | None = None) -> str:
    """The fragment with every placeholder replaced: formulas and figures by their HTML, lesson titles (escaped),
    formulas in attributes by `formula_text(n)` (escaped)."""
    def final(m: re.Match[str]) -> str:
        kind, key = m.group(1), m.group(2)
        if kind == "L":
            return escapeHtml((titles or {}).get(key, key))
        if kind == "T":
            return escapeHtml(formula_text(int(key))) if formula_text else ""
        return (formulas if kind == "M" else figures)[int(key)]
    return _PLACEHOLDER.sub(final, html)


def strip(html: str, keep: Callable[[str, str], str] = lambda kind, key: " ") -> str:
    """The fragment with each placeholder replaced by keep(kind, key) (a space by default): for plain text."""
    return _PLACEHOLDER.sub(lambda m: keep(m.group(1), m.group(2)), html)

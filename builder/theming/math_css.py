"""KaTeX's inline styles as classes, so pages with math work under a strict Content-Security-Policy.

KaTeX positions glyphs with `style="height:..."` attributes, which a strict policy (no 'unsafe-inline' for styles)
refuses to apply. Each distinct declaration becomes a class named by its hash (stable across builds, so one new
formula changes one stylesheet, not every page) with the same declarations marked !important, which is how an
inline style outranks the stylesheet rules.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

_STYLE_ATTR = re.compile(r'<([a-zA-Z][\w-]*)([^<>]*?) style="([^"]*)"([^<>]*)>')
_CLASS_ATTR = re.compile(r' class="([^"]*)"')


class StyleHoister:
    """Turns style="..." attributes into classes and remembers the CSS rule of each class."""

    def __init__(self, prefix: str = "ks") -> None:
        self.prefix = prefix
        self.rules: dict[str, str] = {}
        """Class name -> declarations ("height:1em;top:-2em")."""

    def __call__(self, html: str) -> str:
        """The same HTML with every style attribute replaced by a class."""
        if ' style="' not in html:
            return html
        return _STYLE_ATTR.sub(self._tag, html)

    def _tag(self, match: re.Match[str]) -> str:
        name, before, style, after = match.groups()
        declarations = style.strip().rstrip(";")
        if not declarations:
            return f"<{name}{before}{after}>"
        cls = self._class_of(declarations)
        attrs = before + after
        if _CLASS_ATTR.search(attrs):
            attrs = _CLASS_ATTR.sub(lambda m: f' class="{m.group(1)} {cls}"', attrs, count=1)
        else:
            attrs = f' class="{cls}"' + attrs
        return f"<{name}{attrs}>"

    def _class_of(self, declarations: str) -> str:
        digest = hashlib.sha1(declarations.encode("utf-8")).hexdigest()
        for length in (7, 12, 40):  # lengthen on the (rare) collision of a short hash
            cls = f"{self.prefix}-{digest[:length]}"
            if self.rules.setdefault(cls, declarations) == declarations:
                return cls
        raise AssertionError("sha1 collision")  # pragma: no cover

    def css(self) -> str:
        """One rule per class, sorted (byte-identical builds)."""
        lines = ["/* Inline styles of the typeset math, as classes: the pages work under a strict CSP. */"]
        for cls, declarations in sorted(self.rules.items()):
            important = ";".join(d.strip() + "!important" for d in declarations.split(";") if d.strip())
            lines.append(f".{cls}{{{important}}}")
        return "\n".join(lines) + "\n"


def hoist_math_styles(math_html: Mapping[str, list[str]]) -> tuple[dict[str, list[str]], str]:
    """Every page's formulas without style attributes, and the stylesheet of the classes that replace them.

    Each formula is hoisted on its own, once per process (`course serve` hoists only the formulas an edit made); when
    two formulas' declarations share a short class name (rare: it takes two 28-bit hashes alike), all are hoisted
    together, which lengthens one of the names."""
    rules: dict[str, str] = {}
    out = {}
    for key, items in math_html.items():
        out[key] = []
        for html in items:
            hoisted, used = _hoisted_alone(html)
            out[key].append(hoisted)
            for cls, declarations in used:
                if rules.setdefault(cls, declarations) != declarations:
                    return _hoist_together(math_html)
    together = StyleHoister()
    together.rules = rules
    return out, together.css()


_ALONE: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}
"""Formula HTML -> that HTML with classes for styles, and the rules of those classes (for the life of the process)."""
_ALONE_LIMIT = 200_000
"""Formulas remembered at most (a long `course serve` session forgets them all when it has more)."""


def _hoisted_alone(html: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    found = _ALONE.get(html)
    if found is None:
        if len(_ALONE) >= _ALONE_LIMIT:
            _ALONE.clear()
        alone = StyleHoister()
        found = _ALONE[html] = (alone(html), tuple(alone.rules.items()))
    return found


def _hoist_together(math_html: Mapping[str, list[str]]) -> tuple[dict[str, list[str]], str]:
    hoist = StyleHoister()
    memo: dict[str, str] = {}  # a formula used on many pages is hoisted once

    def hoisted(html: str) -> str:
        if html not in memo:
            memo[html] = hoist(html)
        return memo[html]
    out = {key: [hoisted(html) for html in items] for key, items in math_html.items()}
    return out, hoist.css()

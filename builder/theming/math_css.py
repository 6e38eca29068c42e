"""KaTeX's inline styles as classes, so pages with math work under a strict Content-Security-Policy.

KaTeX positions glyphs with `style="height:..."` attributes, which a strict policy (no 'unsafe-inline' for styles)
refuses to apply. Each distinct declaration becomes a class named by its hash (stable across builds, so one new
formula changes one stylesheet, not every page) with the same declarations marked !important, which is how an
inline style outranks the stylesheet rules. A formula is hoisted on its own, when it is typeset (the math stage caches
the result); the site's stylesheet is the union of its formulas' rules.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping

_STYLE_ATTR = re.compile(r'<([a-zA-Z][\w-]*)([^<>]*?) style="([^"]*)"([^<>]*)>')
_CLASS_ATTR = re.compile(r' class="([^"]*)"')


CLASS_DIGITS = 12
"""Hex digits of a declaration's sha1 in its class name: two of a course's few hundred declarations sharing a name
would take two 48-bit hashes alike (about one chance in 10^9 for 1,000 declarations)."""


class StyleClashError(RuntimeError):
    """Two different declarations got the same class name (a hash collision: a bug to report, not an author's)."""


def hoist_styles(html: str, prefix: str = "ks") -> tuple[str, dict[str, str]]:
    """The HTML with every style attribute replaced by a class, and the declarations of each class it uses."""
    rules: dict[str, str] = {}
    if ' style="' not in html:
        return html, rules

    def tag(match: re.Match[str]) -> str:
        name, before, style, after = match.groups()
        declarations = style.strip().rstrip(";")
        if not declarations:
            return f"<{name}{before}{after}>"
        cls = f"{prefix}-{hashlib.sha1(declarations.encode('utf-8')).hexdigest()[:CLASS_DIGITS]}"
        _add_rule(rules, cls, declarations)
        attrs = before + after
        if _CLASS_ATTR.search(attrs):
            attrs = _CLASS_ATTR.sub(lambda m: f' class="{m.group(1)} {cls}"', attrs, count=1)
        else:
            attrs = f' class="{cls}"' + attrs
        return f"<{name}{attrs}>"
    return _STYLE_ATTR.sub(tag, html), rules


def stylesheet(rules: Mapping[str, str]) -> str:
    """One rule per class, sorted (byte-identical builds); each declaration !important, as an inline style was."""
    lines = ["/* Inline styles of the typeset math, as classes: the pages work under a strict CSP. */"]
    for cls, declarations in sorted(rules.items()):
        important = ";".join(d.strip() + "!important" for d in declarations.split(";") if d.strip())
        lines.append(f".{cls}{{{important}}}")
    return "\n".join(lines) + "\n"


def merged(rules: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """The rules of many formulas as one mapping (StyleClashError if two declarations share a class)."""
    out: dict[str, str] = {}
    for one in rules:
        for cls, declarations in one.items():
            _add_rule(out, cls, declarations)
    return out


def _add_rule(rules: dict[str, str], cls: str, declarations: str) -> None:
    """Record a class's declarations; StyleClashError if the class already stands for others."""
    if rules.setdefault(cls, declarations) != declarations:
        raise StyleClashError(f"the math styles `{declarations}` and `{rules[cls]}` share the class {cls}")

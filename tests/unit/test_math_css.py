"""KaTeX's inline styles as classes: each formula hoisted on its own gives the stylesheet all hoisted together give."""

from __future__ import annotations

import hashlib
import itertools

from builder.theming import math_css
from builder.theming.math_css import _hoist_together, hoist_math_styles


def _formula(*heights: str) -> str:
    return "".join(f'<span class="vlist" style="height:{h};">x</span>' for h in heights) + '<span class="strut">y</span>'


def test_hoisting_each_formula_alone_equals_hoisting_all_together():
    pages = {"a": [_formula("1em", "2em"), _formula("0.5em")], "b": [_formula("2em"), "<span>no style</span>"], "c": []}
    alone = hoist_math_styles(pages)
    assert alone == _hoist_together(pages)
    assert ' style="' not in "".join(alone[0]["a"]) and alone[1].count("!important") == 3
    assert hoist_math_styles(pages) == alone  # again, from what this process remembers


def test_two_declarations_with_the_same_short_name_are_told_apart():
    seen: dict[str, str] = {}
    for i in itertools.count():  # a birthday search for two declarations whose class names share 7 hex digits
        declarations = f"height:{i}em"
        short = hashlib.sha1(declarations.encode()).hexdigest()[:7]
        if short in seen:
            first, second = seen[short], declarations
            break
        seen[short] = declarations
    math_css._ALONE.clear()
    pages = {"a": [f'<span style="{first}">x</span>'], "b": [f'<span style="{second}">y</span>']}
    formulas, css = hoist_math_styles(pages)
    assert (formulas, css) == _hoist_together(pages)
    one, two = (f.split('class="')[1].split('"')[0] for f in (formulas["a"][0], formulas["b"][0]))
    assert one != two and f".{one}{{" in css and f".{two}{{" in css

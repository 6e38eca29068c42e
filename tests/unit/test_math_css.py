"""KaTeX's inline styles as classes: each formula hoisted on its own, the site's stylesheet the union of their rules."""

from __future__ import annotations

import pytest

from builder.theming.math_css import CLASS_DIGITS, StyleClashError, hoist_styles, merged, stylesheet


def _formula(*heights: str) -> str:
    return "".join(f'<span class="vlist" style="height:{h};">x</span>' for h in heights) + '<span style="">y</span>'


def test_each_style_becomes_a_class_named_by_its_declarations():
    html, rules = hoist_styles(_formula("1em", "2em", "1em"))
    assert ' style="' not in html and len(rules) == 2 and set(rules.values()) == {"height:1em", "height:2em"}
    one = next(cls for cls, d in rules.items() if d == "height:1em")
    assert html.count(f'class="vlist {one}"') == 2 and len(one) == len("ks-") + CLASS_DIGITS
    assert html.endswith("<span>y</span>")  # an empty style is dropped, not made a class
    again, same = hoist_styles(_formula("2em"))
    assert set(same.items()) <= set(rules.items())  # the same declaration is the same class in every formula
    assert hoist_styles("<span>no style</span>") == ("<span>no style</span>", {})


def test_the_stylesheet_is_sorted_and_important():
    rules = merged([hoist_styles(_formula("2em"))[1], hoist_styles(_formula("1em", "2em"))[1]])
    css = stylesheet(rules)
    lines = css.splitlines()[1:]
    assert lines == sorted(lines) and len(lines) == 2 and all(line.endswith("!important}") for line in lines)


def test_two_declarations_under_one_class_are_an_error_not_a_wrong_page():
    with pytest.raises(StyleClashError):
        merged([{"ks-abc": "height:1em"}, {"ks-abc": "height:2em"}])

"""Fragments as plain text: formulas spelled out in words (for attributes and meta descriptions, where neither
HTML nor MathML can go)."""

from __future__ import annotations

import html as html_module
import re

from ..markup import placeholders

_TAGS = re.compile(r"<[^>]+>")
_FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
_TEX_COMMAND = re.compile(r"\\[a-zA-Z]+")
_TEX_WORDS = {"approx": "≈", "times": "×", "cdot": "·", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠",
              "to": "→", "infty": "∞", "sum": "Σ", "partial": "∂", "sqrt": "√", "pm": "±", "alpha": "α", "beta": "β",
              "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ",
              "sigma": "σ", "nabla": "∇", "ell": "ℓ", "left": "", "right": "", "mathrm": "", "text": "", "operatorname": ""}



def plain_text(fragment: str) -> str:
    """Text of a rendered fragment for an attribute (aria-label): tags dropped, each formula marked to become its
    plain-text reading. Browsers leave MathML out of accessible names, so a label that is only math would be empty."""
    return " ".join(html_module.unescape(_TAGS.sub(" ", placeholders.as_text(str(fragment)))).split())


def has_math(fragment: str) -> bool:
    """Whether a rendered fragment holds a formula (a math placeholder)."""
    return placeholders.has_math(str(fragment))


def tex_words(tex: str) -> str:
    """A formula's TeX, lightly simplified for reading aloud: \\frac{a}{b} -> (a)/(b), \\approx -> ≈, braces dropped."""
    tex = _FRAC.sub(r"(\1)/(\2)", tex)
    tex = _TEX_COMMAND.sub(lambda m: _TEX_WORDS.get(m.group(0)[1:], m.group(0)[1:]), tex)
    return " ".join(tex.replace("{", "").replace("}", "").split())

"""What typeset_math makes of every page's formulas: each formula typeset once (what the cache keeps) and each page's
formulas as HTML, with the stylesheet their inline styles became."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .diagnostics import Diagnostic
from .rendered import DocKey, Html


@dataclass(frozen=True)
class TypesetFormula:
    """One formula as KaTeX typeset it, its inline styles made classes (theming.math_css): what the cache keeps."""

    html: Html
    """"" when KaTeX rejected it (or for a check, which keeps only the findings)."""
    error: str | None
    """KaTeX's message when it rejected the formula."""
    offset: int | None
    """Where in the TeX KaTeX found the error, if it says."""
    rules: Mapping[str, str]
    """Class -> the declarations it stands for (the formula's part of the site's math stylesheet)."""


@dataclass(frozen=True)
class MathTable:
    """typeset_math's output: each page's formulas as HTML, in placeholder order, and their stylesheet."""

    html: Mapping[DocKey, tuple[Html, ...]]
    """"" for a formula KaTeX rejected (a finding)."""
    typeset: int
    """Distinct formulas KaTeX typeset this run."""
    cached: int
    """Distinct formulas taken from the cache."""
    repeats: int
    """Formulas written again on the pages (typeset once, reused)."""
    diagnostics: tuple[Diagnostic, ...]
    stylesheet: str = ""
    """The classes the formulas' styles became (assets/css/math.css)."""

"""What the LMS packages share: which files of the site go in, identifiers, XML out of a kept library, and the text of
checks and quizzes made final for an LMS's own quiz engine.

A package holds the whole site rendered in the LMS layout (theming.models.SiteInfo.lms), so every relative link of
a page resolves inside the package; only what an LMS page cannot use stays out: the search and the 404 page.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from html import unescape

from ..markup import placeholders
from ..model.output import PageSet
from ..model.math import MathTable
from ..model.rendered import Rendered
from ..theming.text import tex_words

LEFT_OUT = ("404.html", "sitemap.xml")
"""Site files a package does not carry (the 404 page links from the server's root, not relatively)."""

_MATHML = re.compile(r"<math\b.*?</math>", re.S)
_LINK = re.compile(r'<a\s[^>]*?href="(?!https?:|mailto:)[^"]*"[^>]*>(.*?)</a>', re.S)
_IMAGE = re.compile(r'<img\s[^>]*?src="(?!https?:|data:)[^"]*"[^>]*>', re.S)
_ALT = re.compile(r'\balt="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def package_files(pages: PageSet) -> dict[str, bytes]:
    """The site's files that go into a package, by path inside it."""
    return {path: data for path, data in pages.files.items() if path not in LEFT_OUT}


def xml_bytes(root: ET.Element) -> bytes:
    """An element tree as an indented UTF-8 XML document (the same tree gives the same bytes)."""
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def ident(*parts: str) -> str:
    """An XML identifier (an NCName: a letter first, then letters, digits, `.`, `-`, `_`) from course ids."""
    return "_".join(re.sub(r"[^A-Za-z0-9._-]", "-", part) for part in parts)


class AssessmentText:
    """Checks' and quizzes' fragments made final for an LMS quiz, which shows them outside the lesson pages: formulas
    as MathML (browsers draw it without KaTeX's CSS, and it keeps the TeX as an annotation), a figure as a pointer
    to the lesson, and links and images into the site as their text (they would not resolve from the quiz)."""

    def __init__(self, math: MathTable, titles: Mapping[str, str]) -> None:
        self.math, self.titles = math, titles

    def html(self, doc: Rendered, fragment: str) -> str:
        """A fragment of the page `doc`, final for an LMS quiz."""
        formulas = [_mathml(html) for html in self.math.html.get(doc.key, ())]
        figures = ["(See the figure in the lesson.)"] * len(doc.figures)
        html = placeholders.fill(fragment, formulas, figures, self.titles, formula_text=lambda n: tex_words(doc.math[n].tex))
        html = _LINK.sub(r"\1", html)
        return _IMAGE.sub(lambda m: _alt_text(m.group(0)), html)

    def plain(self, doc: Rendered, fragment: str) -> str:
        """A fragment of the page `doc` as plain text (a title attribute), formulas spelled out."""
        def word(kind: str, key: str) -> str:
            if kind in "MT":
                return tex_words(doc.math[int(key)].tex)
            return self.titles.get(key, key) if kind == "L" else ""
        return " ".join(unescape(_TAG.sub("", placeholders.strip(fragment, word))).split())


def _alt_text(image: str) -> str:
    alt = _ALT.search(image)
    return "[" + (alt.group(1) if alt else "image") + "]"


def _mathml(katex_html: str) -> str:
    """The MathML of a formula KaTeX typeset as HTML and MathML."""
    match = _MATHML.search(katex_html)
    return match.group(0) if match else katex_html

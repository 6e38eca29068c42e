"""Rendered fragments made final for a page: placeholders filled (typeset formulas, figure partials, lesson titles,
cross-references), tables wrapped to scroll; or made plain text for meta descriptions. The site's pages and the
printed book (output/book.py) both use it."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from html import unescape

from markupsafe import Markup

from ..incremental.keys import content_key
from ..markup import placeholders
from ..model.figures import FigureTable
from ..model.math import MathTable
from ..model.rendered import Rendered
from ..model.xrefs import TargetIndex, href_of, text_of
from ..theming.environment import Partials
from ..theming.text import tex_words


class PageText:
    """Rendered fragments made final: placeholders filled (typeset formulas, figure partials, lesson titles), tables
    wrapped to scroll; or made plain text for meta descriptions."""

    def __init__(self, partials: Partials, math: MathTable, figures: FigureTable, titles: Mapping[str, str],
                 targets: TargetIndex, static: bool = False) -> None:
        """`static`: every figure drawn as a plain chart, an explorer in its starting state (for print)."""
        self.partials, self.figures, self.titles, self.targets, self.static = partials, figures, titles, targets, static
        self.formulas, self.math_css = math.html, math.stylesheet
        self._figure_html: dict = {}

    def html(self, doc: Rendered, fragment: str, figures: bool = True) -> Markup:
        """A fragment of the page `doc`, final."""
        figure_html = self._figures_of(doc) if figures else ()
        return Markup(_tables(self._fill(doc, fragment, figure_html)))

    def plain(self, doc: Rendered, fragment: str) -> str:
        """A fragment of the page `doc` as plain text, each formula spelled out in words."""
        words = {"M": lambda key: tex_words(doc.math[int(key)].tex), "L": lambda key: self.titles.get(key, key),
                 "F": lambda key: "", "T": lambda key: "", "R": lambda key: self._xref(doc, placeholders.xref_of(key))}
        html = placeholders.strip(fragment, lambda kind, key: words[kind](key))
        return " ".join(unescape(_TAG.sub("", html)).split())

    def _fill(self, doc: Rendered, html: str, figure_html: Sequence[str]) -> str:
        return placeholders.fill(html, self.formulas.get(doc.key, ()), figure_html, self.titles,
                                 formula_text=lambda n: tex_words(doc.math[n].tex), xref=lambda x: self._xref(doc, x))

    def xref_digest(self, doc: Rendered, fragment: str) -> str:
        """What the fragment's cross-references resolve to (a page shows other lessons' numbers and titles)."""
        seen: list[str] = []
        placeholders.strip(fragment, lambda kind, key: seen.append(self._xref(doc, placeholders.xref_of(key))) or ""
                           if kind == "R" else "")
        return content_key(seen)

    def _xref(self, doc: Rendered, xref: placeholders.Xref) -> str:
        """A cross-reference's address or text (a label no page defines was reported by check_references)."""
        found = self.targets.find(doc, xref.label, xref.lesson)
        if not found:
            return "#" + xref.label if xref.part == "href" else xref.label
        page, target = found[0]
        return href_of(doc, page, target, xref.root) if xref.part == "href" else text_of(target, xref.style)

    def _figures_of(self, doc: Rendered) -> list[str]:
        if doc.key not in self._figure_html:
            self._figure_html[doc.key] = [self._figure(doc, ref) for ref in doc.figures]
        return self._figure_html[doc.key]

    def _figure(self, doc: Rendered, ref) -> str:
        computed = self.figures.figures.get(ref.key)
        if computed is None:
            return ""
        spec = json.dumps(computed.spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
        template = "explorer.html" if computed.kind == "explorer" and not self.static else "figure.html"
        dom_id = f"{doc.key.id}-{ref.dom_id}" if self.static else ref.dom_id  # print: all pages in one document
        return self.partials(template, figure=computed, dom_id=dom_id, caption_html=self._fill(doc, ref.caption_html, ()),
                             spec_json_html=spec, base="../", starting_state=computed.kind == "explorer")


_TAG = re.compile(r"<[^>]+>")
_ALIGN = re.compile(r' style="text-align:(left|center|right)"')


def _tables(html: str) -> str:
    """Markdown tables in a wrapper that scrolls on small screens; column alignment as classes (strict CSP)."""
    if "<table>" not in html:
        return html
    html = html.replace("<table>", '<div class="table-wrap"><table>').replace("</table>", "</table></div>")
    return _ALIGN.sub(r' class="align-\1"', html)

"""The math stage: every formula of the course typeset by KaTeX in one batch; a formula KaTeX rejects is a finding
at its file, line and column. Each distinct formula is cached once (a formula on many pages is read once), so a warm
build starts no engine."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..incremental import Memo, Summary
from ..katex.commands import suggestions, undefined_command
from ..incremental.keys import content_key
from ..model.config import SiteConfig
from ..model.diagnostics import Diagnostic, Pos, error
from ..model.math import MathTable, TypesetFormula
from ..model.rendered import MathItem, RenderedCourse
from ..progress import stage
from ..theming.math_css import CLASS_DIGITS, hoist_styles, merged, stylesheet

if TYPE_CHECKING:
    from ..katex import MathResult

MATH_HINTS = {
    "Undefined control sequence": "Check the macro's spelling; KaTeX supports most of LaTeX math (see katex.org/docs/supported). "
                                  "Shared macros go in site.yaml `math: {macros: ...}`.",
    "Expected '}'": "A `{` is not closed: count the braces of this formula.",
    "Unexpected end of input": "The formula ends too early: a `{` or `\\left` is not closed.",
}
UNTRUSTED_HINTS = {
    "\\href": "Links inside math may go to http(s) addresses only; for any other target write a Markdown link next to "
               "the formula (it is checked like every link).",
    "\\url": "Links inside math may go to http(s) addresses only; for any other target write a Markdown link next to "
              "the formula (it is checked like every link).",
    "\\includegraphics": "Images are not placed inside math: show the image with ```` ```{figure} path/to/image.png ```` "
                          "and its `:alt:` text next to the formula.",
}
HTML_HINT = ("KaTeX's HTML extensions (\\htmlId, \\htmlClass, \\htmlStyle, \\htmlData) could restyle or mislabel the "
             "page, so they are not trusted: write plain TeX (\\color and \\textcolor are fine).")


@stage("typesetting math", lambda t: f"{t.typeset} formulas typeset, {t.cached} from the cache, {t.repeats} repeats reused")
def typeset_math(rendered: RenderedCourse, config: SiteConfig, memo: Memo, findings_only: bool = False) -> MathTable:
    """Every page's formulas as HTML, and a finding for each formula KaTeX rejects; with `findings_only` (what
    `course check` asks) only the findings are read from the cache and the HTML is left empty."""
    from ..katex import ENGINE_DIGEST, KATEX_VERSION, MathRenderer, MathRequest, MathUnavailable

    docs = [doc for doc in rendered.documents if doc.math]
    macros = config.math_macros
    unique = dict.fromkeys((m.tex, m.display) for doc in docs for m in doc.math)  # tuples: made for every occurrence
    wanted = [MathRequest(tex, display) for tex, display in unique]
    try:
        with MathRenderer(macros=macros) as renderer:  # the engine starts only if a formula is not in the cache
            done = memo.cached_batch("formula", wanted, key=lambda r: content_key("formula", KATEX_VERSION, ENGINE_DIGEST, macros,
                                                                                   CLASS_DIGITS, r.tex, r.display),
                                     compute=lambda requests: [_styled(r) for r in renderer.render(requests)],
                                     value_type=TypesetFormula, summaries=(FORMULA_FINDINGS,),
                                     only=FORMULA_FINDINGS if findings_only else None)
    except MathUnavailable as exc:
        first = docs[0]
        return MathTable({}, 0, 0, 0, (error("CB502", first.path, first.math[0].pos, f"math cannot be typeset: {exc.message}", exc.hint),))
    typeset = done.computed
    result = dict(zip(unique, done.values))
    pages = [tuple(result[m.tex, m.display] for m in doc.math) for doc in docs]
    misspelt = {undefined_command(r.error) for results in pages for r in results if r.error} - {""}
    meant = suggestions(misspelt, macros) if misspelt else {}
    html, diags = {}, []
    for doc, results in zip(docs, pages):
        html[doc.key] = tuple(result.html or "" for result in results)
        diags += [_math_error(item.path or doc.path, item, result.error, result.offset, meant)
                  for item, result in zip(doc.math, results) if result.error is not None]
    total = sum(len(doc.math) for doc in docs)
    styles = "" if findings_only else stylesheet(merged(formula.rules for formula in done.values))
    return MathTable(html, typeset, len(wanted) - typeset, total - len(wanted), tuple(diags), styles)


def _styled(result: MathResult) -> TypesetFormula:
    """KaTeX's answer with its inline styles made classes (done once per formula, and cached)."""
    if result.html is None:
        return TypesetFormula("", result.error, result.offset, {})
    html, rules = hoist_styles(result.html)
    return TypesetFormula(html, None, None, rules)


def _without_html(formula: TypesetFormula) -> TypesetFormula:
    """A typeset formula as a check reads it: whether it failed, and where (the HTML is most of it, and a check has
    no use for it)."""
    return replace(formula, html="", rules={})


FORMULA_FINDINGS = Summary("formula-findings", _without_html, computed_whole=True)


def _math_error(path: str, item: MathItem, message: str, offset: int | None, meant: dict[str, str]) -> Diagnostic:
    pos = item.pos
    if offset is not None and item.exact:
        before = item.tex[:offset]
        lines = before.count("\n")
        column = (pos.column + len(before)) if lines == 0 else len(before) - before.rfind("\n")
        pos = Pos(pos.line + lines, column)
    shown = item.tex if len(item.tex) <= 60 else item.tex[:57] + "..."
    if message.startswith("untrusted:"):
        command, _, url = message.removeprefix("untrusted:").partition(" ")
        what = f"`{command}` to `{url}`" if url else f"`{command}`"
        return error("CB410", path, pos, f"{what} is not allowed in math (KaTeX would show it as red error text)",
                     UNTRUSTED_HINTS.get(command, HTML_HINT))
    if message == "error-node":
        return error("CB410", path, pos, f"KaTeX renders part of `{shown}` as red error text",
                     "Rewrite that part in TeX KaTeX supports (katex.org/docs/supported); a formula is never published with an error in it.")
    hint = next((h for key, h in MATH_HINTS.items() if key in message), "Fix the TeX of this formula; KaTeX's message says what it could not read.")
    if meant.get(undefined_command(message)):
        hint = f"Did you mean `\\{meant[undefined_command(message)]}`? " + hint
    return error("CB410", path, pos, f"math error in `{shown}`: {message}", hint)

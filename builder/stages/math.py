"""The math stage: every formula of the course typeset by KaTeX in one batch; a formula KaTeX rejects is a finding
at its file, line and column. Each page's results and each formula's are cached, so a warm build starts no engine."""

from __future__ import annotations

from ..incremental import Memo
from ..katex.commands import suggestions, undefined_command
from ..incremental.keys import content_key
from ..model.config import SiteConfig
from ..model.diagnostics import Diagnostic, Pos, error
from ..model.rendered import MathItem, MathTable, Rendered, RenderedCourse
from ..progress import stage

MATH_HINTS = {
    "Undefined control sequence": "Check the macro's spelling; KaTeX supports most of LaTeX math (see katex.org/docs/supported). "
                                  "Shared macros go in site.yaml `math: {macros: ...}`.",
    "Expected '}'": "A `{` is not closed: count the braces of this formula.",
    "Unexpected end of input": "The formula ends too early: a `{` or `\\left` is not closed.",
}


@stage("typesetting math", lambda t: f"{t.typeset} formulas typeset, {t.cached} from the cache, {t.repeats} repeats reused")
def typeset_math(rendered: RenderedCourse, config: SiteConfig, memo: Memo) -> MathTable:
    """Every page's formulas as HTML, and a finding for each formula KaTeX rejects."""
    from ..katex import KATEX_VERSION, MathRenderer, MathRequest, MathResult, MathUnavailable

    docs = [doc for doc in rendered.documents if doc.math]
    macros = config.math_macros
    typeset = 0

    def typeset_pages(pages: list[Rendered]) -> list[tuple[MathResult, ...]]:
        nonlocal typeset
        wanted = list(dict.fromkeys(MathRequest(m.tex, m.display) for doc in pages for m in doc.math))
        with MathRenderer(macros=macros) as renderer:
            done = memo.cached_batch("formula", wanted, key=lambda r: content_key("formula", KATEX_VERSION, macros, r.tex, r.display),
                                     compute=renderer.render, value_type=MathResult)
        typeset += done.computed
        result = dict(zip(wanted, done.values))
        return [tuple(result[MathRequest(m.tex, m.display)] for m in doc.math) for doc in pages]

    try:
        pages = memo.cached_batch("page-math", docs, key=lambda doc: content_key("page-math", KATEX_VERSION, macros,
                                                                                 [(m.tex, m.display) for m in doc.math]),
                                  compute=typeset_pages, value_type=tuple[MathResult, ...])
    except MathUnavailable as exc:
        first = docs[0]
        return MathTable({}, 0, 0, 0, (error("CB502", first.path, first.math[0].pos, f"math cannot be typeset: {exc.message}", exc.hint),))
    misspelt = {undefined_command(r.error) for results in pages.values for r in results if r.error} - {""}
    meant = suggestions(misspelt, macros) if misspelt else {}
    html, diags = {}, []
    for doc, results in zip(docs, pages.values):
        html[doc.key] = tuple(result.html or "" for result in results)
        diags += [_math_error(doc.path, item, result.error, result.offset, meant)
                  for item, result in zip(doc.math, results) if result.error is not None]
    total = sum(len(doc.math) for doc in docs)
    distinct = len({(m.tex, m.display) for doc in docs for m in doc.math})
    return MathTable(html, typeset, distinct - typeset, total - distinct, tuple(diags))


def _math_error(path: str, item: MathItem, message: str, offset: int | None, meant: dict[str, str]) -> Diagnostic:
    pos = item.pos
    if offset is not None:
        before = item.tex[:offset]
        lines = before.count("\n")
        column = (pos.column + len(before)) if lines == 0 else len(before) - before.rfind("\n")
        pos = Pos(pos.line + lines, column)
    hint = next((h for key, h in MATH_HINTS.items() if key in message), "Fix the TeX of this formula; KaTeX's message says what it could not read.")
    if meant.get(undefined_command(message)):
        hint = f"Did you mean `\\{meant[undefined_command(message)]}`? " + hint
    shown = item.tex if len(item.tex) <= 60 else item.tex[:57] + "..."
    return error("CB410", path, pos, f"math error in `{shown}`: {message}", hint)

"""Math stage: typeset every formula of the course with KaTeX, in one batch per run; errors at their formula."""

from __future__ import annotations

from collections.abc import Sequence

from .cache import Cache, content_key
from .config import SiteConfig
from .diagnostics import Diagnostic, Pos, error
from .rendering import RenderedDoc

MATH_HINTS = {
    "Undefined control sequence": "Check the macro's spelling; KaTeX supports most of LaTeX math (see katex.org/docs/supported). "
                                  "Shared macros go in site.yaml `math: {macros: ...}`.",
    "Expected '}'": "A `{` is not closed: count the braces of this formula.",
    "Unexpected end of input": "The formula ends too early: a `{` or `\\left` is not closed.",
}


def typeset_math(docs: Sequence[RenderedDoc], config: SiteConfig, cache: Cache) -> tuple[dict[str, list[str]], list[Diagnostic], dict[str, int]]:
    """Typeset all formulas: doc key -> HTML per formula; findings for formulas KaTeX rejects; counters.

    Results are cached per page (one file for all of a page's formulas, so a warm build of a large course
    reads one file per page) and, below that, per formula by the math engine.
    """
    from .math import KATEX_VERSION, MathRenderer, MathRequest, MathResult, MathUnavailable

    diags: list[Diagnostic] = []
    results: dict[str, list] = {}
    keys: dict[str, str] = {}
    missing: list[RenderedDoc] = []
    for doc in docs:
        if not doc.math:
            results[doc.key] = []
            continue
        keys[doc.key] = content_key("page-math", KATEX_VERSION, config.math_macros, [(m.tex, m.display) for m in doc.math])
        stored = cache.get("page-math", keys[doc.key])
        if stored is not None:
            results[doc.key] = [MathResult(*row) for row in stored]
        else:
            missing.append(doc)
    requests = [MathRequest(item.tex, item.display) for doc in missing for item in doc.math]
    counts = {"rendered": 0, "cached": sum(len(doc.math) for doc in docs) - len(requests)}
    if requests:
        try:
            with MathRenderer(macros=config.math_macros, cache_dir=cache.path("math")) as renderer:
                rendered = iter(renderer.render(requests))
                counts = {"rendered": renderer.rendered, "cached": counts["cached"] + renderer.cached}
        except MathUnavailable as exc:
            first = missing[0]
            diags.append(error("CB502", first.path, first.math[0].pos, f"math cannot be typeset: {exc.message}", exc.hint))
            return {doc.key: ["" for _ in doc.math] for doc in docs}, diags, {"rendered": 0, "cached": 0}
        for doc in missing:
            results[doc.key] = [next(rendered) for _ in doc.math]
            cache.put("page-math", keys[doc.key], [[r.html, r.error, r.offset] for r in results[doc.key]])
    out: dict[str, list[str]] = {}
    for doc in docs:
        htmls = []
        for item, result in zip(doc.math, results[doc.key]):
            if result.error is not None:
                diags.append(_math_error(doc.path, item, result.error, result.offset))
                htmls.append("")
            else:
                htmls.append(result.html or "")
        out[doc.key] = htmls
    return out, diags, counts


def _math_error(path: str, item, message: str, offset: int | None) -> Diagnostic:
    pos = item.pos
    if offset is not None:
        before = item.tex[:offset]
        lines = before.count("\n")
        column = (pos.column + len(before)) if lines == 0 else len(before) - before.rfind("\n")
        pos = Pos(pos.line + lines, column)
    hint = next((h for key, h in MATH_HINTS.items() if key in message), "Fix the TeX of this formula; KaTeX's message says what it could not read.")
    shown = item.tex if len(item.tex) <= 60 else item.tex[:57] + "..."
    return error("CB410", path, pos, f"math error in `{shown}`: {message}", hint)

"""Citations: {cite}`key` ("Glorot & Bengio, 2010"), {cite:p}`key` ("(Glorot & Bengio, 2010)") and {cite:t}`key`
("Glorot & Bengio (2010)"), several keys separated by commas, each linked to the work in the lesson's list of
references (references_section, after the body, one style for the course). An unknown key is an error at its line."""

from __future__ import annotations

from ...suggest import did_you_mean
from ..context import RenderContext
from .kinds import Role, RoleCall


def cite(call: RoleCall) -> str:
    """The citation, each work linked to its entry in the references at the end of the lesson."""
    ctx = call.ctx
    works = []
    for key in filter(None, (k.strip() for k in call.content.split(","))):
        work = ctx.settings.works.get(key)
        if work is None:
            known = sorted(ctx.settings.works)
            ctx.error("CB402", call.pos, f"no work with key `{key}` in content/references.bib",
                      f"{did_you_mean(key, known)} Cite a key of content/references.bib (add the work there as a "
                      "BibTeX entry).".strip())
            continue
        ctx.citations.append(key)
        works.append({"key": key, "authors": work.authors, "year": work.year})
    if not works:
        return ""
    style = {"cite:p": "p", "cite:t": "t"}.get(call.name, "")
    return ctx.partial("citation.html", works=works, style=style)


def references_section(ctx: RenderContext) -> str:
    """The works the page cited, in author-year order ("" when it cited none)."""
    keys = dict.fromkeys(ctx.citations)
    works = sorted((ctx.settings.works[key] for key in keys), key=lambda w: (w.authors.casefold(), w.year, w.key))
    return ctx.partial("references.html", works=[{"key": w.key, "html": w.html} for w in works]) if works else ""


ROLES: dict[str, Role] = {"cite": cite, "cite:p": cite, "cite:t": cite}

"""A MyST glossary (```` ```{glossary} ````: a term on its own line, its definition indented below) joined to the
concept registry: each term must name a concept of content/concepts.yaml (by id, name or alias) and links to the
concept's entry on the concepts page, as {term}`name` does."""

from __future__ import annotations

from ...model.diagnostics import Pos
from ...model.rendered import RefKind, Reference
from ...suggest import did_you_mean
from .kinds import Directive, DirectiveCall


def render_glossary(call: DirectiveCall) -> str:
    """The terms and their definitions, each term linked to its concept."""
    ctx = call.ctx
    first = call.token.meta["body_line"]
    entries: list[dict[str, str]] = []
    for offset, line in enumerate(call.body.split("\n")):
        if not line.strip():
            continue
        pos = Pos(first + offset + 1, len(line) - len(line.lstrip()) + 1)
        if line[:1] in (" ", "\t"):
            if not entries:
                ctx.error("CB408", pos, "a glossary definition comes before any term",
                          "Write the term on a line of its own, then its definition indented below it.")
                continue
            entries[-1]["text"] = (entries[-1]["text"] + " " + line.strip()).strip()
            continue
        term = line.strip()
        concept = ctx.settings.resolve_concept(term)
        if concept is None:
            ctx.error("CB402", pos, f"glossary term `{term}` is not a concept of the course",
                      f"{did_you_mean(term, sorted(ctx.settings.concept_ids))} A glossary term names a concept of "
                      "content/concepts.yaml (its id, name or an alias); add it there.".strip())
        else:
            ctx.references.append(Reference(RefKind.CONCEPT, concept, "", pos, term))
        entries.append({"term": term, "concept": concept or "", "text": "", "line": str(pos.line)})
    items = []
    for entry in entries:
        if not entry["text"]:
            ctx.error("CB408", Pos(int(entry["line"])), f"glossary term `{entry['term']}` has no definition",
                      "Indent the definition on the lines below the term.")
        ctx.source.seek_line(int(entry["line"]))
        items.append({"term": entry["term"], "href": f"{ctx.root}concepts/index.html#{entry['concept']}" if entry["concept"] else "",
                      "concept": entry["concept"],
                      "definition_html": call.renderer.render_text(entry["text"], call.options, call.env)})
    return ctx.partial("glossary.html", entries=items, id=call.name)


DIRECTIVES = {"glossary": Directive(render_glossary, options=("name", "sorted"), raw=True)}

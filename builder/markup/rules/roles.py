"""Roles: {concept}`id` links to the concept's glossary entry, {lesson}`slug` to a lesson (its title filled in
once every lesson is known); both are recorded as references, checked against the course and its ledger."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from ...model.rendered import RefKind, Reference
from ...suggest import did_you_mean
from .. import placeholders
from ..context import RenderContext

ROLES = ("concept", "lesson")


def role(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """{name}`target` or {name}`text <target>`."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    name = token.meta.get("name", "")
    pos = ctx.source.find("{" + name + "}")
    target, label = token.content.strip(), ""
    if target.endswith(">") and "<" in target:  # {concept}`the text <concept-id>`: the last <...> is the target
        cut = target.rindex("<")
        target, label = target[cut + 1:-1].strip(), target[:cut].strip()
    if name not in ROLES:
        ctx.error("CB401", pos, f"unknown role `{{{name}}}`",
                  f"{did_you_mean(name, list(ROLES))} Roles: {{concept}} and {{lesson}}.".strip())
        return escapeHtml(token.content)
    if name == "concept":
        concept = ctx.settings.resolve_concept(target)
        if concept is None:
            if ctx.settings.concepts_complete:
                ctx.error("CB402", pos, f"unknown concept `{target}`",
                          f"{did_you_mean(target, sorted(ctx.settings.concept_ids))} Add it to content/concepts.yaml or fix the id.".strip())
            return escapeHtml(label or target)
        ctx.references.append(Reference(RefKind.CONCEPT, concept, "", pos, target))
        shown = label or (ctx.settings.concept_names[concept] if target == concept else target)
        return ctx.partial("concept_link.html", href=f"{ctx.root}concepts/index.html#{concept}", concept=concept, label=shown)
    ctx.references.append(Reference(RefKind.LESSON, target, "", pos, target))
    return ctx.partial("lesson_link.html", href=f"{ctx.root}{target}/index.html", slug=target,
                       label=label or placeholders.lesson_title(target))


RULES = {"myst_role": role}

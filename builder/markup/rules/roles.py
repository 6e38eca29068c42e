"""Roles ({name}`content`): the one render rule for `myst_role` tokens, dispatching by name to the module that owns
the role (ROLES); {concept}`id` links to the concept's glossary entry, {term}`name` too (a MyST glossary term is a
concept of the registry), {lesson}`slug` to a lesson (its title filled in once every lesson is known). Unknown roles
are findings; MyST roles this builder does not implement name what to use instead (unsupported.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from ...model.rendered import RefKind, Reference
from ...suggest import did_you_mean
from .. import placeholders
from ..context import RenderContext
from . import cite, index, inline, unsupported, xref
from .kinds import Role, RoleCall


def concept(call: RoleCall) -> str:
    """{concept}`id`, {concept}`text <id>` (also {term}): a link to the concept's entry on the concepts page."""
    ctx, target, label = call.ctx, call.target, call.label
    found = ctx.settings.resolve_concept(target)
    if found is None:
        if ctx.settings.concepts_complete:  # an unreadable registry is one finding of its own, not one per role
            ctx.error("CB402", call.pos, f"unknown concept `{target}`",
                      f"{did_you_mean(target, sorted(ctx.settings.concept_ids))} Add it to content/concepts.yaml or fix the id.".strip())
        return escapeHtml(label or target)
    ctx.references.append(Reference(RefKind.CONCEPT, found, "", call.pos, target))
    shown = label or (ctx.settings.concept_names.get(found, found) if target == found else target)
    return ctx.partial("concept_link.html", href=f"{ctx.root}concepts/index.html#{found}", concept=found, label=shown)


def lesson(call: RoleCall) -> str:
    """{lesson}`slug`: a link to the lesson, its title filled in once every lesson is known."""
    ctx, target = call.ctx, call.target
    ctx.references.append(Reference(RefKind.LESSON, target, "", call.pos, target))
    return ctx.partial("lesson_link.html", href=f"{ctx.root}{target}/index.html", slug=target,
                       label=call.label or placeholders.lesson_title(target))


def misconception(call: RoleCall) -> str:
    """{misconception}`where-id` at the end of a quiz's wrong choice: the choice probes that misconception (its
    feedback shows the claim and counterexample). Shows nothing itself."""
    ctx, target = call.ctx, call.target
    if ctx.choice_probes is None:
        ctx.error("CB407", call.pos, "the {misconception} role tags a quiz choice, and this is not one",
                  "Put it at the end of a wrong choice of a `{quiz}` (`- [ ] ... {misconception}`where-id``); a "
                  "`{check}` says what it probes with `:probes: where-id`.")
        return ""
    if target not in ctx.misconceptions:
        known = sorted(ctx.misconceptions)
        ctx.error("CB402", call.pos, f"unknown misconception `{target}`",
                  (f"{did_you_mean(target, known)} Name the `where` id of one of this lesson's frontmatter "
                   f"misconceptions ({', '.join(known) or 'it has none'}).").strip())
        return ""
    ctx.choice_probes.append(target)
    return ""


ROLES: dict[str, Role] = {"concept": concept, "term": concept, "lesson": lesson, "misconception": misconception, **xref.ROLES, **cite.ROLES, **inline.ROLES,
                         **index.ROLES}
"""Every role a page may use."""


def role(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """{name}`content`: rendered by the role's own function."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    name = token.meta.get("name", "")
    pos = ctx.source.find("{" + name + "}")
    render = ROLES.get(name)
    if render is None:
        if name in unsupported.ROLES:
            ctx.error("CB401", pos, f"`{{{name}}}` is a MyST role this builder does not support",
                      unsupported.ROLES[name][0].upper() + unsupported.ROLES[name][1:] + ".")
        else:
            ctx.error("CB401", pos, f"unknown role `{{{name}}}`",
                      f"{did_you_mean(name, list(ROLES))} Roles: {', '.join('{' + r + '}' for r in ROLES)}.".strip())
        return escapeHtml(token.content)
    return render(RoleCall(self, ctx, options, env, name, token.content, pos))


RULES = {"myst_role": role}

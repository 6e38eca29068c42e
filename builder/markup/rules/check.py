"""Knowledge checks (`::::{check} Question` holding an `:::{answer}`): a question with a reveal that works
without JavaScript. Also where a stray `{answer}` is reported."""

from __future__ import annotations

import re

from markdown_it.token import Token

from ...model.diagnostics import Pos
from ...model.rendered import Assessment, RefKind
from ...suggest import did_you_mean
from .callout import render_stray_answer
from .kinds import Directive, DirectiveCall, fence_findings

_LIST = re.compile(r"\s*,\s*")
"""Option lists are separated by commas (a concept's name may have spaces)."""


def split_answer(call: DirectiveCall) -> tuple[list[Token], Token | None]:
    """The blocks of a check or quiz without its `{answer}`, and the answer; a second answer is a finding (it would
    not be shown), an answer's unclosed fence too."""
    children = call.token.children or []
    rest = [t for t in children if not (t.type == "directive" and t.meta["kind"] == "answer")]
    answers = [t for t in children if t.type == "directive" and t.meta["kind"] == "answer"]
    for answer in answers:
        fence_findings(call.ctx, answer)
    for extra in answers[1:]:
        call.ctx.error("CB407", Pos((extra.map or [0])[0] + 1, 1), f"a {call.token.meta['kind']} has one `{{answer}}`: "
                       "this second one would not be shown", "Merge the two answers into one `{answer}` block.")
    return rest, (answers[0] if answers else None)


def render_check(call: DirectiveCall) -> str:
    """The question (title and body) and its answer."""
    ctx = call.ctx
    rest, answer = split_answer(call)
    if answer is None:
        ctx.error("CB407", call.pos, "knowledge check has no `{answer}` block",
                  "Add a `:::{answer}` block inside the check, and give the check fence more colons (`::::{check}`).")
    if not call.title_html and not rest:
        ctx.error("CB407", call.pos, "knowledge check has no question",
                  "Write the question after `{check}` on the fence line, or in the body.")
    references = len(ctx.references)
    body_html = call.render(rest)  # before the answer: placeholders are numbered in reading order
    assesses = question_concepts(call, range(references, len(ctx.references)))
    answer_html = call.render(answer.children) if answer else ""
    ctx.assessments.append(Assessment("check", call.name, call.title_html, body_html, (), answer_html, call.pos,
                                      probes=probed(call), assesses=assesses))
    return ctx.partial("check.html", title_html=call.title_html, body_html=body_html, answer_html=answer_html, id=call.name,
                       expanded=ctx.settings.is_instructor)


def probed(call: DirectiveCall) -> tuple[str, ...]:
    """The `:probes:` option: `where` ids of the lesson's misconceptions, each checked."""
    ctx, found = call.ctx, []
    for where in (w for w in _LIST.split(call.option("probes").strip()) if w):
        if where in ctx.misconceptions:
            found.append(where)
            continue
        known = sorted(ctx.misconceptions)
        ctx.error("CB402", call.option_pos("probes"), f"`:probes: {where}` names no misconception of this lesson",
                  (f"{did_you_mean(where, known)} Use the `where` id of one of the lesson's frontmatter misconceptions "
                   f"({', '.join(known) or 'it has none'}).").strip())
    return tuple(dict.fromkeys(found))


def question_concepts(call: DirectiveCall, question: range) -> tuple[str, ...]:
    """The concepts a check or quiz assesses: its `:assesses:` option, and the {concept} roles in its question (the
    title on the fence line, and the references the question's body added: `question`, a range of
    ctx.references; a quiz's choices and any answer are not the question)."""
    ctx, found = call.ctx, []
    for name in (n for n in _LIST.split(call.option("assesses").strip()) if n):
        concept = ctx.settings.resolve_concept(name)
        if concept is not None:
            found.append(concept)
        elif ctx.settings.concepts_complete:
            ctx.error("CB402", call.option_pos("assesses"), f"`:assesses: {name}` names no concept",
                      f"{did_you_mean(name, sorted(ctx.settings.concept_ids))} Use concept ids from content/concepts.yaml, "
                      "separated by commas.".strip())
    roles = [ref for i, ref in enumerate(ctx.references) if ref.kind is RefKind.CONCEPT
             and (i in question or ref.pos.line == call.pos.line)]
    return tuple(dict.fromkeys(found + [ref.target for ref in roles]))


OPTIONS = ("name", "class", "probes", "assesses")

DIRECTIVES = {"check": Directive(render_check, options=OPTIONS), "answer": Directive(render_stray_answer)}

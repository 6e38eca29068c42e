"""Knowledge checks (`::::{check} Question` holding an `:::{answer}`): a question with a reveal that works
without JavaScript. Also where a stray `{answer}` is reported."""

from __future__ import annotations

from markdown_it.token import Token

from ...model.rendered import Assessment
from .callout import render_stray_answer
from .kinds import Directive, DirectiveCall


def split_answer(children: list[Token]) -> tuple[list[Token], Token | None]:
    """The blocks of a check or quiz without its `{answer}`, and the (first) answer."""
    rest = [t for t in children if not (t.type == "directive" and t.meta["kind"] == "answer")]
    answers = [t for t in children if t.type == "directive" and t.meta["kind"] == "answer"]
    return rest, (answers[0] if answers else None)


def render_check(call: DirectiveCall) -> str:
    """The question (title and body) and its answer."""
    ctx = call.ctx
    rest, answer = split_answer(call.token.children or [])
    if answer is None:
        ctx.error("CB407", call.pos, "knowledge check has no `{answer}` block",
                  "Add a `:::{answer}` block inside the check, and give the check fence more colons (`::::{check}`).")
    if not call.title_html and not rest:
        ctx.error("CB407", call.pos, "knowledge check has no question",
                  "Write the question after `{check}` on the fence line, or in the body.")
    body_html = call.render(rest)  # before the answer: placeholders are numbered in reading order
    answer_html = call.render(answer.children) if answer else ""
    ctx.assessments.append(Assessment("check", call.name, call.title_html, body_html, (), answer_html, call.pos))
    return ctx.partial("check.html", title_html=call.title_html, body_html=body_html, answer_html=answer_html, id=call.name,
                       expanded=ctx.settings.is_instructor)


DIRECTIVES = {"check": Directive(render_check), "answer": Directive(render_stray_answer)}

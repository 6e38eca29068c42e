"""Quizzes (`::::{quiz} Question`): a task list of choices (`- [ ] wrong`, `- [x] right`) and an `:::{answer}`."""

from __future__ import annotations

import re
from typing import Any

from markdown_it.token import Token

from ...model.rendered import Assessment, Choice
from .check import OPTIONS, probed, question_concepts, split_answer
from .kinds import Directive, DirectiveCall

_CHOICE = re.compile(r"^\[([ xX])\]\s+")


def render_quiz(call: DirectiveCall) -> str:
    """The prompt, the choices (the first task list) and the explanation."""
    ctx = call.ctx
    rest, answer = split_answer(call)
    choices: list[dict[str, Any]] = []
    prompt: list[Token] = []
    i = 0
    while i < len(rest):
        if rest[i].type == "bullet_list_open" and not choices:
            end = _list_end(rest, i)
            choices = _choices(call, rest[i:end])
            i = end + 1
            continue
        prompt.append(rest[i])
        i += 1
    if len(choices) < 2 or not any(c["correct"] for c in choices):
        ctx.error("CB407", call.pos, "quiz needs a task list of at least two choices with one marked `[x]`",
                  "Write the choices as `- [ ] wrong` and `- [x] right` lines inside the quiz.")
    if answer is None:
        ctx.error("CB407", call.pos, "quiz has no `{answer}` explanation",
                  "Add a `:::{answer}` block after the choices, and give the quiz fence more colons (`::::{quiz}`).")
    references = len(ctx.references)
    prompt_html = call.render(prompt)
    assesses = question_concepts(call, range(references, len(ctx.references)))
    answer_html = call.render(answer.children) if answer else ""
    quiz_id = call.name or f"quiz-{call.pos.line}"
    probes = tuple(dict.fromkeys([*probed(call), *(c["probes"] for c in choices if c["probes"])]))
    ctx.assessments.append(Assessment("quiz", quiz_id, call.title_html, prompt_html,
                                      tuple(Choice(c["html"], c["correct"], c["probes"]) for c in choices), answer_html,
                                      call.pos, probes=probes, assesses=assesses))
    return ctx.partial("quiz.html", title_html=call.title_html, body_html=prompt_html, choices=choices,
                       answer_html=answer_html, id=quiz_id, named=bool(call.name), expanded=ctx.settings.is_instructor)


def _list_end(tokens: list[Token], start: int) -> int:
    """Index of the bullet_list_close matching the bullet_list_open at `start`."""
    depth = 0
    for j in range(start, len(tokens)):
        if tokens[j].type == "bullet_list_open":
            depth += 1
        elif tokens[j].type == "bullet_list_close":
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def _choices(call: DirectiveCall, tokens: list[Token]) -> list[dict[str, Any]]:
    """The list's `[ ]`/`[x]` items, each rendered without its box."""
    choices = []
    for k, token in enumerate(tokens):
        if token.type != "inline" or k < 2 or tokens[k - 2].type != "list_item_open" or not token.children:
            continue
        first = token.children[0]
        match = _CHOICE.match(first.content) if first.type == "text" else None
        if match:
            ctx = call.ctx
            if token.map:
                ctx.source.seek_line(token.map[0], token.map[1])
            children = [Token("text", "", 0, content=first.content[match.end():])] + token.children[1:]
            ctx.choice_probes = []
            html = call.renderer.renderInline(children, call.options, call.env).rstrip()
            probes, ctx.choice_probes = ctx.choice_probes, None
            correct = match.group(1) != " "
            if correct and probes:
                ctx.error("CB407", ctx.source.here(), "a right choice cannot probe a misconception",
                          "Move the {misconception} role to the wrong choice a student holding it would pick.")
                probes = []
            elif len(probes) > 1:
                ctx.error("CB407", ctx.source.here(), f"a choice probes one misconception; this one names {len(probes)} "
                          f"({', '.join(probes)})",
                          "Keep the misconception a student picking this choice holds, and probe the other with another "
                          "choice or a check's `:probes:`.")
            choices.append({"html": html, "correct": correct, "probes": probes[0] if probes else "",
                            "probe": ctx.misconceptions.get(probes[0]) if probes else None})
    return choices


DIRECTIVES = {"quiz": Directive(render_quiz, options=tuple(o for o in OPTIONS if o != "class"))}

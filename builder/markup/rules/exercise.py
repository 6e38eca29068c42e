"""Exercises and solutions (as sphinx-exercise): ```` ```{exercise} Title ```` is numbered in its lesson (`:label:`
makes it a target, `:nonumber:` leaves it unnumbered); ```` ```{solution} exercise-label ```` is a reveal titled
"Solution to Exercise N" (the exercise may be anywhere, so its number is a placeholder filled at page time)."""

from __future__ import annotations

from ...model.rendered import RefKind, Reference, TargetKind
from .. import placeholders
from .kinds import Directive, DirectiveCall
from .xref import LABEL


def render_exercise(call: DirectiveCall) -> str:
    """The exercise, titled "Exercise N (title)"."""
    ctx = call.ctx
    label = call.option("label") or call.name
    numbered = "nonumber" not in call.token.meta["options"]
    number = ctx.add_target(label, TargetKind.EXERCISE, ctx.plain(call.title_html), call.pos, numbered=numbered)
    return ctx.partial("exercise.html", number=number, title_html=call.title_html, body_html=call.render(), id=label,
                       classes=call.option("class"))


def render_solution(call: DirectiveCall) -> str:
    """The solution of the exercise its argument names, as a reveal."""
    ctx = call.ctx
    exercise = call.token.meta["title"].strip()
    if not LABEL.match(exercise):
        ctx.error("CB404", call.pos, "`{solution}` names no exercise",
                  "Write the exercise's label after the kind: ```` ```{solution} my-exercise ```` (the exercise has `:label: my-exercise`).")
        return ctx.partial("solution.html", href="", text="", body_html=call.render(), id=call.option("label") or call.name)
    ctx.references.append(Reference(RefKind.XREF, exercise, "", call.pos, exercise, role="solution"))
    return ctx.partial("solution.html", href=placeholders.xref_href(exercise, "", ctx.root),
                       text=placeholders.xref_text(exercise, "", "Exercise %s"), body_html=call.render(),
                       id=call.option("label") or call.name)


DIRECTIVES = {"exercise": Directive(render_exercise, options=("label", "name", "class", "nonumber", "hidden")),
              "solution": Directive(render_solution, options=("label", "name", "class", "hidden"))}

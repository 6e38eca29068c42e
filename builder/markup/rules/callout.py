"""Callouts (`:::{note}`, `:::{misconception}`, ...): a titled box rendered by the theme's callout partial; and
instructor notes (`:::{instructor}`), which only the instructor edition has."""

from __future__ import annotations

from .kinds import Directive, DirectiveCall

CALLOUT_KINDS = (
    "note", "tip", "warning", "insight", "misconception", "analogy", "try-this",
    "constraint", "objective", "summary", "next-step", "aside",
)
OPTIONS = ("name", "class")


def render_callout(call: DirectiveCall) -> str:
    """A callout of its own kind."""
    return render_as(call, call.token.meta["kind"], classes=call.option("class"))


def render_as(call: DirectiveCall, kind: str, classes: str) -> str:
    """The directive's title and body in a callout of `kind`."""
    return call.ctx.partial("callout.html", kind=kind, title_html=call.title_html, body_html=call.render(), id=call.name,
                            classes=classes)


def render_instructor(call: DirectiveCall) -> str:
    """An instructor note: a callout in the instructor edition; in the student edition nothing at all (not hidden).

    Its body is rendered in both editions, so `course check` finds the problems of every note; in the student edition
    what it added to the page's contents and assessments is taken back out with its HTML. It takes no `:name:`: an
    id the student pages do not have could not be linked to.
    """
    ctx = call.ctx
    headings, assessments = len(ctx.headings), len(ctx.assessments)
    body_html = call.render()
    if not ctx.settings.is_instructor:
        del ctx.headings[headings:], ctx.assessments[assessments:]
        return ""
    return ctx.partial("callout.html", kind="instructor", title_html=call.title_html, body_html=body_html, id="",
                       classes=call.option("class"))


def render_stray_answer(call: DirectiveCall) -> str:
    """An `{answer}` belongs inside a check or quiz (which render it themselves); elsewhere it is a finding, shown
    as a note so the run goes on."""
    call.ctx.error("CB407", call.pos, "`{answer}` outside a `{check}` or `{quiz}`",
                   "Put the answer block inside its question's `{check}` or `{quiz}` fence (the outer fence needs more colons).")
    return render_as(call, "note", classes=call.option("class"))


DIRECTIVES = {**{kind: Directive(render_callout) for kind in CALLOUT_KINDS},
              "instructor": Directive(render_instructor, options=("class",))}

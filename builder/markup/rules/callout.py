"""Callouts (`:::{note}`, `:::{misconception}`, ...): a titled box rendered by the theme's callout partial; and
instructor notes (`:::{instructor}`), which only the instructor edition has.

MyST's admonitions (`important`, `seealso`, `attention`, `caution`, `danger`, `error`, `hint`, and `admonition`
with a title) are callouts too, each shown in the style of the theme's nearest kind (LOOKS); `:class: dropdown` and
`{dropdown}` make a callout a `<details>` that opens without JavaScript (`:open:` starts it open).
"""

from __future__ import annotations

from .kinds import Directive, DirectiveCall

CALLOUT_KINDS = (
    "note", "tip", "warning", "insight", "misconception", "analogy", "try-this",
    "constraint", "objective", "summary", "next-step", "aside",
)
LOOKS = {
    "important": "insight", "seealso": "note", "hint": "tip", "attention": "warning", "caution": "warning",
    "danger": "warning", "error": "warning", "admonition": "note", "dropdown": "note",
}
"""MyST's admonition kinds -> the theme's callout whose colour and icon they take (their label stays their own)."""
OPTIONS = ("name", "class")


def render_callout(call: DirectiveCall) -> str:
    """A callout of its own kind (a dropdown with `:class: dropdown`)."""
    kind = call.token.meta["kind"]
    if kind == "admonition" and not call.title_html:
        call.ctx.error("CB408", call.pos, "`{admonition}` needs a title after the kind",
                       "Write the title on the fence line, e.g. ```` ```{admonition} Remember ````, or use `{note}`.")
    return render_as(call, kind, classes=call.option("class"))


def _look(kind: str, words: list[str]) -> str:
    """The theme kind a callout looks like: `{admonition}` with `:class: tip` looks like a tip, as in MyST."""
    if kind == "admonition":
        styled = [w for w in words if w in CALLOUT_KINDS or w in LOOKS]
        if styled:
            return LOOKS.get(styled[0], styled[0])
    return LOOKS.get(kind, kind)


def render_dropdown(call: DirectiveCall) -> str:
    """`{dropdown} Title`: a collapsed note (`:open:` starts it open)."""
    return render_as(call, "dropdown", classes=call.option("class") + " dropdown")


def render_as(call: DirectiveCall, kind: str, classes: str) -> str:
    """The directive's title and body in a callout of `kind`."""
    words = classes.split()
    dropdown = "dropdown" in words
    classes = " ".join(w for w in words if w != "dropdown")
    return call.ctx.partial("callout.html", kind=kind, look=_look(kind, words), title_html=call.title_html,
                            body_html=call.render(), id=call.name, classes=classes, dropdown=dropdown,
                            open="open" in call.token.meta["options"])


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
    return ctx.partial("callout.html", kind="instructor", look="instructor", title_html=call.title_html,
                       body_html=body_html, id="", classes=call.option("class"), dropdown=False, open=False)


def render_stray_answer(call: DirectiveCall) -> str:
    """An `{answer}` belongs inside a check or quiz (which render it themselves); elsewhere it is a finding, shown
    as a note so the run goes on."""
    call.ctx.error("CB407", call.pos, "`{answer}` outside a `{check}` or `{quiz}`",
                   "Put the answer block inside its question's `{check}` or `{quiz}` fence (the outer fence needs more colons).")
    return render_as(call, "note", classes=call.option("class"))


DIRECTIVES = {
    **{kind: Directive(render_callout, options=OPTIONS + ("open",)) for kind in CALLOUT_KINDS + tuple(LOOKS)},
    "dropdown": Directive(render_dropdown, options=OPTIONS + ("open",)),
    "instructor": Directive(render_instructor, options=("class",)),
}

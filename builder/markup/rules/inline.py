"""Small inline roles: {sub}, {sup}, {kbd}, {abbr}`CSS (Cascading Style Sheets)`, {code} and the {math} role,
rendered by the theme's role partial (the formula as a placeholder, like `$...$`)."""

from __future__ import annotations

import re

from ...model.diagnostics import Pos
from ...model.rendered import MathItem
from .kinds import Role, RoleCall
from .math import add_formula

_ELEMENT = {"subscript": "sub", "superscript": "sup"}
_ABBR = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$", re.S)


def plain(call: RoleCall) -> str:
    """{sub}`2`, {sup}`th`, {kbd}`Ctrl`, {code}`x`: the text in the element the role names."""
    return call.ctx.partial("role.html", element=_ELEMENT.get(call.name, call.name), text=call.content, title="")


def abbr(call: RoleCall) -> str:
    """{abbr}`CSS (Cascading Style Sheets)`: the abbreviation, its expansion as its title."""
    match = _ABBR.match(call.content)
    if not match:
        call.ctx.error("CB401", call.pos, f"{{abbr}}`{call.content}` has no expansion in parentheses",
                       "Write the expansion after the abbreviation: {abbr}`CSS (Cascading Style Sheets)`.")
        return call.ctx.partial("role.html", element="abbr", text=call.content, title="")
    return call.ctx.partial("role.html", element="abbr", text=match.group(1), title=match.group(2))


def math(call: RoleCall) -> str:
    """{math}`tex`: inline math, like `$tex$`."""
    pos = call.ctx.source.find("`" + call.content)
    return add_formula(call.ctx, MathItem(call.content, False, Pos(pos.line, pos.column + 1), ""))


ROLES: dict[str, Role] = {"sub": plain, "sup": plain, "subscript": plain, "superscript": plain, "kbd": plain,
                          "code": plain, "abbr": abbr, "math": math}

"""The directive block rule (MyST colon fences): `:::{kind} title`, `:key: value` options, nested by colon count.

The block rule parses the directive's content as Markdown in place (so line maps stay true to the
file); a core rule then folds each open/close pair into one `directive` token whose children are the
inner block tokens, so renderers and checks see a tree.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MAX_NESTING = 128
"""Deepest nesting of blocks (callouts, lists, quotes) the parser follows; deeper content is a CB413 finding.

markdown-it's CommonMark preset stops at 20 and silently drops what is deeper; 128 keeps 100 nested callouts
working while bounding the recursion of parsing and rendering well inside Python's limit.
"""

_OPENER = re.compile(r"^(:{3,})\{([^}\s]*)\}[ \t]*(.*?)\s*$")
_OPTION = re.compile(r"^:([A-Za-z][\w-]*):(?:[ \t]+(.*?))?\s*$")


def directive_plugin(md: MarkdownIt) -> None:
    """Register the directive block rule and the core rule that folds directives into tree tokens."""
    md.block.ruler.before("fence", "directive", _directive_block, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.core.ruler.push("directive_tree", _fold_tree)


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def _directive_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    match = _OPENER.match(_line(state, start_line))
    if not match:
        return False
    if silent:
        return True
    colons, kind, title = match.group(1), match.group(2), match.group(3)
    depth = len(colons)

    next_line = start_line
    closed = False
    while True:
        next_line += 1
        if next_line >= end_line:
            break
        text = _line(state, next_line)
        if text and state.sCount[next_line] < state.blkIndent:
            break
        stripped = text.rstrip()
        if stripped.startswith(":::") and set(stripped) == {":"} and len(stripped) >= depth:
            closed = True
            break
        opener = _OPENER.match(text) if state.sCount[next_line] - state.blkIndent < 4 else None
        if opener and len(opener.group(1)) >= depth:
            break  # a directive as deep as this one starts: this one was never closed (it is reported at its fence)

    options: dict[str, str] = {}
    option_lines: dict[str, int] = {}
    body_start = start_line + 1
    while body_start < next_line:
        opt = _OPTION.match(_line(state, body_start))
        if not opt:
            break
        options[opt.group(1)] = (opt.group(2) or "").strip()
        option_lines[opt.group(1)] = body_start
        body_start += 1

    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "directive"  # type: ignore[assignment]
    state.lineMax = next_line

    token = state.push("directive_open", "div", 1)
    token.markup = colons
    token.block = True
    token.info = kind
    token.map = [start_line, next_line + (1 if closed else 0)]
    token.meta = {"kind": kind, "title": title, "options": options, "option_lines": option_lines, "closed": closed}
    state.md.block.tokenize(state, body_start, next_line)
    close = state.push("directive_close", "div", -1)
    close.block = True
    close.markup = colons

    state.parentType, state.lineMax = old_parent, old_max
    state.line = next_line + (1 if closed else 0)
    return True


def _fold_tree(state: StateCore) -> None:
    state.tokens = fold(state.tokens)


def fold(tokens: list[Token]) -> list[Token]:
    """Fold directive_open ... directive_close runs into single `directive` tokens with children."""
    out: list[Token] = []
    stack: list[tuple[Token, list[Token]]] = []
    for token in tokens:
        if token.type == "directive_open":
            stack.append((token, out))
            out = []
        elif token.type == "directive_close" and stack:
            opener, parent = stack.pop()
            folded = Token("directive", "div", 0, map=opener.map, info=opener.info, meta=opener.meta,
                           block=True, children=out, level=opener.level, markup=opener.markup)
            parent.append(folded)
            out = parent
        else:
            out.append(token)
    return out


def walk(tokens: list[Token]):
    """Yield every block token, descending into directives (not into inline children)."""
    for token in tokens:
        yield token
        if token.type == "directive" and token.children:
            yield from walk(token.children)

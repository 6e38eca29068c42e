"""The directive block rule (MyST): `:::{kind} title` colon fences and ```` ```{kind} title ```` backtick fences,
with `:key: value` option lines or a YAML `---` option block, nested by fence length.

The block rule parses a directive's content as Markdown in place (so line maps stay true to the file), except for
kinds whose content is not Markdown (code, math, a glossary...): their lines are kept as text in `meta["body"]`.
A core rule then folds each open/close pair into one `directive` token whose children are the inner block tokens,
so renderers and checks see a tree.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import yaml
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

MAX_NESTING = 128
"""Deepest nesting of blocks (callouts, lists, quotes) the parser follows; deeper content is a CB413 finding.

markdown-it's CommonMark preset stops at 20 and silently drops what is deeper; 128 keeps 100 nested callouts
working while bounding the recursion of parsing and rendering well inside Python's limit.
"""

_OPENER = re.compile(r"^(:{3,}|`{3,}|~{3,})[ \t]*\{([^}\s]*)\}[ \t]*(.*?)\s*$")
_CONTAINER = re.compile(r"^(:{3,})[ \t]*([A-Za-z][\w-]*)[ \t]*$")
"""MyST's class container, `:::name` without braces: parsed so that it is reported (kind "." + name), never shown as text."""
_OPTION = re.compile(r"^:([A-Za-z][\w-]*):(?:[ \t]+(.*?))?\s*$")
_CONTINUED = re.compile(r"^:[ \t]+(\S.*?)\s*$")
"""An option's continuation line (`:    more text`)."""


def directive_plugin(md: MarkdownIt, raw_kinds: Collection[str] = ()) -> None:
    """Register the directive block rule and the core rule that folds directives into tree tokens; `raw_kinds`:
    the kinds whose content is text (kept in meta["body"]), not Markdown."""
    raw = frozenset(raw_kinds)

    def directive_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        return _directive_block(state, start_line, end_line, silent, raw)

    md.block.ruler.before("fence", "directive", directive_block, {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.core.ruler.push("directive_tree", _fold_tree)


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def _is_closer(text: str, fence: str) -> bool:
    """A line of the fence's character only, at least as long as the opening fence."""
    stripped = text.rstrip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _directive_block(state: StateBlock, start_line: int, end_line: int, silent: bool, raw: frozenset[str]) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    match = _OPENER.match(_line(state, start_line))
    container = None if match else _CONTAINER.match(_line(state, start_line))
    if not (match or container) or (match and match.group(1)[0] == "`" and "`" in match.group(3)):
        return False  # CommonMark: a backtick fence's info string has no backtick
    if silent:
        return True
    if match:
        fence, kind, title = match.group(1), match.group(2), match.group(3)
    else:
        fence, kind, title = container.group(1), "." + container.group(2), ""  # type: ignore[union-attr]

    next_line = start_line
    closed = False
    while True:
        next_line += 1
        if next_line >= end_line:
            break
        text = _line(state, next_line)
        if text and state.sCount[next_line] < state.blkIndent:
            break
        if state.sCount[next_line] - state.blkIndent < 4 and _is_closer(text, fence):
            closed = True
            break
        opener = _OPENER.match(text) if state.sCount[next_line] - state.blkIndent < 4 else None
        if opener and opener.group(1)[0] == fence[0] and len(opener.group(1)) >= len(fence):
            break  # a directive as deep as this one starts: this one was never closed (it is reported at its fence)

    options, option_lines, problems, body_start = _options(state, start_line + 1, next_line)
    if body_start > start_line + 1 and body_start < next_line and state.isEmpty(body_start):
        body_start += 1  # the blank line that may part options from the content

    token = state.push("directive_open", "div", 1)
    token.markup = fence
    token.block = True
    token.info = kind
    token.map = [start_line, next_line + (1 if closed else 0)]
    token.meta = {"kind": kind, "title": title, "options": options, "option_lines": option_lines, "closed": closed,
                  "option_problems": problems, "body": None, "body_line": body_start}
    if kind in raw:
        lines = [state.src[state.bMarks[n] + min(state.tShift[n], state.blkIndent):state.eMarks[n]]
                 for n in range(body_start, next_line)]
        token.meta["body"] = "\n".join(lines) + ("\n" if lines else "")
    else:
        old_parent, old_max = state.parentType, state.lineMax
        state.parentType = "directive"  # type: ignore[assignment]
        state.lineMax = next_line
        state.md.block.tokenize(state, body_start, next_line)
        state.parentType, state.lineMax = old_parent, old_max
    close = state.push("directive_close", "div", -1)
    close.block = True
    close.markup = fence

    state.line = next_line + (1 if closed else 0)
    return True


def _options(state: StateBlock, first: int, end: int) -> tuple[dict[str, str], dict[str, int], list[tuple[int, str]], int]:
    """The option lines at the top of a directive: `:key: value` lines, or a YAML block between `---` lines.
    Returns (options, key -> 0-based line, problems as (line, message), the first line of the content)."""
    options: dict[str, str] = {}
    lines: dict[str, int] = {}
    if first < end and _line(state, first).rstrip() == "---":
        close = next((n for n in range(first + 1, end) if _line(state, n).rstrip() == "---"), None)
        if close is None:
            return options, lines, [(first, "the YAML option block opened here is not closed with `---`")], first
        text = "\n".join(_line(state, n) for n in range(first + 1, close))
        try:
            data = yaml.safe_load(text) if text.strip() else {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = first + 1 + (mark.line if mark is not None else 0)
            return options, lines, [(at, f"the YAML option block is not valid YAML: {getattr(exc, 'problem', exc)}")], close + 1
        if not isinstance(data, dict):
            return options, lines, [(first + 1, "the YAML option block must be a mapping of `key: value` lines")], close + 1
        for key, value in data.items():
            key = str(key)
            options[key] = _option_text(value)
            lines[key] = next((n for n in range(first + 1, close) if _line(state, n).startswith(key + ":")), first + 1)
        return options, lines, [], close + 1
    body, last = first, ""
    continued: dict[str, list[str]] = {}
    while body < end:
        text = _line(state, body)
        opt = _OPTION.match(text)
        more = _CONTINUED.match(text) if not opt and last else None
        if more:  # `:key: |` then `:    text` lines: the value goes on, as the YAML it stands for would
            continued.setdefault(last, []).append(more.group(1))
        elif opt:
            last = opt.group(1)
            options[last] = (opt.group(2) or "").strip()
            lines[last] = body
        else:
            break
        body += 1
    for key, parts in continued.items():
        head = options[key]
        options[key] = "\n".join(parts) if head == "|" else " ".join(([] if head in (">", "") else [head]) + parts)
    return options, lines, [], body


def _option_text(value: object) -> str:
    """A YAML option value as the text a `:key: value` line would hold (`true` is a flag, a list is comma-separated)."""
    if value is True or value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


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

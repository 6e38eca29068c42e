"""Math in table cells: `| $|x|$ |` and `| $\\|x\\|_2$ |` keep their formula whole and exact.

The GFM table rule splits a row at every `|` and turns `\\|` into `|` before any inline rule runs, so a formula
holding a bar is cut in two, or a norm becomes an absolute value. Around markdown-it's own table rule, the bars inside
`$...$` spans of the table's lines are swapped for a stand-in of the same length (so every offset stays true), and
swapped back in the cells' text once the rule has split them.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

STAND_IN = "\ue000"
"""A private-use character holds a bar's place while the row is split (a table whose text has one is left alone)."""
_DELIMITER_ROW = re.compile(r"^[-:|][-:| \t]*$")
_SPAN = re.compile(r"(?<!\\)(\$\$?)(?=\S)(.+?)(?<=\S)(?<!\\)\1(?!\d)")
"""A dollar span as the math rule reads it (Pandoc's rule): no space inside the dollars, no digit after the closing one."""


def table_math_plugin(md: MarkdownIt) -> None:
    """Wrap the table rule so that bars inside math do not split cells."""
    rules = md.block.ruler.__rules__
    original = next(rule.fn for rule in rules if rule.name == "table")

    def table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if start + 1 >= end or not _DELIMITER_ROW.match(_line(state, start + 1)):
            return original(state, start, end, silent)  # not a table: the rule says so at once
        last = start
        while last + 1 < end and not state.isEmpty(last + 1):
            last += 1
        lo, hi = state.bMarks[start], state.eMarks[last]
        region = state.src[lo:hi]
        if "$" not in region or STAND_IN in region:
            return original(state, start, end, silent)
        protected = _SPAN.sub(lambda m: m.group(0).replace("|", STAND_IN), region)
        if protected == region:
            return original(state, start, end, silent)
        src, first = state.src, len(state.tokens)
        state.src = src[:lo] + protected + src[hi:]
        try:
            found = original(state, start, end, silent)
        finally:
            state.src = src
        for token in state.tokens[first:]:
            if token.type == "inline":
                token.content = token.content.replace(STAND_IN, "|")
        return found

    md.block.ruler.at("table", table, {"alt": ["paragraph", "reference"]})


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]

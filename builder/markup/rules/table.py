"""Tables as directives: ```` ```{table} Caption ```` around a Markdown table, and ```` ```{list-table} Caption ````
(rows as a list of lists, `:header-rows:`); both numbered when they have a `:name:`."""

from __future__ import annotations

from markdown_it.token import Token

from ...model.diagnostics import Pos
from ...model.rendered import TargetKind
from .kinds import Directive, DirectiveCall

LIST_TABLE_OPTIONS = ("header-rows", "stub-columns", "widths", "width", "align", "name", "class")


def render_table(call: DirectiveCall) -> str:
    """A Markdown table with its caption (the directive's title)."""
    ctx = call.ctx
    children = call.token.children or []
    if sum(1 for t in children if t.type == "table_open") != 1:
        ctx.error("CB408", call.pos, "`{table}` holds one Markdown table, and this one holds "
                  f"{sum(1 for t in children if t.type == 'table_open') or 'none'}",
                  "Put one table (`| a | b |` rows with a `|---|---|` line) inside the fence.")
    number = ctx.add_target(call.name, TargetKind.TABLE, ctx.plain(call.title_html), call.pos) if call.name else 0
    return ctx.partial("table_figure.html", caption_html=call.title_html, number=number, id=call.name,
                       classes=call.option("class"), table_html=call.render())


def render_list_table(call: DirectiveCall) -> str:
    """A table written as a bullet list of rows, each a bullet list of cells."""
    ctx = call.ctx
    rows = _rows(call)
    header = call.option("header-rows", "0")
    if not header.isdigit() or int(header) > len(rows):
        ctx.error("CB408", call.option_pos("header-rows"), f"`:header-rows: {header}` is not a number of rows of this table "
                  f"(it has {len(rows)})", "Write how many of the first rows are headings, e.g. `:header-rows: 1`.")
        header = "0"
    widths = {len(cells) for cells, _ in rows}
    if len(widths) > 1:
        first = len(rows[0][0])
        for cells, line in rows:
            if len(cells) != first:
                ctx.error("CB408", Pos(line + 1, 1), f"this row of the `{{list-table}}` has {len(cells)} cells, the first has {first}",
                          "Give every row the same number of `- ` cells (an empty cell is `- `).")
    number = ctx.add_target(call.name, TargetKind.TABLE, ctx.plain(call.title_html), call.pos) if call.name else 0
    cells_html = [[call.render(cell) for cell in cells] for cells, _ in rows]
    n = int(header)
    return ctx.partial("list_table.html", caption_html=call.title_html, number=number, id=call.name,
                       classes=call.option("class"), head=cells_html[:n], body=cells_html[n:],
                       stub=int(call.option("stub-columns", "0")) if call.option("stub-columns", "0").isdigit() else 0)


def _rows(call: DirectiveCall) -> list[tuple[list[list[Token]], int]]:
    """Each row's cells (the tokens inside each inner list item) and the row's 0-based line."""
    children = call.token.children or []
    if not children or children[0].type != "bullet_list_open" or _close(children, 0) != len(children) - 1:
        call.ctx.error("CB408", call.pos, "a `{list-table}` holds one bullet list of rows, each a bullet list of cells",
                       "Write each row as `* - cell` and each further cell as `  - cell`, and nothing else in the fence.")
        return []
    rows = []
    for start, end in _items(children, 1, len(children) - 1):
        inner = children[start + 1:end]
        if not inner or inner[0].type != "bullet_list_open":
            call.ctx.error("CB408", Pos((children[start].map or [0])[0] + 1, 1), "this row of the `{list-table}` is not a list of cells",
                           "Write the row as `* - first cell` with `  - next cell` lines under it.")
            continue
        cells = [inner[a + 1:b] for a, b in _items(inner, 1, _close(inner, 0))]
        rows.append((cells, (children[start].map or [0])[0]))
    return rows


def _close(tokens: list[Token], start: int) -> int:
    """Index of the token closing the one opened at `start`."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1


def _items(tokens: list[Token], start: int, stop: int) -> list[tuple[int, int]]:
    """(open, close) indexes of the list items between `start` and `stop` at this level."""
    out, i = [], start
    while i < stop:
        if tokens[i].type == "list_item_open":
            end = _close(tokens, i)
            out.append((i, end))
            i = end
        i += 1
    return out


DIRECTIVES = {"table": Directive(render_table, options=("name", "class", "align", "widths", "width")),
              "list-table": Directive(render_list_table, options=LIST_TABLE_OPTIONS)}

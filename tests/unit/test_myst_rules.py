"""The MyST rules on Python values: a snippet in, HTML with placeholders and what the page collected out (no project,
no build), and the pure helpers they use (cross-reference text, Sphinx-style display math, index entries, the
bibliography loader)."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.load.bibliography import load_bibliography
from builder.markup import make_parser, placeholders
from builder.markup.rules.math import sphinx_display
from builder.model.bibliography import Work
from builder.model.diagnostics import Pos
from builder.model.rendered import RefKind, Target, TargetKind
from builder.model.xrefs import text_of
from test_markup_rules import codes, render, settings  # noqa: F401  (the fixture)


def directive_meta(markdown: str) -> dict:
    [token] = [t for t in make_parser().parse(markdown, {}) if t.type == "directive"]
    return token.meta


# --- the directive block rule ---------------------------------------------------------------------------------------

def test_backtick_and_colon_fences_parse_alike():
    colon, tick = directive_meta(":::{note} T\n:name: n\nBody.\n:::\n"), directive_meta("```{note} T\n:name: n\nBody.\n```\n")
    assert {k: colon[k] for k in ("kind", "title", "options", "closed")} == {k: tick[k] for k in ("kind", "title", "options", "closed")}
    assert tick["options"] == {"name": "n"} and tick["closed"]


def test_a_backtick_fence_with_a_language_is_still_code():
    assert [t.type for t in make_parser().parse("```python\nx = 1\n```\n", {})] == ["fence"]


def test_yaml_option_block_and_continued_option_lines():
    meta = directive_meta("```{figure} a.png\n---\nalt: A fish\nwidth: 200\nopen: true\n---\nCaption.\n```\n")
    assert meta["options"] == {"alt": "A fish", "width": "200", "open": ""} and meta["option_lines"]["width"] == 3
    meta = directive_meta("```{code-block} python\n:caption: |\n:    two\n:    lines\nx\n```\n")
    assert meta["options"] == {"caption": "two\nlines"} and meta["body"] == "x\n"
    assert directive_meta("```{note}\n---\nname: [x\n---\nT\n```\n")["option_problems"][0][0] == 2


def test_text_content_kinds_keep_their_lines():
    meta = directive_meta("```{math}\n:label: m\na &= b\n\nc\n```\n")
    assert meta["body"] == "a &= b\n\nc\n"


# --- callouts, code, tables, tabs ----------------------------------------------------------------------------------

def test_admonition_kinds_take_the_theme_look_and_dropdowns_are_details(settings):
    html, ctx = render(settings, ":::{danger}\nD.\n:::\n\n:::{hint}\n:class: dropdown\nH.\n:::\n\n:::{admonition}\nX.\n:::\n")
    assert 'class="callout callout-warning callout-danger"' in html and '<details class="callout callout-tip callout-hint dropdown">' in html
    assert codes(ctx) == [("CB408", 10, 1)]  # {admonition} needs a title


def test_code_block_options(settings):
    html, ctx = render(settings, "```{code-block} python\n:linenos:\n:emphasize-lines: 2-3, 9\n:name: c\nA\nB\nC\n```\n")
    assert html.count('class="hll"') == 2 and 'class="linenos"' in html and "Listing 1" in html
    assert codes(ctx) == [("CB408", 3, 1)] and [(t.label, t.kind, t.number) for t in ctx.targets] == [("c", TargetKind.CODE, 1)]


def test_list_table_rows_must_match(settings):
    html, ctx = render(settings, "```{list-table}\n:header-rows: 1\n* - a\n  - b\n* - c\n```\n")
    assert "<th>a</th><th>b</th>" in html and codes(ctx) == [("CB408", 5, 1)]


def test_tabs_pick_the_selected_item(settings):
    html, ctx = render(settings, "::::{tab-set}\n:::{tab-item} A\na\n:::\n:::{tab-item} B\n:selected:\nb\n:::\n::::\n")
    assert ctx.diagnostics == [] and html.count('type="radio"') == 2
    assert html.index(" checked>") > html.index('for="tabs-1-1"')


# --- numbering and cross-references --------------------------------------------------------------------------------

def test_equations_are_numbered_in_order_and_labels_come_out_of_the_tex(settings):
    html, ctx = render(settings, "$$\na\n$$ (one)\n\n$$\nb \\label{two}\n$$\n\n$$\nc\n$$\n")
    assert [(t.label, t.number) for t in ctx.targets] == [("one", 1), ("two", 2)]
    assert [m.tex for m in ctx.math] == ["a", "b ", "c"] and "(2)</a>" in html


def test_cross_reference_roles_leave_placeholders_and_references(settings):
    html, ctx = render(settings, "{eq}`e1` {numref}`Fig. %s <f1>` {ref}`text <s1>`\n")
    assert placeholders.xref_text("e1", "", "eq") in html and placeholders.xref_text("f1", "", "Fig. %s") in html
    assert "text</a>" in html and [(r.kind, r.target, r.role) for r in ctx.references] == [
        (RefKind.XREF, "e1", "eq"), (RefKind.XREF, "f1", "numref"), (RefKind.XREF, "s1", "ref")]


@pytest.mark.parametrize("kind,number,title,style,text", [
    (TargetKind.EQUATION, 2, "", "", "(2)"), (TargetKind.EQUATION, 2, "", "numref", "Equation 2"),
    (TargetKind.FIGURE, 3, "A fish", "", "A fish"), (TargetKind.FIGURE, 3, "A fish", "numref", "Figure 3"),
    (TargetKind.TABLE, 1, "Data", "Tbl. {number}: {name}", "Tbl. 1: Data"), (TargetKind.SECTION, 0, "Intro", "", "Intro"),
    (TargetKind.LABEL, 0, "", "", "lbl"),
])
def test_what_a_reference_says(kind, number, title, style, text):
    assert text_of(Target("lbl", kind, number, title, Pos(1)), style) == text


def test_a_page_without_the_label_records_a_link_reference(settings):
    _, ctx = render(settings, "[](#elsewhere) and [](02-b.md#part)\n")
    assert [(r.kind, r.target, r.role) for r in ctx.references] == [(RefKind.XREF, "elsewhere", "link"),
                                                                     (RefKind.LESSON_FILE, "lessons/1/02-b.md", "")]


def test_targets_before_headings_take_their_title(settings):
    _, ctx = render(settings, "(t1)=\n## Hello *there*\n\n(t2)=\nText.\n")
    assert [(t.label, t.kind, t.title) for t in ctx.targets if t.label.startswith("t")] == [
        ("t1", TargetKind.SECTION, "Hello there"), ("t2", TargetKind.LABEL, "")]


# --- footnotes, roles, citations, glossary, index -------------------------------------------------------------------

def test_footnotes(settings):
    html, ctx = render(settings, "A[^1] and B[^2].\n\n[^1]: One.\n[^3]: Unused.\n")
    assert 'id="fn-1"' in html and [(d.code, d.severity, d.line) for d in ctx.diagnostics] == [
        ("CB404", "error", 1), ("CB404", "warning", 4)]


def test_small_roles(settings):
    html, ctx = render(settings, "{sub}`2` {sup}`3` {kbd}`K` {abbr}`A (Ab)` {abbr}`bad` {math}`x`")
    assert "<sub>2</sub>" in html and '<abbr title="Ab">A</abbr>' in html and placeholders.math(0) in html
    assert codes(ctx) == [("CB401", 1, 43)]


def test_citations(settings):
    works = {"k1": Work("k1", "Glorot & Bengio", "2010", "<em>Ref</em>", 1)}
    html, ctx = render(settings, "A {cite:t}`k1`, {cite:p}`k1` and {cite}`k11`.", works=works)
    assert "Glorot &amp; Bengio (2010)" in html and "(<a" in html and ctx.citations == ["k1", "k1"]
    assert codes(ctx) == [("CB402", 1, 34)] and "Did you mean `k1`" in ctx.diagnostics[0].hint


def test_glossary_terms_must_be_concepts(settings):
    html, ctx = render(settings, "```{glossary}\nthe alpha\n  First.\ngamma\n  Third.\n```\n")
    assert 'href="../concepts/index.html#alpha"' in html and codes(ctx) == [("CB402", 4, 1)]


def test_index_entries_are_targets(settings):
    from builder.markup.rules.index import entries_of

    _, ctx = render(settings, "```{index} pair: a; b\n```\n")
    assert [(t.label, t.title) for t in ctx.targets] == [("index-1", "a; b"), ("index-2", "b; a")]
    assert entries_of(ctx, "see: x; y", Pos(1)) == ["x; see y"] and entries_of(ctx, "lion, tiger", Pos(1)) == ["lion", "tiger"]


def test_unknown_directives_and_includes_without_files(settings):
    _, ctx = render(settings, "```{code-cell}\nx\n```\n\n```{include} ../../content/x.md\n```\n\n```{include} ../x.md\n```\n")
    assert codes(ctx) == [("CB400", 1, 5), ("CB404", 5, 1), ("CB404", 8, 1)]


def test_an_include_renders_with_its_own_positions(settings):
    html, ctx = render(settings, "```{include} ../../content/p.md\n```\n", includes={"content/p.md": "# P\n\n$x$ {ref}`nope`\n"})
    assert "<h1" in html and ctx.math[0].path == "content/p.md" and ctx.math[0].pos == Pos(3, 2)
    assert ctx.references[0].path == "content/p.md" and ctx.references[0].pos == Pos(3, 5)


# --- helpers ---------------------------------------------------------------------------------------------------------

def test_sphinx_display_math():
    assert sphinx_display("a = b") == "a = b"
    assert sphinx_display("a &= b \\\\\n&= c") == "\\begin{aligned}a &= b \\\\\n&= c\n\\end{aligned}"
    assert sphinx_display("a\n\nb") == "\\begin{gathered}a\n\\\\\nb\n\\end{gathered}"
    assert sphinx_display("a & b % note") == "\\begin{aligned}a & b % note\n\\end{aligned}"  # the comment ends at its line
    assert sphinx_display("\\begin{cases} a & b \\end{cases}") == "\\begin{cases} a & b \\end{cases}"


def test_bibliography_is_parsed_and_formatted(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content/references.bib").write_text(
        "@article{solo,\n author = {LeCun, Yann},\n title = {T},\n journal = {J},\n year = {1998}}\n"
        "@article{many,\n author = {A, B and C, D and E, F},\n title = {U},\n journal = {J},\n year = {2001},\n url = {javascript:x}}\n")
    diags: list = []
    works = load_bibliography(tmp_path, diags).works
    assert [(w.key, w.authors, w.year, w.line) for w in works.values()] == [("solo", "LeCun", "1998", 1), ("many", "A et al.", "2001", 6)]
    assert "<em>J</em>" in works["solo"].html and [(d.code, d.line) for d in diags] == [("CB106", 6)]


def test_table_cells_keep_math_bars():
    tokens = make_parser().parse("| a | b |\n|---|---|\n| $|x|$ | $\\|y\\|_2$ |\n", {})
    maths = [c.content for t in tokens for c in t.children or [] if c.type == "math_inline"]
    assert maths == ["|x|", "\\|y\\|_2"]


@pytest.mark.parametrize("text,math", [("Pay $5 now or $ 7 later.", []), ("$x$ and $y$", ["x", "y"]), ("$a $ b$", []),
                                       ("costs $3$4", [])])
def test_dollar_math_follows_pandoc(text, math):
    tokens = make_parser().parse(text, {})
    assert [c.content for t in tokens for c in t.children or [] if c.type == "math_inline"] == math

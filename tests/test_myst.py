"""MyST compatibility through the real pipeline: what is not supported, and every broken reference, is an error at
its file, line and column, with a hint; never literal text or a silent difference.

The snippets of SNIPPETS are typical MyST syntax taken from the MyST docs' examples (MyST-Parser docs/syntax/*.md,
mystmd docs/*.md); each either builds or fails at the line where the unsupported syntax is.
"""

from __future__ import annotations

import pytest

from conftest import check_json, line_of
from test_markup_fixtures import RELAXED_SITE

FRONT = "---\ntitle: MyST\ntype: CONSOLIDATE\n---\n"
BIB = "@article{glorot2010,\n  author = {Glorot, Xavier and Bengio, Yoshua},\n  title = {Understanding},\n  journal = {J},\n  year = {2010}\n}\n"


def findings(project, body: str, extra: dict[str, str] | None = None) -> list[dict]:
    root = project({"site.yaml": RELAXED_SITE, "lessons/1.3/01-first.md": FRONT + body, "lessons/1.3/02-second.md": None,
                    "lessons/1.3/03-third.md": None, "content/references.bib": BIB, **(extra or {})})
    return [f for f in check_json(root)[1] if f["severity"] == "error"]


def at(body: str, needle: str, column: int) -> tuple[int, int]:
    """(line, column) in the lesson file of the line of `body` that holds `needle`."""
    return line_of(FRONT + body, needle), column


def where(found: list[dict]) -> list[tuple[str, str, int, int]]:
    return [(f["code"], f["file"], f["line"], f["column"]) for f in found]


# --- unknown MyST syntax is loud -----------------------------------------------------------------------------------

@pytest.mark.parametrize("opener,instead", [
    ("```{code-cell} python", "content/figures/"), ("```{eval-rst}", "Markdown"), ("```{toctree}", "site.yaml"),
    ("```{mermaid}", "SVG"), ("```{literalinclude} x.py", "code-block"), ("```{bibliography}", "{cite}"),
])
def test_an_unsupported_directive_names_what_to_use_instead(project, opener, instead):
    body = f"Text.\n\n{opener}\nprint($x$)\n```\n"
    [finding] = findings(project, body)
    text = FRONT + body
    assert (finding["code"], finding["line"], finding["column"]) == ("CB400", line_of(text, opener), 5)
    assert "does not support" in finding["message"] and instead in finding["hint"]


def test_an_unsupported_role_and_an_unknown_one(project):
    body = "Run {eval}`x` and {underline}`this` and {foo}`bar`.\n"
    found = findings(project, body)
    assert where(found) == [("CB401", "lessons/1.3/01-first.md", 5, 5), ("CB401", "lessons/1.3/01-first.md", 5, 19),
                            ("CB401", "lessons/1.3/01-first.md", 5, 41)]
    assert "content/figures/" in found[0]["hint"] and "*emphasis*" in found[1]["hint"] and "unknown role" in found[2]["message"]


def test_block_attributes_and_class_containers_are_reported(project):
    body = "{#para}\nA paragraph.\n\n:::bg-primary\nInside.\n:::\n"
    assert [(f["code"], f["line"]) for f in findings(project, body)] == [("CB400", 5), ("CB400", 8)]


def test_syntax_of_neighboring_dialects_is_reported_never_shown_as_text(project):
    body = ("Intro.\n\n> [!WARNING]\n> Read this first.\n\nA span [word]{#word-id .big} here; `[code]{#x}` in code"
            " is fine.\n\n- In a list, [term]{.kbd}.\n\n```{card} Title\nHeader text\n^^^\nBody.\n+++\nFooter.\n```\n\n"
            "> A plain quote with [!link] text.\n")
    found = findings(project, body)
    assert [(f["code"], f["line"], f["column"]) for f in found] == [
        ("CB400", *at(body, "> [!WARNING]", 3)), ("CB400", *at(body, "A span", 8)), ("CB400", *at(body, "- In a list", 14)),
        ("CB400", *at(body, "^^^", 1))]
    assert "{warning}" in found[0]["hint"] and "(label)=" in found[1]["hint"] and "card's title" in found[3]["hint"]


def test_fences_closed_by_an_outer_fence_and_answers_that_would_not_show(project):
    body = ("::::{tab-set}\n:::{tab-item} Python\nSome text.\n::::\n\nAfter.\n\n"
            "::::{check} Two answers?\nThink.\n:::{answer}\nOne.\n:::\n:::{answer}\nTwo.\n:::\n::::\n\n"
            "::::{check} Unclosed answer\nThink again.\n:::{answer}\nThree.\n::::\n\nSee <project:other.md>.\n")
    found = findings(project, body)
    assert [(f["code"], f["line"], f["column"]) for f in found] == [
        ("CB406", *at(body, ":::{tab-item} Python", 1)), ("CB407", *at(body, ":::{answer}\nTwo.", 1)),
        ("CB406", *at(body, ":::{answer}\nThree.", 1)), ("CB405", *at(body, "See <project:", 6))]
    assert "never closed" in found[0]["message"] and "would not be shown" in found[1]["message"]
    assert "[text](other.md)" in found[3]["hint"]


# --- references --------------------------------------------------------------------------------------------------

def test_a_missing_label_is_an_error_at_its_line_with_a_did_you_mean(project):
    body = "(intro)=\n## Intro\n\nSee {ref}`intr`, {eq}`intro` and [](#nowhere).\n"
    found = findings(project, body)
    assert where(found) == [("CB404", "lessons/1.3/01-first.md", 8, 5), ("CB404", "lessons/1.3/01-first.md", 8, 18),
                            ("CB404", "lessons/1.3/01-first.md", 8, 37)]
    assert "Did you mean `intro`" in found[0]["hint"] and "not an equation" in found[1]["message"]


def test_a_label_in_two_lessons_is_ambiguous(project):
    root = project({"site.yaml": RELAXED_SITE, "lessons/1.3/01-first.md": FRONT + "(x)=\nA.\n",
                    "lessons/1.3/02-second.md": FRONT + "(x)=\nB.\n", "lessons/1.3/03-third.md": FRONT + "See {ref}`x <x>`.\n"})
    found = [f for f in check_json(root)[1] if f["code"] == "CB404"]
    assert [(f["file"], f["line"]) for f in found] == [("lessons/1.3/03-third.md", 5)] and "several lessons" in found[0]["message"]


def test_numref_needs_a_numbered_target_and_a_solution_an_exercise(project):
    body = "## Plain\n\n{numref}`plain`\n\n```{solution} plain\nX.\n```\n"
    assert [(f["code"], f["line"]) for f in findings(project, body)] == [("CB404", 7), ("CB404", 9)]


def test_an_unknown_citation_key_has_a_did_you_mean(project):
    [finding] = findings(project, "As shown {cite:p}`glorot2011`.\n")
    assert (finding["code"], finding["line"], finding["column"]) == ("CB402", 5, 10)
    assert "Did you mean `glorot2010`" in finding["hint"]


def test_a_broken_references_bib_is_a_finding(project):
    found = findings(project, "Text.\n", {"content/references.bib": BIB + BIB})
    assert [(f["code"], f["file"]) for f in found] == [("CB106", "content/references.bib")]


def test_footnotes_without_definition_or_reference(project):
    root = project({"site.yaml": RELAXED_SITE, "lessons/1.3/01-first.md": FRONT + "Text[^a].\n\n[^b]: Unused.\n",
                    "lessons/1.3/02-second.md": None, "lessons/1.3/03-third.md": None})
    got = [(f["code"], f["severity"], f["line"]) for f in check_json(root)[1]]
    assert got == [("CB404", "error", 5), ("CB404", "warning", 7)]


def test_findings_of_an_included_file_are_reported_in_that_file(project):
    body = "Before.\n\n```{include} ../../content/shared/part.md\n```\n\n```{include} ../../content/shared/gone.md\n```\n"
    part = "# Part\n\nA {ref}`nowhere` and $\\frac{1}{$.\n"
    found = findings(project, body, {"content/shared/part.md": part})
    assert where(found) == [("CB404", "content/shared/part.md", 3, 3), ("CB410", "content/shared/part.md", 3, 32),
                            ("CB404", "lessons/1.3/01-first.md", 10, 1)]


# --- directive options ---------------------------------------------------------------------------------------------

def test_option_problems_are_at_their_lines(project):
    body = ("```{note}\n---\nname: [unclosed\n---\nText.\n```\n\n```{code-block} python\n:emphasize-lines: 7\n"
            ":linenos: yes\n:colour: red\nx = 1\n```\n\n```{admonition}\nNo title.\n```\n")
    got = [(f["code"], f["line"]) for f in findings(project, body)]
    assert got == [("CB408", 7), ("CB408", 13), ("CB408", 15), ("CB408", 19)]


# --- math ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("tex,hint", [
    (r"\href{javascript:alert(1)}{x}", "http(s)"), (r"\url{page.html}", "http(s)"), (r"\htmlId{a}{x}", "HTML extensions"),
    (r"\htmlStyle{color:red}{x}", "HTML extensions"), (r"\includegraphics{a.png}", "{figure}"),
])
def test_untrusted_math_is_a_finding_not_red_text(project, tex, hint):
    [finding] = findings(project, f"A formula ${tex}$ here.\n")
    assert (finding["code"], finding["line"], finding["column"]) == ("CB410", 5, 12)
    assert "not allowed in math" in finding["message"] and hint in finding["hint"]


def test_trusted_math_links_build(project):
    assert findings(project, r"See $\href{https://katex.org}{\KaTeX}$." + "\n") == []


# --- typical MyST snippets ------------------------------------------------------------------------------------------

SNIPPETS: list[tuple[str, str, tuple[str, int] | None]] = [
    ("colon admonition", ":::{tip}\nLet's give readers a helpful hint!\n:::\n", None),
    ("backtick admonition", "```{note}\nHere is a note!\n```\n", None),
    ("admonition with options", ":::{tip}\n:class: myclass1 myclass2\n:name: a-tip-reference\nHint!\n:::\n\n[Reference to my tip](#a-tip-reference)\n", None),
    ("admonition title", ":::{admonition} My custom title with *Markdown*!\n:class: tip\n\nA custom title.\n:::\n", None),
    ("dropdown admonition", ":::{note}\n:class: dropdown\n\nCollapsed.\n:::\n", None),
    ("version directives", ":::{versionadded} 1.2.3\nExplanation of the new feature.\n:::\n", ("CB400", 1)),
    ("class container", ":::bg-primary\nThis is a container with a custom CSS class.\n:::\n", ("CB400", 1)),
    ("card", ":::{card} Card Title\nCard content\n+++\nFooter\n:::\n", None),
    ("heading target", "(heading-target)=\n### Heading\n\n[reference1](#heading-target)\n", None),
    ("block attributes", "{#paragraph-target}\nThis is a paragraph, with an `id` attribute.\n", ("CB400", 1)),
    ("implicit link text", "## A heading with slug\n\n[](#a-heading-with-slug)\n", None),
    ("math role and directive", "We know that {math}`a^2 + b^2 = c^2`.\n\n```{math}\n:label: mymath\n(a + b)^2 = a^2 + 2ab + b^2\n\n"
     "(a + b)^2  &=  (a + b)(a + b) \\\\\n           &=  a^2 + 2ab + b^2\n```\n\nThe equation {eq}`mymath` is quadratic.\n", None),
    ("labelled dollar math", "$$\n(a + b)^2  &=  (a + b)(a + b) \\\\\n           &=  a^2 + 2ab + b^2\n$$ (mymath2)\n\n"
     "The equation {eq}`mymath2` is also quadratic.\n", None),
    ("amsmath", "\\begin{gather*}\na_1=b_1+c_1\\\\\na_2=b_2+c_2-d_2+e_2\n\\end{gather*}\n", None),
    ("strikethrough", "~~strikethrough with *emphasis*~~\n", None),
    ("line block", ":::{line-block}\n**Fleas**\n  Adam\n:::\n", ("CB400", 1)),
    ("table", "| foo | bar |\n| --- | --- |\n| baz | bim |\n", None),
    ("table with caption", ":::{table} Table caption\n:widths: auto\n:align: center\n\n| foo | bar |\n| --- | --- |\n| baz | bim |\n:::\n", None),
    ("list table", "```{list-table} Frozen Delights!\n:widths: 15 10\n:header-rows: 1\n\n* - Treat\n  - Quantity\n* - Albatross\n  - 2.99\n```\n", None),
    ("footnotes", "A reference.[^myref]\n\n[^myref]: A definition.\n", None),
    ("definition list", "Term 1\n: Definition\n", None),
    ("glossary", "```{glossary}\nAlpha idea\n  An indented explanation.\n```\n", None),
    ("code block", "```{code-block} python\n:lineno-start: 10\n:emphasize-lines: 1, 3\n:caption: |\n:    This is my\n:    multi-line caption.\n\n"
     "a = 2\nprint('my 1st line')\nprint(f'my {a}nd line')\n```\n", None),
    ("code cell", "```{code-cell} ipython3\nprint(1)\n```\n", ("CB400", 1)),
    ("eval-rst", "```{eval-rst}\n.. note:: A note written in reStructuredText.\n```\n", ("CB400", 1)),
    ("tabs", "::::{tab-set}\n:::{tab-item} Label1\nContent 1\n:::\n:::{tab-item} Label2\nContent 2\n:::\n::::\n", None),
    ("comment", "a line\n% a comment\nanother line\n", None),
    ("api reference", "```{py:class} mypackage.MyClass\nDocstring content\n```\n", ("CB400", 1)),
]
"""(what, MyST as the docs write it, None when it must build or (code, line in the snippet) of the error)."""


@pytest.mark.parametrize("what,snippet,expected", SNIPPETS, ids=[s[0] for s in SNIPPETS])
def test_a_typical_myst_snippet_builds_or_fails_at_its_line(project, what, snippet, expected):
    found = [(f["code"], f["line"] - FRONT.count("\n")) for f in findings(project, snippet)]
    assert (found[:1] == [expected]) if expected else found == [], found


def test_the_snippets_are_typical():
    assert len(SNIPPETS) == 28


def test_an_error_node_in_katex_output_is_an_error():
    """KaTeX marks what it could not render with `katex-error` or its error colour; the worker turns any such output
    into an error (run here on a stand-in for KaTeX that returns such output, as no input reaches it today)."""
    import json
    import subprocess

    from builder.katex._js import RENDER_JS
    from builder.npm import node_executable

    stub = ("var stub = {ParseError: Error, renderToString: function (tex, o) { return tex === 'bad' ? "
            "'<span class=\"katex-error\">x</span>' : tex === 'red' ? '<span style=\"color:' + o.errorColor + '\">x</span>' "
            ": '<span class=\"katex\">' + tex + '</span>'; }};")
    script = RENDER_JS + stub + "process.stdout.write(JSON.stringify(__cbRenderBatch(stub, {}, [['ok', false], ['bad', false], ['red', true]])));"
    out = json.loads(subprocess.run([str(node_executable()), "-e", script], capture_output=True, text=True, check=True).stdout)
    assert out == [{"html": '<span class="katex">ok</span>'}, {"error": "error-node", "offset": None},
                   {"error": "error-node", "offset": None}]


def test_tex_between_spaced_dollars_is_a_warning_not_silent_text(project):
    root = project({"site.yaml": RELAXED_SITE, "lessons/1.3/01-first.md": FRONT + "A norm $ \\|x\\|_2 $, $5 or $ 7, `$ \\a $`.\n",
                    "lessons/1.3/02-second.md": None, "lessons/1.3/03-third.md": None})
    [finding] = check_json(root)[1]
    assert (finding["code"], finding["severity"], finding["line"], finding["column"]) == ("CB410", "warning", 5, 8)
    assert "`$\\|x\\|_2$`" in finding["hint"]

"""The Markdown layer: directives, checks, quizzes, roles, links, headings, math, through real builds."""

from __future__ import annotations

import re

from conftest import BASE, check_json, codes, line_of, quiz, run

BODY_HEAD = BASE["lessons/1.3/01-first.md"].split("\n---\n", 1)[0] + "\n---\n"
MISCONCEPTIONS = """
:::{misconception} One
:name: wrong-1
x
:::

:::{misconception} Two
:name: wrong-2
x
:::

:::{misconception} Three
:name: wrong-3
x
:::
""" + quiz("alpha")


def build_lesson(project, body: str, files: dict | None = None) -> tuple[int, str, str]:
    """Build the base project with lesson 1's body replaced; (exit code, output, lesson 1 HTML)."""
    root = project({"lessons/1.3/01-first.md": BODY_HEAD + body + MISCONCEPTIONS, **(files or {})})
    code, out = run("build", str(root), "-q")
    page = root / "_site" / "first" / "index.html"
    return code, out, page.read_text(encoding="utf-8") if page.exists() else ""


def test_callouts_nest_and_carry_ids(project):
    code, out, html = build_lesson(project, """
::::{note} Outer *title*
:name: outer
Outer text.
:::{tip}
Inner text.
:::
::::
""")
    assert code == 0, out
    outer = html.index('id="outer"')
    assert 'class="callout callout-note"' in html[outer - 60:outer]
    assert html.index("callout-tip") > outer and "<em>title</em>" in html
    assert html.count("callout-label") >= 2  # icon + label, not colour alone


def test_check_renders_as_details_without_javascript(project):
    code, out, html = build_lesson(project, """
::::{check} Predict the value
Think first.
:::{answer}
It is **42**.
:::
::::
""")
    assert code == 0, out
    check = html[html.index('class="check"'):]
    assert "<details" in check and "<summary>" in check
    assert check.index("Think first.") < check.index("<details") < check.index("<strong>42</strong>")


def test_quiz_marks_the_right_choice(project):
    code, out, html = build_lesson(project, """
::::{quiz} Which is right?
- [ ] Wrong one
- [x] Right one
:::{answer}
Because.
:::
::::
""")
    assert code == 0, out
    assert re.search(r'class="quiz-choice is-correct">\s*<input type="radio"[^>]*>\s*<label[^>]*>Right one', html)
    assert re.search(r'class="quiz-choice is-wrong">\s*<input type="radio"[^>]*>\s*<label[^>]*>Wrong one', html)
    assert "<details" in html[html.index('class="quiz"'):]


def test_malformed_check_and_quiz(project):
    body = "::::{check} Q\nno answer\n::::\n\n::::{quiz} Q\n- [ ] a\n- [ ] b\n:::{answer}\nx\n:::\n::::\n"
    text = BODY_HEAD + body + MISCONCEPTIONS
    findings = check_json(project({"lessons/1.3/01-first.md": text}))[1]
    assert [f["line"] for f in findings if f["code"] == "CB407"] == [line_of(text, "{check}"), line_of(text, "{quiz}")]


def test_unknown_directive_role_and_concept(project):
    body = ":::{callout}\nx\n:::\n\nSee {trem}`alpha` and {concept}`alpah` and {lesson}`secnd`.\n"
    text = BODY_HEAD + body + MISCONCEPTIONS
    findings = check_json(project({"lessons/1.3/01-first.md": text}))[1]
    got = {(f["code"], f["line"]) for f in findings}
    line = line_of(text, "{trem}")
    assert {("CB400", line_of(text, "{callout}")), ("CB401", line), ("CB402", line)} <= got
    hints = " ".join(f["hint"] for f in findings)
    assert "`alpha`" in hints and "`second`" in hints


def test_roles_link_to_glossary_and_lessons(project):
    code, out, html = build_lesson(project, "Uses {concept}`the alpha` and {concept}`beta`, see {lesson}`second`.\n")
    assert code == 0, out
    assert 'href="../concepts/index.html#alpha"' in html and 'href="../concepts/index.html#beta"' in html
    assert 'href="../second/index.html"' in html


def test_concept_used_before_mentioned_is_a_warning(project):
    body = "This leans on {concept}`epsilon`.\n"
    code, findings = check_json(project({"lessons/1.3/01-first.md": BODY_HEAD + body + MISCONCEPTIONS}))
    [f] = [f for f in findings if f["code"] == "CB403"]
    assert f["severity"] == "warning" and code == 0


def test_links_rewritten_and_checked(project):
    body = ("[next](02-second.md#worked-example) [self](#worked-1) [bad](02-second.md#nope) "
            "[missing](09-none.md) [out](../../../etc/passwd) [js](javascript:alert(1)) [web](https://example.org)\n\n## Worked 1\n")
    text = BODY_HEAD + body + MISCONCEPTIONS
    findings = check_json(project({"lessons/1.3/01-first.md": text}))[1]
    assert [f["code"] for f in findings] == ["CB404", "CB404", "CB404", "CB405"]
    assert all(f["line"] == line_of(text, "[next]") for f in findings)
    line = text.splitlines()[line_of(text, "[next]") - 1]
    assert [f["column"] for f in findings] == [line.index(url) + 1 for url in
                                               ("02-second.md#nope", "09-none.md", "../../../etc", "javascript:")]
    missing = next(f for f in findings if "09-none.md" in f["message"])
    assert "e.g. `01-first.md`" in missing["hint"]  # no lesson resembles it: an example, not a wrong guess
    good = BODY_HEAD + "[next](02-second.md#worked-example) [self](#worked-1) [web](https://example.org)\n\n## Worked 1\n" + MISCONCEPTIONS
    root = project({"lessons/1.3/01-first.md": good})
    assert run("build", str(root), "-q")[0] == 0
    html = (root / "_site/first/index.html").read_text()
    assert 'href="../second/index.html#worked-example"' in html and 'href="#worked-1"' in html


def test_heading_ids_are_github_slugs_and_unique(project):
    code, out, html = build_lesson(project, "## Why 0.25?\n\n## Why 0.25?\n\n### The `code` and $x$ part\n")
    assert code == 0, out
    assert 'id="why-025"' in html and 'id="why-025-1"' in html and 'id="the-code-and-x-part"' in html
    assert 'class="heading-anchor" href="#why-025"' in html


def test_raw_html_is_escaped_by_default(project):
    code, out, html = build_lesson(project, "<script>alert(1)</script>\n\nText <b>bold</b>.\n")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    findings = check_json(project({"lessons/1.3/01-first.md": BODY_HEAD + "<b>x</b>\n" + MISCONCEPTIONS}))[1]
    assert codes(findings) == ["CB412"]


def test_raw_html_can_be_allowed(project):
    site = BASE["site.yaml"] + "markdown: {allow_html: true}\n"
    code, out, html = build_lesson(project, "Text <kbd>Ctrl</kbd>.\n", {"site.yaml": site})
    assert code == 0 and "<kbd>Ctrl</kbd>" in html


def test_math_is_typeset_with_katex_and_mathml(project):
    code, out, html = build_lesson(project, "Inline $\\sigma'(0) = 0.25$.\n\n$$\n\\mathrm{Var}(w) = \\frac{2}{n_{in}}\n$$\n")
    assert code == 0, out
    assert html.count('class="katex"') >= 2 and "<math" in html and 'class="katex-display"' in html
    assert "katex.min.css" in html and "<script" not in html.split("</head>")[1]


def test_broken_formulas_fail_at_their_lines(project):
    body = "Fine $x$.\n\nBroken $\\frac{1}{$ here.\n\n> In a quote $\\undefinedmacro$.\n\n| a | b |\n|---|---|\n| $\\frac{$ | 1 |\n"
    text = BODY_HEAD + body + MISCONCEPTIONS
    root = project({"lessons/1.3/01-first.md": text})
    code, findings = check_json(root)
    assert code == 1
    lines = [f["line"] for f in findings if f["code"] == "CB410"]
    assert lines == [line_of(text, "Broken"), line_of(text, "In a quote"), line_of(text, "\\frac{$")]
    first = next(f for f in findings if f["code"] == "CB410")
    assert "\u0332" not in first["message"] and first["column"] > text.splitlines()[first["line"] - 1].index("$")
    assert run("build", str(root))[0] == 1 and not (root / "_site").exists()


def test_math_in_frontmatter_and_titles(project):
    text = BASE["lessons/1.3/01-first.md"].replace("title: First", "title: First $\\frac{1}{$")
    findings = check_json(project({"lessons/1.3/01-first.md": text}))[1]
    [f] = [f for f in findings if f["code"] == "CB410"]
    assert f["line"] == line_of(text, "title:")


def test_math_macros_from_site_yaml(project):
    site = BASE["site.yaml"] + 'math:\n  macros: {"\\\\R": "\\\\mathbb{R}"}\n'
    code, out, html = build_lesson(project, "Weights live in $\\R^n$.\n", {"site.yaml": site})
    assert code == 0, out
    assert "mathbb" in html or "amsrm" in html


def test_an_id_names_one_place(project):
    body = """
## Temperature sharpens

Text.

:::{note} Same id as the heading
:name: temperature-sharpens
x
:::

:::{tip} Same name twice
:name: temperature-sharpens
y
:::
"""
    text = BODY_HEAD + body + MISCONCEPTIONS
    code, findings = check_json(project({"lessons/1.3/01-first.md": text}))
    dupes = sorted((f["severity"], f["line"]) for f in findings if f["code"] == "CB409")
    heading = line_of(text, "## Temperature sharpens")
    second = line_of(text, ":::{tip} Same name twice")
    assert dupes == [("error", second), ("warning", heading)], findings
    heading_finding = next(f for f in findings if f["severity"] == "warning")
    assert "temperature-sharpens-1" in heading_finding["message"]
    assert code == 1


def test_link_to_a_misspelt_lesson_names_the_lesson_meant(project):
    text = BODY_HEAD + "See [it](02-secnd.md).\n" + MISCONCEPTIONS
    [f] = [f for f in check_json(project({"lessons/1.3/01-first.md": text}))[1] if f["code"] == "CB404"]
    assert f["hint"].startswith("Did you mean `02-second.md`?")

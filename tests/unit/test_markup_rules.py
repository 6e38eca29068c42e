"""Each render rule on Python values: a snippet of Markdown in, HTML with placeholders and what the page collected
out (no project, no build). The rule modules are builder/markup/rules/*.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.markup import RenderContext, RenderSettings, SourceCursor, anchors_of, make_parser, placeholders, render_body
from builder.model.config import SiteConfig
from builder.model.diagnostics import Pos
from builder.model.figures import OptionProblem
from builder.model.rendered import RefKind
from builder.theming.environment import Partials, make_environment

CONCEPTS = {"alpha": "alpha", "the alpha": "alpha", "beta": "beta"}


def validate_figure(figure_id, options):
    if figure_id != "curve":
        return None, [OptionProblem(None, f"unknown figure {figure_id!r}", "known figures: curve")]
    if options.get("rate", "0.5") not in ("0.5", "0.9"):
        return None, [OptionProblem("rate", f"rate: {options['rate']!r} is out of range", "0.5 or 0.9")]
    return {"rate": float(options.get("rate", "0.5"))}, []


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    config = SiteConfig(root=Path(tmp_path_factory.mktemp("p")), title="T", modules=("1",))
    return RenderSettings(partial=Partials(make_environment(config)), concept_ids=frozenset({"alpha", "beta"}),
                          resolve_concept=lambda text: CONCEPTS.get(text.casefold(), text if text in CONCEPTS.values() else None),
                          validate_figure=validate_figure, allow_html=False,
                          concept_names={"alpha": "Alpha idea", "beta": "Beta idea"}, concepts_complete=True)


def render(settings: RenderSettings, markdown: str, path: str = "lessons/1/01-a.md", **overrides) -> tuple[str, RenderContext]:
    md = make_parser()
    tokens = md.parse(markdown, {})
    if overrides:
        settings = RenderSettings(**{**settings.__dict__, **overrides})
    ctx = RenderContext(path, "../", settings, SourceCursor(markdown), anchors_of(tokens))
    return render_body(md, tokens, ctx), ctx


def codes(ctx: RenderContext) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in ctx.diagnostics]


# --- math ---------------------------------------------------------------------------------------------------------

def test_math_becomes_placeholders_with_positions(settings):
    html, ctx = render(settings, "Text $a+b$ here.\n\n$$\nx^2\n$$ (eq-one)\n")
    assert [(m.tex, m.display, m.pos, m.label) for m in ctx.math] == [("a+b", False, Pos(1, 7), ""), ("x^2", True, Pos(4, 1), "eq-one")]
    assert placeholders.math(0) in html and placeholders.math(1) in html
    assert "eq-one" in ctx.own_anchors


def test_amsmath_environment_is_display_math(settings):
    _, ctx = render(settings, "\\begin{align}\na &= b\n\\end{align}\n")
    assert ctx.math[0].display and ctx.math[0].tex.startswith("\\begin{align}")


# --- roles --------------------------------------------------------------------------------------------------------

def test_concept_role_links_and_is_recorded(settings):
    html, ctx = render(settings, "See {concept}`the alpha` and {concept}`Beta words <beta>`.")
    assert 'href="../concepts/index.html#alpha"' in html and "Beta words" in html
    assert [(r.kind, r.target) for r in ctx.references] == [(RefKind.CONCEPT, "alpha"), (RefKind.CONCEPT, "beta")]


def test_unknown_role_and_unknown_concept_are_findings(settings):
    _, ctx = render(settings, "A {concpt}`alpha` and {concept}`gama`.")
    assert codes(ctx) == [("CB401", 1, 3), ("CB402", 1, 23)]
    assert "Did you mean `concept`" in ctx.diagnostics[0].hint


def test_lesson_role_leaves_a_title_placeholder(settings):
    html, ctx = render(settings, "Back to {lesson}`intro`.")
    assert placeholders.lesson_title("intro") in html and 'href="../intro/index.html"' in html
    assert ctx.references[0].kind is RefKind.LESSON


# --- links --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url,code", [("javascript:alert(1)", "CB405"), ("JaVaScRiPt:x", "CB405"), ("data:text/html,x", "CB405"),
                                      ("../../../x.png", "CB404"), ("/etc/passwd", "CB404"), ("../../.git/config", "CB404")])
def test_bad_link_targets_are_findings_at_the_url(settings, url, code):
    _, ctx = render(settings, f"A [link]({url}).")
    assert codes(ctx) == [(code, 1, 10)]


def test_an_anchor_the_page_lacks_is_a_cross_reference_checked_later(settings):
    html, ctx = render(settings, "A [link](#nowhere).")  # MyST: it may be a label of another lesson
    assert ctx.diagnostics == [] and placeholders.xref_href("nowhere", "", "../") in html
    assert [(r.kind, r.target, r.pos, r.role) for r in ctx.references] == [(RefKind.XREF, "nowhere", Pos(1, 10), "link")]


def test_lesson_and_file_links_are_references_and_rewritten(settings):
    html, ctx = render(settings, "## Here\n\n[b](02-b.md#part), [img](../../content/media/p.png), [me](#here).")
    assert 'href="../b/index.html#part"' in html and 'href="../media/content/media/p.png"' in html and 'href="#here"' in html
    assert [(r.kind, r.target, r.anchor) for r in ctx.references] == [
        (RefKind.LESSON_FILE, "lessons/1/02-b.md", "part"), (RefKind.FILE, "content/media/p.png", "")]
    assert ctx.diagnostics == []


def test_rendering_never_looks_at_files(settings, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, ctx = render(settings, "![a](missing.png)")  # whether it exists is checked with the references
    assert ctx.diagnostics == [] and ctx.references[0].kind is RefKind.FILE


# --- headings, html, code ----------------------------------------------------------------------------------------

def test_headings_get_unique_slugs_and_anchor_links(settings):
    html, ctx = render(settings, "## Intro\n\n## Intro\n\n### A *b* `c`\n")
    assert [(h.level, h.id, h.text) for h in ctx.headings] == [(2, "intro", "Intro"), (2, "intro-1", "Intro"), (3, "a-b-c", "A b c")]
    assert 'href="#intro-1"' in html


def test_raw_html_is_escaped_with_a_warning_unless_allowed(settings):
    html, ctx = render(settings, "Hi <b>there</b>.\n\n<div>x</div>\n")
    assert "&lt;b&gt;" in html and [(c, line) for c, line, _ in codes(ctx)] == [("CB412", 1), ("CB412", 3)]
    html, ctx = render(settings, "Hi <b>there</b>.", allow_html=True)
    assert "<b>there</b>" in html and ctx.diagnostics == []


def test_code_is_highlighted_and_an_unclosed_fence_is_reported(settings):
    html, ctx = render(settings, "```python\nx = 1\n```\n")
    assert 'class="highlight"' in html and ctx.diagnostics == []
    _, ctx = render(settings, "Text\n\n```python\nx = 1\n")
    assert codes(ctx) == [("CB406", 3, 1)]


# --- directives ---------------------------------------------------------------------------------------------------

def test_callout_with_title_name_and_class(settings):
    html, ctx = render(settings, ":::{tip} A *title*\n:name: t1\n:class: wide\nBody.\n:::\n")
    assert 'id="t1"' in html and "callout-tip" in html and "<em>title</em>" in html and ctx.diagnostics == []
    assert "t1" in ctx.own_anchors


def test_unknown_kind_option_and_unclosed_fence(settings):
    html, ctx = render(settings, ":::{warnin} Oops\n:colour: red\nBody.\n")
    assert sorted(codes(ctx)) == [("CB400", 1, 5), ("CB406", 1, 1), ("CB408", 2, 1)]
    assert "callout-note" in html and "Body." in html  # still rendered: the run reports everything


def test_check_needs_an_answer_and_an_answer_needs_a_check(settings):
    html, ctx = render(settings, "::::{check} Why?\n:::{answer}\nBecause.\n:::\n::::\n")
    assert "<details" in html and "Because." in html and ctx.diagnostics == []
    assert [(a.kind, a.title_html, a.choices) for a in ctx.assessments] == [("check", "Why?", ())]
    _, ctx = render(settings, "::::{check} Why?\nNo answer.\n::::\n\n:::{answer}\nStray.\n:::\n")
    assert [c for c, _, _ in codes(ctx)] == ["CB407", "CB407"]


def test_quiz_choices_and_its_findings(settings):
    html, ctx = render(settings, "::::{quiz} Pick\n:name: q1\n- [ ] no\n- [x] yes $y$\n:::{answer}\nIt is yes.\n:::\n::::\n")
    assert ctx.diagnostics == [] and html.count('type="radio"') == 2 and placeholders.math(0) in html
    [quiz] = ctx.assessments
    assert (quiz.kind, quiz.id, quiz.title_html, [c.correct for c in quiz.choices]) == ("quiz", "q1", "Pick", [False, True])
    assert "It is yes." in quiz.answer_html and placeholders.math(0) in quiz.choices[1].html
    _, ctx = render(settings, "::::{quiz} Pick\n- [ ] no\n- [ ] nope\n::::\n")
    assert [c for c, _, _ in codes(ctx)] == ["CB407", "CB407"]  # no right choice, no answer


def test_figure_is_validated_and_left_as_a_placeholder(settings):
    html, ctx = render(settings, ":::{figure} curve\n:rate: 0.9\n:name: f1\nA *caption*.\n:::\n")
    assert html.strip() == placeholders.figure(0) and ctx.diagnostics == []
    [ref] = ctx.figures
    assert (ref.figure_id, dict(ref.params), ref.dom_id, ref.pos) == ("curve", {"rate": 0.9}, "f1", Pos(1, 1))
    assert "<em>caption</em>" in ref.caption_html
    _, ctx = render(settings, ":::{figure} curv\n:::\n\n:::{figure} curve\n:rate: 7\n:::\n")
    assert codes(ctx) == [("CB411", 1, 4 + 3), ("CB408", 5, 1)] and ctx.figures == []


def test_content_nested_too_deep_is_one_finding(settings):
    _, ctx = render(settings, "".join("> " * 130) + "deep\n")
    assert [c for c, _, _ in codes(ctx)] == ["CB413"]


def test_an_image_path_makes_an_image_figure(settings):
    html, ctx = render(settings, ":::{figure} ../../content/media/plot.png\n:alt: A plot\n:width: 80%\n:name: p1\nThe *plot*.\n:::\n")
    assert ctx.diagnostics == [] and ctx.figures == []
    assert '<img src="../media/content/media/plot.png" alt="A plot" width="80%" loading="lazy">' in html
    assert 'id="p1"' in html and '<figcaption><p><span class="caption-number">Figure 1</span> The <em>plot</em>.</p>' in html  # named: numbered
    assert [(r.kind, r.target) for r in ctx.references] == [(RefKind.FILE, "content/media/plot.png")]
    _, ctx = render(settings, ":::{figure} diagram.svg\n:width: big\n:colour: red\n:::\n")
    assert sorted(codes(ctx)) == [("CB408", 1, 1), ("CB408", 2, 1), ("CB408", 3, 1)]  # no alt, bad width, unknown option

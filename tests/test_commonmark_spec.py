"""The CommonMark spec's examples through the lesson parser (make_parser: every block and inline rule of a lesson).

The spec is not copied into this repository: it comes from the npm registry's `commonmark-spec` package (the
CommonMark project's own), pinned to a version and its integrity hash, downloaded once into the per-user cache like
KaTeX (builder.npm). Three layers:
- the token stream of every example, rendered by markdown-it's reference HTML renderer, must be the spec's HTML
  (our extensions must not change what CommonMark means), except the examples listed in EXTENSIONS;
- every fenced code block renders with the language the spec gives it (info strings unescaped: examples 24, 34);
- every example that holds raw HTML is reported (CB412) when raw HTML is disabled (closing tags alone: example 623).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it.renderer import RendererHTML

from builder import npm
from builder.markup import RenderContext, SourceCursor, anchors_of, make_parser, render_body

SPEC = npm.Pin("commonmark-spec", "0.31.2",
               "sha512-vXKxmclzJPymhOJYD26G0oBjVmIcKC8p5m2DvHIq1A1btr1m0r0dT/PzRA5/nwxUbCAPedMNPEoiQE+zvuOcOw==",
               "The tests need the npm registry once to download the CommonMark spec.")
_EXAMPLE = re.compile(r"^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$|^#{1,6} *(.*)$", re.M)

EXTENSIONS: dict[int, str] = {
    44: "`+++` on a line of its own is a MyST block break (shown as nothing)",
    96: "a document that starts with `---` starts with YAML front matter (every lesson does)",
    98: "a document that starts with `---` starts with YAML front matter (every lesson does)",
}
"""Spec example number -> why the lesson parser reads it differently on purpose (an extension's syntax)."""


def spec_examples() -> list[tuple[int, str, str, str]]:
    """(number, section, markdown, html) of every example, as commonmark-spec's index.js extracts them."""
    try:
        folder = npm.ensure_package(SPEC)
    except npm.PackageUnavailable as exc:  # pragma: no cover - environment problem
        pytest.fail(f"{exc.message}\nhint: {exc.hint}")
    text = (folder / "spec.txt").read_text(encoding="utf-8").replace("\r\n", "\n")
    text = re.sub(r"^<!-- END TESTS -->[\s\S]*", "", text, flags=re.M)
    out, section = [], ""
    for m in _EXAMPLE.finditer(text):
        if m.group(3) is not None:
            section = m.group(3)
            continue
        out.append((len(out) + 1, section, m.group(1).replace("→", "\t"), m.group(2).replace("→", "\t")))
    return out


EXAMPLES = spec_examples()


def reference_html(markdown: str) -> str:
    """Our parser's tokens through markdown-it's reference renderer (heading ids, which we add, left out)."""
    md = make_parser()
    tokens = md.parse(markdown, {})
    for token in tokens:
        if token.type == "heading_open":
            token.attrs.pop("id", None)
    html = RendererHTML().render(tokens, md.options, {})
    return html.replace("<blockquote></blockquote>", "<blockquote>\n</blockquote>")  # the renderer's spacing, not the parse


def test_the_spec_has_all_its_examples():
    assert len(EXAMPLES) == 652 and EXAMPLES[23][1] == "Backslash escapes"


@pytest.mark.parametrize("number,section,markdown,html", EXAMPLES, ids=[f"example-{e[0]}" for e in EXAMPLES])
def test_commonmark_example(number, section, markdown, html):
    if number in EXTENSIONS:
        assert reference_html(markdown) != html, f"example {number} no longer differs: remove it from EXTENSIONS"
        return
    assert reference_html(markdown) == html, f"CommonMark example {number} ({section})"


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    from builder.markup import RenderSettings
    from builder.model.config import SiteConfig
    from builder.theming.environment import Partials, make_environment

    config = SiteConfig(root=Path(tmp_path_factory.mktemp("p")), title="T", modules=("1",))
    return RenderSettings(partial=Partials(make_environment(config)), concept_ids=frozenset(), resolve_concept=lambda t: None,
                          validate_figure=lambda figure_id, options: (None, []), allow_html=False)


def lesson_render(settings, markdown: str) -> tuple[str, RenderContext]:
    md = make_parser()
    tokens = md.parse(markdown, {})
    ctx = RenderContext("lessons/1/01-a.md", "../", settings, SourceCursor(markdown), anchors_of(tokens))
    return render_body(md, tokens, ctx), ctx


FENCED = [e for e in EXAMPLES if 'class="language-' in e[3]]


@pytest.mark.parametrize("number,section,markdown,html", FENCED, ids=[f"example-{e[0]}" for e in FENCED])
def test_code_language_is_the_spec_info_string(settings, number, section, markdown, html):
    html_out, _ = lesson_render(settings, markdown)
    assert re.findall(r'data-language="([^"]*)"', html_out) == re.findall(r'class="language-([^"]*)"', html)


def _has_raw_html(markdown: str) -> bool:
    return any(t.type == "html_block" or any(c.type == "html_inline" for c in t.children or [])
               for t in make_parser().parse(markdown, {}))


RAW = [e for e in EXAMPLES if _has_raw_html(e[2])]


@pytest.mark.parametrize("number,section,markdown,html", RAW, ids=[f"example-{e[0]}" for e in RAW])
def test_raw_html_is_reported(settings, number, section, markdown, html):
    html_out, ctx = lesson_render(settings, markdown)
    assert "CB412" in {d.code for d in ctx.diagnostics}, f"example {number}: raw HTML published without a finding"

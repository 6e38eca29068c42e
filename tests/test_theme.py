"""The default theme without a browser: strict-CSP markup, page furniture, sitemap, theme overrides, search index size."""

from __future__ import annotations

import json
import random
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from builder.theming.highlight import CODE_BACKGROUNDS, MIN_CONTRAST, contrast
from conftest import BASE, lesson, run

RICH_BODY = """
# First

## Worked example

Text with $a+b$ and {concept}`alpha`.

| left | centre | right |
|:-----|:------:|------:|
| 1    | $x^2$  | 3     |

```python
def f(x):
    return x * 2  # twice
```

:::{note} Why $\\sigma$ matters
A note with $y = \\frac{1}{2}$.
:::

::::{quiz} Which value is $x$?
- [ ] $1/256$
- [x] $1/16$
:::{answer}
Because $16^2 = 256$.
:::
::::

::::{check} Predict $z$
:::{answer}
It is $3$.
:::
::::

:::{misconception} First wrong idea
:name: wrong-1
Why it is wrong.
:::

:::{misconception} Second wrong idea
:name: wrong-2
Why it is wrong.
:::

:::{misconception} Third wrong idea
:name: wrong-3
Why it is wrong.
:::
"""
FIRST_LEDGER = """
    prerequisites:
      - concept: alpha
        depth: INTRODUCED
        source: old-lesson
    teaches:
      - concept: alpha
        depth: DEVELOPED
      - concept: beta
        depth: INTRODUCED
    """


def build(project, files: dict[str, str] | None = None) -> Path:
    """Build the BASE project (with `files` overriding) and return its _site folder."""
    root = project({"lessons/1.3/01-first.md": lesson("First", "STRETCH", FIRST_LEDGER, body=RICH_BODY), **(files or {})})
    code, out = run("build", str(root))
    assert code == 0, out
    return root / "_site"


def html_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_markup_is_strict_csp_clean(project):
    """No executable inline script, no style attribute, no inline event handler, no leftover placeholder."""
    for rel, text in html_pages(build(project)).items():
        for tag in re.findall(r"<script\b[^>]*>", text):
            assert ' src="' in tag or 'type="application/json"' in tag, (rel, tag)
        assert not re.search(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*[^<\s]", text.replace('type="application/json"', "src=x")), rel
        assert " style=" not in text, rel
        assert not re.search(r"\son[a-z]+=", text), rel
        assert "\x02" not in text and "\x03" not in text, rel
        assert not re.search(r'aria-label="[^"]*<', text), rel
        assert "http://" not in text.replace('xmlns="http://www.w3.org/', "") and "https://" not in text, rel


def test_math_inline_styles_become_classes(project):
    site = build(project)
    page = (site / "first/index.html").read_text(encoding="utf-8")
    css = (site / "assets/css/math.css").read_text(encoding="utf-8")
    used = set(re.findall(r"\b(ks-[0-9a-f]{7,40})\b", page))
    defined = set(re.findall(r"\.(ks-[0-9a-f]{7,40})\{", css))
    assert used and used <= defined
    assert "!important" in css
    assert 'href="../assets/css/math.css"' in page and 'href="../assets/katex/katex.min.css"' in page


def test_components(project):
    page = (build(project) / "first/index.html").read_text(encoding="utf-8")
    # tables scroll in a wrapper; alignment is a class
    assert '<div class="table-wrap"><table>' in page and 'class="align-center"' in page and 'class="align-right"' in page
    # code highlighted at build time, its colours linked
    assert '<span class="k">def</span>' in page and 'href="../assets/css/code.css"' in page
    # a callout says its kind in words and with an icon; its aria-label reads the formula in its title
    assert re.search(r'class="callout callout-note" aria-label="Note: Why σ matters"', page)
    assert 'class="icon icon-note"' in page and '<span class="callout-label">Note</span>' in page
    # a quiz choice that is only math still has an accessible name
    assert 'aria-label="1/256"' in page and 'aria-label="1/16"' in page
    # checks and quizzes reveal with <details>, no script
    assert page.count('<details class="reveal">') == 2
    # heading anchors
    assert re.search(r'<h2 id="worked-example">Worked example <a class="heading-anchor" href="#worked-example"', page)
    # type and depth badges with text, not colour alone
    assert ">Stretch</span>" in page and ">Developed</span>" in page


def test_page_titles_descriptions_and_favicon(project):
    site = build(project)
    page = (site / "first/index.html").read_text(encoding="utf-8")
    assert "<title>First · Test Course</title>" in page
    assert '<meta name="description" content="About First.">' in page
    assert '<link rel="icon" href="../assets/favicon.svg" type="image/svg+xml">' in page
    assert (site / "assets/favicon.svg").read_text().startswith("<svg")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Test Course</title>" in home and '<meta name="description" content="A course for tests.">' in home
    assert "Page not found" in (site / "404.html").read_text(encoding="utf-8")
    assert "Edit this page" not in page and 'rel="canonical"' not in page


def test_sitemap_only_when_url_is_set(project):
    site = build(project)
    assert not (site / "sitemap.xml").exists()
    site = build(project, {"site.yaml": BASE["site.yaml"] + "url: https://example.org/course\n"})
    tree = ET.parse(site / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in tree.getroot().findall("s:url/s:loc", ns)]
    assert "https://example.org/course/" in locs and "https://example.org/course/first/" in locs
    assert "https://example.org/course/concepts/" in locs and "https://example.org/course/modules/1.3/" in locs
    assert not any("404" in loc for loc in locs) and locs == sorted(locs)
    page = (site / "first/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/course/first/">' in page


def test_edit_link_from_repo_url(project):
    site = build(project, {"site.yaml": BASE["site.yaml"] + "repo_url: https://github.com/org/course/edit/main/\n"})
    page = (site / "first/index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/org/course/edit/main/lessons/1.3/01-first.md"' in page and "Edit this page" in page


def test_theme_override_templates_partials_and_assets(project):
    """A site's theme_dir overrides templates, partials and static files by name, and may add files."""
    site = build(project, {
        "site.yaml": BASE["site.yaml"] + "theme_dir: my-theme\n",
        "my-theme/partials/callout.html": '<div class="my-callout {{ kind }}">{{ body_html }}</div>\n',
        "my-theme/templates/404.html": '{% extends "base.html" %}{% block content %}<h1>Lost?</h1>{% endblock %}\n',
        "my-theme/static/css/site.css": "body { color: rebeccapurple; }\n",
        "my-theme/static/extra/logo.txt": "ours\n",
    })
    page = (site / "first/index.html").read_text(encoding="utf-8")
    assert '<div class="my-callout note">' in page and "callout-label" not in page.split("my-callout")[1][:200]
    assert "<h1>Lost?</h1>" in (site / "404.html").read_text(encoding="utf-8")
    assert (site / "assets/css/site.css").read_text() == "body { color: rebeccapurple; }\n"
    assert (site / "assets/extra/logo.txt").read_text() == "ours\n"
    assert (site / "assets/js/theme.js").is_file()  # everything not overridden comes from the default theme


def test_code_colours_are_readable_in_both_themes():
    from builder.theming.highlight import code_stylesheet as pygments_css

    css = pygments_css()
    dark_from = css.index("@media")
    for part, background in ((css[:dark_from], CODE_BACKGROUNDS["light"]), (css[dark_from:], CODE_BACKGROUNDS["dark"])):
        colours = set(re.findall(r"(?<![-\w])color: (#[0-9a-fA-F]{6})", part))
        assert colours
        bg = tuple(int(background[i:i + 2], 16) for i in (1, 3, 5))
        for colour in colours:
            rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
            assert contrast(rgb, bg) >= MIN_CONTRAST, colour
    assert '[data-theme="dark"] .highlight .k' in css and ':root:not([data-theme="light"]) .highlight .k' in css


# --- a generated 200-lesson course: the search index and the pages stay small -----------------------------------

def generated_course(root: Path, lessons: int, per_module: int = 10, seed: int = 7) -> Path:
    """A course of `lessons` lessons with ~2,000 words each in 10 sections, from a 4,000-word vocabulary."""
    rng = random.Random(seed)
    syllables = "ka lo mi ne ru ta si po ve da gu fe ri zo ba te nu ma lu ko".split()
    vocabulary = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(5000)})[:4000]
    weights = [1 / (i + 1) for i in range(len(vocabulary))]  # Zipf-like, as in real prose
    modules = [f"{m // 9 + 1}.{m % 9 + 1}" for m in range((lessons + per_module - 1) // per_module)]
    files = {
        "site.yaml": textwrap.dedent(f"""\
            title: Generated Course
            modules: {json.dumps(modules)}
            rules:
              adjacent_stretch: off
              min_misconceptions: 0
              min_examples: {{positive: 0, negative: 0}}
              min_modalities: 0
            """),
        "content/concepts.yaml": "".join(f"c{i}:\n  name: Concept {i}\n  definition: Idea number {i}.\n" for i in range(lessons)),
        "content/prior.yaml": "[]\n",
    }
    for m, module in enumerate(modules):
        files[f"content/modules/{module}.md"] = f"---\ntitle: Module {module}\ngoal: Learn part {m}.\n---\nThe arc.\n"
    for i in range(lessons):
        module = modules[i // per_module]
        sections = []
        for s in range(10):
            words = rng.choices(vocabulary, weights, k=200)
            sections.append(f"## Section {s} {vocabulary[(i * 10 + s) % len(vocabulary)]}\n\n" + " ".join(words) + ".\n")
        front = f"title: Lesson {i}\ntype: BUILD\nsummary: Lesson number {i}.\nteaches:\n  - concept: c{i}\n    depth: INTRODUCED\n"
        files[f"lessons/{module}/{i % per_module + 1:02d}-lesson-{i}.md"] = f"---\n{front}---\n" + "\n".join(sections)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    root = generated_course(tmp_path_factory.mktemp("big") / "course", 200)
    code, out = run("build", str(root), "--no-cache", "-q")
    assert code == 0, out
    return root / "_site"


def test_search_index_stays_small_at_200_lessons(big_site):
    """Under 400 KB for 200 lessons of 2,000 words: on course for the ~2 MB budget at 1,000 lessons."""
    raw = (big_site / "assets/search-index.js").read_text(encoding="utf-8")
    assert len(raw.encode("utf-8")) < 400_000, len(raw)
    assert raw.startswith("window.COURSE_SEARCH=") and raw.endswith(";\n")
    index = json.loads(raw[len("window.COURSE_SEARCH="):-2])
    lessons = [p for p in index["pages"] if p["u"].startswith("lesson-")]
    assert len(lessons) == 200 and all(len(p["s"]) == 10 for p in lessons)
    vocabulary = index["w"]
    words = [vocabulary[int(n, 36)] for n in lessons[0]["s"][0][2].split()]
    assert 0 < len(words) <= 24 and all(w.isalnum() for w in words)


def test_lesson_pages_list_only_their_modules_lessons(big_site):
    page = (big_site / "lesson-57/index.html").read_text(encoding="utf-8")
    assert page.count('class="sidebar-num"') == 10  # module 1.6's lessons, not all 200
    assert page.count('<p class="sidebar-module') == 21  # the 20 modules and the ledger link
    assert len(page.encode("utf-8")) < 120_000


def test_a_big_course_keeps_each_ledger_grid_on_its_module_page(big_site):
    """200 lessons x 200 concepts would be a 40,000-cell grid: the ledger page links to the module pages' grids."""
    ledger = (big_site / "concepts/index.html").read_text(encoding="utf-8")
    assert 'class="ledger-grid"' not in ledger and ledger.count("#concept-depths") == 20
    assert ledger.count('class="glossary-entry"') == 200 and len(ledger.encode("utf-8")) < 200_000
    module = (big_site / "modules/1.6/index.html").read_text(encoding="utf-8")
    grid = module[module.index('class="ledger-grid"'):]
    grid = grid[:grid.index("</table>")]
    assert module.count('class="ledger-grid"') == 1 and grid.count('<th scope="row">') == 10


def test_a_small_course_shows_its_grid_on_the_ledger_page(project):
    root = project()
    assert run("build", str(root), "-q")[0] == 0
    ledger = (root / "_site/concepts/index.html").read_text(encoding="utf-8")
    grid = ledger[ledger.index('class="ledger-grid"'):ledger.index("</table>")]
    assert grid.count('<th scope="row">') == 4 and grid.count("cell-taught") == 6  # alpha..delta; six `teaches` rows
    assert '<a href="../first/index.html">First</a> (developed)' in ledger  # alpha's trajectory in the glossary


def test_every_callout_kind_has_its_own_icon_and_label(project):
    from builder.markup.rules.callout import CALLOUT_KINDS

    body = RICH_BODY + "".join(f"\n:::{{{kind}}} A {kind}\nBody of {kind}.\n:::\n" for kind in CALLOUT_KINDS)
    site = build(project, {"lessons/1.3/01-first.md": lesson("First", "STRETCH", FIRST_LEDGER, body=body)})
    page = (site / "first/index.html").read_text(encoding="utf-8")
    labels = set()
    for kind in CALLOUT_KINDS:
        block = re.search(rf'<(section|aside) class="callout callout-{kind}"[^>]*aria-label="([^"]+): A {kind}">\s*'
                          rf'<p class="callout-title"><svg class="icon icon-{kind}"[^>]*>.+?</svg>'
                          r'<span class="callout-label">([^<]+)</span>', page)
        assert block, kind
        labels.add(block.group(3))
    assert len(labels) == len(CALLOUT_KINDS)  # the words differ, not only the colours
    css = (site / "assets/css/site.css").read_text(encoding="utf-8")
    assert all(f".callout-{kind}" in css for kind in CALLOUT_KINDS)

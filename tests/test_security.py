"""Safe output: a hostile lesson, concept registry or site.yaml never runs script in a reader's browser.

Every page of a site built from hostile input is parsed, and must hold no inline script, no event-handler
attribute and no `javascript:` (or other script) URL; the hostile text must still be there, escaped.
"""

from __future__ import annotations

import html.parser
import textwrap
from pathlib import Path

import pytest

from conftest import BASE, FIGURES, REPO, check_json, codes, run

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
QUOTE = '" onmouseover="alert(3)" x="'
SCRIPT_URL_SCHEMES = ("javascript:", "vbscript:", "data:")
LESSON = "lessons/1.3/01-first.md"


class PageAudit(html.parser.HTMLParser):
    """Collects what could run script: inline scripts, on* attributes, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            kind = (attributes.get("type") or "").lower()
            if "src" not in attributes and kind != "application/json":
                self.problems.append(f"inline <script {attrs}>")
            self._in_script = True
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler <{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                squeezed = "".join(ch for ch in value if ch > " ").lower()
                if squeezed.startswith(SCRIPT_URL_SCHEMES):
                    self.problems.append(f"script URL <{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed", "base"):
            self.problems.append(f"<{tag}> in the page")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if not self._in_script:
            self.text.append(data)


def audit(site: Path) -> tuple[list[str], str]:
    """Problems found in every HTML page of a built site, and all their visible text."""
    problems, text = [], []
    pages = sorted(site.rglob("*.html"))
    assert pages
    for page in pages:
        parser = PageAudit()
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
        problems += [f"{page.relative_to(site)}: {p}" for p in parser.problems]
        text.append("".join(parser.text))
    return problems, "\n".join(text)


def hostile_project(project) -> Path:
    """Script in every place an author's text reaches a page."""
    lesson = BASE[LESSON].replace("title: First", f"title: 'First {SCRIPT}'")
    lesson = lesson.replace("summary: About First.", f"summary: 'About {IMG} first.'\nobjective: 'Learn {SCRIPT}.'")
    lesson = lesson.replace("why: It builds on alpha.", f"why: 'Because {SCRIPT}'")
    lesson = lesson.replace("  - concept: beta\n    depth: INTRODUCED\n", f"  - concept: beta\n    depth: INTRODUCED\n    notes: 'Notes {SCRIPT}'\n")
    lesson += textwrap.dedent(f"""
        ## Heading {SCRIPT} and {IMG}

        :::{{note}} Callout {SCRIPT}
        :name: hostile-name{QUOTE}
        :class: cls{QUOTE}
        Body {IMG} and <a href="javascript:alert(4)">raw link</a>.
        :::

        ::::{{quiz}} Which {SCRIPT}?
        - [ ] Wrong {SCRIPT}
        - [x] Right {IMG}
        :::{{answer}}
        Because {SCRIPT}.
        :::
        ::::

        ::::{{check}} Check {SCRIPT}
        :::{{answer}}
        Answer {IMG}
        :::
        ::::

        :::{{figure}} sigmoid-derivative
        :name: fig{QUOTE}
        Caption {SCRIPT} {IMG}
        :::

        Roles: {{concept}}`{SCRIPT} <alpha>` and {{lesson}}`{IMG} <second>`.

        ![alt {SCRIPT}](../../content/pic.png "title{QUOTE}") and [link](02-second.md "t{QUOTE}").

        ```python{QUOTE}
        print("{SCRIPT}")
        ```

        $$
        x^2
        $$ (eq{QUOTE})
        """)
    concepts = BASE["content/concepts.yaml"].replace("name: Alpha idea", f"name: 'Alpha {SCRIPT}'") \
        .replace("definition: The first idea, with $x^2$.", f"definition: 'Defined {IMG} and {SCRIPT}'") \
        .replace("aliases: [the alpha]", f"aliases: [the alpha, 'alias {SCRIPT}']")
    module = f"---\ntitle: 'Module {SCRIPT}'\ngoal: 'Goal {IMG}'\nmisconceptions:\n  - claim: 'Claim {SCRIPT}'\n    where: first\n---\nArc {SCRIPT}\n"
    site = f"title: 'Course {SCRIPT}'\ndescription: 'About {IMG}{QUOTE}'\nmodules: [\"1.3\"]\nlanguage: 'en{QUOTE}'\n"
    return project({**FIGURES, LESSON: lesson, "content/concepts.yaml": concepts, "content/modules/1.3.md": module, "site.yaml": site,
                    "content/pic.png": b"\x89PNG\r\n\x1a\n"})


def test_hostile_text_everywhere_is_escaped(project):
    root = hostile_project(project)
    code, out = run("build", str(root), "--no-cache")
    assert code == 0, out
    problems, text = audit(root / "_site")
    assert problems == []
    for shown in ("First <script>alert(1)</script>", "Callout <script>", "Heading <script>", "Wrong <script>",
                  "Caption <script>", "Alpha <script>", "Module <script>", "Course <script>", "Claim <script>"):
        assert shown in text, f"{shown!r} should be shown as text"


def test_raw_html_in_markdown_is_escaped_with_a_warning(project):
    root = project({LESSON: BASE[LESSON] + f"\n{SCRIPT}\n\nInline {IMG} here.\n"})
    code, findings = check_json(root)
    assert code == 0 and codes(findings) == ["CB412", "CB412"]
    assert run("build", str(root))[0] == 0
    problems, text = audit(root / "_site")
    assert problems == [] and SCRIPT in text and IMG in text


@pytest.mark.parametrize("markdown", [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#9;script:alert(1))",
    "[x](&#x20;javascript:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](javascript&colon;alert(1))",
    "[x](jav%61script:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "![x][ref]\n\n[ref]: <javascript:alert(1)>",
])
def test_script_urls_are_refused(project, markdown):
    root = project({LESSON: BASE[LESSON] + "\n" + markdown + "\n"})
    code, findings = check_json(root)
    assert code == 1 and "CB405" in codes(findings), findings
    found = next(f for f in findings if f["code"] == "CB405")
    assert found["line"] == BASE[LESSON].count("\n") + 2 and found["hint"]


@pytest.mark.parametrize("markdown", ["[x](https://example.org/a?b=1#c)", "[x](mailto:a@example.org)", "[x](#worked-example)",
                                      "[x](02-second.md)", "<https://example.org>", "[x](//example.org/x)"])
def test_safe_urls_pass(project, markdown):
    root = project({LESSON: BASE[LESSON] + "\n" + markdown + "\n"})
    assert check_json(root) == (0, [])


def test_site_yaml_urls_must_be_web_addresses(project):
    site = BASE["site.yaml"] + "repo_url: javascript:alert(1)//\nbase_url: javascript:alert(2)\nurl: data:text/html,x\n"
    code, out = run("check", str(project({"site.yaml": site})))
    assert code == 1 and out.count("CB101") == 3


def test_the_shipped_site_has_no_inline_script(tmp_path):
    out = tmp_path / "site"
    code, text = run("build", str(REPO), "--out", str(out))
    assert code == 0, text
    problems, _ = audit(out)
    assert problems == []


def test_math_cannot_make_links_or_ids(project):
    """KaTeX trusts only \\href and \\url to http(s): a script link, an id or an image in math is a CB410 finding (never
    red text on a page), and the build writes nothing; a trusted link builds with no attribute a reader could trigger."""
    body = r"See $\href{javascript:alert(1)}{x}$, $\url{javascript:alert(2)}$, $\htmlId{a\"b}{x}$ and $\includegraphics{/etc/passwd}$."
    root = project({LESSON: BASE[LESSON] + "\n" + body + "\n"})
    code, out = run("build", str(root))
    assert code == 1 and out.count("CB410") == 4 and not (root / "_site").exists(), out
    root = project({LESSON: BASE[LESSON] + "\n" + r"See $\href{https://katex.org}{x}$." + "\n"})
    code, out = run("build", str(root))
    assert code == 0, out
    problems, _ = audit(root / "_site")
    assert problems == []
    page = (root / "_site/first/index.html").read_text(encoding="utf-8")
    assert 'href="https://katex.org"' in page and 'href="javascript' not in page

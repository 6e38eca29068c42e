"""The shipped module 1.3 meets the lesson standard, counted on the built pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import yaml

from builder.pipeline import build
from conftest import REPO

SLUGS = ["backpropagation", "backprop-worked-example", "computational-graphs", "batching-and-sgd", "optimizers",
         "training-dynamics", "overfitting-and-regularization"]
PLANNED_FIGURES = {
    "backprop-worked-example": {"backprop-network"},
    "batching-and-sgd": {"sgd-batch-paths"},
    "optimizers": {"optimizer-paths", "optimizer-explorer"},
    "training-dynamics": {"depth-paradox", "sigmoid-derivative", "gradient-bars", "activation-variance",
                          "batchnorm-training", "training-dynamics-explorer"},
    "overfitting-and-regularization": {"overfitting-curves", "early-stopping", "regularization-compare"},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("module") / "site"
    build(REPO, out=out)
    return out


class BodyText(HTMLParser):
    """Words of the lesson body as written: no math, no code, no generated figure summaries or explorer controls, no
    citations or list of references (made from content/references.bib), no misconception feedback of a probed quiz
    choice (the frontmatter's claim and counterexample, repeated under the choice and shown only when it is picked)."""

    SKIP = {"script", "style", "pre", "code", "math"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    """Elements without an end tag: they must not deepen the count, or the words after the body would count too."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.words = 0
        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        cls = dict(attrs).get("class") or ""
        if "lesson-body" in cls.split():
            self.inside, self.depth = True, 0
        if self.inside:
            self.depth += 1
            generated = {"katex", "figure-summary", "explorer-controls", "explorer-status", "figure-noscript", "explorer-noscript",
                         "citation", "references", "quiz-probe"}
            if tag in self.SKIP or generated & set(cls.split()) or self.skip:
                self.skip += 1

    def handle_endtag(self, tag):
        if self.inside and tag not in self.VOID:
            if self.skip:
                self.skip -= 1
            self.depth -= 1
            if self.depth == 0:
                self.inside = False

    def handle_data(self, data):
        if self.inside and not self.skip:
            self.words += len(re.findall(r"[A-Za-z][\w'-]*", data))


def frontmatter(slug: str) -> dict:
    path = next((REPO / "lessons/1.3").glob(f"*-{slug}.md"))
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


@pytest.mark.parametrize("slug", SLUGS)
def test_lesson_meets_the_standard(site, slug):
    html = (site / slug / "index.html").read_text(encoding="utf-8")
    body = html[html.index('class="lesson-body"'):]
    counter = BodyText()
    counter.feed(html)
    assert 2000 <= counter.words <= 4000, f"{slug}: {counter.words} words"
    fm = frontmatter(slug)
    assert len(fm["misconceptions"]) >= 3
    for m in fm["misconceptions"]:
        assert re.search(rf'<(section|aside)[^>]*class="callout callout-misconception[^"]*"[^>]*id="{re.escape(m["where"])}"', body), m["where"]
    assert len(re.findall(r'class="check"', body)) >= 2
    assert 4 <= len(re.findall(r'class="quiz"', body)) <= 6
    for kind in ("summary", "next-step", "objective"):
        assert f"callout-{kind}" in body, kind
    assert sum(1 for e in fm["examples"] if e["kind"] == "positive") >= 2
    assert sum(1 for e in fm["examples"] if e["kind"] == "negative") >= 1
    assert len(set(fm["modalities"])) >= 3
    assert 'class="katex"' in body
    figures = set(re.findall(r'data-figure="([a-z0-9-]+)"', body)) | set(re.findall(r'data-explorer="([a-z0-9-]+)"', body))
    assert PLANNED_FIGURES.get(slug, set()) <= figures, f"{slug}: {figures}"


def test_module_and_ledger_pages(site):
    module = (site / "modules/1.3/index.html").read_text(encoding="utf-8")
    assert "Act 1" in module and "Act 3" in module
    for slug in SLUGS:
        assert f"{slug}/index.html" in module
    assert module.count("load-bar") >= 7
    concepts = (site / "concepts/index.html").read_text(encoding="utf-8")
    registry = yaml.safe_load((REPO / "content/concepts.yaml").read_text(encoding="utf-8"))
    for cid, entry in registry.items():
        assert f'id="{cid}"' in concepts
        assert entry["definition"].strip()

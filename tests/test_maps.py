"""The prerequisite maps of the shipped module, built: one node per concept, links that resolve, a text alternative
with the same edges, every lesson's neighbourhood, and a warm build that starts no Node."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from builder import elk
from builder.pipeline import build
from conftest import REPO

MODULE_PAGE = "modules/1.3/index.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("maps") / "site"
    build(REPO, out=out)
    return out


def _figure(html: str, map_id: str) -> str:
    start = html.index(f'<figure class="concept-map" id="{map_id}">')
    return html[start:html.index("</figure>", start)]


def _module_concepts() -> set[str]:
    import yaml

    ids = set()
    for path in sorted((REPO / "lessons/1.3").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        ids |= {p["concept"] for p in front.get("prerequisites", [])} | {t["concept"] for t in front.get("teaches", [])}
    return ids


def test_module_map_has_a_node_per_concept_and_links_that_resolve(site):
    page = site / MODULE_PAGE
    figure = _figure(page.read_text(encoding="utf-8"), "module-1-3")
    svg = figure[figure.index("<svg"):figure.index("</svg>")]
    concepts = re.findall(r'<a class="map-node map-node-concept[^"]*" href="\.\./\.\./concepts/index\.html#([^"]+)"', svg)
    assert sorted(concepts) == sorted(_module_concepts()) and len(concepts) == len(set(concepts))
    lessons = re.findall(r'<a class="map-node map-node-lesson[^"]*" href="([^"]+)"', svg)
    assert len(lessons) == 7
    for href in re.findall(r'href="([^"]+)"', figure):
        _assert_resolves(page, href)


def test_the_text_alternative_lists_the_drawn_edges(site):
    figure = _figure((site / MODULE_PAGE).read_text(encoding="utf-8"), "module-1-3")
    groups = re.findall(r'<g class="map-lesson[^"]*">(.*?)</g>', figure, re.S)
    drawn = [len(re.findall(r'<path class="map-edge', g)) for g in groups]
    listing = figure[figure.index('<details class="map-text">'):]
    entries = re.split(r'<li><a href=(?="\.\./\.\./(?!concepts/))', listing)[1:]
    listed = [len(re.findall(r'<a href="\.\./\.\./concepts/', e)) for e in entries]
    assert drawn == listed and sum(drawn) > 100
    for group, entry in zip(groups, entries):
        assert re.search(r'href="([^"]+)"', group).group(1) == re.match(r'"([^"]+)"', entry).group(1)


def test_every_lesson_page_shows_its_neighbourhood(site):
    for path in sorted((REPO / "lessons/1.3").glob("*.md")):
        slug = path.stem.split("-", 1)[1]
        page = site / slug / "index.html"
        figure = _figure(page.read_text(encoding="utf-8"), f"lesson-{slug}")
        assert f'href="../{slug}/index.html" aria-current="page"' in figure
        assert "map-node-concept" in figure
        for href in re.findall(r'href="([^"]+)"', figure):
            _assert_resolves(page, href)


def test_a_warm_build_lays_out_nothing_and_starts_no_node(site, tmp_path):
    runs = elk.runs
    built = build(REPO, out=tmp_path / "again")
    assert elk.runs == runs
    assert (tmp_path / "again" / MODULE_PAGE).read_bytes() == (site / MODULE_PAGE).read_bytes()
    assert built.pages.rendered > 0  # a real build into a new folder, not "up to date"


def _assert_resolves(page: Path, href: str) -> None:
    target, _, anchor = href.partition("#")
    path = (page.parent / unquote(target)).resolve() if target else page
    assert path.is_file(), href
    if anchor:
        assert f'id="{anchor}"' in path.read_text(encoding="utf-8"), href

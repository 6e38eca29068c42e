"""The depth scale is data: a site's own `depths:` reaches the ledger, the badges, the grids and the legend."""

from __future__ import annotations

import re

import pytest

from builder.pipeline import build
from builder.stages.page_views import depth_scale
from conftest import BASE


def own_scale(text: str) -> str:
    for old, new in (("MENTIONED", "SEEN"), ("INTRODUCED", "USED"), ("DEVELOPED", "OWNED")):
        text = text.replace(old, new)
    return text


def test_a_four_depth_scale_shows_in_the_badges(project):
    files = {rel: own_scale(text) for rel, text in BASE.items() if rel.endswith((".md", "prior.yaml"))}
    files["site.yaml"] = BASE["site.yaml"] + "depths: [SEEN, USED, OWNED, TAUGHT]\n"
    third = files["lessons/1.3/03-third.md"]
    files["lessons/1.3/03-third.md"] = third.replace("concept: gamma\n    depth: OWNED", "concept: gamma\n    depth: TAUGHT")
    root = project(files)
    build(root)
    page = (root / "_site/third/index.html").read_text()
    badges = re.findall(r'<span class="badge depth-badge depth-(\w+) depth-step-(\d)" title="Depth: \w+">'
                        r'<span class="depth-meter" aria-hidden="true">([●○]+)</span>(\w+)</span>', page)
    compact = re.findall(r'<span class="badge badge-small depth-badge depth-(\w+) depth-step-(\d)" title="Depth: \w+">'
                         r'<span class="depth-meter" aria-hidden="true">([●○]+)</span><span class="depth-word">(\w+)</span></span>', page)
    assert ("owned", "4", "●●●○", "Owned") in compact  # the prerequisite beta, needed at OWNED ("Before you start")
    gamma = re.search(r'<a class="map-node map-node-concept depth-step-6"[^>]*><title>Gamma idea, taught to taught depth</title>(.*?)</a>',
                      page, re.S)
    assert gamma and gamma.group(1).count("<circle") == 4 and gamma.group(1).count("dot-on") == 4  # the map's meter
    assert ("taught", "6", "●●●●", "Taught") in badges  # gamma, raised to the top of the scale
    concepts = (root / "_site/concepts/index.html").read_text()
    assert "Depths: " in concepts and concepts.count("depth-meter") >= 4
    assert "S = seen, U = used, O = owned, T = taught." in concepts
    assert '<span class="cell depth-taught depth-step-6 cell-changed cell-taught" title="Taught after lesson 3 (taught here)">T</span>' in concepts


@pytest.mark.parametrize("names,abbrs,steps", [
    (("MENTIONED", "INTRODUCED", "DEVELOPED"), ["M", "I", "D"], [1, 3, 6]),
    (("LOW", "HIGH"), ["L", "H"], [1, 6]),
    (("DEEP", "DEVELOPED", "DONE", "A", "B", "C"), ["DEE", "DEV", "DO", "A", "B", "C"], [1, 2, 3, 4, 5, 6]),
])
def test_depth_views_of_any_scale(names, abbrs, steps):
    scale = depth_scale(names)
    assert [d.abbr for d in scale.values()] == abbrs
    assert [d.step for d in scale.values()] == steps
    assert [(d.level, d.of) for d in scale.values()] == [(i + 1, len(names)) for i in range(len(names))]

"""Prerequisite maps: the graphs made from the frontmatter, their views, and the SVG they become."""

from __future__ import annotations

import textwrap

import pytest

from builder import elk
from builder.incremental import Memo
from builder.model.maps import NodeKind, Role
from builder.pipeline import check
from builder.stages.map_graph import lesson_maps, module_map
from builder.stages.map_views import map_view
from builder.stages.maps import layout_maps
from builder.stages.page_views import depth_scale
from builder.theming.environment import coord, make_environment
from builder.theming.map_text import text_width, wrap
from conftest import BASE, lesson, make_project

MODULE_2 = {
    "site.yaml": BASE["site.yaml"].replace('["1.3"]', '["1.3", "1.4"]'),
    "content/modules/1.4.md": "---\ntitle: Next Module\ngoal: Go further.\n---\nMore.\n",
    "lessons/1.4/01-fourth.md": lesson("Fourth", "BUILD", """
        prerequisites:
          - concept: alpha
            depth: DEVELOPED
            source: first
          - concept: epsilon
            depth: INTRODUCED
        gaps:
          - concept: epsilon
            size: small
            resolution: A paragraph.
        teaches:
          - concept: epsilon
            depth: INTRODUCED
          - concept: zeta
            depth: INTRODUCED
        """),
}
"""A second module: alpha (taught in module 1.3) is used across modules; epsilon is a gap the lesson closes."""


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    checked = check(make_project(tmp_path_factory.mktemp("maps"), MODULE_2))
    assert not [d for d in checked.diagnostics if d.severity == "error"], checked.diagnostics
    return checked


def edges(graph) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in graph.edges}


def test_module_map_links_concepts_to_lessons_and_lessons_to_concepts(course):
    graph = module_map(course.course, course.ledger, course.course.modules[0])
    kinds = {n.id: n.kind for n in graph.nodes}
    assert [n.key for n in graph.nodes if n.kind is NodeKind.LESSON] == ["first", "second", "third"]
    assert sorted(n.key for n in graph.nodes if n.kind is NodeKind.CONCEPT) == ["alpha", "beta", "delta", "gamma"]
    assert edges(graph) == {
        ("concept:alpha", "lesson:first"), ("lesson:first", "concept:alpha"), ("lesson:first", "concept:beta"),
        ("concept:alpha", "lesson:second"), ("concept:beta", "lesson:second"),
        ("lesson:second", "concept:beta"), ("lesson:second", "concept:gamma"),
        ("concept:beta", "lesson:third"), ("lesson:third", "concept:gamma"), ("lesson:third", "concept:delta")}
    assert all({kinds[e.source], kinds[e.target]} == {NodeKind.LESSON, NodeKind.CONCEPT} for e in graph.edges)
    assert [(e.source, e.target) for e in graph.order] == [("lesson:first", "lesson:second"), ("lesson:second", "lesson:third")]
    needs = {(e.source, e.target): e.depth for e in graph.edges}
    assert needs[("concept:alpha", "lesson:first")] == "INTRODUCED" and needs[("lesson:first", "concept:alpha")] == "DEVELOPED"


def test_concepts_are_coloured_by_the_depth_the_module_reaches(course):
    graph = module_map(course.course, course.ledger, course.course.modules[0])
    depth = {n.key: n.depth for n in graph.nodes if n.kind is NodeKind.CONCEPT}
    assert depth == {"alpha": "DEVELOPED", "beta": "DEVELOPED", "gamma": "DEVELOPED", "delta": "INTRODUCED"}
    depths = depth_scale(course.course.config.depths)
    view = map_view(_laid(course, "1.3"), course.course, depths, "../../")
    steps = {c.name.split(",")[0]: c.depth.step for c in view.concepts}
    assert steps == {"Alpha idea": 6, "Beta idea": 6, "Gamma idea": 6, "Delta idea": 3}
    assert [sum(d.filled for d in c.meter) for c in view.concepts if c.name.startswith("Delta")] == [2]


def test_a_concept_used_across_modules_and_a_gap(course):
    graph = module_map(course.course, course.ledger, course.course.modules[1])
    nodes = {n.key: n for n in graph.nodes}
    assert nodes["alpha"].role is Role.KNOWN and nodes["alpha"].depth == "DEVELOPED"
    assert nodes["zeta"].role is Role.TAUGHT
    assert edges(graph) == {("concept:alpha", "lesson:fourth"), ("lesson:fourth", "concept:epsilon"),
                            ("lesson:fourth", "concept:zeta")}  # the gap epsilon: taught here, no edge back in
    assert "first" not in nodes  # module 1.3's lessons are not on module 1.4's map


def test_lesson_map_is_the_neighbourhood(course):
    maps = lesson_maps(course.course)
    first = maps["first"]
    assert edges(first) == {("need:alpha", "lesson:first"), ("lesson:first", "teach:alpha"), ("lesson:first", "teach:beta"),
                            ("teach:alpha", "lesson:second"), ("teach:beta", "lesson:second"),
                            ("teach:beta", "lesson:third"), ("teach:alpha", "lesson:fourth")}
    assert next(n for n in first.nodes if n.key == "first").current
    fourth = next(n for n in first.nodes if n.key == "fourth")
    assert fourth.position == 0  # another module: no number of this module
    assert lesson_maps(course.course, limit=1)["first"].left_out == 2


def test_views_link_lessons_and_glossary_entries_and_list_the_same_edges(course):
    view = map_view(_laid(course, "1.3"), course.course, depth_scale(course.course.config.depths), "../../")
    hrefs = {g.lesson.href for g in view.groups} | {c.href for c in view.concepts}
    assert "../../first/index.html" in hrefs and "../../concepts/index.html#alpha" in hrefs
    drawn = sum(len(g.edges) for g in view.groups)
    listed = sum(len(e.needs) + len(e.teaches) for e in view.entries)
    assert drawn == listed == 10
    second = next(e for e in view.entries if e.href.endswith("second/index.html"))
    assert [c.name for c in second.needs] == ["Alpha idea", "Beta idea"]
    assert [c.name for c in second.teaches] == ["Beta idea", "Gamma idea"]


def test_a_batch_split_between_node_processes_is_laid_out_as_in_one(tmp_path, course, monkeypatch):
    one = layout_maps(course.course, course.ledger, Memo.for_project(tmp_path, enabled=False))
    monkeypatch.setattr(elk, "MIN_PER_PROCESS", 1)
    monkeypatch.setattr(elk.os, "cpu_count", lambda: 3)
    runs = elk.runs
    split = layout_maps(course.course, course.ledger, Memo.for_project(tmp_path, enabled=False))
    assert elk.runs == runs + 3 and _layouts(split) == _layouts(one)


def _layouts(table):
    return {name: (laid.graph, laid.key, laid.layout) for maps in (table.modules, table.lessons)
            for name, laid in maps.items()}


def test_shares_balance_the_cost_and_keep_the_order():
    shares = elk._shares([9.0, 1.0, 1.0, 5.0, 4.0, 1.0], 2)
    assert sorted(i for share in shares for i in share) == list(range(6))  # every graph once
    assert all(share == sorted(share) for share in shares)
    assert sorted(sum([9.0, 1.0, 1.0, 5.0, 4.0, 1.0][i] for i in share) for share in shares) == [10.0, 11.0]
    assert elk._shares([1.0, 2.0], 4) == [[1], [0]]  # more processes than graphs: one graph each, none empty


def test_layout_is_cached_and_the_svg_is_deterministic(tmp_path, course):
    memo = Memo.for_project(tmp_path)
    first = layout_maps(course.course, course.ledger, memo)
    assert first.laid_out == 6 and not first.diagnostics  # 2 modules, 4 lessons
    runs = elk.runs
    again = layout_maps(course.course, course.ledger, memo)
    assert (again.laid_out, again.cached, elk.runs) == (0, 6, runs)  # a warm build starts no Node
    fresh = layout_maps(course.course, course.ledger, Memo.for_project(tmp_path, enabled=False))
    assert _layouts(fresh) == _layouts(first)
    one, two = (_svg(course, table) for table in (first, fresh))
    assert one == two and one.count("<a class=\"map-node map-node-concept") == 4
    assert 'role="group"' in one and "<title>Alpha idea, developed by the end of the module</title>" in one


def test_labels_wrap_and_coordinates_print_short():
    assert wrap("Backpropagation (forward and backward pass)", 124) == ("Backpropagation", "(forward and", "backward pass)")
    assert all(text_width(line) <= 124 for line in wrap("Multi-layer gradient computation", 124))
    assert (coord(12.0), coord(12.5), coord(0.0)) == ("12", "12.5", "0")


def _laid(checked, module_id):
    return layout_maps(checked.course, checked.ledger, Memo.for_project(checked.course.config.root)).modules[module_id]


def _svg(checked, table) -> str:
    from builder.theming.models import Depth  # noqa: F401  (the view's types)

    env = make_environment(checked.course.config)
    depths = depth_scale(checked.course.config.depths)
    view = map_view(table.modules["1.3"], checked.course, depths, "../../")
    template = env.from_string('{% include "partials/concept_map.html" %}')
    return template.render(map=view, caption="A map.", legend=False, site=None, root="../../")


def test_fixture_is_valid_yaml():
    assert textwrap.dedent(MODULE_2["lessons/1.4/01-fourth.md"]).startswith("---")

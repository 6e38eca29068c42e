"""One test per ledger rule: the valid base project passes; one planted error is reported at its line."""

from __future__ import annotations

import copy

from conftest import BASE, check_json, codes, lesson, line_of


def test_base_project_is_clean(project):
    code, findings = check_json(project())
    assert findings == []
    assert code == 0


def only(findings, code):
    found = [f for f in findings if f["code"] == code]
    assert found, f"expected {code} in {codes(findings)}"
    return found


def test_required_depth_not_reached(project):
    text = BASE["lessons/1.3/03-third.md"].replace("concept: beta\n    depth: DEVELOPED", "concept: delta\n    depth: DEVELOPED", 1)
    assert text != BASE["lessons/1.3/03-third.md"]
    root = project({"lessons/1.3/03-third.md": text})
    code, findings = check_json(root)
    [f] = only(findings, "CB300")
    assert (f["file"], f["line"]) == ("lessons/1.3/03-third.md", line_of(text, "depth: DEVELOPED"))
    assert "delta" in f["message"] and f["hint"]
    assert code == 1


def test_stale_source_names_the_right_lesson(project):
    text = BASE["lessons/1.3/03-third.md"].replace("source: second", "source: first")
    root = project({"lessons/1.3/03-third.md": text})
    _, findings = check_json(root)
    [f] = only(findings, "CB301")
    assert f["line"] == line_of(text, "source: first")
    assert f["column"] == len("    source: ") + 1
    assert "source: second" in f["hint"]


def test_source_must_come_before(project):
    text = BASE["lessons/1.3/02-second.md"].replace("source: first\n  - concept: beta", "source: third\n  - concept: beta")
    _, findings = check_json(project({"lessons/1.3/02-second.md": text}))
    [f] = only(findings, "CB301")
    assert "does not come before" in f["message"]


def test_source_from_prior_record_is_valid_and_unknown_source_is_stale(project):
    ok = check_json(project())[1]
    assert not [f for f in ok if f["code"] == "CB301"]
    text = BASE["lessons/1.3/01-first.md"].replace("source: old-lesson", "source: nowhere")
    _, findings = check_json(project({"lessons/1.3/01-first.md": text}))
    [f] = only(findings, "CB301")
    assert "not a lesson" in f["message"] and "old-lesson" in f["hint"]


def test_missing_source(project):
    text = BASE["lessons/1.3/03-third.md"].replace("    source: second\n", "")
    _, findings = check_json(project({"lessons/1.3/03-third.md": text}))
    [f] = only(findings, "CB311")
    assert "source: second" in f["hint"]


def test_gap_resolved_by_teaching_is_accepted(project):
    text = lesson("Third", "STRETCH", """
        prerequisites:
          - concept: epsilon
            depth: INTRODUCED
        gaps:
          - concept: epsilon
            size: small
            resolution: Taught here.
        teaches:
          - concept: epsilon
            depth: INTRODUCED
        """)
    code, findings = check_json(project({"lessons/1.3/03-third.md": text}))
    assert findings == [] and code == 0


def test_gap_not_taught(project):
    text = lesson("Third", "STRETCH", """
        prerequisites:
          - concept: epsilon
            depth: DEVELOPED
        gaps:
          - concept: epsilon
            size: small
        teaches:
          - concept: epsilon
            depth: INTRODUCED
        """)
    _, findings = check_json(project({"lessons/1.3/03-third.md": text}))
    [f] = only(findings, "CB302")
    assert f["line"] == line_of(text, "- concept: epsilon", 2) and "DEVELOPED" in f["message"]


def test_gap_the_ledger_already_covers_is_a_warning(project):
    text = BASE["lessons/1.3/03-third.md"].replace("teaches:", "gaps:\n  - concept: beta\n    size: small\nteaches:\n  - concept: beta\n    depth: DEVELOPED")
    code, findings = check_json(project({"lessons/1.3/03-third.md": text}))
    [f] = only(findings, "CB310")
    assert f["severity"] == "warning" and code == 0
    assert check_json(project({"lessons/1.3/03-third.md": text}), "--strict")[0] == 1


def test_depth_regression(project):
    text = BASE["lessons/1.3/03-third.md"].replace("teaches:", "teaches:\n  - concept: alpha\n    depth: MENTIONED")
    _, findings = check_json(project({"lessons/1.3/03-third.md": text}))
    [f] = only(findings, "CB303")
    assert f["line"] == line_of(text, "depth: MENTIONED")
    # the same depth is a reinforcement, allowed
    same = BASE["lessons/1.3/03-third.md"].replace("teaches:", "teaches:\n  - concept: alpha\n    depth: DEVELOPED")
    same = same.replace(":assesses: gamma", ":assesses: gamma, alpha")
    assert check_json(project({"lessons/1.3/03-third.md": same}))[1] == []


MORE_NEW = ("teaches:\n  - concept: epsilon\n    depth: INTRODUCED\n  - concept: zeta\n    depth: INTRODUCED"
            "\n  - concept: delta\n    depth: INTRODUCED")


def test_new_concept_cap_counts_concepts_brought_in_above_the_lowest_depth(project):
    """The load of a lesson: concepts new to the ledger at INTRODUCED or deeper (the second lesson's first mention
    of gamma is not load)."""
    text = BASE["lessons/1.3/02-second.md"].replace("teaches:", MORE_NEW)
    _, findings = check_json(project({"lessons/1.3/02-second.md": text}))
    [f] = only(findings, "CB304")
    assert f["line"] == line_of(text, "type: BUILD") and "3 new concepts (epsilon, zeta, delta)" in f["message"]
    assert "limit is 2" in f["message"] and "MENTIONED" in f["hint"]
    at_cap = BASE["lessons/1.3/02-second.md"].replace("teaches:", MORE_NEW.rsplit("\n  - concept: delta", 1)[0])
    assert check_json(project({"lessons/1.3/02-second.md": at_cap}))[1] == []


def test_first_mentions_are_not_load_and_raising_one_is_a_reinforcement(project):
    from builder.pipeline import check

    mentions = MORE_NEW.replace("INTRODUCED", "MENTIONED").replace("DEVELOPED", "MENTIONED")
    root = project({"lessons/1.3/02-second.md": BASE["lessons/1.3/02-second.md"].replace("teaches:", mentions)})
    checked = check(root, use_cache=False)
    assert [d.code for d in checked.diagnostics] == []  # four first mentions in a BUILD lesson: no load
    second, third = checked.ledger.lessons[1:]
    assert second.new_concepts == () and second.first_mentions == ("epsilon", "zeta", "delta", "gamma")
    # the third lesson raises gamma and delta from MENTIONED: reinforcements, not new
    assert third.new_concepts == () and {("gamma", "MENTIONED", "DEVELOPED"), ("delta", "MENTIONED", "INTRODUCED")} == {
        (c.concept, c.old, c.new) for c in third.changes}


def test_new_concept_cap_comes_from_site_yaml(project):
    text = BASE["lessons/1.3/02-second.md"].replace("teaches:", MORE_NEW)
    site = BASE["site.yaml"] + "rules:\n  max_new_concepts: {BUILD: 3}\n"
    assert check_json(project({"lessons/1.3/02-second.md": text, "site.yaml": site}))[1] == []


def test_adjacent_stretch(project):
    text = BASE["lessons/1.3/02-second.md"].replace("type: BUILD", "type: STRETCH")
    _, findings = check_json(project({"lessons/1.3/02-second.md": text}))
    first, second = only(findings, "CB305")  # 01->02 and 02->03 are both STRETCH pairs now
    assert (first["file"], first["line"]) == ("lessons/1.3/02-second.md", line_of(text, "type: STRETCH"))
    assert second["file"] == "lessons/1.3/03-third.md"
    site = BASE["site.yaml"] + "rules:\n  adjacent_stretch: warning\n"
    _, findings = check_json(project({"lessons/1.3/02-second.md": text, "site.yaml": site}))
    assert only(findings, "CB305")[0]["severity"] == "warning"
    site = BASE["site.yaml"] + "rules:\n  adjacent_stretch: off\n"
    assert check_json(project({"lessons/1.3/02-second.md": text, "site.yaml": site}))[1] == []


def test_pedagogy_minimums(project):
    thin = "misconceptions:\n  - claim: one\n    where: wrong-1\nexamples:\n  - {name: p1, kind: positive}\nmodalities: [concrete]\n"
    text = lesson("Third", "STRETCH", "teaches:\n  - concept: delta\n    depth: MENTIONED", pedagogy=thin)
    _, findings = check_json(project({"lessons/1.3/03-third.md": text}))
    assert {"CB306", "CB307", "CB308"} <= set(codes(findings))
    [modalities] = only(findings, "CB308")
    assert modalities["line"] == line_of(text, "modalities:")
    assert len(only(findings, "CB307")) == 2  # one positive short, one negative short
    relaxed = BASE["site.yaml"] + "rules:\n  min_misconceptions: 1\n  min_examples: {positive: 1, negative: 0}\n  min_modalities: 1\n"
    assert check_json(project({"lessons/1.3/03-third.md": text, "site.yaml": relaxed}))[1] == []


def test_where_must_exist_in_body(project):
    text = BASE["lessons/1.3/01-first.md"].replace("where: wrong-2", "where: wrong-22")
    _, findings = check_json(project({"lessons/1.3/01-first.md": text}))
    [f] = only(findings, "CB309")
    assert f["line"] == line_of(text, "where: wrong-22") and "wrong-2" in f["hint"]


def test_where_may_name_a_heading_slug(project):
    text = BASE["lessons/1.3/01-first.md"].replace("where: wrong-2", "where: worked-example")
    text = text.replace("{misconception}`wrong-2`", "{misconception}`worked-example`")
    assert check_json(project({"lessons/1.3/01-first.md": text}))[1] == []


MODULE_WITH_MISCONCEPTIONS = """---
title: Test Module
goal: Learn the ideas.
misconceptions:
  - claim: Alpha is enough.
    where: second
  - claim: The order does not matter.
    where: why-the-order-matters
  - claim: Nothing to see.
    where: {where}
---
## Why the order matters

The arc of the module.
"""


def test_module_misconception_names_a_lesson_or_an_id_on_the_module_page(project):
    good = MODULE_WITH_MISCONCEPTIONS.format(where="first")
    assert check_json(project({"content/modules/1.3.md": good}))[1] == []
    bad = MODULE_WITH_MISCONCEPTIONS.format(where="why-the-order-matter")
    code, findings = check_json(project({"content/modules/1.3.md": bad}))
    [f] = only(findings, "CB309")
    assert (f["file"], f["line"]) == ("content/modules/1.3.md", line_of(bad, "where: why-the-order-matter\n"))
    assert "why-the-order-matters" in f["hint"] and code == 1


def test_severity_override_from_site_yaml(project):
    text = BASE["lessons/1.3/01-first.md"].replace("where: wrong-2", "where: wrong-22")
    text = text.replace("{misconception}`wrong-2`", "{misconception}`wrong-22`")
    site = BASE["site.yaml"] + "rules:\n  severity: {CB309: warning}\n"
    code, findings = check_json(project({"lessons/1.3/01-first.md": text, "site.yaml": site}))
    assert only(findings, "CB309")[0]["severity"] == "warning" and code == 0


def test_every_rule_in_one_run(project):
    """All planted errors come out of one run, each at its own line."""
    first = BASE["lessons/1.3/01-first.md"].replace("type: STRETCH", "type: BUILD").replace("teaches:", MORE_NEW)
    second = BASE["lessons/1.3/02-second.md"].replace("type: BUILD", "type: STRETCH").replace("where: wrong-3", "where: nope")
    third = BASE["lessons/1.3/03-third.md"].replace("source: second", "source: first")
    third = third.replace("teaches:", "teaches:\n  - concept: alpha\n    depth: MENTIONED")
    code, findings = check_json(project({"lessons/1.3/01-first.md": first, "lessons/1.3/02-second.md": second,
                                         "lessons/1.3/03-third.md": third}))
    assert {"CB301", "CB303", "CB304", "CB305", "CB309"} <= set(codes(findings))
    assert len({(f["file"], f["line"]) for f in findings}) >= 5
    assert code == 1


def test_ledger_is_pure_and_reports_depth_changes(project):
    from builder.check.ledger import check_ledger
    from builder.incremental import Memo
    from builder.load.config import load_config
    from builder.load.course import load_course

    config = load_config(project())
    course = load_course(config, Memo.for_project(config.root, enabled=False))
    snapshot = copy.deepcopy(course)
    ledger = check_ledger(course)
    assert course == snapshot  # the walk reads the course and changes nothing in it
    step = ledger.at("first")
    assert [(c.concept, c.old, c.new) for c in step.changes] == [("alpha", "INTRODUCED", "DEVELOPED"), ("beta", None, "INTRODUCED")]
    assert step.new_concepts == ("beta",)
    assert ledger.final["gamma"].depth == "DEVELOPED" and ledger.final["gamma"].source == "third"

"""Pedagogy as data, through real checks and builds: concepts named before they are taught (CB312), misconceptions
probed by checks and quizzes (CB313), deepest-taught concepts assessed (CB314), the {misconception} role and the
:probes:/:assesses: options, the probed choice's feedback, and `course plan` (tables, JSON, CSV, the dependency
list) agreeing with the module page."""

from __future__ import annotations

import csv
import io
import json
import re

from conftest import BASE, check_json, codes, line_of, run

FIRST = "lessons/1.3/01-first.md"
SECOND = "lessons/1.3/02-second.md"
THIRD = "lessons/1.3/03-third.md"


def only(findings, code):
    return [f for f in findings if f["code"] == code]


# CB312 -----------------------------------------------------------------------------------------------------------------

def test_a_concept_named_before_it_is_taught_is_found_at_its_first_mention(project):
    """Lesson 1 names "Delta idea", which only lesson 3 teaches: a warning at the exact line and column, naming it."""
    text = BASE[FIRST].replace("## Worked example\n", "## Worked example\n\nWe will meet the Delta ideas later.\n", 1)
    code, findings = check_json(project({FIRST: text}))
    [f] = only(findings, "CB312")
    assert code == 0 and f["severity"] == "warning" and f["file"] == FIRST
    assert (f["line"], f["column"]) == (line_of(text, "We will meet"), len("We will meet the ") + 1)
    assert "`delta`" in f["message"] and "Delta ideas" in f["message"] and "`third` (lesson 3" in f["hint"]


def test_what_is_not_a_mention_and_what_a_lesson_may_name(project):
    """Code, math, URLs and hyphenated words are not mentions; a concept in the lesson's own tables, or reached
    before it, may be named."""
    text = BASE[FIRST].replace("## Worked example\n", "## Worked example\n\n`Delta idea`, $\\text{Delta idea}$, "
                               "[link](https://example.org/Delta-idea), a Delta-ideas-free text, the Alpha idea and the "
                               "Beta idea.\n", 1)
    assert only(check_json(project({FIRST: text}))[1], "CB312") == []


def test_detect_false_turns_a_concept_off_and_no_teacher_says_so(project):
    text = BASE[FIRST].replace("## Worked example\n", "## Worked example\n\nThe Zeta idea.\n", 1)
    [f] = only(check_json(project({FIRST: text}))[1], "CB312")
    assert "No lesson teaches it" in f["hint"] and "detect: false" in f["hint"]
    registry = BASE["content/concepts.yaml"].replace("  name: Zeta idea\n", "  name: Zeta idea\n  detect: false\n")
    assert only(check_json(project({FIRST: text, "content/concepts.yaml": registry}))[1], "CB312") == []


def test_severity_of_the_new_rules_comes_from_site_yaml(project):
    text = BASE[FIRST].replace("## Worked example\n", "## Worked example\n\nThe Zeta idea.\n", 1)
    site = BASE["site.yaml"] + "rules:\n  severity: {CB312: error}\n"
    code, findings = check_json(project({FIRST: text, "site.yaml": site}))
    assert code == 1 and only(findings, "CB312")[0]["severity"] == "error"


# CB313 / CB314 and the role -----------------------------------------------------------------------------------------

def test_a_misconception_nothing_probes_is_a_warning_at_its_frontmatter_line(project):
    text = BASE[FIRST].replace(" {misconception}`wrong-2`", "")
    code, findings = check_json(project({FIRST: text}))
    [f] = only(findings, "CB313")
    assert code == 0 and f["line"] == line_of(text, "claim: two") and "{misconception}`wrong-2`" in f["hint"]
    probed_by_a_check = text.replace("## Worked example\n", "## Worked example\n\n::::{check} Why?\n:probes: wrong-2\n"
                                     ":::{answer}\nBecause.\n:::\n::::\n", 1)
    assert only(check_json(project({FIRST: probed_by_a_check}))[1], "CB313") == []


def test_a_deepest_concept_nothing_assesses_is_a_warning_at_its_teaches_line(project):
    text = BASE[FIRST].replace(":assesses: alpha\n", "")
    [f] = only(check_json(project({FIRST: text}))[1], "CB314")
    assert f["line"] == line_of(text, "- concept: alpha", 2) and "`alpha`" in f["message"]
    by_role = text.replace("::::{quiz} Which of these holds?", "::::{quiz} Which of these holds for {concept}`alpha`?")
    assert only(check_json(project({FIRST: by_role}))[1], "CB314") == []
    by_name = text.replace("::::{quiz} Which of these holds?\n", "::::{quiz} Which of these holds?\n:assesses: Alpha idea\n")
    assert only(check_json(project({FIRST: by_name}))[1], "CB314") == []


def test_a_role_in_a_choice_or_the_answer_does_not_assess(project):
    """Only the question assesses: a {concept} role in a choice or in the answer names the concept, no more."""
    text = BASE[FIRST].replace(":assesses: alpha\n", "").replace("- [x] None of them", "- [x] None of them ({concept}`alpha`)")
    text = text.replace("Each is a misconception.", "Each is a misconception of {concept}`alpha`.")
    assert [f["code"] for f in only(check_json(project({FIRST: text}))[1], "CB314")] == ["CB314"]


def test_a_choice_names_one_misconception(project):
    text = BASE[FIRST].replace("{misconception}`wrong-1`", "{misconception}`wrong-1` {misconception}`wrong-2`")
    code, findings = check_json(project({FIRST: text}))
    [f] = only(findings, "CB407")
    assert code == 1 and "wrong-1, wrong-2" in f["message"] and f["line"] == line_of(text, "{misconception}`wrong-1` {")


def test_unknown_ids_and_misplaced_roles_are_errors_at_their_place(project):
    text = BASE[FIRST].replace("{misconception}`wrong-3`", "{misconception}`wrong-33`")
    text = text.replace("- [x] None of them", "- [x] None of them {misconception}`wrong-1`")
    text = text.replace("## Worked example\n", "## Worked example\n\nProse {misconception}`wrong-1`.\n\n"
                        "::::{check} Why?\n:probes: nope\n:assesses: omega\n:::{answer}\nBecause.\n:::\n::::\n", 1)
    code, findings = check_json(project({FIRST: text}))
    got = sorted((f["code"], f["line"]) for f in findings if f["code"] in ("CB402", "CB407"))
    assert code == 1 and got == sorted([
        ("CB407", line_of(text, "Prose {misconception}")), ("CB402", line_of(text, ":probes: nope")),
        ("CB402", line_of(text, ":assesses: omega")), ("CB402", line_of(text, "`wrong-33`")),
        ("CB407", line_of(text, "None of them {misconception}"))])
    wrong33 = next(f for f in findings if "wrong-33" in f["message"])
    assert wrong33["column"] == line_text(text, "`wrong-33`").index("{misconception}") + 1
    assert "did you mean `wrong-3`" in wrong33["hint"].lower()


def line_text(text: str, needle: str) -> str:
    return text.split("\n")[line_of(text, needle) - 1]


def test_a_probed_choice_shows_the_misconception_and_links_to_its_callout(project):
    text = BASE[FIRST].replace("  - claim: one\n    where: wrong-1", "  - claim: One is enough.\n    counterexample: Two "
                               "are needed.\n    where: wrong-1")
    root = project({FIRST: text})
    code, out = run("build", str(root))
    assert code == 0, out
    html = (root / "_site" / "first" / "index.html").read_text()
    choice = re.search(r'<li class="quiz-choice is-wrong">(.*?)</li>', html, re.S).group(1)
    assert 'class="quiz-feedback quiz-probe"' in choice and "One is enough." in choice and "Two are needed." in choice
    assert '<a href="#wrong-1">' in choice and 'id="wrong-1"' in html
    plain = re.findall(r'<li class="quiz-choice is-correct">(.*?)</li>', html, re.S)[0]
    assert "quiz-probe" not in plain and "{misconception}" not in html


# course plan -----------------------------------------------------------------------------------------------------------

def test_plan_json_has_every_table_and_the_documented_keys(project):
    root = project({})
    code, out = run("plan", "1.3", "--format", "json", "--project", str(root))
    assert code == 0, out
    data = json.loads(out)
    assert data["version"] == 1 and [m["module"] for m in data["modules"]] == ["1.3"]
    plan = data["modules"][0]
    assert plan["pattern"] == "S-B-S" and plan["depths"] == ["MENTIONED", "INTRODUCED", "DEVELOPED"]
    assert [(le["slug"], le["new"], le["first_mentions"]) for le in plan["lessons"]] == [
        ("first", ["beta"], []), ("second", [], ["gamma"]), ("third", ["delta"], [])]
    rows = {(c["concept"], c["lesson"]): c["label"] for c in plan["concepts"]}
    assert rows[("alpha", "first")] == "Reinforced: INTRODUCED -> DEVELOPED" and rows[("beta", "first")] == "New (INTRODUCED)"
    assert rows[("gamma", "second")] == "Mentioned (not load)" and rows[("gamma", "third")] == "Reinforced: MENTIONED -> DEVELOPED"
    assert plan["coverage"][0] == {"lesson": "first", "position": 1, "checks": 0, "quizzes": 1,
                                   "misconceptions": ["wrong-1", "wrong-2", "wrong-3"],
                                   "probed": ["wrong-1", "wrong-2", "wrong-3"], "deepest": ["alpha"], "assessed": ["alpha"]}
    documented = (REPO_DOCS / "plan.md").read_text()
    for key in ("first_mentions", "old_depth", "probed", "assessed", "pattern", "cap"):
        assert f"`{key}`" in documented or f".{key}`" in documented, key


def test_plan_markdown_csv_and_the_dependency_list(project):
    root = project({})
    code, md = run("plan", "--project", str(root))
    assert code == 0
    assert "## Lesson Sequence" in md and "| 2 | second | Second | BUILD | 0 | 1 |" in md
    assert "| Gamma idea | 2 | Mentioned (not load) |" in md and "New:      1" in md and "▓░░" in md
    code, out = run("plan", "--format", "csv", "--table", "sequence", "--project", str(root))
    table = list(csv.DictReader(io.StringIO(out)))
    assert [(r["slug"], r["new_concepts"], r["cap"]) for r in table] == [("first", "1", "3"), ("second", "0", "2"), ("third", "1", "3")]
    code, out = run("plan", "--format", "csv", "--graph", "--project", str(root))
    graph = list(csv.reader(io.StringIO(out)))
    assert graph[0] == ["concept", "depends_on", "lesson", "module"]
    assert ["delta", "beta", "third", "1.3"] in graph and ["gamma", "beta", "third", "1.3"] in graph
    assert not any(row[0] == row[1] for row in graph[1:])
    assert run("plan", "9.9", "--project", str(root))[0] == 2


def test_the_module_page_shows_the_plan(project):
    root = project({FIRST: BASE[FIRST].replace(" {misconception}`wrong-2`", "")})
    assert run("build", str(root))[0] == 0
    page = (root / "_site" / "modules" / "1.3" / "index.html").read_text()
    coverage = page.split('id="assessment-coverage"', 1)[1].split("</table>", 1)[0]
    first_row = coverage.split("<tr>")[2]
    assert "1. First" in first_row and "2 of 3" in first_row and "is-partial" in first_row and "1 of 1" in first_row
    assert "Mentioned (not load)" in page and "concepts/index.html#gamma" in page
    bars = re.findall(r'<span class="load-value">(\d+)</span>', page)
    assert bars == ["1", "0", "1"]


def test_codes_are_documented():
    readme = (REPO_DOCS.parent / "README.md").read_text()
    for code in ("CB312", "CB313", "CB314"):
        assert f"`{code}`" in readme and code in (REPO_DOCS / "lesson-format.md").read_text()


from conftest import REPO  # noqa: E402

REPO_DOCS = REPO / "docs"

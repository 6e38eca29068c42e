"""Frontmatter and project validation: each problem a finding at its exact line and column; the run goes on."""

from __future__ import annotations

from conftest import BASE, check_json, codes, line_of


def first(findings, code):
    found = [f for f in findings if f["code"] == code]
    assert found, f"expected {code} in {codes(findings)}"
    return found[0]


def test_unknown_key_with_suggestion(project):
    text = BASE["lessons/1.3/01-first.md"].replace("summary:", "sumary:")
    f = first(check_json(project({"lessons/1.3/01-first.md": text}))[1], "CB204")
    assert (f["line"], f["column"]) == (line_of(text, "sumary:"), 1)
    assert "`summary`" in f["hint"]


def test_wrong_type(project):
    text = BASE["lessons/1.3/01-first.md"].replace("modalities: [concrete, visual, symbolic]", "modalities: concrete")
    f = first(check_json(project({"lessons/1.3/01-first.md": text}))[1], "CB205")
    assert f["line"] == line_of(text, "modalities: concrete") and f["column"] == len("modalities: ") + 1


def test_missing_required_key(project):
    text = BASE["lessons/1.3/01-first.md"].replace("type: STRETCH\n", "")
    f = first(check_json(project({"lessons/1.3/01-first.md": text}))[1], "CB206")
    assert "`type`" in f["message"] and f["line"] == 2


def test_unknown_depth_type_kind_size_modality(project):
    text = (BASE["lessons/1.3/01-first.md"].replace("type: STRETCH", "type: STRECH")
            .replace("kind: negative", "kind: negativ").replace("[concrete, visual, symbolic]", "[concrete, visual, smell]"))
    findings = check_json(project({"lessons/1.3/01-first.md": text}))[1]
    bad = [f for f in findings if f["code"] == "CB207"]
    assert [f["line"] for f in bad] == [line_of(text, "STRECH"), line_of(text, "negativ"), line_of(text, "smell")]
    assert "STRETCH" in bad[0]["hint"]


def test_unknown_concept_did_you_mean_and_aliases(project):
    text = BASE["lessons/1.3/02-second.md"].replace("concept: beta\n    depth: INTRODUCED", "concept: betta\n    depth: INTRODUCED")
    f = first(check_json(project({"lessons/1.3/02-second.md": text}))[1], "CB208")
    assert "`beta`" in f["hint"] and f["line"] == line_of(text, "betta")
    by_alias = BASE["lessons/1.3/01-first.md"].replace("  - concept: alpha\n    depth: INTRODUCED", "  - concept: The Alpha\n    depth: INTRODUCED")
    by_name = by_alias.replace("concept: alpha\n    depth: DEVELOPED", "concept: Alpha idea\n    depth: DEVELOPED")
    assert check_json(project({"lessons/1.3/01-first.md": by_name}))[1] == []


def test_slug_and_position_must_agree_with_file_name(project):
    text = BASE["lessons/1.3/01-first.md"].replace("title: First", "title: First\nslug: premier\nposition: 4")
    findings = [f for f in check_json(project({"lessons/1.3/01-first.md": text}))[1] if f["code"] == "CB210"]
    assert [f["line"] for f in findings] == [line_of(text, "slug:"), line_of(text, "position:")]
    ok = BASE["lessons/1.3/01-first.md"].replace("title: First", "title: First\nslug: first\nposition: 1")
    assert check_json(project({"lessons/1.3/01-first.md": ok}))[1] == []


def test_duplicate_slug_and_position(project):
    root = project({"lessons/1.3/04-first.md": BASE["lessons/1.3/01-first.md"], "lessons/1.3/03-other.md": BASE["lessons/1.3/03-third.md"]})
    found = codes(check_json(root)[1])
    assert "CB211" in found and "CB212" in found


def test_bad_file_name_and_lesson_outside_modules(project):
    root = project({"lessons/1.3/intro.md": BASE["lessons/1.3/01-first.md"], "lessons/9.9/01-x.md": BASE["lessons/1.3/01-first.md"]})
    findings = check_json(root)[1]
    assert first(findings, "CB209")["file"] == "lessons/1.3/intro.md"
    assert first(findings, "CB103")["file"] == "lessons/9.9/01-x.md"


def test_module_listed_without_file(project):
    root = project({"site.yaml": 'title: T\nmodules: ["1.3", "2.0"]\n'})
    f = first(check_json(root)[1], "CB102")
    assert "2.0" in f["message"] and f["file"] == "site.yaml"


def test_malformed_yaml_reports_its_line_and_other_files_go_on(project):
    text = BASE["lessons/1.3/01-first.md"].replace("summary: About First.", "summary: [unclosed")
    other = BASE["lessons/1.3/03-third.md"].replace("source: second", "source: first").replace("$a+b$", "$\\frac{a$")
    code, findings = check_json(project({"lessons/1.3/01-first.md": text, "lessons/1.3/03-third.md": other}))
    f = first(findings, "CB202")
    assert f["file"] == "lessons/1.3/01-first.md" and line_of(text, "summary") <= f["line"] <= line_of(text, "summary") + 2
    assert "CB410" in codes(findings)  # the run went on to check the third lesson
    # ... but not its ledger: what the unreadable first lesson teaches is unknown, so `source: first` is no finding
    assert "CB301" not in codes(findings) and "CB300" not in codes(findings)
    assert code == 1


def test_frontmatter_not_a_mapping_unclosed_and_missing(project):
    findings = check_json(project({
        "lessons/1.3/01-first.md": "---\n- a\n- b\n---\nbody\n",
        "lessons/1.3/02-second.md": "---\ntitle: x\n# no closing line\n",
        "lessons/1.3/03-third.md": "# Just a body\n",
    }))[1]
    by_file = {f["file"]: f["code"] for f in findings if f["code"] in ("CB201", "CB203")}
    assert by_file == {"lessons/1.3/01-first.md": "CB203", "lessons/1.3/02-second.md": "CB201", "lessons/1.3/03-third.md": "CB201"}


def test_crlf_and_bom_keep_line_numbers(project):
    text = BASE["lessons/1.3/01-first.md"].replace("sumary", "summary").replace("summary:", "sumary:")
    raw = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    f = first(check_json(project({"lessons/1.3/01-first.md": raw}))[1], "CB204")
    assert f["line"] == line_of(text, "sumary:")


def test_tabs_binary_and_non_utf8(project):
    tabbed = BASE["lessons/1.3/01-first.md"].replace("  - concept: alpha\n    depth: INTRODUCED", "  - concept: alpha\n\tdepth: INTRODUCED")
    findings = check_json(project({
        "lessons/1.3/01-first.md": tabbed,
        "lessons/1.3/02-second.md": b"\x00\x01\x02binary",
        "lessons/1.3/03-third.md": BASE["lessons/1.3/03-third.md"].encode("utf-8").replace(b"Third", b"Th\xffird", 1),
    }))[1]
    tab = first(findings, "CB202")
    assert tab["line"] == line_of(tabbed, "\tdepth") and "tab" in tab["hint"].lower()
    assert {f["file"] for f in findings if f["code"] == "CB200"} == {"lessons/1.3/02-second.md", "lessons/1.3/03-third.md"}


def test_site_yaml_missing_empty_invalid(project, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "site.yaml").write_text("")
    assert codes(check_json(empty)[1]) == ["CB100"]
    bad = project({"site.yaml": "title: [x\n"})
    assert codes(check_json(bad)[1]) == ["CB100"]
    unknown = project({"site.yaml": BASE["site.yaml"] + "colour: red\n"})
    f = first(check_json(unknown)[1], "CB101")
    assert f["line"] == 4


def test_concept_registry_conflicts(project):
    concepts = BASE["content/concepts.yaml"] + "eta:\n  name: Eta\n  aliases: [the alpha]\n  definition: x\n"
    f = first(check_json(project({"content/concepts.yaml": concepts}))[1], "CB105")
    assert "the alpha" in f["message"]


def test_an_empty_value_at_the_end_of_a_file_without_a_newline_is_reported_inside_the_file(project):
    """PyYAML places an empty value at the end of the stream, a line past the text when it lacks a final newline."""
    _, found = check_json(project({"content/concepts.yaml": "? key"}))
    [registry] = [f for f in found if f["file"] == "content/concepts.yaml"]
    assert (registry["code"], registry["line"], registry["column"]) == ("CB205", 1, 6)
    _, found = check_json(project({"content/concepts.yaml": BASE["content/concepts.yaml"] + "omega:"}))
    [registry] = [f for f in found if f["file"] == "content/concepts.yaml"]
    lines = (BASE["content/concepts.yaml"] + "omega:").split("\n")
    assert (registry["code"], registry["line"], registry["column"]) == ("CB205", len(lines), len("omega:") + 1)

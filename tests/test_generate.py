"""bench/generate.py, the synthetic course of the benchmark and of test_atomic: deterministic, clean under
`course check --strict`, buildable, lessons of a realistic size and mix, and a Hugo twin with the same content.

Small courses only (the N=100 and N=1000 runs and the Hugo build are done by hand, see bench/run.py).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO, check_json

GENERATOR = REPO / "bench" / "generate.py"
CALLOUT_KINDS = {"note", "tip", "warning", "insight", "misconception", "analogy", "try-this", "constraint",
                 "objective", "summary", "next-step", "aside", "check", "quiz", "answer"}


def load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


gen = load_generator()


def generate(out: Path, n: int, *extra: str) -> Path:
    assert gen.main(["-n", str(n), "--out", str(out), *extra]) == 0
    return out


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def split(path: Path) -> tuple[dict, str]:
    """(frontmatter, body) of a lesson file."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(front), body


def lessons(root: Path) -> list[Path]:
    return sorted((root / "lessons").rglob("*.md"))


@pytest.fixture(scope="module")
def course9(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("gen") / "c9", 9)


@pytest.fixture(scope="module")
def course17(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("gen") / "c17", 17)


# ------------------------------------------------------------------------------------------------ determinism

def test_the_same_arguments_write_byte_identical_files(course9, tmp_path):
    again = generate(tmp_path / "again", 9)
    assert tree(again) == tree(course9)


def test_the_files_do_not_depend_on_the_hash_seed_or_the_locale(tmp_path):
    trees = []
    for k, env in enumerate(({"PYTHONHASHSEED": "1"}, {"PYTHONHASHSEED": "2", "LC_ALL": "C"})):
        out = tmp_path / f"run{k}"
        subprocess.run([sys.executable, str(GENERATOR), "--lessons", "3", "--out", str(out)],
                       env={**os.environ, **env}, check=True, capture_output=True)
        trees.append(tree(out))
    assert trees[0] == trees[1]


def test_another_seed_gives_other_prose_in_the_same_shape(course9, tmp_path):
    other = generate(tmp_path / "seed2", 9, "--seed", "2")
    ours, theirs = lessons(course9), lessons(other)
    assert len(ours) == len(theirs) == 9
    for a, b in zip(ours, theirs):
        assert split(a)[1] != split(b)[1]


def test_a_lesson_does_not_change_when_the_course_grows(course9, course17):
    """Lesson i depends on the seed and i only (the first lessons' links already point backwards)."""
    for a, b in zip(lessons(course9)[3:8], lessons(course17)[3:8]):
        assert a.read_bytes() == b.read_bytes()


# ------------------------------------------------------------------------------------------------ the course

@pytest.mark.parametrize("size", ["course9", "course17"])  # 17 crosses two module boundaries
def test_course_check_strict_finds_nothing(size, request):
    root = request.getfixturevalue(size)
    code, findings = check_json(root, "--strict", "--no-cache")
    assert findings == []
    assert code == 0


def test_the_ledger_rules_are_exercised_not_avoided(course17):
    from builder import pipeline

    checked = pipeline.check(course17, use_cache=False)
    course, ledger = checked.course, checked.ledger
    assert [m.id for m in course.modules] == ["1.1", "1.2", "1.3"]
    types = {lesson.slug: lesson.type for lesson in course.lessons}
    assert any(len(step.new_concepts) == 3 and types[step.slug] == "STRETCH" for step in ledger.lessons)  # at the limit
    assert any(change.old is not None for step in ledger.lessons for change in step.changes)  # raised depths
    prior_sources = {record.source for record in course.prior}
    lesson_slugs = {lesson.slug for lesson in course.lessons}
    sources = {p.source for lesson in course.lessons for p in lesson.prerequisites}
    assert sources & prior_sources and sources & lesson_slugs
    assert any(lesson.type == "STRETCH" for lesson in course.lessons[:8])


def test_the_course_builds(tmp_path):
    from builder import pipeline

    root = generate(tmp_path / "c3", 3)
    pipeline.build(root, out=tmp_path / "site", use_cache=False)
    site = tmp_path / "site"
    assert (site / "index.html").is_file()
    first = lessons(root)[0].stem.split("-", 1)[1]
    page = (site / first / "index.html").read_text(encoding="utf-8")
    assert 'class="katex' in page and "misconception" in page


def test_module_ids_and_positions(course17):
    site = yaml.safe_load((course17 / "site.yaml").read_text(encoding="utf-8"))
    assert site["modules"] == ["1.1", "1.2", "1.3"]
    names = [p.relative_to(course17 / "lessons").as_posix() for p in lessons(course17)]
    assert [n.split("/")[0] for n in names] == ["1.1"] * 8 + ["1.2"] * 8 + ["1.3"]
    assert [n.split("/")[1][:2] for n in names[:8]] == [f"{k:02d}" for k in range(1, 9)]
    slugs = [n.split("/")[1][3:-3] for n in names]
    assert len(set(slugs)) == len(slugs)
    assert [gen.module_id(k) for k in (0, 8, 9, 17)] == ["1.1", "1.9", "2.1", "2.9"]


# ------------------------------------------------------------------------------------------------ size and mix

def headings(body: str) -> list[str]:
    return re.findall(r"^## (.+)$", body, flags=re.M)


def test_a_lesson_has_a_realistic_size_and_mix(course17):
    by_path = {p.relative_to(course17 / "lessons").as_posix(): p for p in lessons(course17)}
    for path in lessons(course17):
        front, body = split(path)
        words = len(body.split())
        assert 2000 <= words <= 3000, (path.name, words)
        assert not re.search(r"^# ", re.sub(r"```.*?```", "", body, flags=re.S), flags=re.M)  # the title is the frontmatter's
        assert len(headings(body)) == 10
        displays = re.findall(r"^\$\$\n(.+?)\n\$\$$", body, flags=re.M | re.S)
        assert len(displays) == 6
        without = re.sub(r"^\$\$\n.+?\n\$\$$", "", re.sub(r"```.*?```", "", body, flags=re.S), flags=re.M | re.S)
        assert 12 <= len(re.findall(r"\$[^$\n]+\$", without)) <= 20
        assert len(re.findall(r"^\|( --- \|)+$", body, flags=re.M)) == 2  # two tables (their header rules)
        assert body.count("```python") == 1
        kinds = re.findall(r"^:{3,}\{([a-z-]+)\}", body, flags=re.M)
        assert set(kinds) <= CALLOUT_KINDS
        assert kinds.count("check") == kinds.count("quiz") == 1 and kinds.count("answer") == 2
        assert len(kinds) - kinds.count("misconception") - 4 == 5  # five other callouts
        assert re.search(r"^- \[x\] ", body, flags=re.M) and re.search(r"^- \[ \] ", body, flags=re.M)
        names = re.findall(r"^:name: (.+)$", body, flags=re.M)
        assert sorted(names) == sorted(m["where"] for m in front["misconceptions"]) and 3 <= len(names) <= 4
        assert len(re.findall(r"\{concept\}`", body)) == 3 and len(re.findall(r"\{lesson\}`", body)) == 1
        links = re.findall(r"\]\(\.\./([^)#]+)(?:#([^)]+))?\)", body)
        assert len(links) == 3 and sum(1 for _, anchor in links if anchor) == 1
        for target, anchor in links:
            assert target in by_path
            if anchor:
                assert anchor in {gen.anchor_of(h) for h in headings(split(by_path[target])[1])}


def test_formulas_repeat_across_lessons_but_are_not_all_the_same(course17):
    counts: dict[str, int] = {}
    for path in lessons(course17):
        for tex in re.findall(r"\$([^$\n]+)\$", split(path)[1]):
            counts[tex] = counts.get(tex, 0) + 1
    assert len(counts) > 100
    assert sum(1 for c in counts.values() if c > 1) > 20


# ------------------------------------------------------------------------------------------------ hugo twin

def test_the_hugo_flavor_has_the_same_content_in_hugo_shapes(course9, tmp_path):
    hugo = generate(tmp_path / "hugo", 9, "--flavor", "hugo")
    files = sorted(p.relative_to(hugo).as_posix() for p in hugo.rglob("*.md"))
    assert files[0] == "1.1/01-" + lessons(course9)[0].name[3:] and "_index.md" in files
    assert "1.1/_index.md" in files and "1.2/_index.md" in files and len(files) == 9 + 3
    for path in lessons(course9):
        twin = hugo / path.parent.name / path.name
        front, body = split(twin)
        ours, our_body = split(path)
        assert (front["slug"], front["module"], front["position"]) == (path.stem[3:], path.parent.name, int(path.name[:2]))
        assert {k: v for k, v in front.items() if k not in ("slug", "module", "position")} == \
            {k: v for k, v in ours.items() if k not in ("slug", "position")}
        assert re.findall(r"\$\$?[^$]+\$\$?", body) == re.findall(r"\$\$?[^$]+\$\$?", our_body)

        def plain(text: str) -> list[str]:
            return [line for line in text.split("\n") if line[:1].isupper() and not re.search(r"[{*]|\]\(", line)]

        assert plain(body) == plain(our_body) and len(plain(body)) > 15
        assert body.count("{{% callout ") == body.count("{{% /callout %}}") >= 8
        assert body.count("{{% collapsible ") == body.count("{{% /collapsible %}}") == 2
        for target in re.findall(r'relref "/([^"#]+)', body):
            assert (hugo / target).is_file()
        assert ":::" not in body and "{concept}" not in body and "{lesson}" not in body


# ------------------------------------------------------------------------------------------------ the command line

def test_an_existing_folder_needs_force(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "stale.md").write_text("old", encoding="utf-8")
    with pytest.raises(SystemExit) as refused:
        gen.main(["--lessons", "2", "--out", str(out)])
    assert refused.value.code == 2 and "--force" in capsys.readouterr().err
    assert (out / "stale.md").is_file()
    generate(out, 2, "--force")
    assert not (out / "stale.md").exists() and (out / "site.yaml").is_file()

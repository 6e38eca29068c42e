"""An author's first day, run as they would: `course new project` / `course init`, commands that find their project,
`course check PATH...`, drafts, the lesson skeleton, progress lines, and the hints a new author needs."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

ENV = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}


def course(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`course ARGS` as a new user runs it: a process, in `cwd`."""
    return subprocess.run([sys.executable, "-m", "builder.cli", *args], cwd=cwd, env=ENV, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """`course new project demo` in an empty folder, built once with no editing."""
    where = tmp_path_factory.mktemp("first-day")
    made = course("new", "project", "demo", cwd=where)
    assert made.returncode == 0, made.stderr
    assert "cd demo" in made.stdout and "course serve" in made.stdout  # the next commands
    return where / "demo"


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


# 1. A project from nothing ------------------------------------------------------------------------------------------

def test_new_project_builds_and_passes_strict_check_without_editing(demo):
    built = course("build", cwd=demo)
    assert built.returncode == 0, built.stdout + built.stderr
    site = demo / "_site"
    lessons = sorted(p.parent.name for p in site.glob("*/index.html") if p.parent.name not in ("concepts", "search"))
    assert lessons == ["exponential-decay", "percent-change"]
    second = (site / "exponential-decay" / "index.html").read_text(encoding="utf-8")
    assert h1_count(second) == 1 and "data-figure=" in second and 'class="katex"' in second
    assert 'class="callout misconception' in second or "misconception" in second
    strict = course("check", "--strict", cwd=demo)
    assert strict.returncode == 0, strict.stdout + strict.stderr
    github = course("check", "--strict", "--format", "github", cwd=demo)
    assert github.returncode == 0 and github.stdout == ""
    files = {p.relative_to(demo).as_posix() for p in demo.rglob("*") if p.is_file()
             and not p.relative_to(demo).as_posix().startswith(("_site/", ".course-cache/"))}
    assert {"site.yaml", "content/concepts.yaml", "content/prior.yaml", ".gitignore", "README.md",
            ".github/workflows/course.yml"} <= files
    assert any(f.startswith("content/figures/") and f.endswith(".py") for f in files)
    assert set((demo / ".gitignore").read_text().split()) >= {"_site/", ".course-cache/"}
    workflow = (demo / ".github" / "workflows" / "course.yml").read_text()
    assert "course check --strict --format github" in workflow and "deploy-pages" in workflow


def test_the_scaffold_lessons_use_the_format(demo):
    """Lesson 2 needs what lesson 1 established, ties a misconception callout to its frontmatter, has a check with a
    reveal, a quiz, math and the computed figure."""
    from builder.pipeline import check

    lessons = check(demo, use_cache=False).course.lessons
    first, second = lessons
    taught = {item.concept for item in first.teaches}
    assert any(p.concept in taught and p.source == first.slug for p in second.prerequisites)
    text = (demo / second.path).read_text(encoding="utf-8")
    for marker in (":::{misconception}", ":::{check}", ":::{quiz}", ":::{figure}", "$"):
        assert marker in text, marker
    names = set(re.findall(r":name: (\S+)", text))
    assert any(m.where in names for m in second.misconceptions)


def test_new_project_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = course("new", "project", ".", cwd=tmp_path)
    assert result.returncode == 2 and "not empty" in result.stderr and "course init" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_works_beside_a_readme_and_git_and_never_overwrites(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "README.md").write_text("# My repo\n")
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / ".gitignore").write_text("*.pyc\n_site/\n")
    result = course("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "README.md").read_text() == "# My repo\n"  # the repository's README is kept
    assert (tmp_path / ".gitignore").read_text().splitlines()[:2] == ["*.pyc", "_site/"]  # kept, and completed
    assert (tmp_path / ".gitignore").read_text().count("_site/") == 1 and ".course-cache/" in (tmp_path / ".gitignore").read_text()
    assert (tmp_path / "site.yaml").is_file() and (tmp_path / "lessons").is_dir()
    assert course("check", "--strict", cwd=tmp_path).returncode == 0

    other = tmp_path / "other"
    other.mkdir()
    (other / "site.yaml").write_text("title: Mine\n")
    (other / ".gitignore").write_text("*.pyc\n")
    refused = course("init", cwd=other)
    assert refused.returncode == 2
    assert "site.yaml" in refused.stderr and "never overwrites" in refused.stderr
    assert sorted(p.name for p in other.iterdir()) == [".gitignore", "site.yaml"]  # nothing written, nothing added
    assert (other / ".gitignore").read_text() == "*.pyc\n"
    assert (other / "site.yaml").read_text() == "title: Mine\n"


def test_an_installed_template_byte_compiled_by_pip_still_scaffolds(tmp_path, monkeypatch):
    """pip byte-compiles every .py of a package it installs, the template's figure module included: the
    __pycache__ beside it is not part of the course (CI once failed on exactly this in a non-editable install)."""
    import shutil
    from builder import scaffold
    template = tmp_path / "template"
    shutil.copytree(scaffold.TEMPLATE, template)
    cache = template / "content" / "figures" / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "figures.cpython-311.pyc").write_bytes(b"\xa7\r\r\n" + bytes(12))
    monkeypatch.setattr(scaffold, "TEMPLATE", template)
    written = scaffold.new_project(tmp_path / "course")
    assert written and not any("__pycache__" in rel or rel.endswith(".pyc") for rel in written)
    assert not list((tmp_path / "course").rglob("__pycache__"))


# 2. Commands find the project ---------------------------------------------------------------------------------------

def test_commands_find_the_project_from_a_subfolder(demo):
    inside = demo / "lessons" / "1"
    result = course("check", cwd=inside)
    assert result.returncode == 0 and result.stdout == "No problems found.\n"
    figures = course("figures", cwd=inside)
    assert figures.returncode == 0 and "decay" in figures.stdout


@pytest.mark.parametrize("args", [["check"], ["build"], ["serve", "--port", "0"], ["figures"],
                                  ["new", "lesson", "A lesson"]])
def test_outside_a_project_one_line_and_exit_2(tmp_path, args):
    result = course(*args, cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no course project here" in lines[0] and "course new project" in lines[0]
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_a_project_named_positionally_or_with_the_project_alias(demo, tmp_path):
    assert course("check", str(demo), cwd=tmp_path).returncode == 0
    assert course("figures", str(demo), cwd=tmp_path).returncode == 0
    made = course("new", "lesson", "Named from outside", "--project", str(demo), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    path = next((demo / "lessons").rglob("*-named-from-outside.md"))
    path.unlink()


# 3. course check PATH... ----------------------------------------------------------------------------------------------

def test_check_paths_limit_the_report_and_count_the_rest(demo, tmp_path):
    import shutil

    project = tmp_path / "p"
    shutil.copytree(demo, project, ignore=shutil.ignore_patterns("_site", ".course-cache"))
    first, second = sorted((project / "lessons" / "1").glob("*.md"))
    # an error in the first lesson (an unknown role) and one in the second (an unbalanced formula)
    first.write_text(first.read_text().replace("\n## ", "\n{nosuchrole}`x`\n\n## ", 1))
    second.write_text(second.read_text().replace("\n## ", "\n$\\frac{1}{$\n\n## ", 1))
    whole = json.loads(course("check", "--format", "json", cwd=project).stdout)
    files = {d["file"] for d in whole}
    assert files == {first.relative_to(project).as_posix(), second.relative_to(project).as_posix()}

    only = course("check", "--format", "json", str(second), cwd=project)
    shown = json.loads(only.stdout)
    assert shown and {d["file"] for d in shown} == {second.relative_to(project).as_posix()}
    others = len(whole) - len(shown)
    assert f"{others} more finding" in only.stderr and "course check" in only.stderr
    assert only.returncode == 1

    folder = course("check", "--format", "json", "lessons", cwd=project)
    assert len(json.loads(folder.stdout)) == len(whole) and "more finding" not in folder.stderr


def test_the_pre_commit_hook_passes_the_changed_files():
    hook = (REPO / ".pre-commit-hooks.yaml").read_text()
    assert re.search(r"pass_filenames:\s*true", hook) and "course check" in hook


# 4. Drafts and the skeleton -------------------------------------------------------------------------------------------

@pytest.fixture
def with_draft(demo, tmp_path) -> tuple[Path, Path]:
    import shutil

    project = tmp_path / "p"
    shutil.copytree(demo, project, ignore=shutil.ignore_patterns("_site", ".course-cache"))
    made = course("new", "lesson", "Compound interest", cwd=project / "lessons")
    assert made.returncode == 0, made.stderr
    assert "draft" in made.stdout
    return project, next((project / "lessons").rglob("*-compound-interest.md"))


def test_a_new_lesson_is_a_draft_left_out_of_the_build(with_draft):
    project, path = with_draft
    text = path.read_text()
    assert "draft: true" in text and not re.search(r"^# ", text, re.M)  # no `#` title in the body
    checked = course("check", cwd=project)
    assert checked.returncode == 0, checked.stdout  # pedagogy minimums are warnings in a draft
    assert "warning" in checked.stdout and "CB213" in checked.stdout

    built = course("build", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    assert not (project / "_site" / "compound-interest").exists()
    assert "compound-interest" not in (project / "_site" / "index.html").read_text()

    with_drafts = course("build", "--drafts", cwd=project)
    assert with_drafts.returncode == 0, with_drafts.stdout + with_drafts.stderr
    page = (project / "_site" / "compound-interest" / "index.html").read_text()
    assert h1_count(page) == 1 and "Compound interest" in page and "draft-banner" in page
    contents = page.split('id="toc-title"', 1)[1].split("</nav>", 1)[0]
    assert "Compound interest" not in contents


def test_the_untouched_skeleton_published_fails_with_the_placeholder_finding(with_draft):
    project, path = with_draft
    path.write_text(re.sub(r"(?m)^draft: true.*\n", "", path.read_text()))
    checked = course("check", "--format", "json", cwd=project)
    assert checked.returncode == 1
    codes = {(d["code"], d["severity"]) for d in json.loads(checked.stdout) if d["file"].endswith(path.name)}
    assert ("CB213", "error") in codes
    assert course("build", cwd=project).returncode == 1


def test_a_published_lesson_needing_what_only_a_draft_teaches(demo, tmp_path):
    import shutil

    project = tmp_path / "p"
    shutil.copytree(demo, project, ignore=shutil.ignore_patterns("_site", ".course-cache"))
    first = sorted((project / "lessons" / "1").glob("*.md"))[0]
    first.write_text(first.read_text().replace("---\n", "---\ndraft: true\n", 1))
    checked = course("check", cwd=project)
    assert checked.returncode == 1
    assert "draft" in checked.stdout and first.name in checked.stdout or first.stem[3:] in checked.stdout
    built = course("build", cwd=project)
    assert built.returncode == 1 and "draft" in (built.stdout + built.stderr)
    assert not (project / "_site").exists()
    assert course("build", "--drafts", cwd=project).returncode == 0


# 6. Progress ----------------------------------------------------------------------------------------------------------

def test_stage_lines_once_the_run_is_slow_and_findings_alone_on_stdout(demo, tmp_path):
    from builder.pipeline import build
    from builder.progress import Reporter

    stream = io.StringIO()
    build(demo, out=tmp_path / "site", force=True, reporter=Reporter(stream=stream, patience=0))
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 5
    assert all(re.fullmatch(r"  [\w ]+(: .+)? \(\d+\.\d s\)", line) for line in lines), lines
    titles = [line.split(":")[0].split(" (")[0].strip() for line in lines]
    assert {"loading", "typesetting math", "computing figures", "rendering pages", "writing"} <= set(titles)

    quiet = io.StringIO()
    build(demo, out=tmp_path / "site2", force=True, reporter=Reporter(stream=quiet, patience=3600))
    assert quiet.getvalue() == ""  # a quick build says nothing but its summary

    as_json = course("check", "--format", "json", cwd=demo)
    assert json.loads(as_json.stdout) == []


def test_the_summary_speaks_plainly(demo, tmp_path):
    cold = course("build", "--no-cache", "--out", str(tmp_path / "site"), cwd=demo)
    assert cold.returncode == 0
    assert re.search(r"\d+ formulas? typeset", cold.stdout) and "from the cache" in cold.stdout
    assert re.search(r"\d+ figures? computed, 0 from the cache", cold.stdout), cold.stdout


# 7. What else a new user hit ------------------------------------------------------------------------------------------

def test_editor_scratch_files_are_not_changes():
    from builder.serve.watch import is_scratch

    for name in ("sedAb12Cd", ".01-intro.md.swp", "4913", "#01-intro.md#", "01-intro.md~", ".#01-intro.md"):
        assert is_scratch(name), name
    for name in ("01-intro.md", "site.yaml", "concepts.yaml", "sed.md", "decay.py"):
        assert not is_scratch(name), name


def test_plurals_on_the_home_page(demo):
    home = (demo / "_site" / "index.html").read_text() if (demo / "_site").exists() else ""
    if not home:
        assert course("build", cwd=demo).returncode == 0
        home = (demo / "_site" / "index.html").read_text()
    assert "2 lessons" in home
    assert not re.search(r"\b1 lessons\b|\b1 concepts\b|\b1 figures\b", home)
    from builder.theming.environment import plural

    assert plural(1, "lesson") == "1 lesson" and plural(2, "lesson") == "2 lessons" and plural(0, "quiz", "quizzes") == "0 quizzes"


def copy_of(demo: Path, tmp_path: Path) -> Path:
    import shutil

    project = tmp_path / "p"
    shutil.copytree(demo, project, ignore=shutil.ignore_patterns("_site", ".course-cache"))
    return project


def findings(project: Path, *args: str) -> list[dict]:
    result = course("check", "--format", "json", *args, cwd=project)
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def test_over_indented_yaml_gets_an_indentation_hint(demo, tmp_path):
    project = copy_of(demo, tmp_path)
    first = sorted((project / "lessons" / "1").glob("*.md"))[0]
    lines = first.read_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    lines[at] = "  " + lines[at]
    first.write_text("\n".join(lines))
    found = findings(project)
    assert len(found) == 1 and found[0]["line"] == at + 1
    assert "indented more than" in found[0]["hint"] and "quotes" not in found[0]["hint"]


def test_an_unclosed_callout_is_reported_at_its_own_fence(demo, tmp_path):
    project = copy_of(demo, tmp_path)
    second = sorted((project / "lessons" / "1").glob("*.md"))[1]
    text = second.read_text()
    opened = text.index(":::{misconception}")
    closing = text.index("\n:::\n", opened)
    second.write_text(text[:closing] + text[closing + 4:])  # its closing fence removed
    fence_line = text[:opened].count("\n") + 1
    unclosed = [d for d in findings(project) if "clos" in d["message"].lower()]
    assert unclosed and unclosed[0]["line"] == fence_line, unclosed


def test_an_undefined_macro_gets_a_did_you_mean(demo, tmp_path):
    project = copy_of(demo, tmp_path)
    first = sorted((project / "lessons" / "1").glob("*.md"))[0]
    first.write_text(first.read_text().replace("\n## ", "\n$\\lamda x$\n\n## ", 1))
    found = [d for d in findings(project) if "lamda" in d["message"]]
    assert found and "\\lambda" in found[0]["hint"]


def test_an_unknown_concept_with_no_close_match_says_where_to_add_it(demo, tmp_path):
    project = copy_of(demo, tmp_path)
    first = sorted((project / "lessons" / "1").glob("*.md"))[0]
    first.write_text(first.read_text().replace("\n## ", "\n{concept}`quaternion-flux`\n\n## ", 1))
    result = course("check", "--format", "json", cwd=project)
    found = [d for d in json.loads(result.stdout) if "quaternion-flux" in d["message"]]
    assert found and "content/concepts.yaml" in found[0]["hint"]


def test_images_are_documented_and_checked_as_documented(demo, tmp_path):
    doc = (REPO / "docs" / "lesson-format.md").read_text()
    section = doc.split("## Images", 1)[1].split("\n## ", 1)[0]
    for point in ("content/media/", "CB404", "CB408", "CB405", "_site/media/content/media/"):
        assert point in section, point

    project = copy_of(demo, tmp_path)
    (project / "content" / "media").mkdir()
    (project / "content" / "media" / "plot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    first = sorted((project / "lessons" / "1").glob("*.md"))[0]
    text = first.read_text()
    images = ("![A plot](../../content/media/plot.svg)\n\n![](../../content/media/plot.svg)\n\n"
              "![Gone](../../content/media/gone.png)\n\n![Remote](https://example.com/a.png)\n\n")
    first.write_text(text.replace("\n## ", "\n" + images + "## ", 1))
    found = {(d["code"], d["severity"], d["line"]) for d in findings(project)}
    start = text[:text.index("\n## ")].count("\n") + 2
    assert found == {("CB408", "warning", start + 2), ("CB404", "error", start + 4), ("CB405", "error", start + 6)}

    first.write_text(text.replace("\n## ", "\n" + images.split("\n\n")[0] + "\n\n## ", 1))
    assert course("build", cwd=project).returncode == 0
    page = (project / "_site" / first.stem[3:] / "index.html").read_text()
    assert '<img src="../media/content/media/plot.svg" alt="A plot"' in page
    assert (project / "_site" / "media" / "content" / "media" / "plot.svg").is_file()


def test_building_the_wheel_leaves_no_build_folder(tmp_path):
    before = (REPO / "build").exists()
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w",
                             str(tmp_path), str(REPO)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert before or not (REPO / "build").exists()
    wheel = next(tmp_path.glob("course_builder-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "builder/theme/templates/lesson.html" in names and "builder/scaffold/project/site.yaml" in names

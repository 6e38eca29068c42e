"""Incremental builds: after any series of edits, the cached build equals a clean build byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.model.errors import BuildError
from builder.pipeline import Built, UpToDate, build
from conftest import BASE, FIGURES, lesson, quiz
from test_build import tree_hash


def clean_and_incremental_agree(root: Path, tmp_path: Path, name: str) -> dict:
    incremental = build(root)
    clean_out = tmp_path / f"clean-{name}"
    build(root, out=clean_out, use_cache=False)
    assert tree_hash(root / "_site") == tree_hash(clean_out), name
    return incremental


def override_partial(root: Path) -> None:
    """Give the site its own theme folder with a changed callout partial."""
    from builder.theming.folders import default_theme_dir

    partial = (default_theme_dir() / "partials/callout.html").read_text()
    (root / "mytheme/partials").mkdir(parents=True)
    (root / "mytheme/partials/callout.html").write_text(partial.replace('class="callout', 'class="my-callout callout', 1))
    (root / "site.yaml").write_text((root / "site.yaml").read_text() + "theme_dir: mytheme\n")


FIGURE = "\n:::{figure} sigmoid-derivative\n:zmax: 6\nThe derivative of the sigmoid.\n:::\n"


def test_incremental_equals_clean_after_a_series_of_edits(project, tmp_path):
    root = project(FIGURES)
    build(root)
    first, second = root / "lessons/1.3/01-first.md", root / "lessons/1.3/02-second.md"
    curves = root / "content/figures/curves.py"

    def replace(path: Path, old: str, new: str) -> None:
        text = path.read_text()
        assert old in text, (path.name, old)
        path.write_text(text.replace(old, new, 1))

    edits = {
        "body": lambda: first.write_text(first.read_text().replace("## Worked example", "## Worked example, revised")),
        "title": lambda: first.write_text(first.read_text().replace("title: First", "title: First steps")),
        "math": lambda: first.write_text(first.read_text() + "\nNew formula $\\frac{a}{b}$.\n"),
        "summary": lambda: first.write_text(first.read_text().replace("summary: About First.", "summary: About $x$ first.")),
        "teaches": lambda: replace(first, "concept: beta\n    depth: INTRODUCED", "concept: beta\n    depth: DEVELOPED"),
        "prerequisites": lambda: replace(second, "concept: alpha\n    depth: DEVELOPED", "concept: alpha\n    depth: INTRODUCED"),
        "prerequisite why": lambda: replace(second, "source: first\n", "source: first\n    why: Second needs it.\n"),
        "anchor and a link to it": lambda: (first.write_text(first.read_text() + "\n(first-key)=\n## Key point\n\nText.\n"),
                                            second.write_text(second.read_text() + "\nSee [](#first-key).\n")),
        "anchor title": lambda: replace(first, "## Key point", "## The key point"),
        "anchor label": lambda: (replace(first, "(first-key)=", "(first-main)="), replace(second, "(#first-key)", "(#first-main)")),
        "figure placed": lambda: second.write_text(second.read_text() + FIGURE),
        "figure module": lambda: replace(curves, "The derivative peaks at", "Its derivative peaks at"),
        "figure option": lambda: replace(second, ":zmax: 6", ":zmax: 7"),
        "new lesson": lambda: (root / "lessons/1.3/04-fourth.md").write_text(lesson("Fourth", "BUILD", """
            prerequisites:
              - concept: gamma
                depth: DEVELOPED
                source: third
            teaches:
              - concept: epsilon
                depth: INTRODUCED
            """)),
        "concept definition": lambda: (root / "content/concepts.yaml").write_text(
            BASE["content/concepts.yaml"].replace("The second idea.", "The second idea, redefined.")),
        "concept name": lambda: (root / "content/concepts.yaml").write_text(
            (root / "content/concepts.yaml").read_text().replace("name: Gamma idea", "name: Gamma concept")),
        "concept alias": lambda: replace(root / "content/concepts.yaml", "  name: Gamma concept\n",
                                         "  name: Gamma concept\n  aliases: [gamma notion]\n"),
        "lesson type": lambda: replace(second, "type: BUILD", "type: CONSOLIDATE"),
        "quiz added": lambda: second.write_text(second.read_text() + quiz(probes=("wrong-1",))),  # the module plan counts it
        "module misconception": lambda: (root / "content/modules/1.3.md").write_text(BASE["content/modules/1.3.md"].replace(
            "goal: Learn the ideas.\n", "goal: Learn the ideas.\nmisconceptions:\n  - claim: One idea is all.\n    where: second\n")),
        "site title": lambda: (root / "site.yaml").write_text(BASE["site.yaml"].replace("Test Course", "Renamed Course")),
        "module page": lambda: (root / "content/modules/1.3.md").write_text(BASE["content/modules/1.3.md"] + "\nMore arc.\n"),
        "delete lesson": lambda: (root / "lessons/1.3/04-fourth.md").unlink(),
        "theme override": lambda: override_partial(root),
        "theme partial edited": lambda: replace(root / "mytheme/partials/callout.html", "my-callout", "my-own-callout"),
    }
    for name, edit in edits.items():
        edit()
        clean_and_incremental_agree(root, tmp_path, name.replace(" ", "-"))
    assert "my-own-callout" in (root / "_site/first/index.html").read_text()  # the process compiled it again
    assert "The key point" in (root / "_site/second/index.html").read_text()  # the link shows the renamed heading


def test_warm_rebuild_does_no_work(project, monkeypatch):
    import subprocess
    import sys

    from builder.incremental.store import Store

    root = project()
    first_build = build(root)
    read: list[str] = []
    get = Store.get
    monkeypatch.setattr(Store, "get", lambda self, kind, key, t: read.append(kind) or get(self, kind, key, t))
    again = build(root)
    monkeypatch.undo()
    assert isinstance(again, UpToDate) and read == ["build-stamps"]  # no page's inputs, no search scores
    assert again.record.diagnostics == first_build.checked.diagnostics and again.record.files == first_build.report.files
    # in a new process (the command), it loads neither a stage, the Markdown parser nor the template engine
    probe = ("import sys; from pathlib import Path; from builder.pipeline import UpToDate, build; "
             f"result = build(Path({str(root)!r})); "
             "print(type(result).__name__, sorted(m for m in sys.modules if m.startswith(('builder.stages', 'jinja2', "
             "'markdown_it', 'builder.markup', 'builder.check'))))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["UpToDate", "[]"], out
    # a change that leaves every page the same still renders no formula and rewrites no file
    first = root / "lessons/1.3/01-first.md"
    first.write_text(first.read_text() + "\n")
    touched = build(root)
    assert isinstance(touched, Built)
    assert touched.checked.math.typeset == 0 and touched.checked.math.cached > 0
    assert touched.report.written == 0


def test_a_rebuild_in_memory_reads_only_the_lessons_that_changed(project, monkeypatch):
    import builder.load.course as loading

    root = project()
    memory: dict = {}  # what `course serve` keeps between rebuilds
    build(root, memory=memory)
    read: list[str] = []
    real = loading.read_text
    monkeypatch.setattr(loading, "read_text", lambda base, path, diags: read.append(path.name) or real(base, path, diags))
    first = root / "lessons/1.3/01-first.md"
    first.write_text(first.read_text() + "\nOne more sentence.\n")
    rebuilt = build(root, memory=memory)
    assert isinstance(rebuilt, Built) and read == ["01-first.md"]
    assert "One more sentence." in (root / "_site/first/index.html").read_text()
    read.clear()
    build(root, memory=memory, force=True, out=root / "other")  # another folder: every page made, no file read again
    assert read == []


def test_check_after_a_build_reads_no_html_and_finds_what_a_cold_check_finds(project, monkeypatch):
    from builder.incremental.store import Store
    from builder.pipeline import check

    root = project()
    first = root / "lessons/1.3/01-first.md"
    first.write_text(first.read_text() + "\nA formula $x^{2}$ and a broken one $\\frac{1}{$.\n")
    cold = check(root, use_cache=False).diagnostics
    assert any(d.code == "CB410" for d in cold)
    with pytest.raises(BuildError):
        build(root)  # the broken formula fails the build; what it rendered and typeset is in the cache all the same
    read: list[str] = []
    get = Store.get
    monkeypatch.setattr(Store, "get", lambda self, kind, key, t: read.append(kind) or get(self, kind, key, t))
    warm = check(root)
    assert warm.diagnostics == cold
    assert not {"rendered-lesson", "rendered-module", "rendered-glossary", "formula"} & set(read), sorted(set(read))
    assert warm.rendered.rendered == 0 and warm.math.typeset == 0


def test_a_warm_check_loads_no_parser_or_template_engine(project):
    import subprocess
    import sys

    root = project()
    build(root)
    probe = ("import sys; from pathlib import Path; from builder.pipeline import check; "
             f"found = check(Path({str(root)!r})); "
             "print(found.rendered.rendered, sorted(m for m in sys.modules if m.startswith(('jinja2', 'markdown_it', "
             "'builder.markup', 'builder.stages.lesson_render'))))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "[]"], out  # every lesson's findings read from the cache: nothing to render with


def test_one_lesson_edit_rewrites_only_pages_that_show_it(project):
    root = project()
    build(root)
    site = root / "_site"
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    first = root / "lessons/1.3/01-first.md"
    first.write_text(first.read_text().replace("Why it is wrong.", "Why it is wrong, explained.", 1))
    result = build(root)
    changed = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.stat().st_mtime_ns != before.get(p))
    assert changed == ["first/index.html"], changed
    assert result.report.written == 2  # the page and the search index
    assert len(result.pages.kept) == 5  # the other two lesson pages, the module, home and concepts pages: not even rendered
    assert re.search("explained", (site / "first/index.html").read_text())


def test_an_edit_reads_from_the_cache_only_what_the_pages_it_renders_again_show(project, monkeypatch, tmp_path):
    from builder.incremental.store import Store

    root = project()
    old = build(root).pages.inputs["first/index.html"]["lesson"]
    first = root / "lessons/1.3/01-first.md"
    first.write_text(first.read_text().replace("Why it is wrong.", "Why it is wrong, explained.", 1))
    read: list[tuple[str, str]] = []
    get = Store.get

    def reading(self, kind, key, value_type):  # what was read (not what was looked for and missing)
        value = get(self, kind, key, value_type)
        if value is not None:
            read.append((kind, key))
        return value

    monkeypatch.setattr(Store, "get", reading)
    result = build(root)
    kinds = [kind for kind, _ in read]
    assert "rendered-lesson" not in kinds  # the edited lesson is rendered anew; the others are read in outline
    others = {inputs["lesson"] for path, inputs in result.pages.inputs.items() if path.startswith(("second/", "third/"))}
    # the other lessons, and the edited lesson as it was (the search index takes the words the edit replaced)
    assert sorted(key for kind, key in read if kind == "outlined-lesson") == sorted({*others, old}) and len(others) == 2
    assert [key for kind, key in read if kind == "map-layout"] == [result.pages.inputs["first/index.html"]["map"]]
    # a title edit reaches the pages that show it (the next lesson's links back to it): those are read whole
    first.write_text(first.read_text().replace("title: First", "title: The first", 1))
    read.clear()
    result = build(root)
    again = sorted(path for path in result.pages.inputs if path not in result.pages.kept)
    assert "second/index.html" in again
    wholes = [key for kind, key in read if kind == "rendered-lesson"]
    assert wholes and set(wholes) <= {result.pages.inputs[path].get("lesson") for path in again}
    clean_and_incremental_agree(root, tmp_path, "title")


def test_a_build_without_the_cache_in_between_is_not_taken_for_the_recorded_one(project, tmp_path):
    """build, edit, build --no-cache, undo the edit, build: the cache's record no longer describes _site/."""
    root = project()
    build(root)
    first = root / "lessons/1.3/01-first.md"
    original = first.read_text()
    first.write_text(original.replace("Why it is wrong.", "Why it is wrong, changed.", 1))
    build(root, use_cache=False)
    first.write_text(original)
    clean_and_incremental_agree(root, tmp_path, "after-no-cache")


def test_adding_a_missing_image_clears_its_finding(project):
    from builder.model.errors import BuildError

    first = project().joinpath("lessons/1.3/01-first.md")
    root = first.parents[2]
    first.write_text(first.read_text() + "\n![A plot](../../content/media/plot.png)\n")
    try:
        build(root)
        raise AssertionError("the missing image should fail the build")
    except BuildError as exc:
        assert [d.code for d in exc.diagnostics] == ["CB404"]
    (root / "content/media").mkdir(parents=True)
    (root / "content/media/plot.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = build(root)
    assert (root / "_site/media/content/media/plot.png").is_file() and not result.checked.diagnostics


def test_a_changed_image_outside_the_watched_folders_is_published_again(project):
    root = project()
    first = root / "lessons/1.3/01-first.md"
    (root / "figures").mkdir()
    (root / "figures/plot.svg").write_text("<svg>one</svg>")
    first.write_text(first.read_text() + "\n![A plot](../../figures/plot.svg)\n")
    build(root)
    (root / "figures/plot.svg").write_text("<svg>two, longer</svg>")
    again = build(root)
    assert isinstance(again, Built)
    assert (root / "_site/media/figures/plot.svg").read_text() == "<svg>two, longer</svg>"


def test_an_unchanged_registry_is_read_from_the_cache(project, monkeypatch):
    import builder.load.course as load_course_module

    root = project()
    build(root)
    parsed = []
    real = load_course_module.load_registry
    monkeypatch.setattr(load_course_module, "load_registry", lambda *args: parsed.append(1) or real(*args))
    first = root / "lessons/1.3/01-first.md"
    first.write_text(first.read_text() + "\nOne more sentence.\n")
    build(root)
    assert parsed == []  # a lesson edit does not parse concepts.yaml again
    (root / "content/concepts.yaml").write_text((root / "content/concepts.yaml").read_text().replace("The sixth idea.", "The 6th idea."))
    build(root)
    assert parsed == [1]
    (root / "content/prior.yaml").write_text((root / "content/prior.yaml").read_text() + "\n")
    build(root)
    assert parsed == [1, 1]


def test_a_page_carried_over_by_one_process_is_carried_over_by_the_next(project):
    """What a page was made from is recorded the same way by every process: a module page whose headings make a set
    of anchors (whose order differs from process to process) is not rendered again after an edit elsewhere."""
    import os
    import subprocess
    import sys

    root = project({"content/modules/1.3.md": "---\ntitle: Test Module\ngoal: Learn the ideas.\n---\n"
                                              + "".join(f"## Part {n}\n\nText {n}.\n\n" for n in "abcdef")})

    def build_in_a_new_process(seed: str) -> str:  # the pages it rendered again
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(Path(__file__).parents[1])}
        script = (f"from pathlib import Path; from builder.pipeline import build; pages = build(Path({str(root)!r})).pages; "
                  "print(sorted(set(pages.inputs) - pages.kept))")
        return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                              check=True).stdout.strip()
    build_in_a_new_process("1")
    first = root / "lessons/1.3/01-first.md"
    first.write_text(first.read_text().replace("Why it is wrong.", "Why it is wrong, explained.", 1))
    assert build_in_a_new_process("2") == "['first/index.html']"


def test_an_edit_to_prose_makes_no_map_graph_but_its_page_s(project, monkeypatch, tmp_path):
    """The maps are made from the frontmatter's structure: when it is as before, their keys are reused and only the
    graph of a page rendered again is made; an edit to what a lesson teaches makes every graph again."""
    import builder.stages.map_graph as map_graph

    root = project()
    build(root)
    made: list[str] = []
    for name in ("_neighbourhood", "module_map"):
        real = getattr(map_graph, name)
        monkeypatch.setattr(map_graph, name, lambda *args, real=real, name=name, **kw: made.append(name) or real(*args, **kw))
    import builder.stages.maps as maps
    monkeypatch.setattr(maps, "module_map", map_graph.module_map)
    first = root / "lessons/1.3/01-first.md"
    first.write_text(first.read_text().replace("Why it is wrong.", "Why it is wrong, explained.", 1))
    result = build(root)
    assert sorted(set(result.pages.inputs) - result.pages.kept) == ["first/index.html"] and made == ["_neighbourhood"]
    made.clear()
    first.write_text(first.read_text().replace("concept: beta\n    depth: INTRODUCED", "concept: beta\n    depth: DEVELOPED"))
    clean_and_incremental_agree(root, tmp_path, "teaches")
    assert made.count("_neighbourhood") >= 3 and "module_map" in made


def test_an_edit_to_prose_makes_no_depth_grid_or_ledger_view(project, monkeypatch, tmp_path):
    """What pages show of the ledger follows from the course's structure: after a prose edit the last build's digests
    of the grids and ledger views are reused (none is made, as none changed); after an edit to what a lesson
    teaches every one is made again, and the site is as a clean build makes it."""
    import builder.stages.pages as pages

    root = project()
    build(root)
    made: list[str] = []
    for name in ("module_grid", "_ledger_view", "_concepts_key"):
        real = getattr(pages, name)
        monkeypatch.setattr(pages, name, lambda *args, real=real, name=name, **kw: made.append(name) or real(*args, **kw))
    first = root / "lessons/1.3/01-first.md"
    first.write_text(first.read_text().replace("Why it is wrong.", "Why it is wrong, explained.", 1))
    build(root)
    assert made == []
    first.write_text(first.read_text().replace("concept: beta\n    depth: INTRODUCED", "concept: beta\n    depth: DEVELOPED"))
    clean_and_incremental_agree(root, tmp_path, "teaches")
    assert {"module_grid", "_ledger_view", "_concepts_key"} <= set(made) and made.count("_ledger_view") >= 3

"""The cache keeps what the latest runs use: a sweep removes what edits and other builders left behind, and after it
builds and checks read everything they need from the cache as before."""

from __future__ import annotations

import os
import time
from pathlib import Path

from click.testing import CliRunner

from builder.cli import main
from builder.incremental import Memo
from builder.incremental.keys import content_key
from builder.incremental.sweep import SWEPT, USES, Uses, sweep, sweep_if_due
from builder.pipeline import Built, build, check
from conftest import BASE, lesson
from test_build import tree_hash

MORE = {f"lessons/1.3/0{n}-extra-{n}.md": lesson(f"Extra {n}", "CONSOLIDATE") for n in (4, 5, 6)}
"""Lessons whose pages an edit to the first does not render again."""


def entries(root: Path, kind: str = "*") -> set[Path]:
    """The cache's entries of one kind (or all), without the runs' lists."""
    return {p for p in (root / ".course-cache").glob(f"{kind}/??/*.json") if p.parent.parent.name != USES}


def keys(root: Path, kind: str) -> set[str]:
    return {p.stem for p in entries(root, kind)}


def store(root: Path):
    return Memo.for_project(root).store


def edit(root: Path, line: str) -> None:
    lesson = root / "lessons/1.3/01-first.md"
    lesson.write_text(lesson.read_text() + f"\n{line}\n")


def test_a_sweep_removes_what_edits_left_and_keeps_what_builds_and_checks_read(project, tmp_path):
    root = project(MORE)
    build(root)
    for n in range(3):
        edit(root, f"A sentence added in edit {n}.")
        build(root)
    before, layouts = entries(root), keys(root, "map-layout")
    swept = sweep(store(root), before=time.time() + 1)  # everything written so far is old enough
    assert swept.removed >= 3 * 3  # each edit left the lesson's loaded form, rendering and outline (and more)
    after = entries(root)
    assert after < before and swept.kept == len(after)
    # a lesson's whole rendering is kept beside its outline although the last build did not read it (a page
    # rendered again later reads it), and the check's summaries share its key
    assert keys(root, "rendered-lesson") == keys(root, "outlined-lesson") != set()
    # the maps' layouts, which a prose edit's build reuses without reading (a page rendered again reads them)
    assert keys(root, "map-layout") == layouts != set()
    checked = check(root)  # this run never ran before the sweep: it reads what the build's list kept
    assert checked.rendered.rendered == 0 and checked.rendered.cached == 6
    edit(root, "One more sentence.")
    result = build(root)
    assert isinstance(result, Built) and result.checked.rendered.rendered == 1
    clean = tmp_path / "clean"
    build(root, out=clean, use_cache=False)
    assert tree_hash(root / "_site") == tree_hash(clean)


def test_after_a_sweep_a_build_of_every_page_starts_no_node_and_renders_no_lesson(project):
    """Every page rendered again (a page template changed) reads each lesson's whole rendering, each map's layout
    and each formula's HTML: a sweep after a prose edit's build (which read none of them) kept them all."""
    import builder.elk as elk
    from builder.katex import _engine
    from builder.theming.folders import default_theme_dir

    template = (default_theme_dir() / "templates/lesson.html").read_text()
    root = project({**MORE, "lessons/1.3/05-extra-5.md": MORE["lessons/1.3/05-extra-5.md"] + "\nA formula $x^2 + 1$.\n",
                    "mytheme/templates/lesson.html": template,
                    "site.yaml": BASE["site.yaml"] + "theme_dir: mytheme\n"})
    build(root)
    edit(root, "A sentence of prose.")
    build(root)
    sweep(store(root), before=time.time() + 1)
    (root / "mytheme/templates/lesson.html").write_text(template + "\n{# changed #}\n")
    runs, starts = elk.runs, _engine.startups
    result = build(root)
    assert isinstance(result, Built) and result.pages.rendered >= 6
    assert result.checked.rendered.rendered == 0 and result.checked.math.typeset == 0
    assert (elk.runs, _engine.startups) == (runs, starts)


def test_new_entries_foreign_files_and_current_lists_are_kept(project):
    root = project()
    build(root)
    cache = root / ".course-cache"
    fresh = cache / "lesson" / "ab" / ("ab" + "1" * 62 + ".json")  # no list holds it, but a run may be going
    fresh.parent.mkdir(parents=True, exist_ok=True)
    fresh.write_text("{}")
    stale_tmp = cache / "lesson" / "ab" / ".tmp-123-4"
    stale_tmp.write_text("half")
    os.utime(stale_tmp, (time.time() - 7200, time.time() - 7200))
    foreign = cache / "serve-site" / "ab" / "index.html"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("<p>a page</p>")
    lists = set((cache / USES).glob("??/*.json"))
    assert lists
    swept = sweep(store(root), before=time.time() - 3600)
    assert fresh.exists() and foreign.exists() and not stale_tmp.exists()
    assert set((cache / USES).glob("??/*.json")) == lists
    assert swept.removed == 1


def test_lists_made_by_another_builder_keep_nothing(project):
    root = project()
    build(root)
    old_key = "cd" + "2" * 62
    old_entry = root / ".course-cache" / "lesson" / "cd" / (old_key + ".json")
    old_entry.parent.mkdir(parents=True, exist_ok=True)
    old_entry.write_text("{}")
    cache = store(root)
    cache.put(USES, content_key(USES, "an older version's build"), Uses("0" * 64, (old_key,)))
    old_list = root / ".course-cache" / USES / content_key(USES, "an older version's build")[:2]
    assert any(old_list.glob("*.json"))
    sweep(store(root), before=time.time() + 1)
    assert not old_entry.exists() and not any(old_list.glob("*.json"))
    assert check(root).rendered.rendered == 0  # what the current builder's lists hold is still there


def test_runs_sweep_by_themselves_once_a_day(project):
    root = project()
    build(root)
    marker = root / ".course-cache" / SWEPT
    assert marker.exists()  # a new cache starts the clock, and is not swept
    garbage = root / ".course-cache" / "lesson" / "ef" / ("ef" + "3" * 62 + ".json")
    garbage.parent.mkdir(parents=True, exist_ok=True)
    garbage.write_text("{}")
    long_ago = time.time() - 3 * 24 * 3600
    os.utime(garbage, (long_ago, long_ago))
    assert sweep_if_due(store(root)) is None and garbage.exists()  # swept less than a day ago
    os.utime(marker, (long_ago, long_ago))
    edit(root, "An edit, so the build runs.")
    build(root)
    assert not garbage.exists()
    assert time.time() - marker.stat().st_mtime < 3600


def test_course_clean(project):
    root = project()
    build(root)
    for n in range(2):  # the last build reads the rendering its edit replaced (for the search index): two edits
        edit(root, f"Edit {n}.")
        build(root)
    result = CliRunner().invoke(main, ["clean", str(root)], standalone_mode=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Removed ") and "no recent run uses" in result.output
    assert int(result.output.split()[1]) >= 3
    assert check(root).rendered.rendered == 0
    result = CliRunner().invoke(main, ["clean", "--all", str(root)], standalone_mode=False)
    assert result.exit_code == 0 and not (root / ".course-cache").exists()
    result = CliRunner().invoke(main, ["clean", str(root)], standalone_mode=False)
    assert "No cache to clean" in result.output

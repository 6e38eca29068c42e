"""Building: the shipped module, the pages every site has, nothing written on error, safe output folders."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BASE, REPO, run


def tree_hash(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_site_has_home_module_lessons_concepts(project):
    root = project()
    code, out = run("build", str(root))
    assert code == 0, out
    site = root / "_site"
    for rel in ("index.html", "first/index.html", "second/index.html", "third/index.html", "modules/1.3/index.html",
                "concepts/index.html", "404.html", "assets/css/site.css", "assets/search-index.js", ".course-build"):
        assert (site / rel).is_file(), rel
    concepts = (site / "concepts/index.html").read_text()
    for cid in ("alpha", "beta", "gamma", "delta", "epsilon", "zeta"):
        assert f'id="{cid}"' in concepts


def test_lesson_page_boxes(project):
    root = project()
    assert run("build", str(root))[0] == 0
    html = (root / "_site/second/index.html").read_text()
    before = html[html.index('id="before-you-start"'):html.index('class="lesson-body"')]
    assert "Alpha idea" in before and 'href="../first/index.html" title="First">lesson 1</a>' in before
    assert "depth-developed" in before and "From this module" in before and "<details class=\"ledger-box before\" open>" in html
    after = html[html.index('id="what-you-now-know"'):]
    assert "Beta idea" in after and "depth-introduced" in after and "depth-developed" in after  # INTRODUCED -> DEVELOPED
    assert "Lesson 2 of 3" in html and 'rel="prev"' in html and 'rel="next"' in html
    assert 'aria-current="page"' in html


def test_build_with_errors_writes_nothing_and_keeps_previous_site(project):
    root = project()
    assert run("build", str(root))[0] == 0
    before = tree_hash(root / "_site")
    bad = BASE["lessons/1.3/03-third.md"].replace("source: second", "source: first")
    (root / "lessons/1.3/03-third.md").write_text(bad)
    code, out = run("build", str(root))
    assert code == 1 and "Nothing was written" in out
    assert tree_hash(root / "_site") == before


def test_refuses_foreign_output_folder_unless_forced(project, tmp_path):
    root = project()
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("keep me")
    code, out = run("build", str(root), "--out", str(foreign))
    assert code == 1 and "CB500" in out and (foreign / "precious.txt").exists()
    assert run("build", str(root), "--out", str(foreign), "--force")[0] == 0
    assert not (foreign / "precious.txt").exists() and (foreign / "index.html").exists()


@pytest.mark.parametrize("out", [".", "lessons", "content/site", ".."])
def test_never_replaces_project_or_source_folders(project, out):
    root = project()
    code, text = run("build", str(root), "--out", str(root / out), "--force")
    assert code == 1 and "CB500" in text
    assert (root / "lessons/1.3/01-first.md").exists()


def test_two_builds_are_byte_identical(project, tmp_path):
    root = project()
    outs = []
    for i, seed in enumerate(("1", "2")):
        out = tmp_path / f"out{i}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-m", "builder.cli", "build", str(root), "--out", str(out), "--no-cache", "-q"],
                              capture_output=True, text=True, env=env)
        assert proc.returncode == 0, proc.stderr
        outs.append(tree_hash(out))
    assert outs[0] == outs[1]


def test_shipped_module_checks_strict_and_builds(tmp_path):
    assert run("check", "--strict", str(REPO))[0] == 0
    out = tmp_path / "site"
    code, text = run("build", str(REPO), "--out", str(out))
    assert code == 0, text
    for rel in ("index.html", "training-dynamics/index.html", "concepts/index.html", "modules/1.3/index.html"):
        assert (out / rel).is_file()
    for slug in ("backpropagation", "backprop-worked-example", "computational-graphs", "batching-and-sgd", "optimizers",
                 "training-dynamics", "overfitting-and-regularization"):
        assert (out / slug / "index.html").is_file()


def test_pages_rendered_in_worker_processes_are_the_pages_rendered_here(project, tmp_path, monkeypatch):
    from builder import interrupts
    from builder.pipeline import build
    from builder.stages import pages

    root = project()
    build(root, out=tmp_path / "here", use_cache=False)
    render = pages.render_page
    marks = tmp_path / "pids"
    marks.mkdir()
    monkeypatch.setattr(pages, "MIN_PARALLEL", 2)
    monkeypatch.setattr(pages, "render_page", lambda *a, **k: (marks / str(os.getpid())).touch() or render(*a, **k))
    monkeypatch.setattr(interrupts.os, "cpu_count", lambda: 2)
    result = build(root, out=tmp_path / "pool", use_cache=False)
    workers = {int(p.name) for p in marks.iterdir()}
    assert len(workers - {os.getpid()}) >= 1  # lesson and module pages were rendered in other processes
    assert result.pages.rendered >= 4 and not interrupts._FORKED  # the jobs are not kept after the pool
    assert tree_hash(tmp_path / "pool") == tree_hash(tmp_path / "here")

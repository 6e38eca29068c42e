"""Determinism: the same input gives byte-identical sites, whatever the folder, the working directory or the hash seed.

Each build is a real process with its own PYTHONHASHSEED, run from inside its own copy of the project, so set
and dict orders, absolute paths and timestamps would all show up as differences.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BASE, FIGURES, REPO, make_project

FIGURE = "\n:::{figure} sigmoid-derivative\n:zmax: 6\nThe derivative of the sigmoid, at most 0.25.\n:::\n"


def tree_hash(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def build_in(copy: Path, seed: str, *extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run([sys.executable, "-m", "builder.cli", "build", ".", "-q", *extra], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return tree_hash(copy / "_site")


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def test_small_project_in_two_folders_with_two_hash_seeds(tmp_path):
    files = {"lessons/1.3/02-second.md": BASE["lessons/1.3/02-second.md"] + FIGURE, **FIGURES}
    first = make_project(tmp_path / "a", files)
    second = tmp_path / "elsewhere" / "deeper" / "copy"
    shutil.copytree(first, second)
    one = build_in(first, "1", "--no-cache")
    two = build_in(second, "4242", "--no-cache")
    assert 'data-figure="sigmoid-derivative"' in (first / "_site/second/index.html").read_text(encoding="utf-8")
    assert not differences(one, two)


def test_shipped_module_in_two_folders_with_two_hash_seeds(tmp_path):
    copies = []
    for name in ("one", "two"):
        copy = tmp_path / name / "course"
        copy.mkdir(parents=True)
        for item in ("site.yaml", "content", "lessons", ".course-cache"):
            source = REPO / item
            if source.is_dir():
                shutil.copytree(source, copy / item, ignore=shutil.ignore_patterns("serve-site", "builds", "build-stamps"))
            elif source.is_file():
                shutil.copy2(source, copy / item)
        copies.append(copy)
    one = build_in(copies[0], "0")
    two = build_in(copies[1], "987654321")
    assert "training-dynamics/index.html" in one and "assets/js/plotly.min.js" in one
    assert not differences(one, two)


def test_rebuilding_in_place_changes_nothing(tmp_path):
    root = make_project(tmp_path, {})
    first = build_in(root, "7", "--no-cache")
    mtimes = {p: p.stat().st_mtime_ns for p in (root / "_site").rglob("*") if p.is_file()}
    second = build_in(root, "8", "--no-cache")
    assert first == second
    unchanged = [p for p, t in mtimes.items() if p.exists() and p.stat().st_mtime_ns == t]
    assert len(unchanged) == len(mtimes) - 1  # every file kept (hard-linked), only the marker is rewritten


@pytest.mark.parametrize("seed", ["11", "12"])
def test_no_absolute_paths_or_times_in_the_output(tmp_path, seed):
    root = make_project(tmp_path, {})
    build_in(root, seed, "--no-cache")
    for path in (root / "_site").rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".css", ".xml"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert str(tmp_path) not in text, path

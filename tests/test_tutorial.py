"""docs/tutorial.md works as written: every command in its ```sh blocks is run, in order, in a fresh folder (the
lesson it shows is written where it says), and each succeeds."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from conftest import REPO

TUTORIAL = REPO / "docs" / "tutorial.md"
BLOCK = re.compile(r"```(sh|markdown)\n(.*?)```", re.S)


def steps() -> list[tuple[str, str]]:
    """("sh", command) and ("file", path + NUL + text) in the page's order."""
    text = TUTORIAL.read_text(encoding="utf-8")
    out = []
    for match in BLOCK.finditer(text):
        if match.group(1) == "markdown":
            path = re.findall(r"write this into\s+`([^`]+)`", text[:match.start()])[-1]
            out.append(("file", path + "\0" + match.group(2)))
            continue
        for line in match.group(2).splitlines():
            command = line.split("  #")[0].strip()
            if command:
                out.append(("sh", command))
    return out


def test_every_command_of_the_tutorial_works(tmp_path):
    cwd = tmp_path
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    ran = []
    for kind, step in steps():
        if kind == "file":
            path, text = step.split("\0", 1)
            (cwd / path).write_text(text, encoding="utf-8")
            continue
        words = shlex.split(step)
        if words[:3] == ["python", "-m", "pip"]:
            continue  # installing course-builder: the test runs in an environment that has it
        if words[0] == "cd":
            cwd = cwd / words[1]
            continue
        assert words[0] == "course", step
        proc = subprocess.run([sys.executable, "-m", "builder.cli", *words[1:]], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"{step}\n{proc.stdout}\n{proc.stderr}"
        ran.append((step, proc.stdout))
    commands = [step for step, _ in ran]
    assert commands[:2] == ['course new project my-course --title "Growth and Decay"', "course check"]
    assert "course check --strict --format github" in commands and "course figures" in commands
    site = cwd / "_site"
    assert (site / "half-life-in-practice" / "index.html").is_file()  # published once it is no draft
    assert 'data-figure="decay-curve"' in (site / "half-life-in-practice" / "index.html").read_text()
    assert (cwd / ".github" / "workflows" / "course.yml").is_file()


def test_the_mistake_the_tutorial_suggests_is_found(tmp_path):
    """"change `source: exponential-decay` to `source: percent-change` and `course check` says the source is stale"."""
    env = {**os.environ}
    subprocess.run([sys.executable, "-m", "builder.cli", "new", "project", "c"], cwd=tmp_path, env=env, check=True,
                   capture_output=True)
    lesson = next(text for kind, text in steps() if kind == "file").split("\0", 1)[1]
    path = tmp_path / "c" / "lessons" / "1" / "03-half-life-in-practice.md"
    path.write_text(lesson.replace("source: exponential-decay", "source: percent-change"), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "builder.cli", "check"], cwd=tmp_path / "c", env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "CB301" in proc.stdout and "source: exponential-decay" in proc.stdout

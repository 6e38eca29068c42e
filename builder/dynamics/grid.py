"""The explorer grid: every (depth, activation, init, batch norm) configuration, computed in a process pool."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from itertools import product

import numpy as np

from ..interrupts import worker_pool
from .init import INITS
from .profiles import gradient_profile, train_stack

GRID_DEPTHS = tuple(range(2, 21))
GRID_ACTIVATIONS = ("sigmoid", "relu", "tanh")
GRID_INITS = tuple(INITS)
#: training settings of the explorer's curves (train() with these arguments)
GRID_TRAIN_WIDTH = 32
GRID_TRAIN_STEPS = 150


@dataclass(frozen=True)
class GridPoint:
    """One configuration's results: per-layer |dL/dW| at init and the per-step training loss."""

    depth: int
    activation: str
    init: str
    batchnorm: bool
    gradients: np.ndarray
    losses: np.ndarray


Config = tuple[int, str, str, bool]


def grid_configs() -> list[Config]:
    """All 456 (depth, activation, init, batchnorm) configurations, in a fixed order."""
    return [(d, a, i, bn) for a, i, bn, d in product(GRID_ACTIVATIONS, GRID_INITS, (False, True), GRID_DEPTHS)]


Group = tuple[int, str, bool, tuple[str, ...]]  # depth, activation, batchnorm, inits trained as one stack


def compute_group(group: Group) -> list[GridPoint]:
    """Compute the configurations of one (depth, activation, batchnorm) for several inits (in a worker)."""
    depth, act, bn, inits = group
    curves = train_stack(depth, act, list(inits), bn, width=GRID_TRAIN_WIDTH, steps=GRID_TRAIN_STEPS)
    return [GridPoint(depth, act, init, bn, gradient_profile(depth, act, init, bn), curves[k])
            for k, init in enumerate(inits)]


def _compute_chunk(groups: list[Group]) -> list[GridPoint]:
    """Compute several groups in one worker call (fewer round trips)."""
    return [p for g in groups for p in compute_group(g)]


def _groups(configs: list[Config]) -> list[Group]:
    """Gather configurations that differ only in their init (they train together as a stack)."""
    inits: dict[tuple[int, str, bool], list[str]] = {}
    for d, a, i, bn in configs:
        inits.setdefault((d, a, bn), []).append(i)
    return [(d, a, bn, tuple(i)) for (d, a, bn), i in inits.items()]


def _chunks(groups: list[Group], n_chunks: int) -> list[list[Group]]:
    """Split groups into chunks of similar cost (cost ~ depth x inits, BN about twice as expensive)."""
    cost = lambda g: g[0] * len(g[3]) * (2.0 if g[2] else 1.0)  # noqa: E731
    chunks: list[list[Group]] = [[] for _ in range(n_chunks)]
    loads = [0.0] * n_chunks
    for g in sorted(groups, key=cost, reverse=True):  # greedy: most expensive to the least loaded chunk
        k = loads.index(min(loads))
        chunks[k].append(g)
        loads[k] += cost(g)
    return [ch for ch in sorted(chunks, key=lambda ch: -sum(map(cost, ch))) if ch]


def _one_blas_thread() -> None:
    """Worker initializer: limit OpenBLAS to one thread (two workers on two cores; the matrices are tiny).

    A forked worker inherits OpenBLAS's thread pool, and several workers each spinning up BLAS
    threads made the grid six times slower here. Best effort: does nothing if the call is missing.
    """
    try:
        import ctypes
        import re

        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            libs = sorted(set(re.findall(r"(/\S*openblas\S*\.so\S*)", maps.read())))
        for path in libs:
            lib = ctypes.CDLL(path)
            for name in ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                         "openblas_set_num_threads64_", "openblas_set_num_threads"):
                if hasattr(lib, name):
                    getattr(lib, name)(1)
                    break
    except (OSError, AttributeError):
        pass


def explorer_grid(configs: list[Config] | None = None, workers: int | None = None) -> dict[Config, GridPoint]:
    """Compute every configuration; workers=None uses min(2, CPUs), workers<=1 runs in this process.

    Workers are forked (they only run numpy; nothing else of this process is used there), so call
    this before creating anything fork-unsafe. If the pool breaks, the rest is computed here.
    Results do not depend on the number of workers.
    """
    configs = grid_configs() if configs is None else list(configs)
    groups = _groups(configs)
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    points: list[GridPoint] | None = None
    if workers > 1 and len(groups) >= 4 and "fork" in multiprocessing.get_all_start_methods():
        try:
            ctx = multiprocessing.get_context("fork")
            with worker_pool(workers, initializer=_one_blas_thread, mp_context=ctx) as pool:
                points = [p for chunk in pool.map(_compute_chunk, _chunks(groups, workers * 4)) for p in chunk]
        except Exception:  # noqa: BLE001  a broken or forbidden pool (e.g. inside a daemon): compute here
            points = None
    if points is None:
        points = [p for g in groups for p in compute_group(g)]
    by_key = {(p.depth, p.activation, p.init, p.batchnorm): p for p in points}
    return {c: by_key[c] for c in configs}

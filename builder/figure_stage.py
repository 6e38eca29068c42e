"""Figure stage: compute each distinct figure once with the numpy model, cached by (id, params, model source)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from .assemble import figure_key
from .cache import Cache, content_key
from .interrupts import worker_pool
from .progress import Progress
from .rendering import RenderedDoc


def compute_figures(docs: Sequence[RenderedDoc], cache: Cache, jobs: int | None = None, quiet: bool = False) -> tuple[dict[str, Any], dict[str, int]]:
    """figure key -> ComputedFigure for every figure the pages use; counters of computed and cached."""
    refs = {figure_key(ref.figure_id, ref.params): ref for doc in docs for ref in doc.figures}
    if not refs:
        return {}, {"computed": 0, "cached": 0}
    from .figures import ComputedFigure, source_hash

    model = source_hash()
    out: dict[str, Any] = {}
    todo = []
    for key, ref in sorted(refs.items()):
        cache_key = content_key("figure", model, ref.figure_id, ref.params)
        stored = cache.get("figures", cache_key)
        if stored is not None:
            out[key] = ComputedFigure(**stored)
        else:
            todo.append((key, cache_key, ref.figure_id, ref.params))
    counts = {"computed": len(todo), "cached": len(out)}
    if not todo:
        return out, counts
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    progress = Progress("Computing figures", len(todo), enabled=not quiet)
    if workers > 1:
        with worker_pool(workers) as pool:
            results = pool.map(_compute, [(fid, params) for _, _, fid, params in todo])
            for (key, cache_key, _, _), figure in zip(todo, results):
                out[key] = figure
                cache.put("figures", cache_key, asdict(figure))
                progress.advance()
    else:
        for key, cache_key, fid, params in todo:
            out[key] = _compute((fid, params))
            cache.put("figures", cache_key, asdict(out[key]))
            progress.advance()
    progress.close()
    return out, counts


def _compute(job: tuple[str, dict]) -> Any:
    from .figures import compute

    figure_id, params = job
    return compute(figure_id, params)


def figure_assets(figures: dict[str, Any]) -> dict[str, bytes]:
    """Files the figures need: plotly.min.js once, and each figure's own data files."""
    if not figures:
        return {}
    from .figures.assets import plotly_js

    files = {"assets/js/plotly.min.js": plotly_js().encode("utf-8")}
    for figure in figures.values():
        for name, text in figure.assets.items():
            files[f"assets/figures/{name}"] = text.encode("utf-8")
    return files


__all__ = ["compute_figures", "figure_assets"]

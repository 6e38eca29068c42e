"""The figure stage: compute each distinct figure the pages use, once, cached by its id, options and the code and
library versions it is computed with. Also how the render stage validates a figure directive."""

from __future__ import annotations

from collections.abc import Mapping

from ..incremental import Memo, Pool
from ..incremental.keys import BUILDER, content_key, package_versions, source_fingerprint
from ..model.figures import ComputedFigure, FigureTable, OptionProblem
from ..model.rendered import FigureRef, OptionValue, RenderedCourse


def compute_figures(rendered: RenderedCourse, memo: Memo) -> FigureTable:
    """Every figure the pages use, by FigureRef.key (two directives with the same id and options share one)."""
    refs = {ref.key: ref for doc in rendered.documents for ref in doc.figures}
    todo = [refs[key] for key in sorted(refs)]
    fingerprint = figure_fingerprint()
    done = memo.cached_map("figure", todo, key=lambda ref: content_key("figure", fingerprint, ref.figure_id, dict(ref.params)),
                           compute=_compute, value_type=ComputedFigure, pool=Pool(min_items=2), label="Computing figures")
    return FigureTable(figures={ref.key: figure for ref, figure in zip(todo, done.values)},
                       computed=done.computed, cached=done.cached, diagnostics=())


def figure_fingerprint() -> str:
    """What computed figures depend on besides their options: the figure code, the model, numpy's and plotly's
    versions."""
    return content_key("figures", source_fingerprint(BUILDER / "figures"), source_fingerprint(BUILDER / "dynamics"),
                       package_versions("numpy", "plotly"))


def validate_figure(figure_id: str, options: Mapping[str, str]) -> tuple[dict[str, OptionValue] | None, list[OptionProblem]]:
    """A figure directive's options, typed and with defaults, or the problems with its id and options.

    The figure code (numpy, plotly) is imported on first use: a course without figures never loads it.
    """
    try:
        from ..figures import validate
    except ImportError as exc:  # a broken installation
        return None, [OptionProblem(None, f"figure `{figure_id}` cannot be computed: {exc}",
                                    "Reinstall course-builder with its dependencies (numpy, plotly).")]
    return validate(figure_id, dict(options))


def _compute(ref: FigureRef) -> ComputedFigure:
    from ..figures import compute

    return compute(ref.figure_id, dict(ref.params))


def figure_assets(figures: FigureTable) -> dict[str, bytes]:
    """Files the figures need: plotly.min.js once, and each figure's own data files."""
    if not figures.figures:
        return {}
    from plotly.offline import get_plotlyjs

    files = {"assets/js/plotly.min.js": get_plotlyjs().encode("utf-8")}
    for figure in figures.figures.values():
        for name, text in figure.assets.items():
            files[f"assets/figures/{name}"] = text.encode("utf-8")
    return files

"""The pipeline, top to bottom: load, check, render, typeset math, compute figures, render pages, write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import render_pages
from .cache import CACHE_DIR, Cache
from .config import SiteConfig, load_config
from .course import Course
from .diagnostics import Diagnostic, has_errors, sort_diagnostics
from .errors import BuildError
from .figure_stage import compute_figures, figure_assets
from .ledger import Ledger, apply_severity, check_ledger
from .compile import compile_course
from .pages import make_environment, theme_dirs
from .rendering import check_references
from .search_index import build_search_index
from .typeset import typeset_math
from .writer import WriteReport, write_site


@dataclass
class RunResult:
    """What a check or build found and did."""

    diagnostics: list[Diagnostic]
    config: SiteConfig | None = None
    course: Course | None = None
    ledger: Ledger | None = None
    report: WriteReport | None = None
    stats: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Checked:
    """The output of the checking stages, which `check` and `build` share."""

    config: SiteConfig
    course: Course
    ledger: Ledger
    env: object
    docs: list
    math_html: dict[str, list[str]]
    diagnostics: list[Diagnostic]
    counts: dict[str, int]


def run_checks(root: Path, cache: Cache, quiet: bool = True) -> Checked:
    """Load and render every page's Markdown (in parallel, cached), check the ledger and cross-references, typeset math."""
    config, diags = load_config(root)
    course, docs, found, _ = compile_course(config, cache, quiet=quiet)
    diags += found
    ledger, found = check_ledger(course)
    diags += found
    diags += check_references(docs, course, ledger)
    env = make_environment(config)
    math_html, found, counts = typeset_math(docs, config, cache.path("math"))
    diags += found
    diags = sort_diagnostics(apply_severity(diags, config.rules.severity))
    return Checked(config, course, ledger, env, docs, math_html, diags, counts)


def check(root: Path, use_cache: bool = True) -> RunResult:
    """Everything `course check` does: the checking stages, no figure computation, nothing written."""
    checked = run_checks(root, Cache(root / CACHE_DIR if use_cache else None))
    return RunResult(checked.diagnostics, checked.config, checked.course, checked.ledger,
                     stats={"math_rendered": checked.counts["rendered"], "math_cached": checked.counts["cached"]})


def build(root: Path, out: Path | None = None, force: bool = False, use_cache: bool = True,
          live_reload: bool = False, quiet: bool = False) -> RunResult:
    """Everything `course build` does; raises BuildError (writing nothing) when any error is found."""
    started = time.perf_counter()
    cache = Cache(root / CACHE_DIR if use_cache else None)
    checked = run_checks(root, cache, quiet=quiet)
    if has_errors(checked.diagnostics):
        raise BuildError(checked.diagnostics)
    config, docs = checked.config, checked.docs
    figures, figure_counts = compute_figures(docs, cache, quiet=quiet)
    pages = render_pages(checked.course, checked.ledger, docs, checked.math_html, figures, checked.env, live_reload=live_reload)
    files = {path: html.encode("utf-8") for path, html in pages.items()}
    files["assets/search-index.js"] = build_search_index(checked.course, docs).encode("utf-8")
    files.update(theme_assets(config, live_reload=live_reload))
    files.update(figure_assets(figures))
    files.update(media_files(root, docs))
    if any(doc.math for doc in docs):
        files.update(katex_assets())
    report = write_site(files, out or config.output, root, force=force)
    stats = {"seconds": time.perf_counter() - started, "math_rendered": checked.counts["rendered"],
             "math_cached": checked.counts["cached"], "figures_computed": figure_counts["computed"],
             "figures_cached": figure_counts["cached"]}
    return RunResult(checked.diagnostics, config, checked.course, checked.ledger, report, stats)


LIVE_RELOAD_SCRIPT = "assets/js/livereload.js"


def theme_assets(config: SiteConfig, live_reload: bool = False) -> dict[str, bytes]:
    """The theme's static files under assets/ (a site's own theme folder overrides files of the same name)."""
    files: dict[str, bytes] = {}
    for folder in reversed(theme_dirs(config)):
        static = folder / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    files["assets/" + path.relative_to(static).as_posix()] = path.read_bytes()
    if not live_reload:
        files.pop(LIVE_RELOAD_SCRIPT, None)  # serve mode only
    return files


def media_files(root: Path, docs) -> dict[str, bytes]:
    """Images and files lessons link to, copied under media/."""
    return {site: (root / source).read_bytes() for doc in docs for site, source in doc.media.items()}


def katex_assets() -> dict[str, bytes]:
    """KaTeX's CSS and woff2 fonts, of the version that typeset the pages."""
    from .math import katex_assets as assets

    return {f"assets/katex/{name}": data for name, data in assets().items()}


__all__ = ["check", "build", "RunResult", "BuildError", "load_config"]

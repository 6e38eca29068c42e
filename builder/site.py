"""The pipeline, top to bottom: load, check, render, typeset math, compute figures, render pages, write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .assemble import render_pages
from .cache import CACHE_DIR, Cache, content_key
from .config import SiteConfig, load_config
from .course import Course
from .diagnostics import Diagnostic, has_errors, sort_diagnostics
from .errors import BuildError
from .figure_stage import compute_figures, figure_assets
from .ledger import Ledger, apply_severity, check_ledger
from .compile import compile_course, source_fingerprint
from .pages import make_environment, theme_dirs
from .markup.render import probes_changed
from .rendering import check_references
from .search_index import build_search_index
from .sources import tree_stamp
from .typeset import typeset_math
from .writer import WriteReport, marker_identity, write_site


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
    math_html, found, counts = typeset_math(docs, config, cache)
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
    config = load_config(root)[0]
    target = out or config.output
    stamp = input_stamp(root, target, live_reload, config) if use_cache else ""
    previous = cache.get("builds", content_key("last-build", str(target))) if stamp else None
    if previous and previous.get("marker") != marker_identity(target):
        previous = None  # the folder holds another build's output than the one recorded
    if previous and previous["stamp"] == stamp and not probes_changed(root, previous.get("probes", {})):
        # Nothing the site is made from has changed since the last successful build into this folder.
        diags = [Diagnostic(**d) for d in previous["diagnostics"]]
        report = WriteReport(files=previous["files"], written=0, bytes=previous["bytes"])
        return RunResult(diags, config, None, None, report, {"seconds": time.perf_counter() - started, "math_rendered": 0,
                         "math_cached": 0, "figures_computed": 0, "figures_cached": 0, "unchanged": 1})
    checked = run_checks(root, cache, quiet=quiet)
    if has_errors(checked.diagnostics):
        raise BuildError(checked.diagnostics)
    config, docs = checked.config, checked.docs
    figures, figure_counts = compute_figures(docs, cache, quiet=quiet)
    # Lesson and module pages whose inputs are those of the last build into this folder are carried over, not rendered.
    published = {path: digest for path, digest in (previous or {}).get("pages", {}).items() if (target / path).is_file()}
    rendered = render_pages(checked.course, checked.ledger, docs, checked.math_html, figures, checked.env,
                            live_reload=live_reload, previous=published)
    files = {path: html.encode("utf-8") for path, html in rendered.pages.items()}
    files["assets/search-index.js"] = build_search_index(checked.course, docs).encode("utf-8")
    files.update(theme_assets(config, live_reload=live_reload))
    files.update(figure_assets(figures))
    files.update(media_files(root, docs))
    if any(doc.math for doc in docs):
        files.update(katex_assets())
    report = write_site(files, out or config.output, root, force=force, kept=rendered.kept)
    if stamp:
        cache.put("builds", content_key("last-build", str(target)), {
            "stamp": stamp, "marker": marker_identity(target), "files": report.files, "bytes": report.bytes,
            "pages": rendered.digests, "probes": {rel: state for doc in docs for rel, state in doc.probes.items()},
            "diagnostics": [dict(path=d.path, line=d.line, column=d.column, code=d.code, severity=d.severity,
                                 message=d.message, hint=d.hint) for d in checked.diagnostics]})
    stats = {"seconds": time.perf_counter() - started, "math_rendered": checked.counts["rendered"],
             "math_cached": checked.counts["cached"], "figures_computed": figure_counts["computed"],
             "figures_cached": figure_counts["cached"], "pages_rendered": len(rendered.pages),
             "pages_kept": len(rendered.kept)}
    return RunResult(checked.diagnostics, config, checked.course, checked.ledger, report, stats)


LIVE_RELOAD_SCRIPT = "assets/js/livereload.js"
SOURCES = ("site.yaml", "content", "lessons", "theme")


def input_stamp(root: Path, out: Path, live_reload: bool, config: SiteConfig) -> str:
    """A stamp of everything a build reads (paths, sizes, modification times) and of the builder itself."""
    import hashlib

    roots = [root / name for name in SOURCES] + ([config.theme_dir] if config.theme_dir else [])
    return hashlib.sha256(repr((source_fingerprint(), str(out), live_reload, tree_stamp(roots))).encode()).hexdigest()


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

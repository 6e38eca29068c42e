"""Load and render the course: each lesson is validated, parsed and rendered as one unit of work.

Units run in a process pool when there are many to do, and each unit's result is cached under the hash
of everything it depends on (file text, concept registry, depth scale, Markdown settings, theme partials,
figure registry, builder source), so a warm build loads and renders nothing it did before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import Cache, content_key
from .config import SiteConfig
from .course import Concept, Course, Lesson
from .diagnostics import Diagnostic
from .interrupts import worker_pool
from .loader import (ConceptIndex, LessonFile, discover_lessons, lesson_schema, load_lesson, load_module, load_registry,
                     order_lessons, read_text)
from .markup import make_parser
from .markup.render import probes_changed
from .pages import Partials, make_environment, theme_dirs
from .progress import Progress
from .rendering import RenderedDoc, Renderer

PARALLEL_THRESHOLD = 24
"""Below this many lessons to compile, a process pool costs more than it saves."""


@dataclass(frozen=True)
class CompiledLesson:
    """One lesson file's outcome: the Lesson (without tokens) and its rendered page fragments, or findings only."""

    lesson: Lesson | None
    doc: RenderedDoc | None
    diagnostics: tuple[Diagnostic, ...]


def compile_course(config: SiteConfig, cache: Cache, jobs: int | None = None, quiet: bool = True
                   ) -> tuple[Course, list[RenderedDoc], list[Diagnostic], dict[str, int]]:
    """The Course, every page's rendered fragments, the findings of loading and rendering, and counters."""
    diags: list[Diagnostic] = []
    root = config.root
    concepts, prior = load_registry(root, config, diags)
    fingerprint = _fingerprint(config, concepts)
    files = discover_lessons(root, config, diags)
    results: dict[str, CompiledLesson] = {}
    todo: list[tuple[LessonFile, str, str]] = []
    keys: dict[str, str] = {}
    for f in files:
        text = read_text(root, f.path, diags)
        if text is None:
            continue
        key = keys[f.rel] = content_key("lesson", fingerprint, f.rel, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
        hit = _cache_get(cache, key)
        if hit is not None and hit.doc is not None and probes_changed(root, hit.doc.probes):
            hit = None  # a file its links point at appeared, vanished or changed since
        if hit is not None:
            results[f.rel] = hit
        else:
            todo.append((f, text, key))
    workers = min(jobs or os.cpu_count() or 1, len(todo)) if len(todo) >= PARALLEL_THRESHOLD else 1
    progress = Progress("Rendering lessons", len(todo), enabled=not quiet and len(todo) >= 50)
    if workers > 1:
        with worker_pool(workers, initializer=_init_worker, initargs=(config, concepts)) as pool:
            chunk = max(1, len(todo) // (workers * 8))
            for (f, _, key), result in zip(todo, pool.map(_compile_job, [(f, text) for f, text, _ in todo], chunksize=chunk)):
                results[f.rel] = result
                _cache_put(cache, key, result)
                progress.advance()
    else:
        if todo:
            _init_worker(config, concepts)
        for f, text, key in todo:
            results[f.rel] = result = _compile_job((f, text))
            _cache_put(cache, key, result)
            progress.advance()
    progress.close()

    lessons, docs = [], []
    for f in files:
        result = results.get(f.rel)
        if result is None:
            continue
        diags.extend(result.diagnostics)
        if result.lesson is not None and result.doc is not None:
            lessons.append(result.lesson)
            docs.append(replace(result.doc, source_key=keys[f.rel]))
    by_module = order_lessons(lessons, diags)
    kept = {lesson.path for module_lessons in by_module.values() for lesson in module_lessons}
    docs = [doc for doc in docs if doc.path in kept]
    renderer = _main_renderer(config, concepts)
    modules = []
    for module_id in config.modules:
        module = load_module(root, module_id, renderer.md, diags, by_module.get(module_id, ()))
        if module is not None:
            modules.append(module)
            docs.append(renderer.module(module))
    course = Course(config=config, concepts=concepts, prior=tuple(prior), modules=tuple(modules))
    docs.append(renderer.glossary(course))
    for doc in docs:
        if not doc.key.startswith("lesson:"):
            diags.extend(doc.diagnostics)
    return course, docs, diags, {"compiled": len(todo), "cached": len(results) - len(todo)}


# ------------------------------------------------------------------------------------------ worker side

_WORKER: dict[str, object] = {}


def _init_worker(config: SiteConfig, concepts: dict[str, Concept]) -> None:
    """Per process: the parser, schema, concept index and theme partials (created once, after fork)."""
    _WORKER["renderer"] = _main_renderer(config, concepts)
    _WORKER["schema"] = lesson_schema(config.depths)


def _main_renderer(config: SiteConfig, concepts: dict[str, Concept]) -> Renderer:
    return Renderer(md=make_parser(), index=ConceptIndex(concepts), partial=Partials(make_environment(config)),
                    allow_html=config.allow_html, project=config.root)


def _compile_job(job: tuple[LessonFile, str]) -> CompiledLesson:
    f, text = job
    renderer: Renderer = _WORKER["renderer"]  # type: ignore[assignment]
    diags: list[Diagnostic] = []
    lesson = load_lesson(f, text, _WORKER["schema"], renderer.index, renderer.md, diags)  # type: ignore[arg-type]
    if lesson is None:
        return CompiledLesson(None, None, tuple(diags))
    doc = renderer.lesson(lesson)
    diags.extend(doc.diagnostics)
    return CompiledLesson(replace(lesson, tokens=(), source=""), doc, tuple(diags))  # both only needed to render


# ------------------------------------------------------------------------------------------ cache

def _cache_get(cache: Cache, key: str) -> CompiledLesson | None:
    data = cache.get_bytes("lessons", key)
    if data is None:
        return None
    try:
        value = pickle.loads(data)
    except Exception:  # a cache from another version: recompute
        return None
    return value if isinstance(value, CompiledLesson) else None


def _cache_put(cache: Cache, key: str, value: CompiledLesson) -> None:
    cache.put_bytes("lessons", key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _fingerprint(config: SiteConfig, concepts: dict[str, Concept]) -> str:
    """Everything besides its own text that a lesson's compiled form depends on."""
    digest = hashlib.sha256()
    for concept in sorted(concepts.values(), key=lambda c: c.id):
        digest.update(repr((concept.id, concept.name, concept.aliases)).encode())
    digest.update(repr((config.depths, config.allow_html, str(config.root))).encode())
    for folder in theme_dirs(config):
        partials = folder / "partials"
        for path in sorted(partials.glob("*.html")) if partials.is_dir() else ():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(source_fingerprint().encode())
    return digest.hexdigest()


_SOURCE: list[str] = []


def source_fingerprint() -> str:
    """Hash of the builder's own source (so a changed builder never reuses stale results)."""
    if not _SOURCE:
        digest = hashlib.sha256()
        package = Path(__file__).resolve().parent
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
        _SOURCE.append(digest.hexdigest())
    return _SOURCE[0]

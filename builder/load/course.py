"""The load stage: site files -> Course (concept registry, prior knowledge, modules with their lessons in order)."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from ..figures.discovery import load_figures
from ..incremental import Memo, Pool
from ..incremental.keys import builder_fingerprint, content_key, text_digest
from ..model.config import SiteConfig
from ..model.course import Concept, ConceptIndex, Course, LoadedLesson, UnreadLesson
from ..model.diagnostics import Diagnostic
from ..progress import stage
from .bibliography import load_bibliography
from .files import read_text
from .includes import load_includes
from .lessons import LessonFile, discover_lessons, lesson_schema, load_lesson, order_lessons
from .modules import load_module
from .registry import CONCEPTS, PRIOR, Registry, load_registry


@stage("loading", lambda c: f"{len(c.lessons)} lessons in {len(c.modules)} modules, {len(c.figures.figures)} figures declared")
def load_course(config: SiteConfig, memo: Memo) -> Course:
    """Read every source file of the course; each problem is a finding and the run goes on."""
    root = config.root
    registry = _registry(config, memo)
    diags: list[Diagnostic] = list(registry.diagnostics)
    files = discover_lessons(root, config, diags)
    texts = {f.rel: text for f in files
             if (text := memo.source_text(root / f.rel, functools.partial(read_text, root, root / f.rel, diags))) is not None}
    jobs = [(f, texts[f.rel]) for f in files if f.rel in texts]
    registry_key = _registry_key(registry.concepts, config.depths, registry.readable)
    loaded = memo.cached_map("lesson", jobs, key=lambda job: content_key(registry_key, job[0].rel, text_digest(job[1])),
                             compute=_load_job, value_type=LoadedLesson,
                             pool=Pool(_init_worker, (config.depths, registry.concepts, registry.readable), min_items=64))
    lessons, unread = [], []
    for (f, _), result in zip(jobs, loaded.values):
        diags.extend(result.diagnostics)
        if result.lesson is not None:
            lessons.append(result.lesson)
        else:
            unread.append(UnreadLesson(f.rel, f.module, f.slug, f.position))
    by_module = order_lessons(lessons, diags)
    modules = []
    for module_id in config.modules:
        found = load_module(root, module_id, by_module.get(module_id, ()), diags)
        if found is not None:
            module, texts[module.path] = found
            modules.append(module)
    figures = load_figures(root).catalog
    bibliography = load_bibliography(root, diags)
    includes = load_includes(root, texts, diags)
    return Course(config=config, concepts=registry.concepts, prior=registry.prior, modules=tuple(modules),
                  texts=texts, figures=figures, diagnostics=tuple(diags) + figures.diagnostics,
                  concepts_readable=registry.readable, unread=tuple(unread), bibliography=bibliography,
                  includes=includes)


def _registry(config: SiteConfig, memo: Memo) -> Registry:
    """The registry, read from the cache when concepts.yaml and prior.yaml are as they were (a 2,000-concept
    registry takes a third of a second to parse and validate on every edit otherwise)."""
    stamps = [_file_digest(config.root / rel) for rel in (CONCEPTS, PRIOR)]
    key = content_key("registry", stamps, config.depths, config.modules, builder_fingerprint())
    registry = memo.get("registry", key, Registry)
    if registry is None:
        registry = load_registry(config.root, config)
        memo.put("registry", key, registry)
    return registry


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:  # missing or unreadable: load_registry says which
        return None


def _registry_key(concepts: dict[str, Concept], depths: tuple[str, ...], readable: bool) -> str:
    """What a lesson's frontmatter validation depends on besides its text: concept names, the depth scale, the
    builder's own code."""
    names = sorted((c.id, c.name, c.aliases) for c in concepts.values())
    return content_key("lesson-schema", names, depths, readable, builder_fingerprint())


_WORKER: dict[str, object] = {}


def _init_worker(depths: tuple[str, ...], concepts: dict[str, Concept], readable: bool) -> None:
    _WORKER["schema"] = lesson_schema(depths)
    _WORKER["index"] = ConceptIndex(concepts, readable)


def _load_job(job: tuple[LessonFile, str]) -> LoadedLesson:
    f, text = job
    return load_lesson(f, text, _WORKER["schema"], _WORKER["index"])  # type: ignore[arg-type]

"""Lesson files -> Lessons: find them (lessons/<module>/NN-slug.md), validate their frontmatter, order them."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..model.config import LESSON_TYPES, SiteConfig
from ..model.course import Example, Gap, Lesson, LoadedLesson, Misconception, Prerequisite, Teach
from ..model.diagnostics import Diagnostic, Pos, error
from ..model.course import ConceptIndex
from .registry import resolve_concept
from .skeleton import leftover_findings
from .yaml_schema import Field, Record, YamlSource

LESSON_NAME = re.compile(r"^(\d+)-([a-z0-9][a-z0-9-]*)\.md$")
MODALITIES = ("concrete", "visual", "symbolic", "analogy", "intuitive")
SIZES = ("small", "medium", "large")
EXAMPLE_KINDS = ("positive", "negative")


def lesson_schema(depths: tuple[str, ...]) -> dict[str, Field]:
    """The frontmatter schema of LESSON_FORMAT.md, with the site's depth scale."""
    misconception = {
        "claim": Field("str", "the wrong belief, in the student's words", required=True),
        "why": Field("str", "why a student would believe it"),
        "counterexample": Field("str", "the negative example that disproves it"),
        "where": Field("str", "id of the heading or callout in the body that addresses it", required=True),
    }
    return {
        "title": Field("str", "the lesson title", required=True),
        "type": Field("str", "STRETCH | BUILD | CONSOLIDATE", required=True, choices=LESSON_TYPES),
        "summary": Field("str", "one sentence shown in lists and the meta description"),
        "objective": Field("str", "what the student can do after the lesson"),
        "slug": Field("str", "the lesson id; must match the file name"),
        "position": Field("int", "the lesson's position; must match the file name's NN"),
        "prerequisites": Field("list", "concepts the lesson assumes", item={
            "concept": Field("str", "concept id, name or alias", required=True),
            "depth": Field("str", "depth the lesson needs", required=True, choices=depths),
            "source": Field("str", "slug of the lesson that established it"),
            "why": Field("str", "why the lesson needs it"),
        }),
        "gaps": Field("list", "prerequisites no earlier lesson taught, resolved here", item={
            "concept": Field("str", "concept id, name or alias", required=True),
            "size": Field("str", "small | medium | large", choices=SIZES),
            "resolution": Field("str", "how the lesson resolves the gap"),
        }),
        "teaches": Field("list", "depths this lesson brings concepts to", item={
            "concept": Field("str", "concept id, name or alias", required=True),
            "depth": Field("str", "depth reached after the lesson", required=True, choices=depths),
            "notes": Field("str", "what was taught"),
        }),
        "misconceptions": Field("list", "wrong beliefs the lesson confronts", item=misconception),
        "examples": Field("list", "planned examples", item={
            "name": Field("str", "the example", required=True),
            "kind": Field("str", "positive | negative", required=True, choices=EXAMPLE_KINDS),
            "purpose": Field("str", "what it shows"),
        }),
        "modalities": Field("strlist", "ways the core concept is presented", choices=MODALITIES),
        "draft": Field("bool", "true: checked, pedagogy minimums as warnings, left out of builds without --drafts"),
    }


def split_frontmatter(rel: str, text: str, diags: list[Diagnostic]) -> tuple[str, int] | None:
    """The frontmatter YAML text and its first line, or None (with a finding) when absent or unclosed."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        what = "file is empty" if not text.strip() else "file does not start with a `---` frontmatter block"
        diags.append(error("CB201", rel, Pos(1, 1), what, "Start the file with `---`, the YAML frontmatter (title, type, ...), and `---`."))
        return None
    for i, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), 2
    diags.append(error("CB201", rel, Pos(1, 1), "frontmatter opened with `---` on line 1 is never closed",
                       "Add a line with `---` after the last frontmatter key."))
    return None


def misconceptions_of(rec: Record) -> list[Misconception]:
    """The `misconceptions` of a validated frontmatter record."""
    return [Misconception(str(m.get("claim", "")), str(m.get("why", "")), str(m.get("counterexample", "")),
                          str(m.get("where", "")), m.at, m.pos("where")) for m in rec.get("misconceptions", [])]


@dataclass(frozen=True)
class LessonFile:
    """A lesson file found under lessons/: where it is and what its name says."""

    rel: str
    module: str
    position: int
    slug: str


def discover_lessons(root: Path, config: SiteConfig, diags: list[Diagnostic]) -> list[LessonFile]:
    """Every lessons/<module>/NN-slug.md of a listed module; misplaced or misnamed files, and listed modules without
    a page (content/modules/<id>.md), are findings."""
    for module_id in config.modules:
        page = f"content/modules/{module_id}.md"
        if not (root / page).is_file():
            diags.append(error("CB102", "site.yaml", config.positions.get("modules"), f"module `{module_id}` is listed but {page} does not exist",
                               f"Create {page} with `title:` and `goal:` frontmatter, or remove the module from `modules:`."))
    lessons_dir = root / "lessons"
    if not lessons_dir.is_dir():
        return []
    found = []
    for parts in _markdown_files(lessons_dir):
        rel = "lessons/" + "/".join(parts)
        if len(parts) != 2 or parts[0] not in config.modules:
            listed = ", ".join(config.modules)
            diags.append(error("CB103", rel, None, "this lesson is not inside a module listed in site.yaml",
                               f"Move it to lessons/<module-id>/ for one of: {listed}; or add its module to `modules:`."))
            continue
        match = LESSON_NAME.match(parts[1])
        if not match:
            diags.append(error("CB209", rel, None, f"lesson file name `{parts[1]}` is not `NN-slug.md`",
                               "Name it with its position and slug, e.g. `03-computational-graphs.md` (lower case, digits, hyphens)."))
            continue
        found.append(LessonFile(rel, parts[0], int(match.group(1)), match.group(2)))
    return found


def _markdown_files(folder: Path) -> list[tuple[str, ...]]:
    """Every .md file under `folder` as its path's parts below it, in path order (what sorted(rglob("*.md")) gives,
    links to folders not followed, in one walk: a course's thousand lessons made a Path each, twice)."""
    found = []
    for top, folders, names in os.walk(folder):
        below = os.path.relpath(top, folder).split(os.sep) if top != str(folder) else []
        found += [(*below, name) for name in names + folders if name.endswith(".md")]  # a folder so named: CB200
    return sorted(found)


def order_lessons(lessons: list[Lesson], diags: list[Diagnostic]) -> dict[str, tuple[Lesson, ...]]:
    """Lessons by module in position order; duplicate slugs (dropped) and positions are findings."""
    by_module: dict[str, list[Lesson]] = {}
    seen_slugs: dict[str, str] = {}
    for lesson in sorted(lessons, key=lambda lesson: lesson.path):
        if lesson.slug in seen_slugs:
            diags.append(error("CB211", lesson.path, lesson.pos("title"), f"slug `{lesson.slug}` is already used by {seen_slugs[lesson.slug]}",
                               "Lesson slugs are page URLs and must be unique across the site; rename one file."))
            continue
        seen_slugs[lesson.slug] = lesson.path
        by_module.setdefault(lesson.module, []).append(lesson)
    result = {}
    for module_id, module_lessons in by_module.items():
        module_lessons.sort(key=lambda lesson: (lesson.position, lesson.slug))
        for before, after in zip(module_lessons, module_lessons[1:]):
            if before.position == after.position:
                diags.append(error("CB212", after.path, Pos(1), f"position {after.position} is also used by {before.path}",
                                   "Give each lesson of a module its own NN- position."))
        result[module_id] = tuple(module_lessons)
    return result


def load_lesson(f: LessonFile, text: str, schema: dict[str, Field], index: ConceptIndex) -> LoadedLesson:
    """One lesson file's frontmatter validated into a Lesson, and every finding on the way."""
    diags: list[Diagnostic] = []
    lesson = _lesson(f, text, schema, index, diags)
    diags += leftover_findings(f.rel, text, draft=lesson.draft if lesson else True)
    return LoadedLesson(lesson, tuple(diags))


def _lesson(f: LessonFile, text: str, schema: dict[str, Field], index: ConceptIndex,
            diags: list[Diagnostic]) -> Lesson | None:
    rel, module, position, slug = f.rel, f.module, f.position, f.slug
    split = split_frontmatter(rel, text, diags)
    if split is None:
        return None
    src = YamlSource(rel, split[0], split[1])
    node = src.compose()
    if node is None:
        if not src.diagnostics:
            diags.append(error("CB203", rel, Pos(2), "frontmatter is empty", "Give the lesson at least `title:` and `type:`."))
        diags.extend(src.diagnostics)
        return None
    if not isinstance(node, yaml.MappingNode):
        diags.append(error("CB203", rel, src.pos(node), "frontmatter is not a mapping of keys to values",
                           "Write `key: value` lines, e.g. `title: Backpropagation`."))
        return None
    rec = src.record(node, schema, "the frontmatter")
    diags.extend(src.diagnostics)
    if rec is None:
        return None
    # A missing or invalid title or type is already a finding; the lesson is still loaded (title = slug, type = "")
    # so its body is checked too and later lessons are not flooded with findings about what it teaches.
    if "slug" in rec.values and rec.get("slug") != slug:
        diags.append(error("CB210", rel, rec.pos("slug"), f"slug `{rec.get('slug')}` disagrees with the file name (`{slug}`)",
                           f"Remove `slug:` (it comes from the file name) or rename the file to `{position:02d}-{rec.get('slug')}.md`."))
    if "position" in rec.values and rec.get("position") != position:
        diags.append(error("CB210", rel, rec.pos("position"), f"position {rec.get('position')} disagrees with the file name ({position})",
                           "Remove `position:` (it comes from the file name's NN-) or rename the file."))

    def concept_of(item: Record) -> str | None:
        return resolve_concept(rel, index, item, "concept", diags)

    prerequisites = []
    for p in rec.get("prerequisites", []):
        concept = concept_of(p)
        if concept and "depth" in p.values:
            prerequisites.append(Prerequisite(concept, p.get("depth"), str(p.get("source", "")), str(p.get("why", "")),
                                              p.at, p.pos("depth"), p.pos("source")))
    gaps = [Gap(c, str(g.get("size", "")), str(g.get("resolution", "")), g.at) for g in rec.get("gaps", []) if (c := concept_of(g))]
    teaches = [Teach(c, t.get("depth"), str(t.get("notes", "")), t.at, t.pos("depth"))
               for t in rec.get("teaches", []) if (c := concept_of(t)) and "depth" in t.values]
    examples = [Example(str(e.get("name", "")), e.get("kind"), str(e.get("purpose", "")), e.at)
                for e in rec.get("examples", []) if "kind" in e.values]
    return Lesson(
        path=rel, module=module, slug=slug, position=position, title=str(rec.get("title", slug)), type=rec.get("type", ""),
        summary=str(rec.get("summary", "")), objective=str(rec.get("objective", "")),
        prerequisites=tuple(prerequisites), gaps=tuple(gaps), teaches=tuple(teaches),
        misconceptions=tuple(misconceptions_of(rec)), examples=tuple(examples),
        modalities=tuple(dict.fromkeys(rec.get("modalities", []))), draft=bool(rec.get("draft", False)),
        positions=dict(rec.positions),
    )

"""Files -> Course: read site content, validate frontmatter into dataclasses, keep every position."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .config import LESSON_TYPES, SiteConfig
from .course import (Concept, Course, Example, Gap, Lesson, Misconception, Module, Prerequisite, PriorRecord, Teach)
from .diagnostics import Diagnostic, Pos, error
from .markup import anchors_of, make_parser
from .sources import read_text
from .yamlnodes import Field, Record, YamlSource, did_you_mean

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
    }


MODULE_SCHEMA = {
    "title": Field("str", "the module title", required=True),
    "goal": Field("str", "what the module achieves", required=True),
    "misconceptions": Field("list", "module-level misconceptions; `where` names the lesson that addresses each", item={
        "claim": Field("str", "the wrong belief", required=True),
        "why": Field("str", "why a student would believe it"),
        "counterexample": Field("str", "what disproves it"),
        "where": Field("str", "slug of the lesson that addresses it", required=True),
    }),
}

CONCEPT_SCHEMA = {
    "name": Field("str", "the concept's display name", required=True),
    "aliases": Field("strlist", "other names authors may use"),
    "definition": Field("str", "a one-line definition (the glossary entry)"),
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


class ConceptIndex:
    """Resolve concept ids, names and aliases (names and aliases case-insensitively)."""

    def __init__(self, concepts: dict[str, Concept]) -> None:
        self.ids = frozenset(concepts)
        self.names: dict[str, str] = {}
        for concept in concepts.values():
            for label in (concept.name, *concept.aliases):
                self.names.setdefault(label.casefold(), concept.id)

    def resolve(self, text: str) -> str | None:
        """The concept id for an id, name or alias, or None."""
        return text if text in self.ids else self.names.get(text.casefold())

    def suggestions(self) -> list[str]:
        """Everything an author could have meant."""
        return sorted(self.ids)


def load_registry(root: Path, config: SiteConfig, diags: list[Diagnostic]) -> tuple[dict[str, Concept], list[PriorRecord]]:
    """content/concepts.yaml and content/prior.yaml."""
    concepts = _load_concepts(root, diags)
    return concepts, _load_prior(root, config, ConceptIndex(concepts), diags)


def load_course(config: SiteConfig) -> tuple[Course, list[Diagnostic]]:
    """Read concepts, prior knowledge, modules and lessons; every problem is a finding, the run goes on.

    (The build uses builder.compile, which does the same per lesson in parallel and with a cache.)
    """
    diags: list[Diagnostic] = []
    root = config.root
    concepts, prior = load_registry(root, config, diags)
    index = ConceptIndex(concepts)
    md = make_parser()
    lessons_by_module = _load_lessons(root, config, index, md, diags)
    modules = []
    for module_id in config.modules:
        module = load_module(root, module_id, md, diags, lessons_by_module.get(module_id, ()))
        if module is not None:
            modules.append(module)
    return Course(config=config, concepts=concepts, prior=tuple(prior), modules=tuple(modules)), diags


def _yaml_file(root: Path, rel: str, diags: list[Diagnostic]) -> tuple[YamlSource, yaml.Node] | None:
    path = root / rel
    if not path.is_file():
        return None
    text = read_text(root, path, diags)
    if text is None:
        return None
    src = YamlSource(rel, text)
    node = src.compose()
    diags.extend(src.diagnostics)
    src.diagnostics.clear()
    if node is None:
        return None
    return src, node


def _load_concepts(root: Path, diags: list[Diagnostic]) -> dict[str, Concept]:
    rel = "content/concepts.yaml"
    loaded = _yaml_file(root, rel, diags)
    if loaded is None:
        if not (root / rel).exists():
            diags.append(error("CB104", rel, None, "there is no content/concepts.yaml",
                               "Create it: one entry per concept id with `name`, `aliases` and `definition`."))
        return {}
    src, node = loaded
    if not isinstance(node, yaml.MappingNode):
        diags.append(error("CB104", rel, src.pos(node), "concepts.yaml must map concept ids to entries",
                           "Write `concept-id:` followed by indented `name:`, `aliases:` and `definition:`."))
        return {}
    concepts: dict[str, Concept] = {}
    label_pos: dict[tuple[str, str], Pos] = {}  # (concept id, name or alias) -> where it is written
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or _is_null_key(key_node):
            diags.append(error("CB104", rel, src.pos(key_node), "a concept id must be a word, e.g. `chain-rule`",
                               "Write `concept-id:` followed by indented `name:`, `aliases:` and `definition:`."))
            continue
        cid = str(key_node.value)
        if cid in concepts:
            diags.append(error("CB104", rel, src.pos(key_node), f"concept `{cid}` is defined twice", "Keep one entry per id."))
            continue
        rec = src.record(value_node, CONCEPT_SCHEMA, f"concept `{cid}`")
        if rec is None or "name" not in rec.values:
            continue
        concepts[cid] = Concept(cid, str(rec.get("name")), tuple(map(str, rec.get("aliases", ()))), str(rec.get("definition", "")),
                                src.pos(key_node))
        label_pos.update(_label_positions(src, cid, value_node))
    diags.extend(src.diagnostics)
    diags.extend(_claimed_twice(rel, concepts, label_pos))
    return concepts


def _is_null_key(node: yaml.ScalarNode) -> bool:
    return node.tag.endswith(":null") or not str(node.value).strip()


def _label_positions(src: YamlSource, cid: str, entry: yaml.Node) -> dict[tuple[str, str], Pos]:
    out: dict[tuple[str, str], Pos] = {}
    for key, value in entry.value if isinstance(entry, yaml.MappingNode) else ():
        if key.value == "name" and isinstance(value, yaml.ScalarNode):
            out[(cid, str(value.value))] = src.pos(value)
        elif key.value == "aliases" and isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if isinstance(item, yaml.ScalarNode):
                    out.setdefault((cid, str(item.value)), src.pos(item))
    return out


def _claimed_twice(rel: str, concepts: dict[str, Concept], label_pos: dict[tuple[str, str], Pos]) -> list[Diagnostic]:
    """A name or alias must resolve to its own concept only.

    Lookups never chain (an id wins, then names and aliases, case-insensitively), so aliases cannot loop; but
    an alias that names another concept - its id, name or alias - makes one word mean two concepts. A "cycle"
    (`a` aliased `b` while `b` is aliased `a`) is this at every step, and each step is reported.
    """
    ids = {cid.casefold(): cid for cid in concepts}
    claimed: dict[str, str] = {}
    for concept in concepts.values():
        for label in dict.fromkeys((concept.name, *concept.aliases)):
            claimed.setdefault(label.casefold(), concept.id)
    diags = []
    for concept in concepts.values():
        for label in dict.fromkeys((concept.name, *concept.aliases)):
            key = label.casefold()
            owner = ids.get(key) or claimed[key]  # a word that is an id belongs to that concept
            if owner == concept.id:
                continue
            what = "name" if label == concept.name else "alias"
            other = "the id" if ids.get(key) == owner else "a name or alias"
            pos = label_pos.get((concept.id, label), concept.pos)
            diags.append(error("CB105", rel, pos, f"{what} `{label}` of `{concept.id}` is also {other} of concept `{owner}`",
                               f"Remove it from `{concept.id}` or from `{owner}`: a name or alias must mean one concept "
                               "(it may not be another concept's id, name or alias)."))
    return diags


def _load_prior(root: Path, config: SiteConfig, index: ConceptIndex, diags: list[Diagnostic]) -> list[PriorRecord]:
    rel = "content/prior.yaml"
    loaded = _yaml_file(root, rel, diags)
    if loaded is None:
        return []
    src, node = loaded
    schema = Field("list", "what earlier modules established", item={
        "concept": Field("str", "concept id, name or alias", required=True),
        "depth": Field("str", "depth reached", required=True, choices=config.depths),
        "source": Field("str", "slug of the earlier module's lesson", required=True),
        "module": Field("str", "id of the earlier module"),
    })
    records = src.value(node, schema, "prior.yaml") or []
    diags.extend(src.diagnostics)
    prior = []
    for rec in records:
        concept = _resolve(rel, index, rec, "concept", diags)
        if concept and "depth" in rec.values and "source" in rec.values:
            prior.append(PriorRecord(concept, rec.get("depth"), str(rec.get("source")), str(rec.get("module", "")), rec.at))
    return prior


def _resolve(rel: str, index: ConceptIndex, rec: Record, key: str, diags: list[Diagnostic]) -> str | None:
    text = rec.get(key)
    if text is None:
        return None
    concept = index.resolve(str(text))
    if concept is None:
        hint = did_you_mean(str(text), index.suggestions)
        diags.append(error("CB208", rel, rec.pos(key), f"unknown concept `{text}`",
                           f"{hint} Concepts are the ids (or names/aliases) in content/concepts.yaml.".strip()))
    return concept


def load_module(root: Path, module_id: str, md, diags: list[Diagnostic], lessons: tuple[Lesson, ...]) -> Module | None:
    """A module page (content/modules/<id>.md) with its lessons."""
    rel = f"content/modules/{module_id}.md"
    path = root / rel
    if not path.is_file():
        return None  # reported by discover_lessons (CB102)
    text = read_text(root, path, diags)
    if text is None:
        return None
    split = split_frontmatter(rel, text, diags)
    if split is None:
        return None
    src = YamlSource(rel, split[0], split[1])
    node = src.compose()
    rec = None
    if node is not None:
        rec = src.record(node, MODULE_SCHEMA, "module frontmatter")
    elif not src.diagnostics:
        src.diagnostics.append(error("CB203", rel, Pos(2), "module frontmatter is empty", "Give it `title:` and `goal:`."))
    diags.extend(src.diagnostics)
    if rec is None:
        return None
    env: dict = {}
    tokens = md.parse(text, env)
    return Module(id=module_id, path=rel, title=str(rec.get("title", module_id)), goal=str(rec.get("goal", "")),
                  misconceptions=tuple(_misconceptions(rec)), source=text, tokens=tuple(tokens), lessons=lessons,
                  anchors=anchors_of(tokens))


def _misconceptions(rec: Record) -> list[Misconception]:
    return [Misconception(str(m.get("claim", "")), str(m.get("why", "")), str(m.get("counterexample", "")),
                          str(m.get("where", "")), m.at, m.pos("where")) for m in rec.get("misconceptions", [])]


@dataclass(frozen=True)
class LessonFile:
    """A lesson file found under lessons/: where it is and what its name says."""

    path: Path
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
    for path in sorted(lessons_dir.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        parts = path.relative_to(lessons_dir).parts
        if len(parts) != 2 or parts[0] not in config.modules:
            listed = ", ".join(config.modules)
            diags.append(error("CB103", rel, None, "this lesson is not inside a module listed in site.yaml",
                               f"Move it to lessons/<module-id>/ for one of: {listed}; or add its module to `modules:`."))
            continue
        match = LESSON_NAME.match(path.name)
        if not match:
            diags.append(error("CB209", rel, None, f"lesson file name `{path.name}` is not `NN-slug.md`",
                               "Name it with its position and slug, e.g. `03-computational-graphs.md` (lower case, digits, hyphens)."))
            continue
        found.append(LessonFile(path, rel, parts[0], int(match.group(1)), match.group(2)))
    return found


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


def _load_lessons(root: Path, config: SiteConfig, index: ConceptIndex, md, diags: list[Diagnostic]) -> dict[str, tuple[Lesson, ...]]:
    schema = lesson_schema(config.depths)
    lessons = []
    for f in discover_lessons(root, config, diags):
        text = read_text(root, f.path, diags)
        if text is None:
            continue
        lesson = load_lesson(f, text, schema, index, md, diags)
        if lesson is not None:
            lessons.append(lesson)
    return order_lessons(lessons, diags)


def load_lesson(f: LessonFile, text: str, schema: dict[str, Field], index: ConceptIndex, md,
                diags: list[Diagnostic]) -> Lesson | None:
    """Validate one lesson's frontmatter into a Lesson and parse its body (tokens kept on the Lesson)."""
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
        return _resolve(rel, index, item, "concept", diags)

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
    tokens = md.parse(text, {})
    positions = dict(rec.positions)
    return Lesson(
        path=rel, module=module, slug=slug, position=position, title=str(rec.get("title", slug)), type=rec.get("type", ""),
        summary=str(rec.get("summary", "")), objective=str(rec.get("objective", "")),
        prerequisites=tuple(prerequisites), gaps=tuple(gaps), teaches=tuple(teaches),
        misconceptions=tuple(_misconceptions(rec)), examples=tuple(examples),
        modalities=tuple(dict.fromkeys(rec.get("modalities", []))), positions=positions,
        source=text, tokens=tuple(tokens), anchors=anchors_of(tokens),
    )

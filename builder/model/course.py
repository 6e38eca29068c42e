"""The loaded course: frozen dataclasses, complete when made (frontmatter validated into fields).

What a lesson *says* (its frontmatter) lives here; what its body renders to lives in `model.rendered`.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from .bibliography import Bibliography
from .config import SiteConfig
from .diagnostics import Diagnostic, Pos
from .figures import FigureCatalog


@dataclass(frozen=True)
class Concept:
    """An entry of content/concepts.yaml."""

    id: str
    name: str
    aliases: tuple[str, ...]
    definition: str
    pos: Pos
    detect: bool = True
    """Whether lesson text naming it (its name or an alias) counts as a mention; false for names that are ordinary
    words ("loss", "epoch"), which then count only through {concept} roles."""
    definition_pos: Pos | None = None
    """Where its definition is written (a finding in the definition points there; None: at the entry's id)."""


class ConceptIndex:
    """Resolve concept ids, names and aliases (names and aliases case-insensitively)."""

    def __init__(self, concepts: Mapping[str, Concept], complete: bool = True) -> None:
        self.complete = complete
        """False when content/concepts.yaml could not be read: unknown concepts are then not reported one by one."""
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


@dataclass(frozen=True)
class PriorRecord:
    """What an earlier module established (content/prior.yaml)."""

    concept: str
    depth: str
    source: str
    module: str
    pos: Pos


@dataclass(frozen=True)
class Prerequisite:
    """A concept a lesson assumes, the depth it needs, and the lesson that taught it."""

    concept: str
    depth: str
    source: str
    why: str
    pos: Pos
    depth_pos: Pos
    source_pos: Pos


@dataclass(frozen=True)
class Gap:
    """A prerequisite no earlier lesson taught, resolved in this lesson."""

    concept: str
    size: str
    resolution: str
    pos: Pos


@dataclass(frozen=True)
class Teach:
    """A depth this lesson brings a concept to."""

    concept: str
    depth: str
    notes: str
    pos: Pos
    depth_pos: Pos


@dataclass(frozen=True)
class Misconception:
    """A wrong belief the lesson confronts, and where in the body it does."""

    claim: str
    why: str
    counterexample: str
    where: str
    pos: Pos
    where_pos: Pos


@dataclass(frozen=True)
class Example:
    """A planned example (positive or negative)."""

    name: str
    kind: str
    purpose: str
    pos: Pos


@dataclass(frozen=True)
class Lesson:
    """One lesson file's frontmatter, validated. Its body is rendered by render_lessons (model.rendered)."""

    path: str
    """Path relative to the project, forward slashes."""
    module: str
    slug: str
    position: int
    title: str
    """The frontmatter title (the slug when it is missing or invalid, which is a finding)."""
    type: str
    """STRETCH, BUILD or CONSOLIDATE; "" when missing or invalid (a finding)."""
    summary: str
    objective: str
    prerequisites: tuple[Prerequisite, ...]
    gaps: tuple[Gap, ...]
    teaches: tuple[Teach, ...]
    misconceptions: tuple[Misconception, ...]
    examples: tuple[Example, ...]
    modalities: tuple[str, ...]
    draft: bool
    """A draft is checked like any lesson, with its pedagogy minimums as warnings, and left out of the site unless
    the build includes drafts."""
    positions: Mapping[str, Pos]
    """Position of each frontmatter key's value (for findings about a whole key), and "title" at least."""

    def pos(self, key: str) -> Pos:
        """Where a frontmatter key's value is (or the title, or line 1)."""
        return self.positions.get(key) or self.positions.get("title") or Pos(1)


@dataclass(frozen=True)
class UnreadLesson:
    """A lesson file whose frontmatter could not be used (its finding says why): where it stands in the course, so
    that what it would have taught, and links to it, are not reported again as problems of other files."""

    path: str
    module: str
    slug: str
    position: int


@dataclass(frozen=True)
class LoadedLesson:
    """What loading one lesson file gave: the Lesson (None when its frontmatter is unusable) and the findings."""

    lesson: Lesson | None
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Module:
    """A module page's frontmatter and its lessons in order."""

    id: str
    path: str
    title: str
    goal: str
    misconceptions: tuple[Misconception, ...]
    lessons: tuple[Lesson, ...]


@dataclass(frozen=True)
class Course:
    """Everything load_course read: configuration, concept registry, prior knowledge, modules with lessons."""

    config: SiteConfig
    concepts: Mapping[str, Concept]
    prior: tuple[PriorRecord, ...]
    modules: tuple[Module, ...]
    texts: Mapping[str, str]
    """Each lesson's and module page's file text by path (LF line endings, no BOM): what render_lessons parses."""
    figures: FigureCatalog
    """The figures the course declares in content/figures/*.py."""
    diagnostics: tuple[Diagnostic, ...]
    """Findings of loading: unreadable files, frontmatter and registry problems, misplaced lessons."""
    concepts_readable: bool = True
    """Whether content/concepts.yaml could be read (when not, its finding says so, and unknown concepts are not
    each reported)."""
    unread: tuple[UnreadLesson, ...] = ()
    """Lesson files whose frontmatter is unusable: the ledger cannot know what they teach, so the lessons after one
    are not held to what earlier lessons reached."""
    drafts_left_out: tuple[Lesson, ...] = ()
    """Draft lessons this course was made without (a build without drafts); the ledger names them when a published
    lesson needs what only they teach."""
    bibliography: Bibliography = field(default_factory=Bibliography)
    """The works lessons may cite (content/references.bib)."""
    includes: Mapping[str, str] = field(default_factory=dict)
    """The text of each project file a lesson or module page `{include}`s, by path (content/...)."""

    def follows_unread(self, lesson: Lesson) -> bool:
        """Whether a lesson with unusable frontmatter comes before `lesson`: what it may assume is then unknown."""
        if not self.unread:
            return False
        modules = {module_id: i for i, module_id in enumerate(self.config.modules)}
        place = (modules.get(lesson.module, len(modules)), lesson.position)
        return any((modules.get(u.module, len(modules)), u.position) < place for u in self.unread)

    def without_drafts(self) -> Course:
        """The course as published: its draft lessons left out (and remembered in `drafts_left_out`)."""
        drafts = tuple(lesson for lesson in self.lessons if lesson.draft)
        if not drafts:
            return self
        modules = tuple(replace(m, lessons=tuple(lesson for lesson in m.lessons if not lesson.draft)) for m in self.modules)
        return replace(self, modules=modules, drafts_left_out=drafts)

    @functools.cached_property
    def lessons(self) -> tuple[Lesson, ...]:
        """All lessons in ledger order."""
        return tuple(lesson for module in self.modules for lesson in module.lessons)

    @functools.cached_property
    def _by_slug(self) -> dict[str, Lesson]:
        return {lesson.slug: lesson for lesson in self.lessons}

    @functools.cached_property
    def _by_path(self) -> dict[str, Lesson]:
        return {lesson.path: lesson for lesson in self.lessons}

    def lesson(self, slug: str) -> Lesson | None:
        """The lesson with this slug, if any."""
        return self._by_slug.get(slug)

    def lesson_at(self, path: str) -> Lesson | None:
        """The lesson in this file (a path relative to the project), if any."""
        return self._by_path.get(path)


def include_path(including: str, written: str) -> str | None:
    """The project path an `{include}` in file `including` names, or None when it is not a file under content/
    (lessons/ holds only lessons)."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(including), written))
    return target if target.startswith("content/") and not posixpath.isabs(written) else None

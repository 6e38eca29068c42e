"""What render_lessons makes of each page's Markdown: HTML fragments with placeholders, and what they refer to.

A fragment is HTML in which formulas, figures and other lessons' titles are placeholders (markup.placeholders):
they are typeset, computed or known only after every page has rendered, and filled in by render_pages. (One family
of types, the render stage's output, kept in one module; the math stage's are in model/math.py.)
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING
from .diagnostics import Diagnostic, Pos
from .figures import OptionValue

if TYPE_CHECKING:  # xrefs imports this module
    from .xrefs import TargetIndex

Html = str
"""HTML text (with placeholders where noted)."""


class Detail(Enum):
    """How much of each lesson's rendering a command needs."""

    WHOLE = "whole"
    """Everything (an export shows every page)."""
    OUTLINE = "outline"
    """All but the body's markup, which is read only for the pages rendered again (a build)."""
    FINDINGS = "findings"
    """What checking needs: no markup, no search words (`course check`)."""


class DocKind(Enum):
    """The kinds of Markdown document a course has."""

    LESSON = "lesson"
    MODULE = "module"
    GLOSSARY = "glossary"


@dataclass(frozen=True)
class DocKey:
    """Which document: a lesson (by slug), a module page (by id) or the glossary."""

    kind: DocKind
    id: str

    def __lt__(self, other: DocKey) -> bool:  # Enum members do not order; documents sort by kind name, then id
        return (self.kind.value, self.id) < (other.kind.value, other.id)


@dataclass(frozen=True)
class MathItem:
    """One formula to typeset: its TeX, display or inline, where it starts in the file, and its label if any."""

    tex: str
    display: bool
    pos: Pos
    label: str
    path: str = ""
    """The file it is written in, when that is not the page's own (an included file)."""
    exact: bool = True
    """Whether `tex` is the author's text as written (not wrapped for Sphinx's reading, nor a `\\label` taken out):
    only then does an error's offset in it point into the file."""


@dataclass(frozen=True)
class FigureRef:
    """A figure directive: the figure id, its validated options, caption HTML, element id and position."""

    figure_id: str
    params: Mapping[str, OptionValue]
    caption_html: Html
    dom_id: str
    pos: Pos
    number: int = 0
    """Its number among the page's figures when it has a `:name:` (0: not numbered)."""

    @property
    def key(self) -> str:
        """Identity of the computed figure: its id and canonical options (two directives alike share it)."""
        return self.figure_id + ":" + json.dumps(dict(self.params), sort_keys=True, separators=(",", ":"))


class RefKind(Enum):
    """What a cross-document reference points at."""

    CONCEPT = "concept"
    """A {concept} role: target is a concept id, checked against the ledger at this lesson."""
    LESSON = "lesson"
    """A {lesson} role: target is a lesson slug."""
    LESSON_FILE = "lesson-file"
    """A link to a .md file: target is its project path, anchor the part after #."""
    FILE = "file"
    """A link or image to another project file (published under media/): target is its project path."""
    XREF = "xref"
    """A cross-reference ({ref}, {eq}, {numref}, `[](#label)`): target is a label, anchor the lesson slug it names
    (empty: the page's own, else any lesson's), `role` what it asks for."""


@dataclass(frozen=True)
class Reference:
    """A reference out of a page, checked once the whole course is known (so pages render independently)."""

    kind: RefKind
    target: str
    anchor: str
    pos: Pos
    written: str
    """The target as the author wrote it (findings quote it)."""
    role: str = ""
    """For a cross-reference: the role that made it ("ref", "eq", "numref", "link"); it says which targets fit."""
    path: str = ""
    """The file it is written in, when that is not the page's own (an included file)."""


class TargetKind(Enum):
    """What a cross-reference can point at."""

    SECTION = "section"
    """A heading (or a `(label)=` target right before one)."""
    LABEL = "label"
    """A `(label)=` target that is not before a heading, or a named block without a number."""
    EQUATION = "equation"
    FIGURE = "figure"
    TABLE = "table"
    CODE = "code"
    EXERCISE = "exercise"
    INDEX = "index"
    """An `{index}` entry: its title is the entry ("lion", "lion; the animal"), collected on the index page."""


NUMBERED_NAMES = {TargetKind.EQUATION: "Equation", TargetKind.FIGURE: "Figure", TargetKind.TABLE: "Table",
                  TargetKind.CODE: "Listing", TargetKind.EXERCISE: "Exercise"}
"""How {numref} and empty links name each numbered kind ("Figure 2")."""


@dataclass(frozen=True)
class Target:
    """Something on a page a cross-reference can point at: its id, what it is, its number and its title."""

    label: str
    """Its id on the page (the `#fragment` of links to it)."""
    kind: TargetKind
    number: int
    """Its number among the page's targets of its kind (1, 2, ...), 0 when it is not numbered."""
    title: str
    """Plain text: a heading's text, a caption or a title ("" when it has none)."""
    pos: Pos


@dataclass(frozen=True)
class Heading:
    """A heading for the on-page table of contents."""

    level: int
    id: str
    text: str


@dataclass(frozen=True)
class SearchSection:
    """One h2/h3 section of a lesson body for the search index: its anchor, heading and word counts."""

    anchor: str
    heading: str
    words: str
    """Each word of its text and how often it occurs, as `word:count`, space-separated, in word order (one string,
    not a mapping: every build reads every lesson's outline, and this is most of it; stages/search.py reads it)."""


@dataclass(frozen=True)
class Choice:
    """One choice of a quiz."""

    html: Html
    correct: bool
    probes: str = ""
    """The `where` id of the misconception this (wrong) choice probes ({misconception} role), or ""."""


@dataclass(frozen=True)
class Assessment:
    """A knowledge check or a quiz, as data (exports write them as LMS items; checks count what they assess)."""

    kind: str
    """"check" (an open question with its answer) or "quiz" (multiple choice)."""
    id: str
    """Its element id on the page."""
    title_html: Html
    prompt_html: Html
    """The question's body below its title (may be empty)."""
    choices: tuple[Choice, ...]
    """A quiz's choices, in order (empty for a check)."""
    answer_html: Html
    pos: Pos
    probes: tuple[str, ...] = ()
    """The misconceptions (their `where` ids) it probes: a check's `:probes:`, a quiz's choices' roles."""
    assesses: tuple[str, ...] = ()
    """The concept ids it assesses: its `:assesses:` option and the {concept} roles in its question."""


@dataclass(frozen=True)
class Mention:
    """The first place a lesson's prose names a concept (by name or alias, not through a role)."""

    concept: str
    pos: Pos
    written: str
    """The words as the lesson has them."""


@dataclass(frozen=True)
class Rendered:
    """What every rendered page has: its identity and what its Markdown holds and refers to."""

    key: DocKey
    path: str
    """The source file, relative to the project."""
    math: tuple[MathItem, ...]
    """Formula n is placeholder n in the fragments."""
    figures: tuple[FigureRef, ...]
    """Figure n is placeholder n in the fragments."""
    headings: tuple[Heading, ...]
    references: tuple[Reference, ...]
    anchors: frozenset[str]
    """Ids the page defines: heading slugs, directive `:name:`s, equation labels."""
    targets: tuple[Target, ...]
    """What cross-references may point at on this page, in reading order."""
    citations: tuple[str, ...]
    """Keys of content/references.bib the page cites, in the order first cited."""
    assessments: tuple[Assessment, ...]
    """The page's knowledge checks and quizzes, in reading order."""
    diagnostics: tuple[Diagnostic, ...]

    @property
    def files(self) -> tuple[str, ...]:
        """Project files the page links to (published under media/)."""
        return tuple(ref.target for ref in self.references if ref.kind is RefKind.FILE)


@dataclass(frozen=True)
class LessonFragments:
    """A lesson's rendered text: its body and each frontmatter text value."""

    body: Html
    title: Html
    summary: Html
    objective: Html
    why: Mapping[str, Html]
    """Concept id -> why the lesson needs it (a prerequisite's `why`)."""
    notes: Mapping[str, Html]
    """Concept id -> what was taught (a `teaches` item's `notes`)."""


@dataclass(frozen=True)
class RenderedLesson(Rendered):
    """A lesson's rendered body and frontmatter text."""

    fragments: LessonFragments
    search: tuple[SearchSection, ...]
    digest: str
    """A hash of everything the rendering was made from (its text, the registry, the theme's partials, ...)."""
    mentions: tuple[Mention, ...] = ()
    """Each concept its prose names, at the first place it does (in reading order)."""


@dataclass(frozen=True)
class RenderedModule(Rendered):
    """A module page's rendered body, goal and misconception claims."""

    body: Html
    goal: Html
    claims: tuple[Html, ...]
    """Misconception n's claim."""


@dataclass(frozen=True)
class RenderedGlossary(Rendered):
    """Every concept definition of content/concepts.yaml, rendered (inline Markdown, may hold math)."""

    definitions: Mapping[str, Html]


@dataclass(frozen=True)
class RenderedCourse:
    """render_lessons' output: every page's rendered Markdown."""

    lessons: Mapping[str, RenderedLesson]
    """By slug, in ledger order: whole, or as much as the command asked for (see `whole`)."""
    modules: Mapping[str, RenderedModule]
    """By module id, in site.yaml order."""
    glossary: RenderedGlossary
    rendered: int
    """Lessons rendered this run."""
    cached: int
    """Lessons taken from the cache."""
    wholes: Mapping[str, Callable[[], RenderedLesson]] = field(default_factory=dict)
    """By slug, when `lessons` holds less than the whole rendering: how to have the whole (read when called)."""
    earlier: Callable[[str], RenderedLesson | None] = lambda digest: None
    """A rendering an earlier build made, by its digest, as `lessons` holds it (None when it is not kept): the search
    index reads the words of what an edit replaced, rather than every lesson's."""

    def whole(self, slug: str) -> RenderedLesson:
        """A lesson's whole rendering, body and all."""
        read = self.wholes.get(slug)
        return read() if read is not None else self.lessons[slug]

    @property
    def documents(self) -> Iterator[Rendered]:
        """Every rendered page: lessons, module pages, the glossary."""
        yield from self.lessons.values()
        yield from self.modules.values()
        yield self.glossary

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The findings of rendering every page."""
        return tuple(d for doc in self.documents for d in doc.diagnostics)

    @functools.cached_property
    def targets(self) -> TargetIndex:
        """Every page's cross-reference targets by label (made once: the reference check and the pages share it)."""
        from .xrefs import TargetIndex

        return TargetIndex(self.documents)

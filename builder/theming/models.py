"""The typed context of each page kind: what a template may use, every field given when the page is made.

Templates receive `page` (one of the *Page classes), `site` (SiteInfo) and `root` (the relative URL prefix to the
site root). HTML fields (`*_html`) are safe Markup with every placeholder filled in.

The website's pages and the parts they share (a depth badge, the navigation, a ledger grid) are one family, kept in
one module; the prerequisite map's view is in map_models.py, the printed book's in book_models.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..model.plan import ModulePlan
from ..model.rendered import Heading

if TYPE_CHECKING:  # map_models imports Depth from here
    from .map_models import MapView


@dataclass(frozen=True)
class Depth:
    """A depth of the site's scale (site.yaml `depths:`), as a badge shows it."""

    name: str
    """As written in site.yaml, e.g. "INTRODUCED"."""
    level: int
    """1 for the lowest depth of the scale."""
    of: int
    """How many depths the scale has."""
    abbr: str
    """The shortest prefix of the name no other depth of the scale starts with (grid cells)."""

    @property
    def step(self) -> int:
        """The depth's place on the theme's 6-step colour ramp (1 lowest, 6 deepest), whatever the scale's length."""
        return 1 + round(5 * (self.level - 1) / max(self.of - 1, 1))


class GainKind(Enum):
    """How a lesson changed a concept's depth."""

    NEW = "new"
    RAISED = "raised"
    REINFORCED = "reinforced"


@dataclass(frozen=True)
class NavLesson:
    """A lesson as it appears in navigation."""

    slug: str
    title: str
    type: str
    position: int
    summary: str
    """The summary as written (plain text, TeX spelled out in words): for meta descriptions."""
    href: str
    """From the site root."""
    summary_html: Markup
    """The summary rendered (inline Markdown and math): for lesson cards."""


@dataclass(frozen=True)
class NavModule:
    """A module as it appears in navigation."""

    id: str
    title: str
    href: str
    lessons: tuple[NavLesson, ...]


@dataclass(frozen=True)
class SiteInfo:
    """Site-wide facts every page shows."""

    title: str
    description: str
    language: str
    modules: tuple[NavModule, ...]
    repo_url: str
    url: str
    """The published address ending in "/" (canonical links, sitemap.xml); empty when site.yaml has none."""
    nav_expand_all: bool
    """Whether the sidebar lists every module's lessons (a small course) or only the current module's."""
    depths: tuple[Depth, ...]
    """The depth scale, lowest first."""
    instructor: bool = False
    """The instructor edition: every page says so (and asks search engines to leave it out)."""
    lms: bool = False
    """The pages go into an LMS package: no header, sidebar, search, breadcrumb, previous/next or footer (the LMS
    navigates)."""
    scorm: bool = False
    """Lesson pages report to a SCORM 1.2 LMS (assets/js/scorm.js)."""


@dataclass(frozen=True, kw_only=True)
class PageBase:
    """What every page template receives."""

    site: SiteInfo
    root: str
    """Relative URL prefix to the site root."""
    title: str
    description: str
    url_path: str
    """The page's path below the site root, e.g. "training-dynamics/"."""
    has_math: bool
    has_figures: bool = False
    has_code: bool = False
    """Whether the page has highlighted code blocks (it then links the code colours)."""
    live_reload: bool


@dataclass(frozen=True)
class PrerequisiteView:
    """A concept a lesson needs, at a depth, and where it was taught."""

    id: str
    name: str
    depth: Depth
    source: str
    """Slug of the lesson (or earlier module's lesson) that taught it; "" for a gap."""
    source_href: str
    """Link to that lesson (empty for an earlier module's lesson, or a gap)."""
    source_title: str
    """That lesson's title (empty for an earlier module's lesson, known only by its slug)."""
    is_gap: bool
    """Taught in this lesson itself (a `gaps` entry)."""
    why_html: Markup
    group: str
    """"module" (taught earlier in this module), "earlier" (in an earlier module) or "here" (a gap)."""
    source_label: str
    """Short: "lesson 3" (this module), "module 1.1" (an earlier one), "" (a gap)."""


@dataclass(frozen=True)
class GainView:
    """A depth a lesson brings a concept to."""

    id: str
    name: str
    kind: GainKind
    old: Depth | None
    """Its depth before the lesson (None when it is new)."""
    new: Depth
    note_html: Markup


@dataclass(frozen=True, kw_only=True)
class LessonPage(PageBase):
    """A lesson page."""

    lesson_slug: str
    lesson_type: str
    module_id: str
    module_title: str
    position: int
    count: int
    """Lessons in the module."""
    title_html: Markup
    objective_html: Markup
    summary_html: Markup
    body_html: Markup
    prerequisites: tuple[PrerequisiteView, ...]
    gains: tuple[GainView, ...]
    headings: tuple[Heading, ...]
    previous: NavLesson | None
    next: NavLesson | None
    edit_url: str
    draft: bool
    """A draft lesson (shown by `course serve` and `course build --drafts` only), marked as such."""
    map: MapView | None
    """The lesson's neighbourhood: what it needs, what it teaches, the later lessons that need that."""


@dataclass(frozen=True)
class ModuleMisconception:
    """A module-level misconception and the lesson that addresses it."""

    claim_html: Markup
    lesson: NavLesson | None
    """The lesson that addresses it, when `where` names one."""
    anchor: str
    """Else the id on the module page that addresses it."""


@dataclass(frozen=True)
class GridCell:
    """A concept's depth after one lesson of a module."""

    depth: Depth | None
    changed: bool
    """The depth differs from the one before this lesson."""
    taught: bool
    """This lesson's `teaches` lists the concept (raised or reinforced)."""


@dataclass(frozen=True)
class GridRow:
    """One concept across one module's lessons."""

    id: str
    name: str
    before: Depth | None
    """Its depth entering the module (None = unknown)."""
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class LedgerGrid:
    """A module's concept x lesson depth grid: the concepts its lessons require or teach."""

    module: NavModule
    rows: tuple[GridRow, ...]


@dataclass(frozen=True)
class LoadBar:
    """One lesson in a module's cognitive-load chart."""

    slug: str
    title: str
    type: str
    position: int
    new: int
    """New concepts the lesson brings."""


@dataclass(frozen=True, kw_only=True)
class ModulePage(PageBase):
    """A module page."""

    module: NavModule
    goal_html: Markup
    body_html: Markup
    misconceptions: tuple[ModuleMisconception, ...]
    grid: LedgerGrid
    """The module's concept x lesson depth grid."""
    load: tuple[LoadBar, ...]
    """The cognitive-load trajectory, a bar per lesson."""
    max_load: int
    plan: ModulePlan
    """The module's plan (what `course plan` prints): the distribution and coverage tables come from it."""
    lessons: Mapping[str, NavLesson]
    """The module's lessons by slug (the plan's rows link to them)."""
    map: MapView | None
    """The module's prerequisite map (None for a module without lessons)."""


@dataclass(frozen=True)
class GlossaryEntry:
    """One concept on the ledger page: definition and where its depth was set."""

    id: str
    name: str
    aliases: tuple[str, ...]
    definition_html: Markup
    prior: Depth | None
    """Its depth before the course (prior.yaml)."""
    taught: tuple[tuple[NavLesson, Depth], ...]
    """Each lesson that teaches it, with the depth after that lesson."""


@dataclass(frozen=True, kw_only=True)
class ConceptsPage(PageBase):
    """The ledger page (/concepts/)."""

    grids: tuple[LedgerGrid, ...]
    """One per module; empty when the course is too big for one page (module pages show their own)."""
    glossary: tuple[GlossaryEntry, ...]


@dataclass(frozen=True, kw_only=True)
class HomePage(PageBase):
    """The course home page."""

    concept_count: int
    lesson_count: int


@dataclass(frozen=True, kw_only=True)
class NotFoundPage(PageBase):
    """The 404 page."""


@dataclass(frozen=True)
class IndexLink:
    """Where an index entry is: the lesson's title and the entry's address."""

    title: str
    href: str


@dataclass(frozen=True)
class IndexItem:
    """One index term and every place the lessons mark it."""

    term: str
    links: tuple[IndexLink, ...]


@dataclass(frozen=True, kw_only=True)
class IndexPage(PageBase):
    """The index page (/genindex/): the `{index}` entries of every lesson, alphabetically."""

    items: tuple[IndexItem, ...]

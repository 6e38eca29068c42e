"""What the page stage hands the writer, and what the writer did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum


class PageLayout(Enum):
    """Where the pages will be read."""

    SITE = "site"
    """The website: navigation, search, previous and next."""
    LMS = "lms"
    """Inside a learning management system's package (IMS Common Cartridge): the LMS navigates, so the pages have no
    site navigation, search or links to the course home."""
    SCORM = "scorm"
    """Like LMS, and each lesson page reports completion and its quiz score to a SCORM 1.2 LMS."""
    BOOK = "book"
    """Like LMS, with the stylesheet of the PDF (assets/css/book.css)."""


PageInputs = Mapping[str, str]
"""What a page was made from: input name (its lesson, its view of the ledger, the navigation, the theme, ...) ->
digest. A page whose inputs are those of the last build is carried over instead of rendered."""


@dataclass(frozen=True)
class SearchScores:
    """What the search index's words were chosen from, kept with the build: the next build scores again only the
    sections whose words, or the rarity of whose words in the course, have changed."""

    sections: int
    """How many sections the course had."""
    df: Mapping[str, int]
    """Word -> how many sections have it."""
    telling: Mapping[str, str]
    """Section (its lesson's rendering digest and its number) -> its most telling words, in order, space-separated
    (one string per section: kept with every build, 10,000 sections' words as tuples took 0.2 s to store and read
    again at 1,000 lessons)."""
    lessons: tuple[str, ...] = ()
    """The rendering digest of each lesson scored (a section's id starts with the first 20 characters of one): where
    the next build reads the words of a section an edit replaced."""


@dataclass(frozen=True)
class PageSet:
    """Every file of the site: those made this run, and pages carried over unchanged from the last build."""

    files: Mapping[str, bytes]
    """Path below the output folder -> bytes, for every file made this run (pages, assets, search index)."""
    kept: frozenset[str]
    """Pages whose inputs are those of the last build into the same folder: the published file is carried over."""
    inputs: Mapping[str, PageInputs]
    """Lesson, module and home page path -> what it was made from (recorded for the next build)."""
    rendered: int
    """Pages rendered this run."""
    search: SearchScores | None = None
    """What the search index was scored from (none for a package: it has no search)."""


@dataclass(frozen=True)
class WriteReport:
    """What a publish did."""

    files: int
    written: int
    """Files whose bytes changed (the others were carried over unchanged)."""
    bytes: int

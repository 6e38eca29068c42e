"""What a render rule works with: the course-wide settings, the page's source cursor, and what the page collects.

Render rules get the context from markdown-it's `env["ctx"]`; they never read files or global state, so a page
renders the same wherever and whenever it is rendered (in a worker process, from a cache, in `course serve`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from ..model.config import Edition
from ..model.bibliography import Work
from ..model.diagnostics import Diagnostic, Pos, error, warning
from ..model.figures import OptionProblem
from . import placeholders
from ..model.rendered import Assessment, FigureRef, Heading, MathItem, OptionValue, Reference, Target, TargetKind

_NEWLINE = re.compile("\n")
_TAG = re.compile(r"<[^>]+>")
_NUMBERED = frozenset({TargetKind.EQUATION, TargetKind.FIGURE, TargetKind.TABLE, TargetKind.CODE, TargetKind.EXERCISE})


FigureValidator = Callable[[str, Mapping[str, str]], "tuple[dict[str, OptionValue] | None, list[OptionProblem]]"]
"""figure id, directive options -> (typed options with defaults, or None; problems)."""


@dataclass(frozen=True)
class RenderSettings:
    """What rendering needs that is the same for every page of a course."""

    partial: Callable[..., str]
    """Renders a theme partial (theme/partials/<name>) with keyword context; returns HTML."""
    concept_ids: frozenset[str]
    resolve_concept: Callable[[str], str | None]
    """A concept id, name or alias -> the concept id (None if unknown)."""
    validate_figure: FigureValidator
    allow_html: bool
    """site.yaml `markdown: {allow_html: true}`: pass raw HTML through instead of escaping it."""
    concept_names: Mapping[str, str] = field(default_factory=dict)
    """Concept id -> its name (what a {concept} role shows unless it gives its own text; the id when missing)."""
    concepts_complete: bool = True
    """False when content/concepts.yaml could not be read (unknown concepts are then not each reported)."""
    edition: Edition = Edition.STUDENT
    """The student edition leaves `{instructor}` notes out; the instructor edition shows them and every answer."""
    works: Mapping[str, Work] = field(default_factory=dict)
    """The works {cite} may name (content/references.bib), by key."""
    includes: Mapping[str, str] = field(default_factory=dict)
    """The text of each file an `{include}` may name, by project path."""

    @property
    def is_instructor(self) -> bool:
        """Whether this is the instructor edition."""
        return self.edition is Edition.INSTRUCTOR


class SourceCursor:
    """Positions in a page's source: rules search forward from the current block for the text a token came from
    (markdown-it maps blocks to lines, not inline tokens to columns)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(source)]
        self.offset = 0
        self.limit = len(source)
        """End of the range searched: the current block, so a search never scans the whole file."""
        self._missing: dict[str, tuple[int, int]] = {}
        """Needles a search did not find: needle -> (offset, limit) of that search."""

    def pos_of_offset(self, offset: int) -> Pos:
        """File position of a character offset."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return Pos(line + 1, offset - self.line_starts[line] + 1)

    def offset_of(self, pos: Pos) -> int:
        """Character offset of a file position."""
        return self.line_starts[pos.line - 1] + pos.column - 1

    def seek_line(self, line0: int, end0: int | None = None) -> None:
        """Search from the start of 0-based line `line0`, up to the start of line `end0` (None: the end of the file)."""
        last = len(self.line_starts) - 1
        self.offset = self.line_starts[max(0, min(line0, last))]
        self.limit = len(self.source) if end0 is None or end0 > last else max(self.line_starts[end0], self.offset)

    def find(self, *needles: str) -> Pos:
        """Position of the next occurrence of the first of `needles` found (the cursor moves past it)."""
        for needle in needles:
            if not needle or self._missing.get(needle, (-1, -1))[1] == self.limit and self._missing[needle][0] <= self.offset:
                continue  # known to be absent from here to the limit: do not scan a long block again
            at = self.source.find(needle, self.offset, self.limit)
            if at >= 0:
                self.offset = at + len(needle)
                return self.pos_of_offset(at)
            self._missing[needle] = (self.offset, self.limit)
        return self.here()

    def here(self) -> Pos:
        """The cursor's position."""
        return self.pos_of_offset(self.offset)

    def line(self, n: int) -> str:
        """The text of 1-based line n (without its newline)."""
        end = self.line_starts[n] - 1 if n < len(self.line_starts) else len(self.source)
        return self.source[self.line_starts[n - 1]:end]


@dataclass(frozen=True)
class Probe:
    """A frontmatter misconception as a quiz's feedback shows it: its claim and counterexample, rendered."""

    where: str
    claim_html: str
    counterexample_html: str


@dataclass
class RenderContext:
    """One page being rendered: where it is, its settings and source, and what its rules collect."""

    path: str
    """The source file, relative to the project."""
    root: str
    """Relative URL prefix from the page to the site root ("../" for a lesson page)."""
    settings: RenderSettings
    source: SourceCursor
    own_anchors: frozenset[str]
    """Ids the page defines (known before rendering: a link may come before its target)."""
    math: list[MathItem] = field(default_factory=list)
    figures: list[FigureRef] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    counters: dict[TargetKind, int] = field(default_factory=dict)
    """How many numbered blocks of each kind the page has so far."""
    misconceptions: Mapping[str, Probe] = field(default_factory=dict)
    """The lesson's frontmatter misconceptions a check or quiz may probe, by their `where` id."""
    choice_probes: list[str] | None = None
    """While a quiz choice renders: the misconceptions its {misconception} roles name (None elsewhere)."""

    def add_target(self, label: str, kind: TargetKind, title: str, pos: Pos, numbered: bool = True) -> int:
        """Record a target of the page (none when `label` is ""); its number among the page's numbered blocks of its
        kind (0 if not numbered)."""
        number = 0
        if numbered and kind in _NUMBERED:
            number = self.counters[kind] = self.counters.get(kind, 0) + 1
        if label:
            self.targets.append(Target(label, kind, number, title, pos))
        return number

    def plain(self, html: str) -> str:
        """A rendered fragment of this page as plain text (a title for cross-references): tags dropped, each formula
        as its TeX."""
        text = placeholders.strip(html, lambda kind, key: self.math[int(key)].tex if kind == "M" else "")
        return " ".join(unescape(_TAG.sub("", text)).split())

    def partial(self, name: str, **context: Any) -> str:
        """A theme partial, rendered."""
        return self.settings.partial(name, **context)

    def error(self, code: str, pos: Pos | None, message: str, hint: str = "") -> None:
        """Record an error at a position of this page."""
        self.diagnostics.append(error(code, self.path, pos, message, hint))

    def warning(self, code: str, pos: Pos | None, message: str, hint: str = "") -> None:
        """Record a warning at a position of this page."""
        self.diagnostics.append(warning(code, self.path, pos, message, hint))

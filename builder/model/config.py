"""Site settings as the rest of the builder sees them: validated, with defaults, immutable."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from .diagnostics import Pos

LESSON_TYPES = ("STRETCH", "BUILD", "CONSOLIDATE")
DEFAULT_DEPTHS = ("MENTIONED", "INTRODUCED", "DEVELOPED")
SEVERITIES = ("error", "warning", "off")


class Edition(Enum):
    """Who an output is for: `{instructor}` notes are in the instructor edition only (absent, not hidden, otherwise)."""

    STUDENT = "student"
    INSTRUCTOR = "instructor"


@dataclass(frozen=True)
class Rules:
    """The ledger rules of site.yaml, with LESSON_FORMAT.md's defaults."""

    max_new_concepts: dict[str, int] = field(default_factory=lambda: {"STRETCH": 3, "BUILD": 2, "CONSOLIDATE": 3})
    """New concepts each lesson type may bring."""
    adjacent_stretch: str = "error"
    """Severity of two STRETCH lessons in a row within a module."""
    min_misconceptions: int = 3
    """Misconceptions each lesson must address."""
    min_examples: dict[str, int] = field(default_factory=lambda: {"positive": 2, "negative": 1})
    """Examples each lesson needs, by kind."""
    min_modalities: int = 3
    """Distinct modalities each lesson must use."""
    severity: dict[str, str] = field(default_factory=dict)
    """Per-code severity overrides ("error", "warning" or "off")."""


@dataclass(frozen=True)
class SiteConfig:
    """site.yaml, validated. Paths are absolute."""

    root: Path
    """The project directory (where site.yaml is)."""
    title: str
    """The course title."""
    modules: tuple[str, ...]
    """Module ids in order."""
    description: str = ""
    """One sentence about the course."""
    base_url: str = "/"
    """Path prefix of the published site, always ending in "/"."""
    url: str = ""
    """Published absolute address (for sitemap.xml); empty = no sitemap."""
    output: Path = Path("_site")
    """Absolute output directory."""
    depths: tuple[str, ...] = DEFAULT_DEPTHS
    """The depth scale, lowest first."""
    rules: Rules = field(default_factory=Rules)
    """Ledger rules."""
    math_macros: dict[str, str] = field(default_factory=dict)
    """KaTeX macros shared by every page."""
    allow_html: bool = False
    """Whether raw HTML in Markdown is passed through (off by default: safe output)."""
    theme_dir: Path | None = None
    """Absolute path of the site's theme overrides, if any."""
    repo_url: str = ""
    """Base URL for "edit this page" links."""
    language: str = "en"
    """Language code for <html lang>."""
    figure_timeout: float = 300.0
    """Seconds a figure function may run before it is stopped (site.yaml `figures: {timeout: ...}`)."""
    edition: Edition = Edition.STUDENT
    """Which edition is made (the `--edition` option of build, serve and export; not a site.yaml key)."""
    positions: dict[str, Pos] = field(default_factory=dict)
    """Where each key of site.yaml is written (for findings about a setting, e.g. a module without a page)."""

    def depth_rank(self, depth: str) -> int:
        """Position of a depth on the scale (higher = deeper)."""
        return self.depths.index(depth)

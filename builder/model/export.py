"""What `course export` makes: the formats, the paper of a PDF, and what an export did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from .diagnostics import Diagnostic


class ExportFormat(Enum):
    """A package of the whole course for where students are."""

    IMSCC = "imscc"
    """IMS Common Cartridge 1.3: lesson pages as web content, checks and quizzes as QTI 1.2 assessments."""
    SCORM12 = "scorm12"
    """SCORM 1.2: one SCO per lesson, reporting completion and quiz score to the LMS."""
    PDF = "pdf"
    """The module as one printable PDF."""

    @property
    def suffix(self) -> str:
        """The package file's extension."""
        return {"imscc": ".imscc", "scorm12": ".zip", "pdf": ".pdf"}[self.value]


class Paper(Enum):
    """Paper sizes of the PDF."""

    A4 = "A4"
    LETTER = "Letter"


@dataclass(frozen=True)
class Exported:
    """What an export wrote."""

    format: ExportFormat
    path: Path
    bytes: int
    items: int
    """What the package holds: lesson pages (SCOs, web content) and assessment items, or the PDF's pages."""
    summary: str
    """One line on what is inside, e.g. "7 lessons, 52 QTI items"."""
    seconds: float
    diagnostics: tuple[Diagnostic, ...] = ()
    """The warnings of the run (an export with errors writes nothing)."""


@dataclass(frozen=True)
class Package:
    """An LMS package's content, before it is written: every member of the zip by path."""

    files: Mapping[str, bytes]
    items: int
    summary: str

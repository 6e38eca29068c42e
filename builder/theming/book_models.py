"""The typed context of the printed book (book.html, made into the PDF by output/pdf.py): the course as parts and
chapters, the answers appendix, the glossary. HTML fields (`*_html`) are safe Markup with every placeholder filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .models import GlossaryEntry


@dataclass(frozen=True)
class BookChapter:
    """A lesson in the PDF of a module."""

    number: int
    anchor: str
    title: str
    title_html: Markup
    lesson_type: str
    objective_html: Markup
    body_html: Markup


@dataclass(frozen=True)
class BookAnswer:
    """A check or quiz in the PDF's answers appendix."""

    label: str
    """"Check 6.1", "Quiz 6.3": its number in the lessons' text."""
    title_html: Markup
    correct_html: tuple[Markup, ...]
    """A quiz's right choices (empty for a check)."""
    answer_html: Markup


@dataclass(frozen=True)
class BookPart:
    """A module of the PDF: its page's text and its lessons."""

    id: str
    title: str
    goal_html: Markup
    chapters: tuple[BookChapter, ...]


@dataclass(frozen=True)
class BookPage:
    """The whole course as one printable document (book.html)."""

    title: str
    description: str
    language: str
    instructor: bool
    parts: tuple[BookPart, ...]
    answers: tuple[tuple[BookChapter, tuple[BookAnswer, ...]], ...]
    """Each lesson with checks or quizzes, and their answers."""
    glossary: tuple[GlossaryEntry, ...]
    links: tuple[tuple[BookChapter, tuple[str, ...]], ...]
    """The web addresses each lesson links to (print cannot follow a link)."""
    has_math: bool
    has_figures: bool

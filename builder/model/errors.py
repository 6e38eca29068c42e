"""The exception family: a CourseError carries diagnostics; the CLI maps them to exit codes in one place."""

from __future__ import annotations

from .diagnostics import Diagnostic


class CourseError(Exception):
    """A failure an author can fix, described by diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


class ConfigError(CourseError):
    """site.yaml is missing or unusable."""


class BuildError(CourseError):
    """The build found errors or could not write its output."""


class EngineUnavailable(Exception):
    """A tool an export needs is not installed (Playwright, Chromium): `str()` is one line saying how to install it."""

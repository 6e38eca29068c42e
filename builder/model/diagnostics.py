"""Diagnostics: one finding of a run, where it is, its stable code and severity. Formatting is in builder.report."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

# Stable codes. The README's "Diagnostics" table is generated from this mapping (see tests).
CODES: dict[str, str] = {
    # configuration and project layout
    "CB100": "site.yaml is missing, empty or not valid YAML",
    "CB101": "site.yaml has an unknown key, a wrong type or a bad value",
    "CB102": "a module listed in site.yaml has no content/modules/<id>.md",
    "CB103": "a lesson file lies outside the modules site.yaml lists",
    "CB104": "content/concepts.yaml or content/prior.yaml is invalid",
    "CB105": "an alias or name is claimed by two concepts",
    "CB106": "content/references.bib is not valid BibTeX, repeats a key or has an unsafe URL",
    # files and frontmatter
    "CB200": "file cannot be read as UTF-8 text",
    "CB201": "frontmatter is missing or not closed with ---",
    "CB202": "YAML syntax error",
    "CB203": "frontmatter is not a mapping",
    "CB204": "unknown key",
    "CB205": "wrong type",
    "CB206": "missing required key",
    "CB207": "value not allowed (depth, type, kind, size, modality)",
    "CB208": "unknown concept",
    "CB209": "lesson file name is not NN-slug.md",
    "CB210": "slug or position disagrees with the file name",
    "CB211": "duplicate lesson slug",
    "CB212": "duplicate lesson position in a module",
    "CB213": "text left over from the lesson skeleton (a warning in a draft, an error in a published lesson)",
    # the ledger
    "CB300": "prerequisite needs a depth no earlier lesson reached",
    "CB301": "prerequisite source is stale or wrong",
    "CB302": "gap is not taught by the lesson that declares it",
    "CB303": "teaches lowers a concept's depth",
    "CB304": "too many new concepts for the lesson type",
    "CB305": "two STRETCH lessons in a row",
    "CB306": "too few misconceptions",
    "CB307": "too few positive or negative examples",
    "CB308": "too few modalities",
    "CB309": "`where` points at an id the body does not define",
    "CB310": "gap that the ledger already covers",
    "CB311": "prerequisite without a source",
    "CB312": "the lesson's text names a concept no lesson up to here has taught, and the lesson does not declare it",
    "CB313": "a misconception no check or quiz of the lesson probes",
    "CB314": "a concept taught to the deepest depth that no check or quiz of the lesson assesses",
    # the body
    "CB400": "unknown directive kind",
    "CB401": "unknown role",
    "CB402": "unknown concept, lesson, misconception or reference in a role or option",
    "CB403": "concept used before any lesson mentioned it",
    "CB404": "link to a missing lesson, file or anchor",
    "CB405": "unsafe link URL, or an image loaded from the network",
    "CB406": "fence not closed",
    "CB407": "malformed check or quiz",
    "CB408": "unknown or invalid directive option; an image without alt text",
    "CB409": "duplicate id in a page",
    "CB410": "math error",
    "CB411": "figure error",
    "CB412": "raw HTML is disabled",
    "CB413": "content nested too deeply",
    "CB414": "figure code failed: a figure module that does not load, a wrong declaration, a figure function that raises, returns something else, runs too long or is not reproducible",
    # building
    "CB500": "output folder or package file is unsafe to replace",
    "CB501": "output could not be written",
    "CB502": "math engine unavailable",
    "CB503": "map layout engine unavailable",
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding: where it is, what is wrong in the author's words, and how to fix it."""

    path: str
    """File path relative to the project directory, with forward slashes."""
    line: int
    """1-based line; 0 when the finding is about a whole file."""
    column: int
    """1-based column; 0 when unknown."""
    code: str
    """Stable code from CODES."""
    severity: str
    """"error" or "warning"."""
    message: str
    """What is wrong, in the author's words."""
    hint: str = ""
    """How to fix it."""

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of DESIGN.md's contract: exactly these seven keys."""
        return {
            "code": self.code,
            "severity": self.severity,
            "file": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class Pos:
    """A position in a source file (1-based)."""

    line: int
    column: int = 1


def error(code: str, path: str, pos: Pos | None, message: str, hint: str = "") -> Diagnostic:
    """An error at a position (None = whole file)."""
    return _make(code, ERROR, path, pos, message, hint)


def warning(code: str, path: str, pos: Pos | None, message: str, hint: str = "") -> Diagnostic:
    """A warning at a position (None = whole file)."""
    return _make(code, WARNING, path, pos, message, hint)


def _make(code: str, severity: str, path: str, pos: Pos | None, message: str, hint: str) -> Diagnostic:
    if code not in CODES:
        raise ValueError(f"unregistered diagnostic code {code}")
    line, column = (pos.line, pos.column) if pos else (0, 0)
    if len(message) > MAX_MESSAGE:  # a message quotes the author's text, which may be a whole pasted paragraph
        message = message[: MAX_MESSAGE - 3] + "..."
    return Diagnostic(path, line, column, code, severity, message, hint)


MAX_MESSAGE = 400


def with_severity(diag: Diagnostic, severity: str) -> Diagnostic:
    """The same finding with another severity (site.yaml rule settings)."""
    return Diagnostic(diag.path, diag.line, diag.column, diag.code, severity, diag.message, diag.hint)


def has_errors(diags: Iterable[Diagnostic], strict: bool = False) -> bool:
    """True when any finding fails the run (warnings count under --strict)."""
    return any(d.severity == ERROR or strict for d in diags)


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Findings in file, line, column order, duplicates removed."""
    return sorted(set(diags))

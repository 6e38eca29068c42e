"""content/references.bib -> Bibliography: BibTeX parsed and formatted by pybtex (plain style, HTML), each entry
with the author-year words its citations show. A file pybtex cannot read, a duplicate key or an unsafe URL is a
finding; a course without the file simply has no works to cite."""

from __future__ import annotations

import re
from pathlib import Path

from ..model.bibliography import Bibliography, Work
from ..model.diagnostics import Diagnostic, Pos, error
from .files import read_text

PATH = "content/references.bib"
_SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)


def load_bibliography(root: Path, diags: list[Diagnostic]) -> Bibliography:
    """The course's works (none when content/references.bib does not exist)."""
    path = root / PATH
    if not path.is_file():
        return Bibliography()
    text = read_text(root, path, diags)
    if text is None:
        return Bibliography()
    import pybtex.errors
    from pybtex.database import parse_string
    from pybtex.scanner import PybtexSyntaxError

    strict = pybtex.errors.strict
    pybtex.errors.set_strict_mode(True)  # a problem is an exception (a finding), not a line printed on stderr
    try:
        data = parse_string(text, "bibtex")
    except PybtexSyntaxError as exc:
        diags.append(error("CB106", PATH, Pos(getattr(exc, "lineno", 0) or 1), f"references.bib is not valid BibTeX: {exc.error_type}",
                           "Check the entry's braces and commas: `@article{key, author = {...}, title = {...}, year = {2010}}`."))
        return Bibliography()
    except Exception as exc:  # pybtex's other errors (a repeated key, a bad name) share no base class but Exception
        key = re.search(r": (\S+)$", str(exc))
        diags.append(error("CB106", PATH, Pos(_line_of(text, key.group(1)) if key else 1), f"references.bib: {exc}",
                           "Give every entry its own key, and write names as `Last, First and Last, First`."))
        return Bibliography()
    finally:
        pybtex.errors.set_strict_mode(strict)
    return Bibliography(_works(data, text, diags))


def _works(data, text: str, diags: list[Diagnostic]) -> dict[str, Work]:  # type: ignore[no-untyped-def]
    from pybtex.style.formatting.plain import Style

    works = {}
    entries = list(data.entries.values())
    formatted_by_key = {formatted.key: formatted for formatted in Style().format_entries(entries)}  # the style sorts them
    for entry in entries:
        formatted = formatted_by_key[entry.key]
        line = _line_of(text, entry.key)
        for name in ("url", "doi"):
            value = entry.fields.get(name, "")
            if name == "url" and value and not _SAFE_URL.match(value):
                diags.append(error("CB106", PATH, Pos(line), f"entry `{entry.key}` has a url that is not http(s): `{value}`",
                                   "Give the work's http(s) address, or leave the url out."))
        names = entry.persons.get("author") or entry.persons.get("editor") or []
        last = ["".join(part.render_as("text") for part in person.rich_last_names) for person in names]
        authors = last[0] if len(last) == 1 else f"{last[0]} & {last[1]}" if len(last) == 2 else f"{last[0]} et al." if last else entry.key
        works[entry.key] = Work(entry.key, authors, entry.fields.get("year", "n.d."), formatted.text.render_as("html"), line)
    return works


def _line_of(text: str, key: str) -> int:
    """The line where the entry `key` starts."""
    match = re.search(r"@\w+\s*\{\s*" + re.escape(key) + r"\s*,", text)
    return text.count("\n", 0, match.start()) + 1 if match else 1

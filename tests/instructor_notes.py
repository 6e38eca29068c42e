"""What the edition tests look for: the text of every `{instructor}` note of a project's lessons, as phrases that
survive rendering unchanged (runs of plain words, no Markdown, math or characters HTML escapes)."""

from __future__ import annotations

import re
from pathlib import Path

_NOTE = re.compile(r"^(:{3,})\{instructor\}[ \t]*(.*?)\n(.*?)^\1[ \t]*$", re.M | re.S)
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.;:()-]{28,}[A-Za-z0-9.]")


def note_phrases(root: Path) -> dict[str, list[str]]:
    """Lesson file (relative to the project) -> phrases of its instructor notes (title and body), each at least 30
    characters of plain text, in the order they appear."""
    found: dict[str, list[str]] = {}
    for path in sorted((root / "lessons").rglob("*.md")):
        phrases = []
        for match in _NOTE.finditer(path.read_text(encoding="utf-8")):
            title, body = match.group(2), match.group(3)
            phrases += [m.group(0).strip() for m in _PLAIN.finditer(title + "\n" + body) if "  " not in m.group(0)]
        if phrases:
            found[path.relative_to(root).as_posix()] = phrases
    return found


def texts_of(folder: Path) -> dict[str, str]:
    """Every file under a folder as text (bytes that are not UTF-8 replaced), by path relative to the folder."""
    return {p.relative_to(folder).as_posix(): p.read_bytes().decode("utf-8", "replace")
            for p in sorted(folder.rglob("*")) if p.is_file()}

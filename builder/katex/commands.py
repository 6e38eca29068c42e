"""Which TeX commands KaTeX knows, asked of KaTeX itself: for "did you mean `\\lambda`?" on `\\lamda`."""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Iterable

_UNDEFINED = re.compile(r"Undefined control sequence: \\([A-Za-z]+)")


def undefined_command(message: str) -> str:
    """The name in KaTeX's "Undefined control sequence: \\name" message, or ""."""
    match = _UNDEFINED.search(message)
    return match.group(1) if match else ""


def suggestions(names: Iterable[str], macros: dict[str, str]) -> dict[str, str]:
    """Misspelt command name -> the known command most like it (one edit away), for each name that has one."""
    from . import MathRenderer, MathRequest

    candidates = {name: sorted(_one_edit(name)) for name in set(names)}
    every = sorted({c for cs in candidates.values() for c in cs})
    if not every:
        return {}
    with MathRenderer(macros=macros) as renderer:
        results = renderer.render([MathRequest("\\" + c, False) for c in every])
    known = {c for c, r in zip(every, results) if r.ok or not undefined_command(r.error or "")}
    known |= {m.lstrip("\\") for m in macros}
    out = {}
    for name, cs in candidates.items():
        found = [c for c in cs if c in known]
        if found:
            out[name] = max(found, key=lambda c: (difflib.SequenceMatcher(None, name, c).ratio(), c))
    return out


def _one_edit(name: str) -> set[str]:
    """Every letters-only name one deletion, transposition, substitution or insertion away."""
    letters = string.ascii_letters
    splits = [(name[:i], name[i:]) for i in range(len(name) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in letters}
    inserts = {a + c + b for a, b in splits for c in letters}
    return {n for n in deletes | transposes | replaces | inserts if n and n != name}

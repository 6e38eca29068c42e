"""How findings are shown: compiler-style text for people, JSON for tools, GitHub Actions annotations for CI."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .model.diagnostics import ERROR, Diagnostic, sort_diagnostics

if TYPE_CHECKING:
    from .pipeline import Built, UpToDate


def format_text(diags: Sequence[Diagnostic]) -> str:
    """Compiler-style text, grouped by file, ending with a count line."""
    out: list[str] = []
    current = None
    for d in sort_diagnostics(diags):
        if d.path != current:
            if current is not None:
                out.append("")
            out.append(d.path or "(project)")
            current = d.path
        where = f"{d.path}:{d.line}:{d.column}" if d.line else d.path
        out.append(f"  {where}: {d.severity} {d.code}: {d.message}")
        if d.hint:
            out.append(f"      hint: {d.hint}")
    errors = sum(1 for d in diags if d.severity == ERROR)
    warnings = len(diags) - errors
    if out:
        out.append("")
    files = len({d.path for d in diags})
    if not diags:
        out.append("No problems found.")
    else:
        out.append(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(files, 'file')}.")
    return "\n".join(out)


def format_json(diags: Sequence[Diagnostic]) -> str:
    """One JSON array of objects with the contract's keys."""
    return json.dumps([d.as_dict() for d in sort_diagnostics(diags)], indent=2, ensure_ascii=False)


def format_github(diags: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands (annotations)."""
    lines = []
    for d in sort_diagnostics(diags):
        text = d.message + (f" (hint: {d.hint})" if d.hint else "")
        props = f"file={_gh_prop(d.path)}"
        if d.line:
            props += f",line={d.line}"
        if d.column:
            props += f",col={d.column}"
        props += f",title={d.code}"
        lines.append(f"::{d.severity} {props}::{_gh_data(text)}")
    return "\n".join(lines)


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def build_summary(result: Built | UpToDate, target: str) -> str:
    """The line `course build` ends with."""
    from .pipeline import UpToDate

    if isinstance(result, UpToDate):
        return f"Up to date: nothing changed since the last build ({result.record.files} files in {target})."
    r, math, figures = result.report, result.checked.math, result.figures
    parts = [f"{_plural(math.typeset, 'formula')} typeset, {math.cached} from the cache, {_plural(math.repeats, 'repeat')} reused"]
    if figures.computed or figures.cached:
        parts.append(f"{_plural(figures.computed, 'figure')} computed, {figures.cached} from the cache")
    return (f"Built {_plural(r.files, 'file')} ({r.written} changed, {r.bytes / 1e6:.1f} MB) into {target} in "
            f"{result.seconds:.1f} s: " + "; ".join(parts) + ".")

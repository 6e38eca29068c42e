"""The files lessons `{include}`: read here, once, so rendering never reads files. An included file lives under
content/ (lessons/ holds only lessons) and may include others; a missing one is reported where it is included."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from ..model.course import include_path
from ..model.diagnostics import Diagnostic
from .files import read_text

INCLUDE = re.compile(r"^[ \t]{0,3}(?:`{3,}|~{3,}|:{3,})[ \t]*\{include\}[ \t]*(\S+)", re.M)
"""An `{include}` directive's opening line and its path."""


def load_includes(root: Path, texts: Mapping[str, str], diags: list[Diagnostic]) -> dict[str, str]:
    """The text of every file the pages include, directly or through other included files."""
    found: dict[str, str] = {}
    todo = [(path, text) for path, text in texts.items()]
    while todo:
        path, text = todo.pop()
        if "{include}" not in text:  # most pages include nothing: skip the line-by-line search
            continue
        for match in INCLUDE.finditer(text):
            target = include_path(path, match.group(1))
            if target is None or target in found or not (root / target).is_file():
                continue  # reported by the include rule, at its line
            content = read_text(root, root / target, diags)
            if content is not None:
                found[target] = content
                todo.append((target, content))
    return dict(sorted(found.items()))

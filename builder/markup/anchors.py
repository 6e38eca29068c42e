"""The ids a document defines, known from its tokens before it renders (a link may come before its target)."""

from __future__ import annotations

import re

from markdown_it.token import Token

from .directives import walk

TEX_LABEL = re.compile(r"\\label\{([^{}]*)\}")
"""`\\label{...}` inside display math: the formula's label."""


def anchors_of(tokens: list[Token]) -> frozenset[str]:
    """Ids a document defines: heading ids, `(label)=` targets, directive `:name:` (and `:label:`) options, equation
    labels."""
    ids = set()
    for token in walk(tokens):
        if token.type == "heading_open" and token.attrGet("id"):
            ids.add(str(token.attrGet("id")))
        elif token.type == "myst_target":
            ids.add(token.content.strip())
        elif token.type == "directive":
            ids.update(token.meta["options"][key] for key in ("name", "label") if token.meta["options"].get(key))
            if token.meta["kind"] == "math":
                ids.update(TEX_LABEL.findall(token.meta["body"] or ""))
        elif token.type in ("math_block", "math_block_label", "amsmath"):
            ids.update(([str(token.info)] if token.type == "math_block_label" and token.info else [])
                       + TEX_LABEL.findall(token.content))
    return frozenset(ids)



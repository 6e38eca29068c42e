"""MyST syntax this builder does not implement, and what an author uses instead: every such directive or role is an
error at its line that says both (never literal text, never a silent difference from Jupyter Book)."""

from __future__ import annotations

_EXECUTED = ("executable cells are not supported: a course computes its figures at build time in content/figures/*.py "
             "(docs/figures.md); show code with ```` ```{code-block} python ````")
_DIAGRAM = "diagrams are not drawn at build time: make an SVG beforehand and show it with `{figure} path/to/diagram.svg`"
_EMBED = "embedded pages are not supported (the site loads nothing from the network): link to the page instead"
_LAYOUT = "use `{card}`s one after the other, or a `{tab-set}`"
_PROOF = "write it in a `{note}` callout titled Theorem, Proof, Definition..."

DIRECTIVES: dict[str, str] = {
    "code-cell": _EXECUTED, "jupyter-execute": _EXECUTED, "ipython": _EXECUTED, "exec": _EXECUTED,
    "glue": _EXECUTED, "glue:any": _EXECUTED, "glue:figure": _EXECUTED, "glue:math": _EXECUTED, "glue:md": _EXECUTED,
    "eval-rst": "reStructuredText is not read here: write the content in Markdown (MyST)",
    "toctree": "a module's lessons and their order come from site.yaml and the lessons/<module>/NN-slug.md file names",
    "tableofcontents": "every lesson page shows its own contents; the module page lists the lessons",
    "contents": "every lesson page shows its own contents",
    "raw": "raw output is disabled for safety: use Markdown or a directive",
    "literalinclude": "paste the code into a `{code-block}`, or `{include}` a Markdown file of the project",
    "csv-table": "write a Markdown table, or a `{list-table}`",
    "bibliography": "each lesson lists the works it cites at its end by itself: cite with {cite}`key`",
    "iframe": _EMBED, "embed": _EMBED, "video": _EMBED, "youtube": _EMBED, "audio": _EMBED,
    "mermaid": _DIAGRAM, "graphviz": _DIAGRAM, "plot": _DIAGRAM,
    "margin": "use an `{aside}` callout", "sidebar": "use an `{aside}` callout",
    "grid": _LAYOUT, "grid-item": _LAYOUT, "grid-item-card": _LAYOUT, "panels": _LAYOUT, "div": _LAYOUT,
    "button-link": "write a link: [text](url)", "button-ref": "write a link: [text](#label)",
    "prf:theorem": _PROOF, "prf:proof": _PROOF, "prf:definition": _PROOF, "prf:lemma": _PROOF, "proof": _PROOF,
    "topic": "use a `{note}` callout with a title", "rubric": "use a heading or **bold** text",
    "epigraph": "use a > block quote", "pull-quote": "use a > block quote", "highlights": "use a `{summary}` callout",
    "only": "conditional content is not supported: every reader sees the same lesson",
    "ifconfig": "conditional content is not supported: every reader sees the same lesson",
    "parsed-literal": "use a `{code-block}`", "line-block": "end lines with a backslash for hard breaks",
    "list-table-code": "use a `{list-table}`", "card-carousel": "use `{card}`s one after the other",
    "tab-set-code": "use a `{tab-set}` with one `{tab-item}` per language",
    "versionadded": "write a `{note}` titled with the version, e.g. ```` ```{note} New in 1.2.3 ````",
    "versionchanged": "write a `{note}` titled with the version, e.g. ```` ```{note} Changed in 1.2.3 ````",
    "deprecated": "write a `{warning}` titled with the version, e.g. ```` ```{warning} Deprecated in 1.2.3 ````",
    "details": "use a `{dropdown}`", "admonition-todo": "use a `{note}`", "todo": "use a `{note}`",
}
"""Directive kind -> what to write instead."""

ROLES: dict[str, str] = {
    "eval": _EXECUTED, "glue": _EXECUTED, "glue:": _EXECUTED, "glue:text": _EXECUTED, "glue:md": _EXECUTED,
    "download": "link the file with [text](path/to/file): project files are checked and published",
    "u": "use *emphasis*", "underline": "use *emphasis*", "del": "use ~~strikethrough~~",
    "dfn": "use **bold** for a defined word, or {term}`concept`",
    "cite:ps": "use {cite:p}", "cite:ts": "use {cite:t}", "cite:alp": "use {cite:p}", "cite:author": "use {cite:t}",
    "cite:year": "use {cite:p}", "cite:yearpar": "use {cite:p}", "footcite": "use a footnote [^name] or {cite}",
    "prf:ref": "use {ref}`label`", "button": "write a link: [text](url)",
    "py:func": "API references are not resolved: link with [text](url)", "py:class": "API references are not resolved: link with [text](url)",
    "external": "cross-project references are not resolved: link with [text](url)",
    "wikipedia": "link with [text](https://en.wikipedia.org/wiki/Page)",
}
"""Role name -> what to write instead."""

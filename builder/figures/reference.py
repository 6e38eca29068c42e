"""`course figures`: the figures a course declares, with their options, as Markdown (a course's docs can keep it)."""

from __future__ import annotations

from ..model.figures import FigureCatalog


def reference_markdown(catalog: FigureCatalog, course_title: str = "") -> str:
    """Every figure id, what it is, and its options (type and range, default, help)."""
    lines = ["# Figures", "",
             "The figure ids a lesson can use in `:::{figure} <id>`, with their options (`:name: value` lines under the",
             "opening fence). Each is computed at build time by the course's own code in `content/figures/` and embedded",
             "as an interactive chart; an explorer also gets one control per option. An unknown id is a CB411 finding, an",
             "unknown or out-of-range option a CB408. This page is the output of `course figures`.", ""]
    if course_title:
        lines[2:2] = [f"Course: {course_title}.", ""]
    if not catalog.figures:
        lines += ["This course declares no figures (see docs/figures.md to add some).", ""]
    for decl in sorted(catalog.figures.values(), key=lambda d: (d.path, d.line)):
        kind = "explorer: interactive, every combination computed" if decl.kind == "explorer" else "figure"
        lines += [f"## `{decl.id}`", "", f"{decl.title} ({kind}; `{decl.path}:{decl.line}`).", ""]
        if decl.options:
            lines += ["| option | values | default | what it sets |", "|---|---|---|---|"]
            lines += [f"| `{o.name}` | {o.describe()} | {'(none)' if o.default is None else f'`{_text(o.default)}`'} | {o.help} |"
                      for o in decl.options]
        else:
            lines.append("No options.")
        lines.append("")
    return "\n".join(lines)


def _text(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)

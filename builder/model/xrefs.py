"""Cross-references resolved: every page's targets by label, what a reference to one says and where it leads.

A page renders on its own, so its {ref}, {eq}, {numref} and `[](#label)` are placeholders; once every page has
rendered, check_references reports the labels no page defines and render_pages fills the placeholders, both
through this index (so the check and the page agree on which target a label means).
"""

from __future__ import annotations

from collections.abc import Iterable

from .rendered import NUMBERED_NAMES, DocKind, Rendered, Target, TargetKind


class TargetIndex:
    """Every target of every page, by label."""

    def __init__(self, documents: Iterable[Rendered]) -> None:
        self.by_label: dict[str, list[tuple[Rendered, Target]]] = {}
        self.lessons: dict[str, Rendered] = {}
        for doc in documents:
            if doc.key.kind is DocKind.LESSON:
                self.lessons[doc.key.id] = doc
            seen = set()
            for target in doc.targets:
                if target.label not in seen:  # a page's first target of a label is the one its id names
                    seen.add(target.label)
                    self.by_label.setdefault(target.label, []).append((doc, target))

    def find(self, doc: Rendered, label: str, lesson: str = "") -> list[tuple[Rendered, Target]]:
        """The targets `label` may mean from page `doc`: in `lesson` if given, else the page's own, else any page's."""
        found = self.by_label.get(label, [])
        if lesson:
            return [(d, t) for d, t in found if d.key.kind is DocKind.LESSON and d.key.id == lesson]
        own = [(d, t) for d, t in found if d.key == doc.key]
        return own or [(d, t) for d, t in found if d.key.kind is DocKind.LESSON]

    def labels(self) -> list[str]:
        """Every label of the course, sorted (for did-you-mean hints)."""
        return sorted(self.by_label)


def href_of(doc: Rendered, found: Rendered, target: Target, root: str) -> str:
    """The address of `target` (on page `found`) from page `doc`, whose root is `root`."""
    if found.key == doc.key:
        return "#" + target.label
    if found.key.kind is DocKind.MODULE:
        return f"{root}modules/{found.key.id}/index.html#{target.label}"
    return f"{root}{found.key.id}/index.html#{target.label}"


def text_of(target: Target, style: str) -> str:
    """What a reference says: `style` "" (the title, else the number: "(2)" or "Figure 2"), "eq" ("(2)"), "numref"
    ("Figure 2") or a {numref} template ("Fig. %s", "{name}, Table {number}")."""
    number = str(target.number) if target.number else "?"
    name = NUMBERED_NAMES.get(target.kind, "Section")
    if style == "eq" or (style == "" and target.kind is TargetKind.EQUATION):
        return f"({number})"
    if style == "":
        return target.title or (f"{name} {number}" if target.number else target.label)
    template = f"{name} %s" if style == "numref" else style
    return template.replace("%s", number).replace("{number}", number).replace("{name}", target.title)

"""Cross-references checked against every page's targets: the label exists (a did-you-mean when it does not), means
one place, and is of the kind the role asks for ({eq} an equation, {numref} something numbered). Pure."""

from __future__ import annotations

from ..model.diagnostics import Diagnostic, error
from ..model.rendered import Reference, Rendered, TargetKind
from ..model.xrefs import TargetIndex
from ..suggest import did_you_mean


def check_xref(targets: TargetIndex, doc: Rendered, ref: Reference) -> list[Diagnostic]:
    """The findings of one cross-reference of page `doc` (none when it resolves)."""
    label = ref.target
    found = targets.find(doc, label, ref.anchor)
    what = {"link": f"`#{label}`", "solution": f"`{{solution}} {label}`"}.get(ref.role, f"{{{ref.role}}}`{label}`")
    if not found:
        guess = did_you_mean(label, targets.labels())
        return [error("CB404", ref.path or doc.path, ref.pos, f"{what}: no heading, label, equation or named block `{label}` in this "
                      "lesson or any other",
                      f"{guess} Labels are `(label)=` lines, `:name:`/`:label:` options, `$$ ... $$ (label)` and heading ids.".strip())]
    if len(found) > 1:
        where = ", ".join(f"`{d.path}`" for d, _ in found)
        return [error("CB404", ref.path or doc.path, ref.pos, f"{what}: label `{label}` is defined in several lessons ({where})",
                      "Give the targets different labels, or link to one lesson's: [text](../path/NN-slug.md#" + label + ").")]
    target = found[0][1]
    if ref.role == "eq" and target.kind is not TargetKind.EQUATION:
        return [error("CB404", ref.path or doc.path, ref.pos, f"{what} points at a {target.kind.value}, not an equation",
                      "Use {eq} for labelled display math only; {ref} or [text](#label) link to anything else.")]
    if ref.role == "solution" and target.kind is not TargetKind.EXERCISE:
        return [error("CB404", ref.path or doc.path, ref.pos, f"`{{solution}} {label}` names a {target.kind.value}, not an exercise",
                      "Name the `:label:` of the `{exercise}` this solves.")]
    if ref.role == "numref" and not target.number:
        return [error("CB404", ref.path or doc.path, ref.pos, f"{what} points at a {target.kind.value} that has no number",
                      "{numref} needs a numbered target: a labelled equation, or a figure, table, code block or exercise "
                      "with a `:name:`; use {ref} for anything else.")]
    return []

"""How big a map's labels are: line breaks and widths estimated at build time, when no browser measures text.

The layout engine needs every node's size before anything is drawn, so labels are wrapped and measured here with
per-character advance widths of DejaVu Sans (a wide sans-serif: the usual system-ui fonts of macOS, Windows and
Android are narrower, so a label measured here fits them all). The SVG sets the same font size on its root.
"""

from __future__ import annotations

from ..model.maps import MapNode, NodeKind

FONT_SIZE = 13
"""The maps' label size in CSS pixels (the SVG's font-size)."""
LINE_HEIGHT = 16
PAD_X = 8
PAD_Y = 5
METER = 12
"""Room on the left of a concept node for its depth meter (one dot per depth of the scale)."""
CONCEPT_TEXT = 124
"""A concept label wraps beyond this many pixels."""
LESSON_TEXT = 150
"""A lesson label wraps beyond this many pixels."""

_WIDTHS = {  # advance widths in em
    **dict.fromkeys("ijl|", 0.28), **dict.fromkeys("'", 0.28), **dict.fromkeys(".,:;!", 0.34),
    **dict.fromkeys("ft()[]{}/-", 0.39), "r": 0.41, " ": 0.32, "I": 0.3, "J": 0.3,
    **dict.fromkeys("cksvxyzL", 0.58), **dict.fromkeys("abdeghnopqu0123456789", 0.64),
    **dict.fromkeys("EFPTYZS", 0.64), **dict.fromkeys("ABCKRVX", 0.7), **dict.fromkeys("DGHNOQU", 0.78),
    **dict.fromkeys("mMw", 0.9), "W": 1.0, "&": 0.78, "?": 0.53, '"': 0.46,
}
_DEFAULT = 0.66
"""Any other character (wide, to be safe)."""


BOLD = 1.1
"""Bold text (lesson labels) is about a tenth wider."""


def text_width(text: str, size: float = FONT_SIZE, bold: bool = False) -> float:
    """Estimated width of `text` in pixels at `size`."""
    return size * sum(_WIDTHS.get(ch, _DEFAULT) for ch in text) * (BOLD if bold else 1)


def wrap(text: str, width: float, bold: bool = False) -> tuple[str, ...]:
    """`text` broken at spaces into lines no wider than `width` (a single word wider than that keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, bold=bold) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return tuple(lines) or ("",)


def label_size(lines: tuple[str, ...], extra: float = 0, bold: bool = False) -> tuple[float, float]:
    """Width and height of a node holding `lines` (plus `extra` pixels on the left), rounded up to whole pixels."""
    width = max(text_width(line, bold=bold) for line in lines) + 2 * PAD_X + extra
    return float(int(width) + 1), float(len(lines) * LINE_HEIGHT + 2 * PAD_Y)


def node_lines(node: MapNode) -> tuple[str, ...]:
    """A node's label as it is drawn: a concept's name; a lesson's number in its module and title."""
    if node.kind is NodeKind.CONCEPT:
        return wrap(node.label, CONCEPT_TEXT)
    return wrap(f"{node.position}. {node.label}" if node.position else node.label, LESSON_TEXT, bold=True)


def node_size(node: MapNode) -> tuple[float, float]:
    """The size the layout engine reserves for a node."""
    concept = node.kind is NodeKind.CONCEPT
    return label_size(node_lines(node), METER if concept else 0, bold=not concept)

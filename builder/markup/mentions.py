"""Where a lesson's prose names a concept: its name or an alias (or their plural in +s/+es), as whole words,
case-insensitively, in paragraphs, list items, table cells, headings, callout, check and quiz text and captions;
never in code, math, link URLs, roles or the frontmatter. The ledger check compares these mentions with what the
lesson may assume (check/mentions.py).

Matching is longest first and never overlaps, so "stochastic gradient descent" is a mention of that concept, not
also of "gradient descent"; a hyphen joins words ("mini-batch" does not mention "batch").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence

from markdown_it.token import Token

from ..model.diagnostics import Pos
from ..model.rendered import Mention
from .context import SourceCursor

FEW_PAGES = 8
"""Pages a finder matches with patterns of their possible names only, before it compiles the pattern of all."""
_WORD = re.compile(r"[\w-]+")
"""A word as a name's boundaries see it: a hyphen joins words."""
_BREAK = "\x00"
"""Stands where prose is interrupted (code, math, a role): no name matches across it."""
_PROSE_INLINE = {"text"}
_SPACES = {"softbreak", "hardbreak"}


class MentionFinder:
    """The concept names of a course as one pattern, and the concept each written form belongs to.

    The pattern of thousands of names takes a noticeable part of a second to compile, which a process that renders one
    lesson (a build after an edit) would pay for that lesson alone. So the first few lessons a finder reads are
    matched with a pattern of only the names whose every word the lesson's text has (all others cannot match); a
    finder that reads more (a worker rendering many) compiles the whole pattern once. Both find the same mentions."""

    def __init__(self, forms: Mapping[str, Iterable[str]]) -> None:
        """`forms`: concept id -> the names it may be written as (its name and aliases)."""
        self.owner: dict[str, str] = {}
        for concept, names in forms.items():
            for name in names:
                key = _key(name)
                if key and key not in self.owner:
                    self.owner[key] = concept
        self._words: dict[str, list[tuple[str, tuple[str, ...]]]] = {}  # a name's first word -> (name, its words)
        for key in self.owner:
            words = tuple(_WORD.findall(key))
            self._words.setdefault(words[0] if words and key.startswith(words[0]) else "", []).append((key, words))
        self._read = 0
        self._whole: re.Pattern[str] | None = None

    def _pattern_for(self, prose: str) -> re.Pattern[str] | None:
        """The pattern to match a page's prose with: of the names it may hold while few pages were read, else of
        all."""
        self._read += 1
        if self._whole is None and self._read > FEW_PAGES:
            self._whole = _compiled(tuple(sorted(self.owner)))
        if self._whole is not None:
            return self._whole
        words = set(_WORD.findall(prose.casefold())) | set(_WORD.findall(prose.lower()))  # as IGNORECASE matches
        words |= {w[:-1] for w in words if w.endswith("s")} | {w[:-2] for w in words if w.endswith("es")}  # plurals
        possible = [key for first in (words & self._words.keys()) | {""} for key, parts in self._words.get(first, ())
                    if all(part in words for part in parts)]
        return _compiled(tuple(sorted(possible))) if possible else None

    def concept_of(self, written: str) -> str | None:
        """The concept a matched text names (its plural ending dropped if need be)."""
        key = _key(written)
        for form in (key, key[:-1] if key.endswith("s") else "", key[:-2] if key.endswith("es") else ""):
            if form and form in self.owner:
                return self.owner[form]
        return None

    def first_mentions(self, tokens: Sequence[Token], source: str) -> tuple[Mention, ...]:
        """Each concept the page's prose names, at its first mention, in reading order."""
        blocks = list(_prose(tokens)) if self.owner else []
        pattern = self._pattern_for("\n".join(text for text, _, _ in blocks)) if blocks else None
        if pattern is None:
            return ()
        cursor = SourceCursor(source)
        found: dict[str, Mention] = {}
        for text, pieces, line_range in blocks:
            for match in pattern.finditer(text):
                concept = self.concept_of(match.group(0))
                if concept is None or concept in found:
                    continue
                found[concept] = Mention(concept, _position(cursor, match, pieces, line_range), " ".join(match.group(0).split()))
        return tuple(found.values())


@functools.lru_cache(maxsize=64)
def _compiled(keys: tuple[str, ...]) -> re.Pattern[str]:
    """The pattern matching any of these names (sorted), as whole words, with a plural ending."""
    return re.compile(rf"(?<![\w-])(?:{_trie_pattern(keys)})(?:e?s)?(?![\w-])", re.IGNORECASE)


def _trie_pattern(words: Sequence[str]) -> str:
    """One regular expression for all `words` (lower case, single spaces), shaped as a trie: a shared prefix is
    matched once, so the cost per position of the text does not grow with the number of concepts (a plain
    alternation of thousands of names tries each in turn). Longer words are tried first; a space matches any
    run of whitespace."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [(r"\s+" if char == " " else re.escape(char)) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body
    return emit(trie)


@functools.lru_cache(maxsize=2)
def finder_for(forms: tuple[tuple[str, tuple[str, ...]], ...]) -> MentionFinder:
    """The finder of these forms (concept id, its written forms), made once per process: a long-lived one
    (`course serve`) does not compile the pattern of thousands of names again for each rebuild."""
    return MentionFinder(dict(forms))


def concept_forms(concepts: Iterable) -> dict[str, tuple[str, ...]]:
    """Concept id -> the written forms detection looks for (none for a concept with `detect: false`)."""
    return {c.id: (c.name, *c.aliases) for c in concepts if c.detect}


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


Piece = tuple[int, str]
"""(offset in the joined text, the text token's own content): where a piece of prose came from."""


def _prose(tokens: Sequence[Token]) -> Iterable[tuple[str, list[Piece], tuple[int, int]]]:
    """Each block's prose: its text with breaks where code, math or roles interrupt it, the pieces it is made of,
    and the block's line range (0-based, end exclusive)."""
    for token in tokens:
        if token.type == "inline" and token.map:
            yield (*_joined(token.children or []), (token.map[0], token.map[1]))
        elif token.type == "directive" and token.meta.get("body") is None:
            title = token.meta.get("title", "")
            if title and token.map:
                yield title, [(0, title)], (token.map[0], token.map[0] + 1)
            yield from _prose(token.children or [])
        elif token.children and token.type != "inline":
            yield from _prose(token.children)


def _joined(children: Sequence[Token]) -> tuple[str, list[Piece]]:
    parts: list[str] = []
    pieces: list[Piece] = []
    length = 0
    for child in children:
        if child.type in _PROSE_INLINE:
            pieces.append((length, child.content))
            parts.append(child.content)
            length += len(child.content)
        elif child.type in _SPACES:
            parts.append(" ")
            length += 1
        elif child.type.endswith(("_open", "_close")) and child.type != "html_inline":
            continue  # emphasis and link text are prose; a link's URL is in its attributes, not here
        else:
            parts.append(_BREAK)
            length += 1
    return "".join(parts), pieces


def _position(cursor: SourceCursor, match: re.Match[str], pieces: list[Piece], line_range: tuple[int, int]) -> Pos:
    """Where the match is in the file: found through the text piece it starts in, else by the words in the block."""
    start = match.start()
    piece = next(((at, content) for at, content in reversed(pieces) if at <= start), None)
    cursor.seek_line(line_range[0], line_range[1])
    if piece is not None:
        at, content = piece
        offset = cursor.source.find(content, cursor.offset, cursor.limit) if content else -1
        if offset >= 0:
            return cursor.pos_of_offset(offset + start - at)
    words = r"\s+".join(re.escape(w) for w in match.group(0).split())
    found = re.compile(words, re.IGNORECASE).search(cursor.source, cursor.offset, cursor.limit)
    return cursor.pos_of_offset(found.start()) if found else cursor.here()

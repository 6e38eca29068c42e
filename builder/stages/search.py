"""The offline search index: titles, section headings, concept names and each section's telling words, as a .js file.

Compact by construction, so a 1,000-lesson course stays well under 2 MB:
- each section keeps at most MAX_WORDS words, the ones that tell it apart (tf-idf: frequent in the section, rare in
  the course); words found in most sections, or already in the heading, find nothing a reader would want;
- words are stored once, in a vocabulary sorted by use, and sections refer to them by base-36 number.
It is a script assigning window.COURSE_SEARCH because fetch() cannot read files from file:// pages.
"""

from __future__ import annotations

import heapq
import itertools
import html
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from ..markup import placeholders
from ..model.course import Course
from ..model.output import SearchScores
from ..model.rendered import RenderedCourse, RenderedLesson, SearchSection

_TAG = re.compile(r"<[^>]+>")
_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)
_MATH = re.compile(r'<span class="katex-mathml">.*?</span>', re.S)
_WORD = re.compile(r"[a-z0-9]+")
_TEXT_WORD = re.compile(r"[a-z][a-z0-9]{2,}")
STOP = frozenset("a an and are as at be but by can do does for from has have how if in into is it its not of on or "
                 "so than that the their then there these they this to was we what when where which while who why "
                 "will with you your our one two also each more most much very just only same other such here "
                 "about after again all any because been before being both could did down even every first how just "
                 "like made make many may might must never now off once out over should some still them those through "
                 "under until use used using way well were would".split())
MAX_WORDS = 24
"""Words kept per section (the most telling ones)."""
COMMON = 0.5
"""A word found in more than this share of all sections is not indexed as text (once there are 50+ sections)."""


def build_search_index(course: Course, rendered: RenderedCourse, last: SearchScores | None = None) -> tuple[str, SearchScores]:
    """The index as a script assigning window.COURSE_SEARCH = {"w": vocabulary, "pages": [...]}, and what it was
    scored from; `last`: the last build's scores (sections no change reached keep their words, and the words of the
    sections an edit replaced are read from that build's renderings, `rendered.earlier`).

    A page is {"t": title, "u": url from the site root, "c": concept names, "s": sections}; a section is
    [anchor id, heading, word numbers in base 36 separated by spaces]."""
    lessons = []
    for lesson in course.lessons:
        concepts = sorted({course.concepts[t.concept].name for t in lesson.teaches})
        doc = rendered.lessons[lesson.slug]
        lessons.append((lesson, concepts, doc.search, doc.digest))
    ids = [[f"{digest[:20]}:{i}" for i in range(len(sections))] for _, _, sections, digest in lessons]
    scores = score_sections([(sid, section.words) for (_, _, sections, _), sids in zip(lessons, ids)
                             for sid, section in zip(sids, sections)], last, _earlier_words(rendered, last))
    telling = {sid: words.split() for sid, words in scores.telling.items()}
    vocabulary = _vocabulary([telling[sid] for sids in ids for sid in sids])
    number = {word: _base36(i) for i, word in enumerate(vocabulary)}
    pages: list[dict] = []
    for (lesson, concepts, sections, _), sids in zip(lessons, ids):
        pages.append({"t": lesson.title, "u": f"{lesson.slug}/index.html", "c": "; ".join(concepts),
                      "s": [[s.anchor, s.heading, " ".join(map(number.__getitem__, telling[sid]))] for s, sid in zip(sections, sids)]})
    for module in course.modules:
        pages.append({"t": f"Module {module.id}: {module.title}", "u": f"modules/{module.id}/index.html", "c": "", "s": []})
    pages.append({"t": "Concepts and the depth ledger", "u": "concepts/index.html",
                  "c": "; ".join(sorted(c.name for c in course.concepts.values())), "s": []})
    data = json.dumps({"w": vocabulary, "pages": pages}, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return ("window.COURSE_SEARCH=" + data.replace("</", "<\\/") + ";\n",
            replace(scores, lessons=tuple(digest for _, _, _, digest in lessons)))


def sections_of(body: str) -> tuple[SearchSection, ...]:
    """Each h2/h3 of a rendered body: its anchor, its heading, and the word counts of the text below it (heading
    words left out)."""
    body = _MATH.sub(" ", placeholders.strip(body))
    cuts = list(_HEADING.finditer(body))
    sections = []
    for i, match in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(body)
        title = _text(match.group(3)).rstrip("#").strip()
        in_title = set(_WORD.findall(title.lower()))
        words = Counter(_TEXT_WORD.findall(_text(body[match.end():end]).lower()))
        for word in (STOP | in_title) & words.keys():
            del words[word]
        sections.append(SearchSection(match.group(2), title, pack_words(words)))
    return tuple(sections)


def pack_words(counts: Mapping[str, int]) -> str:
    """Word counts as a SearchSection holds them: `word:count`, space-separated, in word order."""
    return " ".join(f"{word}:{n}" for word, n in sorted(counts.items()))


def unpack_words(words: str) -> dict[str, int]:
    """A SearchSection's word counts."""
    return {word: int(n) for word, n in _PACKED.findall(words)}


def words_in(words: str) -> list[str]:
    """A SearchSection's words, without their counts (one pass in C: no object per count)."""
    return _PACKED_WORD.findall(words)


def _holds_any(wanted: set[str]) -> Callable[[str], bool]:
    """Whether a SearchSection's words include one of `wanted`: a substring search per word when there are few (an
    edit changes how many sections have a handful of words; its words are `word:count` between spaces), else one
    pass over the section's words."""
    if not wanted:
        return lambda words: False
    if len(wanted) <= 16:
        probes = [(word + ":", " " + word + ":") for word in wanted]
        return lambda words: any(words.startswith(first) or inner in words for first, inner in probes)
    return lambda words: not wanted.isdisjoint(words_in(words))


_PACKED = re.compile(r"([a-z0-9]+):(\d+)")
_PACKED_WORD = re.compile(r"([a-z0-9]+):")


def score_sections(sections: Sequence[tuple[str, str]], last: SearchScores | None = None,
                   earlier: Callable[[str], str | None] = lambda sid: None) -> SearchScores:
    """For each section (its id, its words as SearchSection holds them), its MAX_WORDS words with the highest
    tf-idf, most telling first (ties alphabetical), space-separated.

    Each word's idf is computed once, and each section keeps its best words with a bounded heap rather than sorting
    all of them. With the last build's scores, a section is scored again only if it is new or the number of sections
    in the course, or how many sections have one of its words, has changed: its words are otherwise the same. How
    many sections have each word is then the last build's count, less the words of the sections no longer there
    (`earlier`: a section of the last build -> its words, None when not kept), plus those of the new ones: only the
    sections an edit reached are read word by word."""
    count = len(sections)
    updated = _updated_df(last, sections, earlier) if last is not None else None
    if updated is None:
        df: dict[str, int] = Counter()
        for _, words in sections:
            df.update(words_in(words))
        touched = df.keys() | (last.df.keys() if last is not None else set())
    else:
        df, touched = updated
    reusable: Mapping[str, str] = {}  # the last build's words, when they can still hold
    changed: set[str] = set()
    if last is not None and last.sections == count:
        reusable, before = last.telling, last.df
        changed = {w for w in touched if before.get(w) != df.get(w)}
    limit = COMMON * count if count >= 50 else math.inf
    idf = {w: math.log((1 + count) / n) for w, n in df.items() if n <= limit}
    weight = [0.0] + [1 + math.log(tf) for tf in range(1, 64)]
    telling: dict[str, str] = {}
    reached = _holds_any(changed)
    for sid, words in sections:
        if sid in reusable and not reached(words):
            telling[sid] = reusable[sid]
            continue
        scored = [(-(weight[tf] if tf < 64 else 1 + math.log(tf)) * idf[w], w)
                  for w, tf in unpack_words(words).items() if w in idf]
        telling[sid] = " ".join(w for _, w in heapq.nsmallest(MAX_WORDS, scored))
    return SearchScores(count, dict(df), telling)


def _updated_df(last: SearchScores, sections: Sequence[tuple[str, str]],
                earlier: Callable[[str], str | None]) -> tuple[dict[str, int], set[str]] | None:
    """How many sections have each word, from the last build's counts and the sections that came and went; and the
    words whose count may have changed. None when a section that went cannot be read (count them all)."""
    present = {sid for sid, _ in sections}
    went = [sid for sid in last.telling if sid not in present]
    if len(went) > len(sections) // 2:
        return None  # most of the course changed (a new builder, say): counting it all is cheaper than reading what went
    gone = []
    for sid in went:
        words = earlier(sid)
        if words is None:
            return None
        gone.append(words)
    df = dict(last.df)
    touched: set[str] = set()
    for words in gone:
        for word in words_in(words):
            n = df.get(word, 0)
            if n <= 0:
                return None  # not the counts those sections were in: count them all
            df[word] = n - 1
            touched.add(word)
    for sid, words in sections:
        if sid not in last.telling:
            for word in words_in(words):
                df[word] = df.get(word, 0) + 1
                touched.add(word)
    for word in touched:
        if df.get(word) == 0:
            del df[word]
    return df, touched


def _earlier_words(rendered: RenderedCourse, last: SearchScores | None) -> Callable[[str], str | None]:
    """A section of the last build -> its words, read from that build's rendering of its lesson (once per lesson)."""
    digests = {digest[:20]: digest for digest in last.lessons} if last is not None else {}
    lessons: dict[str, RenderedLesson | None] = {}

    def words(sid: str) -> str | None:
        prefix, _, number = sid.partition(":")
        if prefix not in lessons:
            digest = digests.get(prefix)
            lessons[prefix] = rendered.earlier(digest) if digest else None
        doc = lessons[prefix]
        i = int(number) if number.isdigit() else -1
        return doc.search[i].words if doc is not None and 0 <= i < len(doc.search) else None
    return words


def _vocabulary(telling: list[list[str]]) -> list[str]:
    """Every kept word once, the most used first (short numbers for them)."""
    uses = Counter(itertools.chain.from_iterable(telling))  # counted in C, not by a generator per word
    return [w for w, _ in sorted(uses.items(), key=lambda item: (-item[1], item[0]))]


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def _text(fragment: str) -> str:
    return html.unescape(_TAG.sub(" ", fragment)).strip()

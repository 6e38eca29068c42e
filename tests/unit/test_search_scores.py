"""The search index's word choice: scoring only the sections a change reaches gives what scoring all of them gives."""

from __future__ import annotations

import random

import pytest

from builder.stages.search import MAX_WORDS, pack_words, score_sections, unpack_words

WORDS = [f"w{i:03d}" for i in range(400)]


def _course(rng: random.Random, sections: int) -> list[tuple[str, str]]:
    return [(f"s{i}", pack_words({w: rng.randint(1, 70) for w in rng.sample(WORDS, rng.randint(0, 60))}))
            for i in range(sections)]


def _edit(rng: random.Random, course: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """Another version: some sections changed (a new id, as a new rendering has), maybe one added or removed."""
    out = list(course)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(out))
        words = unpack_words(out[i][1])
        words[rng.choice(WORDS)] = rng.randint(1, 5)
        if words and rng.random() < 0.5:
            del words[rng.choice(sorted(words))]
        out[i] = (f"e{n}-{i}", pack_words(words))
    if rng.random() < 0.2:
        out.append((f"new{n}", pack_words({rng.choice(WORDS): 2})))
    if rng.random() < 0.2 and len(out) > 2:
        out.pop(rng.randrange(len(out)))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_scoring_what_changed_equals_scoring_everything(seed):
    rng = random.Random(seed)
    course = _course(rng, rng.choice([10, 60, 120]))
    last = score_sections(course)
    kept = dict(course)  # every section any version had: what the cache keeps
    for n in range(8):
        course = _edit(rng, course, n)
        kept.update(course)
        full = score_sections(course)
        assert score_sections(course, last) == full  # the words of what went unknown: every section counted
        again = score_sections(course, last, kept.get)
        assert again.telling == full.telling and again.df == full.df
        last = again


def test_only_the_sections_an_edit_reached_are_read_word_by_word(monkeypatch):
    import builder.stages.search as search

    rng = random.Random(3)
    course = _course(rng, 200)
    last = score_sections(course)
    before = dict(course)
    course[7] = ("edited", pack_words({**unpack_words(course[7][1]), "w999": 1}))  # a word no other section has
    full = score_sections(course)
    read = []
    real = search.words_in
    monkeypatch.setattr(search, "words_in", lambda words: read.append(words) or real(words))
    again = score_sections(course, last, before.get)
    assert again == full and sorted(read) == sorted([before["s7"], course[7][1]])
    read.clear()
    assert score_sections(course, last, lambda sid: None) == again and len(read) == len(course)  # what went is unknown
    renamed = [(f"new-{sid}", words) for sid, words in course]  # every section new (a new builder renders all again)
    asked = []
    assert score_sections(renamed, last, lambda sid: asked.append(sid)) == score_sections(renamed) and not asked


def test_a_section_keeps_its_most_telling_words_in_order():
    common = {"net": 3}
    sections = [("a", pack_words({"net": 5, "relu": 2, "rare": 1}))] + [(f"o{i}", pack_words(common)) for i in range(60)]
    scores = score_sections(sections)
    assert scores.telling["a"] == "relu rare"  # "net" is in most sections: not a telling word
    many = score_sections([("b", pack_words({f"x{i:02d}": i + 1 for i in range(40)})), ("c", pack_words({"y": 1}))])
    assert len(many.telling["b"].split()) == MAX_WORDS and many.telling["b"].split()[0] == "x39"


def test_unreached_sections_are_not_scored_again(monkeypatch):
    import builder.stages.search as search

    rng = random.Random(5)
    course = _course(rng, 80)
    last = score_sections(course)
    course[3] = ("edited", pack_words({**unpack_words(course[3][1]), "zznewword": 2}))  # a word no other section has
    full = score_sections(course)
    calls = []
    real = search.heapq.nsmallest
    monkeypatch.setattr(search.heapq, "nsmallest", lambda *a: calls.append(1) or real(*a))
    assert score_sections(course, last) == full and len(calls) == 1


@pytest.mark.parametrize("seed", range(6))
def test_a_section_is_found_to_hold_a_word_exactly(seed):
    """Whether a section holds one of the words whose counts changed: substring probes for a few words, one pass
    for many; words that are the start or end of others (rate, rates, learnrate) are not taken for each other."""
    from builder.stages.search import _holds_any

    rng = random.Random(seed)
    vocabulary = ["rate", "rates", "learnrate", "rat", "ate", "w12", "w123", "a1b", "loss", "losses"]
    for _ in range(200):
        words = {w: rng.randint(1, 9) for w in rng.sample(vocabulary, rng.randint(0, len(vocabulary)))}
        wanted = set(rng.sample(vocabulary + [f"x{i}" for i in range(40)], rng.choice([1, 2, 5, 17, 30])))
        assert _holds_any(wanted)(pack_words(words)) == (not wanted.isdisjoint(words)), (words, wanted)
    assert not _holds_any(set())(pack_words({"rate": 1}))

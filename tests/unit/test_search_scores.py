"""The search index's word choice: scoring only the sections a change reaches gives what scoring all of them gives."""

from __future__ import annotations

import random

import pytest

from builder.stages.search import MAX_WORDS, score_sections

WORDS = [f"w{i:03d}" for i in range(400)]


def _course(rng: random.Random, sections: int) -> list[tuple[str, dict[str, int]]]:
    return [(f"s{i}", {w: rng.randint(1, 70) for w in rng.sample(WORDS, rng.randint(0, 60))}) for i in range(sections)]


def _edit(rng: random.Random, course: list[tuple[str, dict[str, int]]], n: int) -> list[tuple[str, dict[str, int]]]:
    """Another version: some sections changed (a new id, as a new rendering has), maybe one added or removed."""
    out = list(course)
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(out))
        words = dict(out[i][1])
        words[rng.choice(WORDS)] = rng.randint(1, 5)
        if words and rng.random() < 0.5:
            del words[rng.choice(sorted(words))]
        out[i] = (f"e{n}-{i}", words)
    if rng.random() < 0.2:
        out.append((f"new{n}", {rng.choice(WORDS): 2}))
    if rng.random() < 0.2 and len(out) > 2:
        out.pop(rng.randrange(len(out)))
    return out


@pytest.mark.parametrize("seed", range(12))
def test_scoring_what_changed_equals_scoring_everything(seed):
    rng = random.Random(seed)
    course = _course(rng, rng.choice([10, 60, 120]))
    last = score_sections(course)
    for n in range(8):
        course = _edit(rng, course, n)
        again = score_sections(course, last)
        assert again == score_sections(course)
        last = again


def test_a_section_keeps_its_most_telling_words_in_order():
    common = {"net": 3}
    sections = [("a", {"net": 5, "relu": 2, "rare": 1})] + [(f"o{i}", dict(common)) for i in range(60)]
    scores = score_sections(sections)
    assert scores.telling["a"] == ("relu", "rare")  # "net" is in most sections: not a telling word
    many = score_sections([("b", {f"x{i:02d}": i + 1 for i in range(40)}), ("c", {"y": 1})])
    assert len(many.telling["b"]) == MAX_WORDS and many.telling["b"][0] == "x39"


def test_unreached_sections_are_not_scored_again(monkeypatch):
    import builder.stages.search as search

    rng = random.Random(5)
    course = _course(rng, 80)
    last = score_sections(course)
    course[3] = ("edited", {**course[3][1], "zz-new-word": 2})  # one section edited, with a word no other has
    full = score_sections(course)
    calls = []
    real = search.heapq.nsmallest
    monkeypatch.setattr(search.heapq, "nsmallest", lambda *a: calls.append(1) or real(*a))
    assert score_sections(course, last) == full and len(calls) == 1

"""The incremental layer on Python values: the codec, the store, cached_map and the record of the last build."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from enum import Enum

import pytest

from builder.incremental import Memo, Pool, Summary
from builder.incremental.codec import CodecError, decode, encode
from builder.incremental.keys import content_key
from builder.incremental.record import BuildRecord, last_build, save_build
from builder.model.diagnostics import Diagnostic, Pos
from builder.model.rendered import DocKey, DocKind, FigureRef, MathItem


class Colour(Enum):
    RED = "red"


@dataclass(frozen=True)
class Sample:
    name: str
    count: int
    ratio: float
    flag: bool
    colour: Colour
    tags: frozenset[str]
    items: tuple[MathItem, ...]
    lookup: dict[str, int]
    keyed: dict[DocKey, str]
    maybe: Pos | None
    words: tuple[str, ...] = ()
    flags: dict[str, bool] = dataclasses.field(default_factory=dict)


SAMPLE = Sample("a", 3, 0.5, True, Colour.RED, frozenset({"y", "x"}), (MathItem("x^2", False, Pos(2, 3), ""),),
                {"k": 1}, {DocKey(DocKind.LESSON, "one"): "v"}, None, ("w", "v"), {"on": True})
F = {f.name: i for i, f in enumerate(dataclasses.fields(Sample))}
"""Where each field of a Sample is in its stored array."""


def setting(name: str, value: object):
    return lambda data: data.__setitem__(F[name], value)


def test_codec_round_trips_declared_types():
    data = encode(SAMPLE)
    assert data[F["tags"]] == ["x", "y"]  # sets are sorted: equal values store equal bytes
    assert data[F["name"]] == "a" and len(data) == len(F)  # a dataclass: the array of its fields, in order
    assert decode(Sample, data) == SAMPLE
    ref = FigureRef("curve", {"rate": 0.5, "n": 3, "on": True, "kind": "a"}, "<p>c</p>", "f1", Pos(1))
    assert decode(FigureRef, encode(ref)) == ref


def test_values_stored_together_encode_their_shared_parts_once_and_alike():
    seen: dict = {}
    whole = encode(SAMPLE, seen)
    short = dataclasses.replace(SAMPLE, name="b", words=())
    assert encode(short, seen) == encode(short) and whole == encode(SAMPLE)
    assert encode(short, seen)[F["items"]] is whole[F["items"]]  # the tuple both hold was encoded once
    # a mutable part is never taken from what was seen: it may have changed since
    mutable = {"k": [1]}
    first = encode(mutable, seen)
    mutable["k"].append(2)
    assert encode(mutable, seen) == {"k": [1, 2]} and first == {"k": [1]}


@pytest.mark.parametrize("change", [
    setting("count", "3"), setting("count", True), setting("flag", 1),
    setting("colour", "blue"), lambda d: d.pop(F["name"]), lambda d: d.append(1),
    lambda d: d.insert(0, d.pop(F["count"])),  # as many fields, in another order
    lambda d: d[F["items"]][0].__setitem__(2, [1]), setting("tags", "xy"),
    setting("keyed", {"lesson": "v"}), setting("maybe", [1, 2, 3]), setting("maybe", {"line": 1, "column": 2}),
    setting("items", {"__class__": "os.system"}), lambda d: d.clear(), lambda d: d.__setitem__(slice(None), [{}]),
    # collections of plain values, checked in one pass (str, int and bool are not interchangeable)
    setting("lookup", {"k": "1"}), setting("lookup", {"k": True}), setting("lookup", [1]),
    setting("words", ["w", 1]), setting("words", "wv"), setting("words", {"w": 1}),
    setting("flags", {"on": 1}), lambda d: d[F["words"]].append(None),
])
def test_codec_refuses_what_the_type_does_not_declare(change):
    data = encode(SAMPLE)
    change(data)
    with pytest.raises(CodecError):
        decode(Sample, data)


def test_a_union_of_two_types_stored_as_arrays_has_no_encoding():
    """Two dataclasses (or a dataclass and a tuple) are both stored as arrays: a value of one could be read as the
    other, so such a type is refused where it is declared, not misread later."""
    @dataclass(frozen=True)
    class Either:
        value: Pos | DocKey

    @dataclass(frozen=True)
    class Fine:
        value: Pos | str | None = None

    with pytest.raises(TypeError, match="stored as arrays"):
        decode(Either, [[1, 2]])
    assert decode(Fine, encode(Fine(Pos(1, 2)))) == Fine(Pos(1, 2)) and decode(Fine, encode(Fine("x"))) == Fine("x")


def test_decoders_written_for_a_class_keep_its_construction_rules():
    """Each dataclass's decoder is Python written out from its fields: field names that are also the decoder's own
    names, a field not given to __init__, a __post_init__, an empty class and an enum member all decode as the
    class itself would make them."""
    @dataclass(frozen=True)
    class Awkward:
        data: str
        cls: int
        made: tuple[Pos, ...]
        v0: Colour
        new: Pos | None = None

    @dataclass(frozen=True)
    class Derived:
        text: str
        length: int = dataclasses.field(init=False, default=0)

        def __post_init__(self) -> None:
            object.__setattr__(self, "length", len(self.text))

    @dataclass(frozen=True)
    class Empty:
        pass

    awkward = Awkward("d", 2, (Pos(1, 2), Pos(3)), Colour.RED, Pos(4, 5))
    assert decode(Awkward, encode(awkward)) == awkward and decode(Awkward, ["d", 2, [], "red", None]).new is None
    assert decode(Derived, ["abc", 99]) == Derived("abc") and decode(Derived, ["abc", 99]).length == 3
    assert decode(Empty, []) == Empty()
    for bad in (["d", 2, [], "blue", None], ["d", 2, [[1]], "red", None], ["d", "2", [], "red", None], ["d", 2, [], "red"],
                ["d", 2, [], ["red"], None], {"data": "d"}):
        with pytest.raises(CodecError):
            decode(Awkward, bad)
    with pytest.raises(CodecError, match="Empty: expected an array of its 0 fields"):
        decode(Empty, [1])


def test_cached_map_computes_misses_once_and_keeps_order(tmp_path):
    memo = Memo.for_project(tmp_path)
    seen = []

    def square(n: int) -> int:
        seen.append(n)
        return n * n
    first = memo.cached_map("sq", [3, 1, 2], key=lambda n: content_key("sq", n), compute=square, value_type=int)
    assert (first.values, first.computed, first.cached) == ((9, 1, 4), 3, 0)
    again = memo.cached_map("sq", [2, 4, 3], key=lambda n: content_key("sq", n), compute=square, value_type=int)
    assert (again.values, again.computed, again.cached) == ((4, 16, 9), 1, 2) and seen == [3, 1, 2, 4]
    off = Memo.for_project(tmp_path / "off", enabled=False).cached_map("sq", [3], key=lambda n: content_key("sq", n),
                                                                       compute=square, value_type=int)
    assert off.computed == 1 and not (tmp_path / "off").exists()  # --no-cache: nothing read, nothing written


def _pid_of(n: int) -> tuple[int, int]:
    return n, os.getpid()


def test_cached_map_uses_worker_processes_when_it_pays(tmp_path):
    memo = Memo.for_project(tmp_path)
    items = list(range(8))
    done = memo.cached_map("pid", items, key=lambda n: content_key("pid", n), compute=_pid_of,
                           value_type=tuple[int, int], pool=Pool(min_items=4, max_workers=2))
    assert [n for n, _ in done.values] == items
    assert {pid for _, pid in done.values} - {os.getpid()}  # computed elsewhere
    serial = Memo.for_project(tmp_path, enabled=False).cached_map(
        "pid", items[:2], key=lambda n: content_key("pid", n), compute=_pid_of, value_type=tuple[int, int],
        pool=Pool(min_items=4))
    assert {pid for _, pid in serial.values} == {os.getpid()}  # too few to pay for a pool


def test_cached_batch_sends_only_the_misses(tmp_path):
    memo = Memo.for_project(tmp_path)
    batches = []

    def double(items: list[str]) -> list[str]:
        batches.append(list(items))
        return [s * 2 for s in items]
    memo.cached_batch("dbl", ["a", "b"], key=lambda s: content_key(s), compute=double, value_type=str)
    done = memo.cached_batch("dbl", ["b", "c", "a"], key=lambda s: content_key(s), compute=double, value_type=str)
    assert done.values == ("bb", "cc", "aa") and batches == [["a", "b"], ["c"]]


def test_a_summary_is_kept_beside_each_value_and_read_alone(tmp_path):
    memo = Memo.for_project(tmp_path)
    short = Summary("head", lambda word: word[:1])
    key = lambda word: content_key("word", word)  # noqa: E731
    memo.cached_map("word", ["apple", "pear"], key=key, compute=str.upper, value_type=str, summaries=(short,))
    read = []
    store_get = memo.store.get
    memo.store.get = lambda kind, k, t: read.append(kind) or store_get(kind, k, t)
    again = memo.cached_map("word", ["apple", "pear"], key=key, compute=str.upper, value_type=str, summaries=(short,),
                            only=short)
    assert again.values == ("A", "P") and again.computed == 0 and read == ["head", "head"]  # the wholes not read
    # a value stored without its summary (an older cache): summarized on reading, and the summary kept
    memo.put("word", key("plum"), "PLUM")
    read.clear()
    assert memo.cached_map("word", ["plum"], key=key, compute=str.upper, value_type=str, summaries=(short,),
                           only=short).values == ("P",) and read == ["head", "word"]
    read.clear()
    assert memo.cached_map("word", ["plum"], key=key, compute=str.upper, value_type=str, summaries=(short,),
                           only=short).values == ("P",) and read == ["head"]
    # computed for a reader of summaries only: only the summary is stored (it is not a whole value)
    fig = memo.cached_map("word", ["fig"], key=key, compute=str.lower, value_type=str, summaries=(short,), only=short)
    assert memo.get("head", key("fig"), str) == "f" and memo.get("word", key("fig"), str) is None
    assert fig.wholes == (None,)
    # unless computing makes the whole value all the same (a typeset formula): then it is kept too
    whole = Summary("head", lambda word: word[:1], computed_whole=True)
    kiwi = memo.cached_batch("word", ["kiwi"], key=key, compute=lambda words: [w.upper() for w in words],
                             value_type=str, summaries=(whole,), only=whole)
    assert memo.get("head", key("kiwi"), str) == "K" and memo.get("word", key("kiwi"), str) == "KIWI"
    assert kiwi.values == ("K",) and kiwi.wholes == ("KIWI",)  # the caller may use the whole it computed


def test_every_summary_is_stored_with_a_whole_value_and_each_reader_reads_its_own(tmp_path):
    memo = Memo.for_project(tmp_path)
    head = Summary("head", lambda word: word[:1], computed_whole=True)
    tail = Summary("tail", lambda word: word[-1:], computed_whole=True)
    key = lambda word: content_key("word", word)  # noqa: E731
    made = memo.cached_map("word", ["lemon"], key=key, compute=str.upper, value_type=str, summaries=(head, tail),
                           only=tail)
    assert made.values == ("N",) and made.wholes == ("LEMON",)
    read = []
    store_get = memo.store.get
    memo.store.get = lambda kind, k, t: read.append(kind) or store_get(kind, k, t)
    for summary, expected in ((head, "L"), (tail, "N"), (None, "LEMON")):
        done = memo.cached_map("word", ["lemon"], key=key, compute=str.lower, value_type=str, summaries=(head, tail),
                               only=summary)
        assert done.values == (expected,) and done.computed == 0 and done.wholes == (None,)
    assert read == ["head", "tail", "word"]


def test_a_deferred_value_is_read_only_when_called_for_and_made_again_if_unreadable(tmp_path):
    memo = Memo.for_project(tmp_path)
    batches = []
    key = lambda word: content_key("word", word)  # noqa: E731

    def upper(words):
        batches.append(list(words))
        return [w.upper() for w in words]

    first = memo.deferred_batch("word", ["fig", "kiwi"], key=key, compute=upper, value_type=str)
    assert first.computed == 2 and [value() for value in first.values] == ["FIG", "KIWI"] and batches == [["fig", "kiwi"]]
    read = []
    store_get = memo.store.get
    memo.store.get = lambda kind, k, t: read.append(k) or store_get(kind, k, t)
    again = memo.deferred_batch("word", ["fig", "kiwi", "lime"], key=key, compute=upper, value_type=str)
    assert again.computed == 1 and again.cached == 2 and batches[-1] == ["lime"]
    assert read == [] and again.values[2]() == "LIME" and read == []  # nothing read until asked; "lime" was made
    assert again.values[1]() == "KIWI" and read == [key("kiwi")]
    # an entry that is there but cannot be read (edited by hand) is made again, alone, when asked for
    path = tmp_path / ".course-cache" / "word" / key("fig")[:2] / f"{key('fig')}.json"
    path.write_bytes(path.read_bytes().replace(b"FIG", b"FOG"))
    assert again.values[0]() == "FIG" and batches[-1] == ["fig"]
    assert memo.get("word", key("fig"), str) == "FIG"


def test_the_record_holds_only_while_the_folder_is_that_builds(tmp_path):
    memo = Memo.for_project(tmp_path)
    target = tmp_path / "_site"
    record = BuildRecord("stamp", "1:2", 5, 100, {"a/index.html": {"lesson": "d1"}}, {},
                         (Diagnostic("x.md", 1, 1, "CB310", "warning", "m", "h"),))
    save_build(memo, target, False, record)
    assert last_build(memo, target, False, "1:2") == record
    assert last_build(memo, target, False, "3:4") is None  # another build wrote the folder since
    assert last_build(memo, target, True, "1:2") is None  # serve's builds are recorded apart
    assert last_build(memo, target, False, "") is None  # no marker: nothing of ours is there
    assert record.is_current(tmp_path, "stamp") and not record.is_current(tmp_path, "other")

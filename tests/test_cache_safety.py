"""A project's .course-cache/ arrives with a clone and is trusted for nothing: a planted or edited entry never runs
code, never reaches the published site, and the build is still right (it computes the entry again)."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

from builder.pipeline import Built, build
from conftest import BASE
from test_build import tree_hash

LESSON = BASE["lessons/1.3/01-first.md"] + "\nMath $x^2$ and a formula $$\\frac{a}{b}$$\n"


class Payload:
    """Unpickling this creates a file: the proof that a cache entry ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('pwned')",))


def entries(root: Path) -> list[Path]:
    return sorted(p for p in (root / ".course-cache").rglob("*.json") if p.is_file())


def test_pickle_payloads_in_every_entry_run_nothing_and_the_build_is_right(project, tmp_path):
    root = project({"lessons/1.3/01-first.md": LESSON})
    build(root)
    clean = tmp_path / "clean"
    build(root, out=clean, use_cache=False)
    marker = tmp_path / "pwned"
    payload = pickle.dumps(Payload(marker))
    planted = entries(root)
    assert len(planted) >= 5  # lessons, rendered lessons, formulas, pages' math, the build record
    for entry in planted:
        entry.write_bytes(payload)
    for kind in ("lessons", "lesson", "rendered-lesson", "figures", "math"):  # where older builders kept pickles
        (root / ".course-cache" / kind / "ab").mkdir(parents=True, exist_ok=True)
        (root / ".course-cache" / kind / "ab" / ("ab" + "0" * 62)).write_bytes(payload)
    (root / "lessons/1.3/01-first.md").write_text(LESSON + "\nOne more line.\n")  # the stamp changes: a real build
    result = build(root)
    assert isinstance(result, Built) and result.checked.rendered.rendered == 3  # every lesson rendered again
    assert not marker.exists()
    (root / "lessons/1.3/01-first.md").write_text(LESSON)
    build(root)
    assert tree_hash(root / "_site") == tree_hash(clean)
    assert not marker.exists()


def test_an_edited_entry_never_reaches_the_site(project):
    """Valid JSON of the right shape, with a script slipped into a cached lesson body: not ours, so not used."""
    root = project()
    build(root)
    import dataclasses

    from builder.model.rendered import LessonFragments, RenderedLesson

    def index(cls: type, name: str) -> int:  # a dataclass is stored as the array of its fields
        return [f.name for f in dataclasses.fields(cls)].index(name)

    rendered = [p for p in entries(root) if p.parent.parent.name == "rendered-lesson"]
    assert rendered
    for entry in rendered:
        mac, _, data = entry.read_bytes().partition(b"\n")
        value = json.loads(data)
        value[index(RenderedLesson, "fragments")][index(LessonFragments, "body")] += "<script>alert('from the cache')</script>"
        entry.write_bytes(mac + b"\n" + json.dumps(value).encode())
    (root / "_site").rename(root / "old-site")  # no published site: the next build renders every page
    build(root)
    pages = "".join(p.read_text() for p in (root / "_site").rglob("*.html"))
    assert "from the cache" not in pages


def test_entries_of_the_wrong_shape_are_misses(project):
    from builder.incremental.store import Store
    from builder.model.rendered import Heading

    store = Store(project() / ".course-cache")
    store.put("t", "k1", Heading(2, "intro", "Intro"))
    assert store.get("t", "k1", Heading) == Heading(2, "intro", "Intro")
    path = store.folder / "t" / "k1"[:2] / "k1.json"
    good = path.read_bytes()
    for bad in (b"", b"not json", good.replace(b'"intro"', b'"other"'), good + b" ", b"0" * 64 + b"\n{}"):
        path.write_bytes(bad)
        assert store.get("t", "k1", Heading) is None


def test_a_shared_secret_lets_machines_share_a_cache(project, monkeypatch):
    from builder.incremental import store as store_module

    root = project()
    monkeypatch.setenv(store_module.SECRET_ENV, "ci-secret")
    store_module._secret.cache_clear()
    try:
        store_module.Store(root / "c").put("t", "key", [1, 2])
        assert store_module.Store(root / "c").get("t", "key", list[int]) == [1, 2]
        monkeypatch.setenv(store_module.SECRET_ENV, "another machine")
        store_module._secret.cache_clear()
        assert store_module.Store(root / "c").get("t", "key", list[int]) is None
    finally:
        monkeypatch.delenv(store_module.SECRET_ENV)
        store_module._secret.cache_clear()
    assert os.environ.get(store_module.SECRET_ENV) is None

"""The pure checks on hand-made values: the ledger walk and the cross-reference check (no files, no parsing)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from builder.check.ledger import check_ledger
from builder.check.references import check_references
from builder.model.media import FileStatus, LinkedFiles
from builder.model.config import SiteConfig
from builder.model.course import (Concept, Course, Lesson, Misconception, Module, Prerequisite, PriorRecord, Teach,
                                  UnreadLesson)
from builder.model.diagnostics import Pos
from builder.model.figures import FigureCatalog
from builder.model.rendered import (DocKey, DocKind, LessonFragments, Reference, RefKind, RenderedCourse,
                                    RenderedGlossary, RenderedLesson, RenderedModule)

CONFIG = SiteConfig(root=Path("/nowhere"), title="T", modules=("m",))
P = Pos(1)


def lesson(slug: str, position: int, kind: str = "BUILD", needs=(), teaches=(), wheres=()) -> Lesson:
    return Lesson(path=f"lessons/m/0{position}-{slug}.md", module="m", slug=slug, position=position, title=slug.title(),
                  type=kind, summary="", objective="",
                  prerequisites=tuple(Prerequisite(c, d, s, "", P, Pos(2), Pos(3)) for c, d, s in needs), gaps=(),
                  teaches=tuple(Teach(c, d, "", P, Pos(4)) for c, d in teaches),
                  misconceptions=tuple(Misconception("claim", "", "", w, P, Pos(9)) for w in wheres), examples=(),
                  modalities=("concrete", "visual", "symbolic"), draft=False, positions={"title": P})


def course(*lessons: Lesson, prior=(), module_wheres=()) -> Course:
    concepts = {c: Concept(c, c.upper(), (), "", P) for c in ("a", "b", "c", "d")}
    module = Module("m", "content/modules/m.md", "M", "goal",
                    tuple(Misconception("claim", "", "", w, P, Pos(5)) for w in module_wheres), tuple(lessons))
    return Course(CONFIG, concepts, tuple(prior), (module,), {}, FigureCatalog({}, (), ()), ())


def codes(diags) -> list[tuple[str, str, int]]:
    return sorted((d.code, d.path, d.line) for d in diags)


def test_the_ledger_walks_depths_in_order():
    c = course(lesson("one", 1, teaches=[("a", "INTRODUCED"), ("b", "MENTIONED")]),
               lesson("two", 2, needs=[("a", "INTRODUCED", "one")], teaches=[("a", "DEVELOPED"), ("b", "MENTIONED")]),
               prior=[PriorRecord("c", "DEVELOPED", "old", "0", P)])
    ledger = check_ledger(c)
    pedagogy = {"CB306", "CB307"}  # the hand-made lessons have no misconceptions or examples
    assert [d for d in ledger.diagnostics if d.code not in pedagogy] == []
    one, two = ledger.lessons
    assert one.new_concepts == ("a",) and one.first_mentions == ("b",) and two.new_concepts == ()
    assert [(ch.concept, ch.old, ch.new) for ch in two.changes] == [("a", "INTRODUCED", "DEVELOPED")]
    assert two.reinforced == ("b",)
    assert ledger.final["a"].depth == "DEVELOPED" and ledger.final["a"].source == "two" and ledger.prior["c"].source == "old"


def test_lessons_after_an_unreadable_one_are_not_held_to_what_it_may_teach():
    """Lesson 2's frontmatter is unusable (its own finding): lesson 3 may need what it teaches, and lesson 1, before
    it, is still checked."""
    c = course(lesson("one", 1, needs=[("d", "INTRODUCED", "zero")]),
               lesson("three", 3, needs=[("a", "INTRODUCED", "two")], teaches=[("b", "INTRODUCED"), ("c", "INTRODUCED"),
                                                                              ("d", "INTRODUCED")]))
    unread = replace(c, unread=(UnreadLesson("lessons/m/02-two.md", "m", "two", 2),))
    pedagogy = {"CB306", "CB307"}
    before = {(d.code, d.path) for d in check_ledger(c).diagnostics if d.code not in pedagogy}
    assert {("CB300", "lessons/m/01-one.md"), ("CB300", "lessons/m/03-three.md"), ("CB304", "lessons/m/03-three.md")} <= before
    after = {(d.code, d.path) for d in check_ledger(unread).diagnostics if d.code not in pedagogy}
    assert after == {("CB300", "lessons/m/01-one.md")}


def test_the_ledger_reports_unreached_depths_stale_sources_and_lowering():
    c = course(lesson("one", 1, teaches=[("a", "INTRODUCED")]),
               lesson("two", 2, needs=[("a", "DEVELOPED", "one"), ("b", "MENTIONED", "one")], teaches=[("a", "MENTIONED")]),
               lesson("three", 3, kind="STRETCH", needs=[("a", "INTRODUCED", "three")]))
    found = [(d.code, d.path, d.line) for d in check_ledger(c).diagnostics if d.code not in {"CB306", "CB307"}]
    assert sorted(found) == [("CB300", "lessons/m/02-two.md", 2), ("CB300", "lessons/m/02-two.md", 2),
                             ("CB301", "lessons/m/03-three.md", 3), ("CB303", "lessons/m/02-two.md", 4)]


def rendered(c: Course, anchors: dict[str, set[str]] | None = None, refs: dict[str, list[Reference]] | None = None,
             module_anchors=frozenset()) -> RenderedCourse:
    anchors, refs = anchors or {}, refs or {}
    fragments = LessonFragments("", "", "", "", {}, {})
    lessons = {les.slug: RenderedLesson(key=DocKey(DocKind.LESSON, les.slug), path=les.path, math=(), figures=(),
                                        headings=(), references=tuple(refs.get(les.slug, ())),
                                        anchors=frozenset(anchors.get(les.slug, ())), targets=(), citations=(), assessments=(), diagnostics=(),
                                        fragments=fragments, search=(), digest="d") for les in c.lessons}
    module = RenderedModule(key=DocKey(DocKind.MODULE, "m"), path="content/modules/m.md", math=(), figures=(), headings=(),
                            references=(), anchors=frozenset(module_anchors), targets=(), citations=(), assessments=(), diagnostics=(), body="", goal="", claims=())
    glossary = RenderedGlossary(key=DocKey(DocKind.GLOSSARY, ""), path="content/concepts.yaml", math=(), figures=(),
                                headings=(), references=(), anchors=frozenset(), targets=(), citations=(), assessments=(), diagnostics=(), definitions={})
    return RenderedCourse(lessons, {"m": module}, glossary, len(lessons), 0)


def ref(kind: RefKind, target: str, anchor: str = "", line: int = 7) -> Reference:
    return Reference(kind, target, anchor, Pos(line), target)


def test_references_to_lessons_anchors_files_and_concepts():
    c = course(lesson("one", 1, teaches=[("a", "INTRODUCED")]), lesson("two", 2))
    r = rendered(c, anchors={"one": {"part"}}, refs={"two": [
        ref(RefKind.LESSON, "one"), ref(RefKind.LESSON, "three", line=8),
        ref(RefKind.LESSON_FILE, "lessons/m/01-one.md", "part"), ref(RefKind.LESSON_FILE, "lessons/m/01-one.md", "nope", 9),
        ref(RefKind.LESSON_FILE, "lessons/m/09-gone.md", line=10),
        ref(RefKind.FILE, "content/a.png", line=11), ref(RefKind.FILE, "content/b.png", line=12), ref(RefKind.FILE, "content/c.png"),
        ref(RefKind.CONCEPT, "a"), ref(RefKind.CONCEPT, "b", line=13)]})
    media = LinkedFiles({"content/a.png": FileStatus.MISSING, "content/b.png": FileStatus.OUTSIDE, "content/c.png": FileStatus.OK})
    found = codes(check_references(c, check_ledger(c), r, media))
    assert found == [("CB402", "lessons/m/02-two.md", 8), ("CB403", "lessons/m/02-two.md", 13),
                     ("CB404", "lessons/m/02-two.md", 9), ("CB404", "lessons/m/02-two.md", 10),
                     ("CB404", "lessons/m/02-two.md", 11), ("CB404", "lessons/m/02-two.md", 12)]


def test_every_where_must_name_an_id_of_its_page():
    c = course(lesson("one", 1, wheres=["callout-1", "missing"]), module_wheres=["one", "on-the-page", "elsewhere"])
    r = rendered(c, anchors={"one": {"callout-1"}}, module_anchors={"on-the-page"})
    found = check_references(c, check_ledger(c), r, LinkedFiles({}))
    assert codes(found) == [("CB309", "content/modules/m.md", 5), ("CB309", "lessons/m/01-one.md", 9)]
    [module_finding] = [d for d in found if d.path == "content/modules/m.md"]
    assert "`elsewhere`" in module_finding.message and "(one)" in module_finding.hint

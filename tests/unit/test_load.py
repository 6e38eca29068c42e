"""Loading on Python values: a lesson's text -> Lesson and findings; a project folder -> Course (no rendering)."""

from __future__ import annotations

from builder.incremental import Memo
from builder.load.config import load_config
from builder.load.course import load_course
from builder.load.lessons import LessonFile, lesson_schema, load_lesson
from builder.model.course import Concept, ConceptIndex
from builder.model.diagnostics import Pos

INDEX = ConceptIndex({"chain-rule": Concept("chain-rule", "Chain rule", ("chain rule",), "", Pos(1))})
SCHEMA = lesson_schema(("MENTIONED", "INTRODUCED", "DEVELOPED"))
FILE = LessonFile("lessons/1/02-second.md", "1", 2, "second")


def test_frontmatter_becomes_a_lesson_with_positions():
    text = ("---\ntitle: Second\ntype: BUILD\nprerequisites:\n  - concept: Chain Rule\n    depth: INTRODUCED\n"
            "    source: first\nteaches:\n  - concept: chain-rule\n    depth: DEVELOPED\nmodalities: [visual, visual]\n---\nBody\n")
    loaded = load_lesson(FILE, text, SCHEMA, INDEX)
    lesson = loaded.lesson
    assert loaded.diagnostics == ()
    assert (lesson.slug, lesson.position, lesson.module, lesson.title, lesson.type) == ("second", 2, "1", "Second", "BUILD")
    [need] = lesson.prerequisites
    assert (need.concept, need.depth, need.source, need.depth_pos, need.source_pos) == ("chain-rule", "INTRODUCED", "first", Pos(6, 12), Pos(7, 13))
    assert lesson.modalities == ("visual",) and lesson.pos("title") == Pos(2, 8)


def test_every_frontmatter_problem_is_a_finding_and_the_lesson_still_loads():
    text = "---\ntitle: Second\ntype: HARD\nslug: other\nteaches:\n  - concept: chain-rul\n    depth: DEVELOPED\ncolour: red\n---\n"
    loaded = load_lesson(FILE, text, SCHEMA, INDEX)
    assert [(d.code, d.line) for d in loaded.diagnostics] == [("CB207", 3), ("CB204", 8), ("CB210", 4), ("CB208", 6)]
    assert loaded.lesson is not None and loaded.lesson.type == "" and loaded.lesson.teaches == ()


def test_unusable_frontmatter_gives_no_lesson():
    for text, code in (("no frontmatter", "CB201"), ("---\ntitle: [x\n---\n", "CB202"), ("---\n- a\n---\n", "CB203")):
        loaded = load_lesson(FILE, text, SCHEMA, INDEX)
        assert loaded.lesson is None and [d.code for d in loaded.diagnostics] == [code]


def test_load_course_orders_lessons_and_keeps_their_texts(project):
    config = load_config(project())
    course = load_course(config, Memo.for_project(config.root, enabled=False))
    assert [lesson.slug for lesson in course.lessons] == ["first", "second", "third"]
    assert course.diagnostics == () and set(course.texts) == {lesson.path for lesson in course.lessons} | {"content/modules/1.3.md"}
    assert course.lesson_at("lessons/1.3/02-second.md") is course.lesson("second")

"""A module's plan from its lessons: the frontmatter through the ledger, and the checks and quizzes as rendered.
Pure; `course plan` and the module page both use it."""

from __future__ import annotations

from ..model.course import Course, Module
from ..model.ledger import Ledger, LessonLedger
from ..model.plan import Change, Coverage, ModulePlan, PlanConcept, PlanLesson, PlanMisconception
from ..model.rendered import RenderedCourse


def plan_module(course: Course, ledger: Ledger, rendered: RenderedCourse, module: Module) -> ModulePlan:
    """The plan of one module of the course."""
    caps = course.config.rules.max_new_concepts
    lessons, concepts, coverage = [], [], []
    for lesson in module.lessons:
        step = ledger.at(lesson.slug)
        if step is None:
            continue
        lessons.append(PlanLesson(lesson.position, lesson.slug, lesson.title, lesson.type, step.new_concepts,
                                  step.first_mentions, caps.get(lesson.type), lesson.draft))
        concepts += _distribution(course, lesson.slug, lesson.position, [t.concept for t in lesson.teaches], step)
        doc = rendered.lessons.get(lesson.slug)
        assessments = doc.assessments if doc else ()
        wheres = tuple(m.where for m in lesson.misconceptions if m.where)
        probed = {w for a in assessments for w in a.probes}
        deepest = tuple(t.concept for t in lesson.teaches if t.depth == course.config.depths[-1])
        assessed = {c for a in assessments for c in a.assesses}
        coverage.append(Coverage(lesson.slug, lesson.position, sum(a.kind == "check" for a in assessments),
                                 sum(a.kind == "quiz" for a in assessments), wheres,
                                 tuple(w for w in wheres if w in probed), deepest, tuple(c for c in deepest if c in assessed)))
    positions = {lesson.slug: lesson.position for lesson in module.lessons}
    misconceptions = tuple(PlanMisconception(m.claim, m.where, m.where if m.where in positions else "",
                                             positions.get(m.where, 0)) for m in module.misconceptions)
    return ModulePlan(module.id, module.title, course.config.depths, tuple(lessons), tuple(concepts), misconceptions,
                      tuple(coverage))


def _distribution(course: Course, slug: str, position: int, taught: list[str], step: LessonLedger) -> list[PlanConcept]:
    """A row per concept the lesson teaches, in `teaches` order (a depth it would lower is a finding, not a row)."""
    changes = {change.concept: change for change in step.changes}
    rows = []
    for concept in dict.fromkeys(taught):
        name = course.concepts[concept].name if concept in course.concepts else concept
        change = changes.get(concept)
        if change is not None:
            kind = (Change.NEW if concept in step.new_concepts else Change.MENTIONED) if change.old is None else Change.RAISED
            rows.append(PlanConcept(concept, name, slug, position, kind, change.old, change.new))
        elif concept in step.reinforced:
            depth = step.after[concept].depth
            rows.append(PlanConcept(concept, name, slug, position, Change.REINFORCED, depth, depth))
    return rows

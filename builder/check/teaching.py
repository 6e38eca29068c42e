"""What the frontmatter's plan cannot show by itself: a lesson's text naming concepts it never declared (CB312),
misconceptions no check or quiz probes (CB313), and deepest-taught concepts nothing assesses (CB314). Pure: the
course, its ledger and its rendered lessons in, findings out. All three are warnings unless site.yaml's
`rules: severity:` says otherwise (drafts included: they are pedagogy, not syntax).
"""

from __future__ import annotations

from ..model.course import Course, Lesson
from ..model.diagnostics import Diagnostic, warning
from ..model.ledger import Ledger
from ..model.rendered import RefKind, RenderedCourse, RenderedLesson


def check_teaching(course: Course, ledger: Ledger, rendered: RenderedCourse) -> tuple[Diagnostic, ...]:
    """Every lesson's undeclared mentions, unprobed misconceptions and unassessed deepest concepts."""
    diags: list[Diagnostic] = []
    for lesson in course.lessons:
        doc = rendered.lessons.get(lesson.slug)
        if doc is None:
            continue
        if not course.follows_unread(lesson):  # what the lessons before it teach is then unknown
            diags += _undeclared_mentions(course, ledger, lesson, doc)
        diags += _unprobed(lesson, doc)
        diags += _unassessed(course, lesson, doc)
    return tuple(diags)


def _undeclared_mentions(course: Course, ledger: Ledger, lesson: Lesson, doc: RenderedLesson) -> list[Diagnostic]:
    step = ledger.at(lesson.slug)
    if step is None:
        return []
    declared = {p.concept for p in lesson.prerequisites} | {g.concept for g in lesson.gaps} | {t.concept for t in lesson.teaches}
    roles = {ref.target for ref in doc.references if ref.kind is RefKind.CONCEPT}  # a role's own finding is CB403
    diags = []
    for mention in doc.mentions:
        concept = mention.concept
        if concept in step.before or concept in declared or concept in roles:
            continue
        name = course.concepts[concept].name if concept in course.concepts else concept
        later = _first_teacher(course, lesson, concept)
        lowest = course.config.depths[0]
        if later is not None:
            hint = (f"`{later.slug}` (lesson {later.position} of module {later.module}) teaches it later. Add it to this "
                    f"lesson's `teaches:` at {lowest} (a first mention is not new-concept load), or say it without the "
                    "term until then.")
        else:
            hint = (f"No lesson teaches it. Teach it here (`teaches:`), declare it under `gaps:` if this lesson resolves "
                    "it, or add a content/prior.yaml record if students know it from an earlier module. If the name is an "
                    f"ordinary word here, set `detect: false` on `{concept}` in content/concepts.yaml.")
        diags.append(warning("CB312", lesson.path, mention.pos,
                             f"\"{mention.written}\" names `{concept}` ({name}), which no lesson up to here has taught "
                             "and this lesson does not declare", hint))
    return diags


def _first_teacher(course: Course, lesson: Lesson, concept: str) -> Lesson | None:
    """The first lesson after `lesson` that teaches the concept."""
    lessons = course.lessons
    start = lessons.index(lesson) + 1
    return next((later for later in lessons[start:] if any(t.concept == concept for t in later.teaches)), None)


def _unprobed(lesson: Lesson, doc: RenderedLesson) -> list[Diagnostic]:
    probed = {where for a in doc.assessments for where in a.probes}
    diags = []
    for m in lesson.misconceptions:
        if m.where and m.where in probed:
            continue
        claim = m.claim if len(m.claim) <= 60 else m.claim[:57] + "..."
        diags.append(warning("CB313", lesson.path, m.pos, f"no check or quiz in this lesson probes the misconception \"{claim}\"",
                             f"Tag the quiz choice a student holding it would pick with {{misconception}}`{m.where or 'where-id'}`, "
                             f"or give a `{{check}}` that exposes it `:probes: {m.where or 'where-id'}`."))
    return diags


def _unassessed(course: Course, lesson: Lesson, doc: RenderedLesson) -> list[Diagnostic]:
    deepest = course.config.depths[-1]
    assessed = {concept for a in doc.assessments for concept in a.assesses}
    diags = []
    for teach in lesson.teaches:
        if teach.depth != deepest or teach.concept in assessed:
            continue
        diags.append(warning("CB314", lesson.path, teach.pos,
                             f"`{teach.concept}` is taught to {deepest} here, but no check or quiz of the lesson assesses it",
                             f"Name it in a check's or quiz's question with {{concept}}`{teach.concept}`, or give one "
                             f"`:assesses: {teach.concept}`."))
    return diags

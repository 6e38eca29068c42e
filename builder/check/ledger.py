"""The concept-depth ledger: walk lessons in order, prove every depth a lesson needs was reached. Pure: no I/O."""

from __future__ import annotations

from collections.abc import Mapping

from ..model.course import Course, Lesson
from ..model.diagnostics import ERROR, Diagnostic, error, warning
from ..model.diagnostics import error as _error
from ..model.ledger import DepthChange, Entry, Ledger, LessonLedger


def check_ledger(course: Course, published_alone: bool = False) -> Ledger:
    """Walk the lessons in order from prior.yaml; the Ledger carries every ledger rule a lesson breaks.

    With `published_alone` (what `course check` asks), the published lessons are also walked without the drafts:
    a published lesson that needs what only a draft teaches is an error, naming the draft.
    """
    ledger = _walk(course)
    if course.unread:
        ledger = Ledger(ledger.prior, ledger.lessons, _without_guesses(course, ledger.diagnostics))
    if not published_alone or not any(lesson.draft for lesson in course.lessons):
        return ledger
    found = set(ledger.diagnostics)
    on_drafts = [d for d in _walk(course.without_drafts()).diagnostics if d not in found and "draft" in d.message]
    return Ledger(ledger.prior, ledger.lessons, ledger.diagnostics + tuple(on_drafts))


NEEDS_EARLIER = frozenset({"CB300", "CB301", "CB303", "CB304", "CB305", "CB310"})
"""The rules whose verdict on a lesson depends on what the lessons before it teach (or are)."""


def _without_guesses(course: Course, diags: tuple[Diagnostic, ...]) -> tuple[Diagnostic, ...]:
    """Leave out the findings that would only guess: a lesson after one whose frontmatter is unusable (reported at
    that file) cannot be held to what earlier lessons reached, since that one may teach anything."""
    after = {lesson.path for lesson in course.lessons if course.follows_unread(lesson)}
    return tuple(d for d in diags if not (d.code in NEEDS_EARLIER and d.path in after))


def _walk(course: Course) -> Ledger:
    config = course.config
    rank = {depth: i for i, depth in enumerate(config.depths)}
    rules = config.rules
    diags: list[Diagnostic] = []

    state: dict[str, Entry] = {}
    reached: dict[tuple[str, str], int] = {}  # (concept, lesson or prior source) -> highest depth rank taught there
    lesson_order: dict[str, int] = {}
    for record in course.prior:
        reached[(record.concept, record.source)] = max(reached.get((record.concept, record.source), -1), rank[record.depth])
        current = state.get(record.concept)
        if current is None or rank[record.depth] > rank[current.depth]:
            state[record.concept] = Entry(record.depth, record.source, record.module)
    prior = dict(state)

    steps: list[LessonLedger] = []
    for module in course.modules:
        previous: Lesson | None = None
        for lesson in module.lessons:
            lesson_order[lesson.slug] = len(lesson_order)
            step = _walk_lesson(course, lesson, state, steps[-1].after if steps else prior, reached, lesson_order, rank,
                                diags)
            steps.append(step)
            if previous is not None and previous.type == lesson.type == "STRETCH" and rules.adjacent_stretch != "off":
                make = error if rules.adjacent_stretch == ERROR else warning
                diags.append(make("CB305", lesson.path, lesson.pos("type"),
                                  f"two STRETCH lessons in a row: `{previous.slug}` and `{lesson.slug}`",
                                  "Put a BUILD or CONSOLIDATE lesson between them, or make this one a BUILD lesson."))
            previous = lesson
    return Ledger(prior=prior, lessons=tuple(steps), diagnostics=tuple(diags))


def _walk_lesson(course: Course, lesson: Lesson, state: dict[str, Entry], before: Mapping[str, Entry],
                 reached: dict[tuple[str, str], int], order: Mapping[str, int], rank: Mapping[str, int],
                 diags: list[Diagnostic]) -> LessonLedger:
    """One lesson's step: `state` (the ledger as it goes, updated here) holds what `before` holds, the previous
    step's `after` (a copy per lesson, not two: the state of a 1,000-lesson course was copied 2,000 times)."""
    rules = course.config.rules
    taught = {t.concept: t for t in lesson.teaches}
    gap_concepts = {g.concept for g in lesson.gaps}
    required = {p.concept: p.depth for p in lesson.prerequisites}

    for p in lesson.prerequisites:
        entry = before.get(p.concept)
        have = rank[entry.depth] if entry else -1
        if p.concept in gap_concepts:
            continue
        if have < rank[p.depth]:
            now = f"the ledger has it at {entry.depth} (from `{entry.source}`)" if entry else "no earlier lesson or prior.yaml record teaches it"
            draft = next((d for d in course.drafts_left_out
                          if any(t.concept == p.concept and rank[t.depth] >= rank[p.depth] for t in d.teaches)), None)
            if draft is not None:
                diags.append(error("CB300", lesson.path, p.depth_pos,
                                   f"`{p.concept}` is needed at {p.depth}, but only the draft `{draft.slug}` teaches it "
                                   "(drafts are not published)",
                                   f"Publish `{draft.slug}` (delete its `draft: true`), or teach `{p.concept}` in a published lesson."))
                continue
            diags.append(error("CB300", lesson.path, p.depth_pos,
                               f"`{p.concept}` is needed at {p.depth}, but {now}",
                               f"Teach it to {p.depth} in an earlier lesson, lower the required depth, or list it under `gaps:` and teach it here."))
            continue
        if not p.source:
            diags.append(error("CB311", lesson.path, p.pos, f"prerequisite `{p.concept}` has no `source`",
                               f"Add `source: {entry.source}` (the lesson that set its current depth)."))
            continue
        source_rank = reached.get((p.concept, p.source), -1)
        is_lesson = p.source in order and order[p.source] < order[lesson.slug]
        is_prior = any(r.source == p.source and r.concept == p.concept for r in course.prior)
        if source_rank < rank[p.depth] or not (is_lesson or is_prior):
            why = _stale_reason(course, p.source, p.concept, p.depth, source_rank, rank, order, lesson.slug)
            diags.append(error("CB301", lesson.path, p.source_pos,
                               f"source `{p.source}` for `{p.concept}` is stale: {why}",
                               f"The ledger's {entry.depth} for `{p.concept}` was set by `{entry.source}`: write `source: {entry.source}`."))

    for gap in lesson.gaps:
        need = required.get(gap.concept)
        teach = taught.get(gap.concept)
        entry = before.get(gap.concept)
        if teach is None or (need and rank[teach.depth] < rank[need]):
            depth = need or "some depth"
            diags.append(error("CB302", lesson.path, gap.pos,
                               f"gap `{gap.concept}` is not taught here" + (f" to {need}" if teach else ""),
                               f"A gap must be resolved by the lesson that declares it: add `{gap.concept}` to `teaches:` at {depth} or deeper."))
        elif need and entry and rank[entry.depth] >= rank[need]:
            diags.append(warning("CB310", lesson.path, gap.pos,
                                 f"`{gap.concept}` is listed as a gap, but the ledger already has it at {entry.depth} (from `{entry.source}`)",
                                 f"Remove it from `gaps:` and give the prerequisite `source: {entry.source}`."))

    changes: list[DepthChange] = []
    reinforced: list[str] = []
    new: list[str] = []
    mentioned: list[str] = []
    for teach in lesson.teaches:
        entry = state.get(teach.concept)
        if entry is None:  # new to the ledger: load when it arrives above the scale's lowest depth
            (new if rank[teach.depth] > 0 else mentioned).append(teach.concept)
            changes.append(DepthChange(teach.concept, None, teach.depth))
        elif rank[teach.depth] < rank[entry.depth]:
            diags.append(error("CB303", lesson.path, teach.depth_pos,
                               f"`{teach.concept}` is already {entry.depth} (from `{entry.source}`); teaching it at {teach.depth} would lower it",
                               f"Write `depth: {entry.depth}` to reinforce it, or remove it from `teaches:`."))
            continue
        elif rank[teach.depth] == rank[entry.depth]:
            reinforced.append(teach.concept)
            reached[(teach.concept, lesson.slug)] = max(reached.get((teach.concept, lesson.slug), -1), rank[teach.depth])
            continue
        else:
            changes.append(DepthChange(teach.concept, entry.depth, teach.depth))
        state[teach.concept] = Entry(teach.depth, lesson.slug, lesson.module)
        reached[(teach.concept, lesson.slug)] = max(reached.get((teach.concept, lesson.slug), -1), rank[teach.depth])

    cap = rules.max_new_concepts.get(lesson.type)
    if cap is not None and len(new) > cap:
        diags.append(error("CB304", lesson.path, lesson.pos("type"),
                           f"{lesson.type} lesson brings {len(new)} new concepts ({', '.join(new)}); the limit is {cap}",
                           f"Bring one in earlier (even at {_lowest(rank)} in an earlier lesson: raising it here is then no "
                           "longer new), split the lesson, or change its type."))
    _check_pedagogy(lesson, rules, diags)
    return LessonLedger(lesson.slug, before, dict(state), tuple(changes), tuple(reinforced), tuple(new), tuple(mentioned))


def _lowest(rank: Mapping[str, int]) -> str:
    """The lowest depth of the scale (MENTIONED by default)."""
    return min(rank, key=rank.__getitem__)


def _stale_reason(course: Course, source: str, concept: str, depth: str, source_rank: int, rank: Mapping[str, int],
                  order: Mapping[str, int], slug: str) -> str:
    known_lesson = course.lesson(source) is not None
    is_prior = any(r.source == source for r in course.prior)
    if any(d.slug == source for d in course.drafts_left_out):
        return f"`{source}` is a draft, and drafts are not published"
    if not known_lesson and not is_prior:
        return f"`{source}` is not a lesson of this course nor a prior.yaml record"
    if known_lesson and order.get(source, len(order)) >= order[slug]:
        return f"`{source}` does not come before this lesson"
    if source_rank < 0:
        return f"`{source}` does not teach `{concept}`"
    reached = [d for d, r in rank.items() if r == source_rank][0]
    return f"`{source}` only took it to {reached}, not {depth}"


def _check_pedagogy(lesson: Lesson, rules, diags: list[Diagnostic]) -> None:
    error = warning if lesson.draft else _error  # a draft may be seen before its pedagogy is written
    if len(lesson.misconceptions) < rules.min_misconceptions:
        diags.append(error("CB306", lesson.path, lesson.pos("misconceptions"),
                           f"the lesson addresses {_count(len(lesson.misconceptions), 'misconception')}; at least {rules.min_misconceptions} are required",
                           "Add misconceptions (claim, why, counterexample, where) and a `misconception` callout for each in the body."))
    for kind, minimum in sorted(rules.min_examples.items()):
        count = sum(1 for e in lesson.examples if e.kind == kind)
        if count < minimum:
            diags.append(error("CB307", lesson.path, lesson.pos("examples"),
                               f"the lesson has {_count(count, kind + ' example')}; at least {minimum} {'is' if minimum == 1 else 'are'} required",
                               f"Add {kind} examples under `examples:` (name, kind: {kind}, purpose)."))
    if len(lesson.modalities) < rules.min_modalities:
        diags.append(error("CB308", lesson.path, lesson.pos("modalities"),
                           f"the lesson uses {_count(len(lesson.modalities), 'modality', 'modalities')}; at least {rules.min_modalities} are required",
                           "List the ways the core concept is presented: concrete, visual, symbolic, analogy, intuitive."))


def _count(n: int, word: str, plural: str = "") -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"

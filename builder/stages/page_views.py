"""What the pages show of the course and its ledger, as the typed views of theming.models (no HTML here)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from markupsafe import Markup

from ..model.course import Course, Lesson, Module
from ..model.ledger import Ledger
from ..model.plan import ModulePlan
from ..model.rendered import RenderedCourse, TargetKind
from ..theming.models import (Depth, GainKind, GainView, GlossaryEntry, GridCell, GridRow, IndexItem, IndexLink, LedgerGrid,
                              LoadBar, NavLesson, NavModule, PrerequisiteView)


def depth_scale(names: tuple[str, ...]) -> dict[str, Depth]:
    """Each depth of the site's scale as a badge shows it (level, abbreviation)."""
    def abbr(name: str) -> str:
        others = [n.upper() for n in names if n != name]
        return next((name[:k] for k in range(1, len(name) + 1) if not any(o.startswith(name[:k].upper()) for o in others)), name)
    return {name: Depth(name, i + 1, len(names), abbr(name)) for i, name in enumerate(names)}


def nav_of(course: Course, summaries: Mapping[str, tuple[str, Markup]]) -> tuple[NavModule, ...]:
    """Navigation: modules with their lessons (hrefs from the site root); `summaries`: slug -> (plain text, HTML)."""
    def nav_lesson(lesson: Lesson) -> NavLesson:
        text, html = summaries[lesson.slug]
        return NavLesson(lesson.slug, lesson.title, lesson.type, lesson.position, text, f"{lesson.slug}/index.html", html)
    return tuple(NavModule(module.id, module.title, f"modules/{module.id}/index.html",
                           tuple(nav_lesson(lesson) for lesson in module.lessons))
                 for module in course.modules)


def prerequisite_views(course: Course, lesson: Lesson, depths: Mapping[str, Depth],
                       why: Callable[[str], Markup]) -> tuple[PrerequisiteView, ...]:
    """The lesson's "Before you start" list: each prerequisite, its depth, the lesson that taught it, and whether that
    was in this module, an earlier one (a lesson of the course or a record of prior.yaml), or this lesson (a gap)."""
    gaps = {g.concept for g in lesson.gaps}
    prior = {(r.concept, r.source): r.module for r in course.prior}
    module = next((m for m in course.modules if m.id == lesson.module), None)
    out = []
    for p in lesson.prerequisites:
        source = "" if p.concept in gaps else p.source
        taught_in = course.lesson(source) if source else None
        if p.concept in gaps:
            group, label = "here", ""
        elif not source:
            group, label = "earlier", ""
        elif taught_in is not None and module is not None and taught_in.module == module.id:
            group, label = "module", f"lesson {module.lessons.index(taught_in) + 1}"
        else:
            where = taught_in.module if taught_in is not None else prior.get((p.concept, source), "")
            group, label = "earlier", f"module {where}" if where else "an earlier module"
        out.append(PrerequisiteView(p.concept, course.concepts[p.concept].name, depths[p.depth], source,
                                    f"../{source}/index.html" if taught_in else "", taught_in.title if taught_in else "",
                                    p.concept in gaps, why(p.concept), group, label))
    return tuple(out)


def gain_views(course: Course, lesson: Lesson, ledger: Ledger, depths: Mapping[str, Depth],
               note: Callable[[str], Markup]) -> tuple[GainView, ...]:
    """The lesson's "What you now know" list: each concept it raised, then each it reinforced."""
    step = ledger.at(lesson.slug)
    if step is None:
        return ()
    raised = [GainView(c.concept, course.concepts[c.concept].name, GainKind.NEW if c.old is None else GainKind.RAISED,
                       depths[c.old] if c.old else None, depths[c.new], note(c.concept)) for c in step.changes]
    reinforced = [GainView(cid, course.concepts[cid].name, GainKind.REINFORCED, None, depths[step.after[cid].depth], note(cid))
                  for cid in step.reinforced]
    return tuple(raised + reinforced)


def module_grid(course: Course, ledger: Ledger, module: Module, nav: NavModule, depths: Mapping[str, Depth]) -> LedgerGrid:
    """The module's concepts (those its lessons require or teach) and their depth after each of its lessons."""
    steps = [step for lesson in module.lessons if (step := ledger.at(lesson.slug)) is not None]
    touched: dict[str, None] = {}
    for lesson in module.lessons:
        touched.update((p.concept, None) for p in lesson.prerequisites)
        touched.update((t.concept, None) for t in lesson.teaches)
    names = course.concepts
    taught_at = [{*step.reinforced, *(c.concept for c in step.changes)} for step in steps]
    rows = []
    for cid in sorted((c for c in touched if c in names), key=lambda c: (names[c].name.casefold(), c)):
        before = steps[0].before.get(cid) if steps else None
        last = before.depth if before else ""
        cells = []
        for step, step_taught in zip(steps, taught_at):
            entry = step.after.get(cid)
            depth = entry.depth if entry else ""
            taught = cid in step_taught
            cells.append(GridCell(depths.get(depth), depth != last, taught))
            last = depth
        rows.append(GridRow(cid, names[cid].name, depths[before.depth] if before else None, tuple(cells)))
    return LedgerGrid(nav, tuple(rows))


def load_bars(plan: ModulePlan) -> tuple[LoadBar, ...]:
    """The module's cognitive-load trajectory (new concepts per lesson), from its plan."""
    return tuple(LoadBar(le.slug, le.title, le.type, le.position, len(le.new)) for le in plan.lessons)


def glossary_entries(course: Course, ledger: Ledger, nav_lessons: Mapping[str, NavLesson], depths: Mapping[str, Depth],
                     definition: Callable[[str], Markup]) -> tuple[GlossaryEntry, ...]:
    """Every concept, sorted by name: its definition, its depth before the course and each lesson that taught it."""
    taught: dict[str, list[tuple[NavLesson, Depth]]] = {cid: [] for cid in course.concepts}
    for step in ledger.lessons:
        for cid in [c.concept for c in step.changes] + list(step.reinforced):
            if cid in taught and step.slug in nav_lessons:
                taught[cid].append((nav_lessons[step.slug], depths[step.after[cid].depth]))
    entries = []
    for cid in sorted(course.concepts, key=lambda c: (course.concepts[c].name.casefold(), c)):
        concept, prior = course.concepts[cid], ledger.prior.get(cid)
        entries.append(GlossaryEntry(cid, concept.name, concept.aliases, definition(cid),
                                     depths[prior.depth] if prior else None, tuple(taught[cid])))
    return tuple(entries)


def index_items(course: Course, rendered: RenderedCourse) -> tuple[IndexItem, ...]:
    """Every lesson's `{index}` entries, by term (case-insensitive alphabetical order), each with its places."""
    places: dict[str, list[IndexLink]] = {}
    for lesson in course.lessons:
        for target in rendered.lessons[lesson.slug].targets:
            if target.kind is TargetKind.INDEX:
                places.setdefault(target.title, []).append(IndexLink(lesson.title, f"{lesson.slug}/index.html#{target.label}"))
    return tuple(IndexItem(term, tuple(links)) for term, links in sorted(places.items(), key=lambda kv: (kv[0].casefold(), kv[0])))

"""`course plan` output: a module's plan as Markdown (the tables of a module plan document), CSV (one table at a
time, for spreadsheets), JSON (every table; its shape is documented in docs/plan.md and kept stable), and the
concept dependency list learning-graph tools read."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from ..model.course import Module
from ..model.plan import ModulePlan

JSON_VERSION = 1
TABLES = ("sequence", "concepts", "misconceptions", "coverage")


def plan_markdown(plans: Sequence[ModulePlan]) -> str:
    """Each module's tables, in the order a module plan lists them."""
    return "\n".join(_module_markdown(plan) for plan in plans)


def _module_markdown(plan: ModulePlan) -> str:
    out = [f"# Module {plan.module}: {plan.title}", "", "## Lesson Sequence", "",
           "| # | Slug | Title | Type | New concepts | First mentions |", "|---|---|---|---|---|---|"]
    out += [f"| {le.position} | {le.slug}{' (draft)' if le.draft else ''} | {_cell(le.title)} | {le.type} | {len(le.new)} | "
            f"{len(le.first_mentions)} |" for le in plan.lessons]
    out += ["", "## Concept Distribution", "", "| Concept | Lesson | New or Reinforced |", "|---|---|---|"]
    out += [f"| {_cell(c.name)} | {c.position} | {c.label} |" for c in plan.concepts]
    out += ["", "## Cognitive Load Trajectory", "", "```", *_trajectory(plan), "```", ""]
    out.append(f"Pattern: {plan.pattern}. New concepts are those a lesson brings in at {plan.depths[1] if len(plan.depths) > 1 else plan.depths[0]} "
               f"or deeper; a first mention ({plan.depths[0]}) is not load, and raising it later is a reinforcement.")
    mentions = [f"lesson {le.position}: {', '.join(le.first_mentions)}" for le in plan.lessons if le.first_mentions]
    if mentions:
        out.append(f"First mentions: {'; '.join(mentions)}.")
    if plan.misconceptions:
        out += ["", "## Module-Level Misconceptions", "", "| Misconception | Addressed in |", "|---|---|"]
        out += [f"| {_cell(m.claim)} | {f'lesson {m.position} ({m.lesson})' if m.lesson else f'the module page (#{m.where})'} |"
                for m in plan.misconceptions]
    out += ["", "## Assessment Coverage", "", "| # | Lesson | Checks | Quizzes | Misconceptions probed | "
            f"{plan.depths[-1]} concepts assessed | Not covered |", "|---|---|---|---|---|---|---|"]
    for c in plan.coverage:
        missing = [w for w in c.misconceptions if w not in c.probed] + [k for k in c.deepest if k not in c.assessed]
        out.append(f"| {c.position} | {c.lesson} | {c.checks} | {c.quizzes} | {len(c.probed)}/{len(c.misconceptions)} | "
                   f"{len(c.assessed)}/{len(c.deepest)} | {', '.join(missing) or '-'} |")
    return "\n".join(out) + "\n"


def _trajectory(plan: ModulePlan) -> list[str]:
    """The load rows: lesson numbers, types, counts, and a bar of ▓ (new) and ░ (room left under the widest cap)."""
    width = max([le.cap or 0 for le in plan.lessons] + [len(le.new) for le in plan.lessons] + [1])
    column = max([width, *(len(le.type) for le in plan.lessons)]) + 2
    rows = {"Lesson:": [str(le.position) for le in plan.lessons], "Type:": [le.type for le in plan.lessons],
            "New:": [str(len(le.new)) for le in plan.lessons],
            "": ["▓" * len(le.new) + "░" * (width - len(le.new)) for le in plan.lessons]}
    return [(f"{label:<10}" + "".join(f"{cell:<{column}}" for cell in cells)).rstrip() for label, cells in rows.items()]


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def plan_csv(plans: Sequence[ModulePlan], table: str) -> str:
    """One table of every module's plan as CSV (with a header row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if table == "sequence":
        writer.writerow(["module", "position", "slug", "title", "type", "new_concepts", "new", "first_mentions", "cap", "draft"])
        for plan in plans:
            for le in plan.lessons:
                writer.writerow([plan.module, le.position, le.slug, le.title, le.type, len(le.new), " ".join(le.new),
                                 " ".join(le.first_mentions), "" if le.cap is None else le.cap, str(le.draft).lower()])
    elif table == "concepts":
        writer.writerow(["module", "position", "lesson", "concept", "name", "change", "old_depth", "depth", "label"])
        for plan in plans:
            for c in plan.concepts:
                writer.writerow([plan.module, c.position, c.lesson, c.concept, c.name, c.change.value, c.old or "", c.depth,
                                 c.label])
    elif table == "misconceptions":
        writer.writerow(["module", "claim", "where", "lesson", "position"])
        for plan in plans:
            for m in plan.misconceptions:
                writer.writerow([plan.module, m.claim, m.where, m.lesson, m.position])
    else:
        writer.writerow(["module", "position", "lesson", "checks", "quizzes", "misconceptions", "probed", "deepest", "assessed"])
        for plan in plans:
            for c in plan.coverage:
                writer.writerow([plan.module, c.position, c.lesson, c.checks, c.quizzes, " ".join(c.misconceptions),
                                 " ".join(c.probed), " ".join(c.deepest), " ".join(c.assessed)])
    return buffer.getvalue()


def plan_json(plans: Sequence[ModulePlan]) -> str:
    """Every table of every module's plan (docs/plan.md describes each key)."""
    def module(plan: ModulePlan) -> dict:
        return {
            "module": plan.module, "title": plan.title, "depths": list(plan.depths), "pattern": plan.pattern,
            "lessons": [{"position": le.position, "slug": le.slug, "title": le.title, "type": le.type,
                         "new": list(le.new), "first_mentions": list(le.first_mentions), "cap": le.cap, "draft": le.draft}
                        for le in plan.lessons],
            "concepts": [{"concept": c.concept, "name": c.name, "lesson": c.lesson, "position": c.position,
                          "change": c.change.value, "old_depth": c.old, "depth": c.depth, "label": c.label}
                         for c in plan.concepts],
            "misconceptions": [{"claim": m.claim, "where": m.where, "lesson": m.lesson or None, "position": m.position}
                               for m in plan.misconceptions],
            "coverage": [{"lesson": c.lesson, "position": c.position, "checks": c.checks, "quizzes": c.quizzes,
                          "misconceptions": list(c.misconceptions), "probed": list(c.probed),
                          "deepest": list(c.deepest), "assessed": list(c.assessed)} for c in plan.coverage],
        }
    return json.dumps({"version": JSON_VERSION, "modules": [module(plan) for plan in plans]}, indent=2, ensure_ascii=False) + "\n"


def dependency_csv(modules: Sequence[Module]) -> str:
    """The concept dependency list: a row (concept, depends on, lesson) for each concept a lesson teaches and each
    concept that lesson needs (its prerequisites and gaps): the lesson is what links them, so it is named."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["concept", "depends_on", "lesson", "module"])
    seen = set()
    for module in modules:
        for lesson in module.lessons:
            needs = dict.fromkeys([p.concept for p in lesson.prerequisites] + [g.concept for g in lesson.gaps])
            for teach in lesson.teaches:
                for need in needs:
                    row = (teach.concept, need, lesson.slug, module.id)
                    if need != teach.concept and row not in seen:
                        seen.add(row)
                        writer.writerow(row)
    return buffer.getvalue()


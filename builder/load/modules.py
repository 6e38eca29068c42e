"""content/modules/<id>.md -> Module: the module page's frontmatter (title, goal, misconceptions)."""

from __future__ import annotations

from pathlib import Path

from ..model.course import Lesson, Module
from ..model.diagnostics import Diagnostic, Pos, error
from .files import read_text
from .lessons import misconceptions_of, split_frontmatter
from .yaml_schema import Field, YamlSource

MODULE_SCHEMA = {
    "title": Field("str", "the module title", required=True),
    "goal": Field("str", "what the module achieves", required=True),
    "misconceptions": Field("list", "module-level misconceptions; `where` names the lesson that addresses each", item={
        "claim": Field("str", "the wrong belief", required=True),
        "why": Field("str", "why a student would believe it"),
        "counterexample": Field("str", "what disproves it"),
        "where": Field("str", "slug of the lesson that addresses it", required=True),
    }),
}


def load_module(root: Path, module_id: str, lessons: tuple[Lesson, ...], diags: list[Diagnostic]) -> tuple[Module, str] | None:
    """A module page (content/modules/<id>.md) with its lessons, and the page's text; None when it is unusable."""
    rel = f"content/modules/{module_id}.md"
    path = root / rel
    if not path.is_file():
        return None  # reported by discover_lessons (CB102)
    text = read_text(root, path, diags)
    if text is None:
        return None
    split = split_frontmatter(rel, text, diags)
    if split is None:
        return None
    src = YamlSource(rel, split[0], split[1])
    node = src.compose()
    rec = None
    if node is not None:
        rec = src.record(node, MODULE_SCHEMA, "module frontmatter")
    elif not src.diagnostics:
        src.diagnostics.append(error("CB203", rel, Pos(2), "module frontmatter is empty", "Give it `title:` and `goal:`."))
    diags.extend(src.diagnostics)
    if rec is None:
        return None
    module = Module(id=module_id, path=rel, title=str(rec.get("title", module_id)), goal=str(rec.get("goal", "")),
                    misconceptions=tuple(misconceptions_of(rec)), lessons=lessons)
    return module, text



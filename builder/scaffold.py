"""`course new lesson`: a lesson file with the frontmatter skeleton of LESSON_FORMAT.md at the next position."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .load.config import load_config
from .load.lessons import LESSON_NAME

TEMPLATE = """---
title: {title}
type: {type}
summary: One sentence for lists and search results.
objective: What the student can do after this lesson.
prerequisites: []
  # - concept: chain-rule          # id, name or alias from content/concepts.yaml
  #   depth: DEVELOPED              # MENTIONED | INTRODUCED | DEVELOPED
  #   source: backpropagation       # the lesson that taught it to that depth
  #   why: Why this lesson needs it.
gaps: []
  # - concept: variance             # a prerequisite no earlier lesson taught; teach it here
  #   size: small                   # small | medium | large
  #   resolution: How the lesson resolves it.
teaches: []
  # - concept: exploding-gradients
  #   depth: DEVELOPED
  #   notes: What was taught.
misconceptions: []
  # - claim: The wrong belief.
  #   why: Why a student would hold it.
  #   counterexample: What disproves it.
  #   where: the-callout-name      # the :name: of the misconception callout below
examples: []
  # - name: A concrete case
  #   kind: positive                # positive | negative
  #   purpose: What it shows.
modalities: []                      # concrete, visual, symbolic, analogy, intuitive
---
# {title}

:::{{objective}}
What the student will be able to do.
:::

## The problem

Start with the motivation: the problem before the tool.

:::{{misconception}} The wrong belief
:name: the-callout-name
Why it is wrong, with the counterexample.
:::

::::{{check}} Predict: ...
:::{{answer}}
The answer.
:::
::::

:::{{summary}}
- What to remember.
:::
"""


def slugify(title: str) -> str:
    """A lesson slug from its title: lower case ASCII words joined by hyphens."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "lesson"


def new_lesson_file(root: Path, title: str, module_id: str, lesson_type: str) -> Path:
    """Create the lesson file; ValueError when the module is unknown or the slug is taken."""
    config = load_config(root)
    if module_id not in config.modules:
        raise ValueError(f"module `{module_id}` is not in site.yaml's modules ({', '.join(config.modules)})")
    slug = slugify(title)
    folder = root / "lessons" / module_id
    existing = [LESSON_NAME.match(p.name) for p in sorted((root / "lessons").rglob("*.md"))]
    if any(m and m.group(2) == slug for m in existing):
        raise ValueError(f"a lesson with slug `{slug}` already exists; choose another title")
    positions = [int(m.group(1)) for p in folder.glob("*.md") if (m := LESSON_NAME.match(p.name))]
    position = max(positions, default=0) + 1
    path = folder / f"{position:02d}-{slug}.md"
    folder.mkdir(parents=True, exist_ok=True)
    safe_title = title if re.fullmatch(r"[\w ,.()'-]+", title) else '"' + title.replace('\\', '\\\\').replace('"', '\\"') + '"'
    path.write_text(TEMPLATE.format(title=safe_title, type=lesson_type), encoding="utf-8")
    return path

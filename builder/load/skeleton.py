"""The lesson skeleton `course new lesson` writes, and how to tell its placeholder text in a lesson.

The skeleton is a draft (`draft: true`): it can be served and checked before its pedagogy is written. Its prompts
("One sentence for lists and search results.") must not reach readers: a line that still holds one is a CB213
finding (a warning in a draft, an error in a published lesson).
"""

from __future__ import annotations

import re

from ..model.diagnostics import Diagnostic, Pos, error, warning

LESSON = """---
title: {title}
type: {type}
draft: true                         # checked, served, but left out of `course build` until you delete this line
summary: One sentence for lists and search results.
objective: What the student can do after this lesson.
prerequisites: []
  # - concept: chain-rule          # id, name or alias from content/concepts.yaml
  #   depth: DEVELOPED              # the depth this lesson needs
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
:::{{objective}}
What the student will be able to do.
:::

## The problem

Start with the motivation: the problem before the tool.

:::{{misconception}} State the wrong belief here
:name: the-callout-name
Why it is wrong, with the counterexample.
:::

% A check exposes a misconception with `:probes: its-where-id` under the fence; a quiz's wrong choice ends with
% {{misconception}}`its-where-id`; `:assesses: concept-id` (or a {{concept}} role in the question) says what it tests.
::::{{check}} Ask the student to predict something here
:::{{answer}}
The answer, and why.
:::
::::

::::{{quiz}} Ask a question whose wrong choices are the misconceptions
- [ ] A choice a student holding the wrong belief would pick
- [x] The right choice
:::{{answer}}
The answer, and why.
:::
::::

:::{{summary}}
- What to remember.
:::
"""
"""The new lesson's text (`str.format` with title and type; the title is the page's heading, the body has none)."""

PLACEHOLDERS = (
    "One sentence for lists and search results.",
    "What the student can do after this lesson.",
    "What the student will be able to do.",
    "Start with the motivation: the problem before the tool.",
    "State the wrong belief here",
    "Why it is wrong, with the counterexample.",
    "Ask the student to predict something here",
    "Ask a question whose wrong choices are the misconceptions",
    "A choice a student holding the wrong belief would pick",
    "The right choice",
    "The answer, and why.",
    "What to remember.",
)
_FOUND = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))


def leftover_findings(path: str, text: str, draft: bool) -> list[Diagnostic]:
    """Each line that still holds skeleton text (commented-out lines of the frontmatter excepted)."""
    make = warning if draft else error
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = _FOUND.search(line)
        if match and not line.lstrip().startswith("#"):
            out.append(make("CB213", path, Pos(number, match.start() + 1),
                            f"text from the lesson skeleton is still here: \u201c{match.group(0)}\u201d",
                            "Replace it with the lesson's own words; `course new lesson` wrote it as a prompt."))
    return out

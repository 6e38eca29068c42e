"""Test helpers: inline projects written to tmp_path (Hugo-style), run through the real CLI and pipeline."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from builder.cli import main

REPO = Path(__file__).resolve().parent.parent

BODY = """
# {title}

## Worked example

Text with $a+b$ and {{concept}}`alpha`.

:::{{misconception}} First wrong idea
:name: wrong-1
Why it is wrong.
:::

:::{{misconception}} Second wrong idea
:name: wrong-2
Why it is wrong.
:::

:::{{misconception}} Third wrong idea
:name: wrong-3
Why it is wrong.
:::
"""

PEDAGOGY = """misconceptions:
  - claim: one
    where: wrong-1
  - claim: two
    where: wrong-2
  - claim: three
    where: wrong-3
examples:
  - {name: p1, kind: positive}
  - {name: p2, kind: positive}
  - {name: n1, kind: negative}
modalities: [concrete, visual, symbolic]
"""


QUIZ = """
::::{{quiz}} Which of these holds?
:assesses: {assesses}
{choices}- [x] None of them
:::{{answer}}
Each is a misconception.
:::
::::
"""
"""A quiz probing misconceptions (choices) and assessing concepts."""


def quiz(assesses: str = "", probes: tuple[str, ...] = ("wrong-1", "wrong-2", "wrong-3")) -> str:
    """QUIZ assessing `assesses` (concept ids, comma separated), with a wrong choice probing each of `probes`."""
    return QUIZ.format(assesses=assesses, choices="".join(f"- [ ] Claim {w} {{misconception}}`{w}`\n" for w in probes))


def assessing(ledger: str, pedagogy: str) -> str:
    """A quiz for a lesson: it probes each misconception of its frontmatter and assesses every concept its
    `teaches` takes to DEVELOPED."""
    data = yaml.safe_load(textwrap.dedent(ledger)) or {}
    deepest = [t["concept"] for t in data.get("teaches") or [] if t.get("depth") == "DEVELOPED"]
    wheres = [m["where"] for m in (yaml.safe_load(pedagogy) or {}).get("misconceptions") or [] if m.get("where")]
    return quiz(", ".join(deepest), tuple(wheres))


def lesson(title: str, type_: str, ledger: str = "", body: str | None = None, pedagogy: str = PEDAGOGY) -> str:
    """A lesson file: frontmatter (title, type, the given ledger YAML, pedagogy minimums) and a body (by default one
    that confronts, probes and assesses what the frontmatter says)."""
    front = f"title: {title}\ntype: {type_}\nsummary: About {title}.\n{textwrap.dedent(ledger).strip()}\n{pedagogy}"
    return f"---\n{front.strip()}\n---\n{BODY.format(title=title) + assessing(ledger, pedagogy) if body is None else body}"


BASE: dict[str, str] = {
    "site.yaml": 'title: Test Course\ndescription: A course for tests.\nmodules: ["1.3"]\n',
    "content/concepts.yaml": textwrap.dedent("""\
        alpha:
          name: Alpha idea
          aliases: [the alpha]
          definition: The first idea, with $x^2$.
        beta:
          name: Beta idea
          definition: The second idea.
        gamma:
          name: Gamma idea
          definition: The third idea.
        delta:
          name: Delta idea
          definition: The fourth idea.
        epsilon:
          name: Epsilon idea
          definition: The fifth idea.
        zeta:
          name: Zeta idea
          definition: The sixth idea.
        """),
    "content/prior.yaml": '- concept: alpha\n  depth: INTRODUCED\n  source: old-lesson\n  module: "1.1"\n',
    "content/modules/1.3.md": "---\ntitle: Test Module\ngoal: Learn the ideas.\n---\nThe arc of the module.\n",
    "lessons/1.3/01-first.md": lesson("First", "STRETCH", """
        prerequisites:
          - concept: alpha
            depth: INTRODUCED
            source: old-lesson
            why: It builds on alpha.
        teaches:
          - concept: alpha
            depth: DEVELOPED
          - concept: beta
            depth: INTRODUCED
        """),
    "lessons/1.3/02-second.md": lesson("Second", "BUILD", """
        prerequisites:
          - concept: alpha
            depth: DEVELOPED
            source: first
          - concept: beta
            depth: INTRODUCED
            source: first
        teaches:
          - concept: beta
            depth: DEVELOPED
          - concept: gamma
            depth: MENTIONED
        """),
    "lessons/1.3/03-third.md": lesson("Third", "STRETCH", """
        prerequisites:
          - concept: beta
            depth: DEVELOPED
            source: second
        teaches:
          - concept: gamma
            depth: DEVELOPED
          - concept: delta
            depth: INTRODUCED
        """),
}


FIGURES = {"content/figures/curves.py": textwrap.dedent("""\
    \"\"\"Two figures for test projects: the sigmoid and its derivative, and gradient bars per layer.\"\"\"
    import numpy as np
    import plotly.graph_objects as go
    from builder.dynamics import gradient_profile, sigmoid, sigmoid_grad
    from builder.figures import Option, figure


    @figure("sigmoid-derivative", options=[Option("zmax", "float", 8.0, "z runs from -zmax to zmax", min=2.0, max=20.0)])
    def sigmoid_derivative(zmax: float):
        z = np.linspace(-zmax, zmax, 101)
        fig = go.Figure([go.Scatter(x=z, y=sigmoid(z), name="sigmoid"), go.Scatter(x=z, y=sigmoid_grad(z), name="derivative")])
        return fig, f"The derivative peaks at {float(sigmoid_grad(np.zeros(1))[0]):.2f} at z = 0."


    @figure("gradient-bars", options=[Option("depth", "int", 10, "layers", min=2, max=20)])
    def gradient_bars(depth: int):
        g = gradient_profile(depth, "sigmoid", "xavier", width=16, batch=32)
        return go.Figure(go.Bar(x=np.arange(1, depth + 1), y=g)), f"Layer 1: {g[0]:.2g}; layer {depth}: {g[-1]:.2g}."
    """)}
"""A small figure module for test projects that place figures (content/figures/ is the course's own code)."""


def course_module(name: str):
    """A module of the shipped course's figure code (content/figures/<name>.py), loaded as the build loads it."""
    import sys

    from builder.figures.discovery import PACKAGE, load_figures

    load_figures(REPO)
    return sys.modules[f"{PACKAGE}.{name}"]


def make_project(tmp_path: Path, files: dict[str, str | bytes], base: bool = True) -> Path:
    """Write a project (the valid BASE project unless base=False, overridden by `files`; None deletes)."""
    root = tmp_path / "project"
    merged: dict[str, str | bytes | None] = {**(BASE if base else {}), **files}
    for rel, content in merged.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    root.mkdir(parents=True, exist_ok=True)
    return root


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth occurrence of `needle` in `text`."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


def run(*args: str) -> tuple[int, str]:
    """Run the `course` CLI in-process; (exit code, stdout+stderr)."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def check_json(root: Path, *extra: str) -> tuple[int, list[dict]]:
    """`course check --format json`: exit code and findings (stdout only: it must be pure JSON)."""
    result = CliRunner().invoke(main, ["check", str(root), "--format", "json", *extra], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def codes(findings: list[dict]) -> list[str]:
    """The codes of a finding list, in order."""
    return [f["code"] for f in findings]


@pytest.fixture
def project(tmp_path: Path):
    """Factory: project(files) -> root of a project written under tmp_path."""
    def factory(files: dict[str, str | bytes] | None = None, base: bool = True) -> Path:
        return make_project(tmp_path, files or {}, base=base)
    return factory

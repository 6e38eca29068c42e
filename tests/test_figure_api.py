"""The public figure API (builder.figures: @figure, @explorer, Option) used by a course written from the docs alone:
it checks and builds; every mistake in its figure code is a finding at that code's file and line."""

from __future__ import annotations

import json
import textwrap

import pytest

from click.testing import CliRunner

from builder.cli import main
from builder.figures.explorer_data import apply
from builder.pipeline import Built, build
from conftest import BASE, check_json, line_of, run

DECAY = textwrap.dedent('''\
    # content/figures/decay.py
    import numpy as np
    import plotly.graph_objects as go
    from builder.figures import figure, explorer, Option

    @figure("decay-curve", options=[Option("rate", "float", default=0.5, min=0.01, max=1.0, help="fraction lost per step")])
    def decay_curve(rate: float) -> go.Figure:
        steps = np.arange(30)
        return go.Figure(go.Scatter(x=steps, y=(1 - rate) ** steps, name="remaining"))

    @explorer("decay-explorer", options=[Option("rate", "choice", default="0.5", choices=("0.1", "0.5", "0.9")),
                                         Option("steps", "int", default=6, min=5, max=7)])
    def decay_explorer(rate: str, steps: int):
        x = np.arange(steps)
        fig = go.Figure(go.Bar(x=x, y=(1 - float(rate)) ** x))
        return fig, f"after {steps - 1} steps {(1 - float(rate)) ** (steps - 1):.3f} remains"
    ''')
LESSON = BASE["lessons/1.3/01-first.md"] + textwrap.dedent("""
    ## Decay

    :::{figure} decay-curve
    :rate: 0.3
    How much remains.
    :::

    :::{figure} decay-explorer
    :steps: 7
    Try the rates.
    :::
    """)
FILES = {"content/figures/decay.py": DECAY, "lessons/1.3/01-first.md": LESSON}


def findings(project, files: dict) -> tuple[int, list[dict]]:
    return check_json(project({**FILES, **files}))


def test_a_course_from_the_docs_checks_and_builds(project):
    root = project(FILES)
    assert check_json(root) == (0, [])
    result = build(root)
    assert isinstance(result, Built) and result.figures.diagnostics == ()
    page = (root / "_site/first/index.html").read_text()
    assert 'data-figure="decay-curve"' in page and 'data-explorer="decay-explorer"' in page
    assert '<select id="figure-2-rate" data-control="rate">' in page and '<option value="0.5" selected>' in page
    assert 'type="range" id="figure-2-steps" data-control="steps" min="5" max="7" step="1"' in page and 'value="7"' in page
    spec = json.loads(page.split('data-for="figure-1">', 1)[1].split("</script>", 1)[0])
    assert spec["data"][0]["y"][:3] == [1.0, 0.7, 0.49]  # rate 0.3, from the directive
    data = json.loads((root / "_site/assets/figures/decay-explorer.js").read_text().split(" = ", 2)[2].rstrip(";\n"))
    assert sorted(data["combos"]) == sorted(f"{r}|{s}" for r in ("0.1", "0.5", "0.9") for s in (5, 6, 7))
    figure, text = apply(data, "0.9|5")
    assert figure["data"][0]["y"] == [1.0, 0.1, 0.01, 0.001, 0.0001] and text == "after 4 steps 0.000 remains"
    out = run("figures", str(root))[1]
    assert "## `decay-curve`" in out and "| `rate` | a number from 0.01 to 1 | `0.5` | fraction lost per step |" in out


def test_figure_options_are_checked_without_running_the_code(project):
    lesson = LESSON.replace(":rate: 0.3", ":rate: 7")
    code, found = findings(project, {"lessons/1.3/01-first.md": lesson})
    assert code == 1 and [(f["code"], f["line"]) for f in found] == [("CB408", line_of(lesson, ":rate: 7"))]
    assert "0.01 to 1" in found[0]["hint"]
    lesson = LESSON.replace("decay-curve\n", "decay-curv\n")
    found = findings(project, {"lessons/1.3/01-first.md": lesson})[1]
    assert [(f["code"], f["line"]) for f in found] == [("CB411", line_of(lesson, "decay-curv"))]
    assert "did you mean 'decay-curve'?" in found[0]["hint"]


def failing(body: str) -> str:
    return DECAY.replace('    steps = np.arange(30)\n', body)


@pytest.mark.parametrize("body,message,at", [
    ("    steps = np.arange(30) + undefined_name\n", "raised NameError: name 'undefined_name' is not defined", "undefined_name"),
    ("    return {'data': []}\n", "returned a dict; a figure function returns a plotly go.Figure, or (go.Figure, text)",
     '@figure("decay-curve"'),  # no line of the function is to blame: its declaration
    ("    np.random.default_rng().normal()\n", "made a random generator without a seed", "default_rng()"),
])
def test_a_failing_figure_function_is_a_finding_and_nothing_is_written(project, body, message, at):
    code = failing(body)
    root = project({**FILES, "content/figures/decay.py": code})
    assert check_json(root) == (0, [])  # checking runs no figure function
    (root / "_site").mkdir()
    (root / "_site" / "keep.txt").write_text("previous site")
    exit_code, out = run("build", str(root), "--force")
    assert exit_code == 1 and "Traceback" not in out
    expected_line = line_of(code, at)
    assert f"content/figures/decay.py:{expected_line}" in out, out
    assert f"figure `decay-curve` (rate=0.3), used at lessons/1.3/01-first.md:{line_of(LESSON, 'decay-curve')}" in out
    assert message in out
    assert (root / "_site" / "keep.txt").read_text() == "previous site"  # nothing written


def test_a_module_that_fails_to_import_is_a_finding_at_its_line(project):
    broken = DECAY.replace("import numpy as np\n", "import numpy as np\nprint('loading decay')\nx = 1 / 0\n")
    result = CliRunner().invoke(main, ["check", str(project({**FILES, "content/figures/decay.py": broken})), "--format", "json"])
    code, found = result.exit_code, json.loads(result.stdout)  # stdout is the JSON array alone
    assert code == 1 and "loading decay" in result.stderr  # what the module printed went to stderr
    first = found[0]
    assert (first["code"], first["file"], first["line"]) == ("CB414", "content/figures/decay.py", line_of(broken, "x = 1 / 0"))
    assert "does not load: ZeroDivisionError: division by zero" in first["message"]
    unknown = [f for f in found if f["code"] == "CB411"]
    assert len(unknown) == 2 and "content/figures/decay.py failed to load" in unknown[0]["hint"]


def test_a_syntax_error_and_an_import_of_a_sibling(project):
    helper = "def decay(rate, steps):\n    return (1 - rate) ** steps\n"
    uses = DECAY.replace("from builder.figures import figure, explorer, Option\n",
                         "from builder.figures import figure, explorer, Option\n\nfrom .helper import decay\n")
    assert findings(project, {"content/figures/decay.py": uses, "content/figures/helper.py": helper}) == (0, [])
    found = findings(project, {"content/figures/decay.py": uses, "content/figures/helper.py": "def decay(:\n"})[1]
    assert (found[0]["code"], found[0]["file"], found[0]["line"]) == ("CB414", "content/figures/helper.py", 1)
    assert "SyntaxError" in found[0]["message"]


@pytest.mark.parametrize("declaration,problem", [
    ('@explorer("bad", options=[Option("rate", "float", 0.5, min=0, max=1)])\ndef bad(rate): return None\n',
     "option 'rate' is a float"),
    ('@explorer("big", options=[Option("a", "int", 1, min=1, max=100), Option("b", "int", 1, min=1, max=100)])\ndef big(a, b): return None\n',
     "has 10,000 combinations"),
    ('@figure("decay-curve")\ndef twice(): return None\n', "is already declared at content/figures/decay.py:6"),
    ('@figure("mismatch", options=[Option("rate", "float", 0.5)])\ndef mismatch(speed): return None\n',
     "mismatch() has no parameter for option(s) rate"),
    ('@figure("Bad_Id")\ndef bad_id(): return None\n', "must be lower-case letters"),
    ('@figure("bad-default", options=[Option("n", "int", 50, min=1, max=10)])\ndef bad_default(n): return None\n',
     "the default of option 'n', 50, is not an integer from 1 to 10"),
])
def test_declaration_mistakes_are_findings_at_the_decorator(project, declaration, problem):
    extra = "from builder.figures import figure, explorer, Option\n\n" + declaration
    code, found = findings(project, {"content/figures/extra.py": extra})
    assert code == 1 and {(f["code"], f["file"], f["line"]) for f in found} == {("CB414", "content/figures/extra.py", 3)}
    assert any(problem in f["message"] for f in found), found


def test_a_figure_past_the_time_limit_is_stopped(project):
    slow = failing("    import time\n    time.sleep(30)\n    steps = np.arange(30)\n")
    root = project({**FILES, "content/figures/decay.py": slow,
                    "site.yaml": BASE["site.yaml"] + "figures: {timeout: 1}\n"})
    exit_code, out = run("build", str(root))
    assert exit_code == 1 and "took longer than the limit of 1 s and was stopped" in out


def test_nan_becomes_a_gap_and_editing_one_module_recomputes_only_its_figures(project):
    with_nan = DECAY.replace("y=(1 - rate) ** steps", "y=np.where(steps == 3, np.nan, (1 - rate) ** steps)")
    other = ('from builder.figures import figure\nimport plotly.graph_objects as go\n\n'
             '@figure("other")\ndef other():\n    return go.Figure(go.Scatter(x=[1, 2], y=[float("inf"), 2]))\n')
    lesson = LESSON + "\n:::{figure} other\n:::\n"
    root = project({**FILES, "content/figures/decay.py": with_nan, "content/figures/other.py": other,
                    "lessons/1.3/01-first.md": lesson})
    first = build(root)
    assert isinstance(first, Built) and first.figures.computed == 3  # decay-curve, other, the explorer (in 3 parts, by rate)
    specs = {key.split(":")[0]: fig.spec for key, fig in first.figures.figures.items()}
    assert specs["decay-curve"]["data"][0]["y"][3] is None and specs["other"]["data"][0]["y"] == [None, 2]
    (root / "content/figures/other.py").write_text(other.replace("[1, 2]", "[1, 3]"))
    again = build(root)
    assert isinstance(again, Built) and (again.figures.computed, again.figures.cached) == (1, 2)

"""The numpy exercises in the lessons: each exercise's code is taken from the lesson file, run, and its printed
output compared with the expected output the lesson shows, so the two cannot drift apart.

An exercise is a ```python block in a section whose heading starts with "Try it in numpy"; its expected output is
the first ```text block after it (in the check that reveals it). A section's blocks run in order in one namespace,
as the lesson tells the student to run them in one session. Only numpy is available to the code, as for a student.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import time
import warnings

import numpy as np
import pytest

import builder.dynamics as dyn
from conftest import REPO

LESSONS = REPO / "lessons" / "1.3"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)


def text_of(slug: str) -> str:
    return next(LESSONS.glob(f"*-{slug}.md")).read_text(encoding="utf-8")


def exercises(slug: str) -> list[tuple[str, str]]:
    """(code, expected output) for every exercise of the lesson, in order."""
    text = text_of(slug)
    found = []
    for section in re.split(r"^## ", text, flags=re.M):
        if not section.startswith("Try it in numpy"):
            continue
        blocks = [(m.group(1), m.group(2)) for m in FENCE.finditer(section)]
        for i, (lang, code) in enumerate(blocks):
            if lang == "python":
                expected = next(body for kind, body in blocks[i + 1:] if kind == "text")
                found.append((code, expected))
    return found


def run_all(slug: str) -> tuple[list[str], dict, float]:
    """Run a lesson's exercises in one namespace: (stdout of each, the namespace, seconds taken)."""
    namespace: dict = {"__name__": f"exercises_{slug.replace('-', '_')}"}
    outputs = []
    start = time.perf_counter()
    for code, _ in exercises(slug):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exploding run's overflow warnings go to stderr, as for a student
            exec(compile(code, f"<{slug} exercise>", "exec"), namespace)
        outputs.append(out.getvalue())
    return outputs, namespace, time.perf_counter() - start


@pytest.fixture(scope="module")
def lesson6():
    return run_all("training-dynamics")


def normalized(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip("\n").splitlines()]


def test_lesson6_has_three_exercises_that_import_only_numpy():
    found = exercises("training-dynamics")
    assert len(found) == 3
    for code, _ in found:
        imports = re.findall(r"^\s*(?:import|from)\s+(\w+)", code, re.M)
        assert set(imports) <= {"numpy"}, imports
        assert all(len(line) <= 80 for line in code.splitlines()), "keep lines short for phones"


MACHINE_DEPENDENT = ("sigmoid LeCun +BN",)
"""Rows whose numbers after the first column differ from one processor to the next, as the lesson says: batch norm
divides an almost vanished signal by its tiny spread and so magnifies the arithmetic's last bits (a change of one
part in 1e13 in the starting weights moves its loss at step 100 from 0.35 to 0.55)."""


def shown(lines: list[str]) -> list[str]:
    """The lines of an exercise's output as compared: a machine-dependent row up to its first number."""
    return [" ".join(line.split()[:6]) if line.startswith(MACHINE_DEPENDENT) else line for line in lines]


def test_lesson6_exercise_outputs_are_what_the_lesson_shows(lesson6):
    outputs, _, seconds = lesson6
    for (code, expected), got in zip(exercises("training-dynamics"), outputs):
        assert shown(normalized(got)) == shown(normalized(expected)), code.splitlines()[0]


def test_exercise1_reproduces_the_explorers_bars(lesson6):
    """The explorer's bars are gradient_profile(); the exercise's numpy code gives the same numbers."""
    bars = lesson6[1]["bars"]
    for act, gain, model_act, init in (("sigmoid", 1, "sigmoid", "xavier"), ("relu", 2, "relu", "he"),
                                       ("tanh", 1, "tanh", "xavier"), ("leaky", 2, "leaky_relu", "he")):
        np.testing.assert_allclose(bars(act, gain), dyn.gradient_profile(10, model_act, init), rtol=1e-9)
    text = text_of("training-dynamics")
    profile = dyn.gradient_profile(10, "sigmoid", "xavier")
    per_layer = np.median(profile[1:] / profile[:-1])
    assert 4 <= per_layer <= 5 and f"{profile[0] / profile[-1]:.0e}" == "5e-07"
    assert "About four to five per layer; layer 1 ends at $5 \\times 10^{-7}$ of layer 10" in text


def test_exercise2_claims(lesson6):
    bars = lesson6[1]["bars"]
    # the explorer's healthy band: a factor 10 either side of the geometric mean of four healthy nets' medians
    healthy = [("relu", "he", False), ("tanh", "xavier", False), ("relu", "he", True), ("sigmoid", "xavier", True)]
    ref = math.exp(np.mean([math.log(np.median(dyn.gradient_profile(10, a, i, bn))) for a, i, bn in healthy]))
    assert 0.08 < ref / 10 < 0.1 and 8 < ref * 10 < 10  # "about 0.1 to 10"
    level_and_healthy = {(act, gain) for act in ("sigmoid", "tanh", "relu", "leaky") for gain in (1, 2)
                         if max(bars(act, gain)) / min(bars(act, gain)) <= 10
                         and all(ref / 10 <= v <= ref * 10 for v in bars(act, gain))}
    assert level_and_healthy == {("tanh", 1), ("tanh", 2), ("relu", 2), ("leaky", 2)}
    lecun_relu = bars("relu", 1)
    assert 0.01 <= min(lecun_relu) and max(lecun_relu) < 0.035  # "every bar is small (0.01 to 0.03)"
    assert max(bars("relu", 1, depth=20)) < min(lecun_relu)  # "and sinks further with depth"
    np.testing.assert_allclose(bars("leaky", 2), bars("relu", 2), rtol=0.05)  # "changes nothing at the start"
    text = text_of("training-dynamics")
    assert "every bar is small (0.01 to 0.03) and sinks further with depth" in text


def test_exercise3_claims(lesson6):
    namespace = lesson6[1]
    train = namespace["train"]
    runs = {
        "vanishing": train("sigmoid", "LeCun"), "batchnorm": train("sigmoid", "LeCun", bn=True),
        "exploding": train("relu", "N(0,1)"), "he": train("relu", "He"),
        "big_step": train("relu", "He", lr=1.0), "clipped": train("relu", "He", clip=1.0, lr=1.0),
    }
    assert all(abs(v - math.log(2)) < 1e-3 for v in runs["vanishing"])  # "never leaves chance"
    assert f"{runs['batchnorm'][0]:.3f}" == "0.737" and runs["batchnorm"][300] < 0.5  # "learns, well below 0.693"
    assert 1e5 < runs["exploding"][0] < 1e6 and math.isfinite(runs["exploding"][1])
    assert math.isnan(runs["exploding"][2])  # "reach nan two steps later"
    assert f"{runs['he'][300]:.1g}" == "0.0005" and f"{runs['clipped'][300]:.0e}" == "2e-05"
    assert abs(runs["big_step"][300] - math.log(2)) < 1e-9  # "sits at exactly ln 2"
    assert max(runs["big_step"][:10]) > 1e3  # "a few huge updates"
    # "leave every unit of the last layer dead": rerun the lesson's function, keeping its last forward pass
    code = exercises("training-dynamics")[2][0]
    probe = code.replace("    return losses\n", "    return losses, layers\n").split("\nprint(")[0]
    scratch = dict(namespace)
    exec(probe, scratch)
    _, layers = scratch["train"]("relu", "He", lr=1.0)
    assert (layers[-1][1] <= 0).all() and not (layers[0][1] <= 0).all()
    text = text_of("training-dynamics")
    for phrase in ("batch norm makes it learn, well below 0.693 by step 300", "yours will differ", "start at a loss of about $5 \\times 10^5$ and reach `nan` two steps later",
                   "He trains to 0.0005", "leave every unit of the last layer dead", "sits at exactly $\\ln 2$",
                   "the same run trains to $2 \\times 10^{-5}$"):
        assert phrase in text, phrase


def block_with_output(slug: str, marker: str) -> tuple[str, str]:
    """The ```python block containing `marker` and the first ```text block after it."""
    blocks = [(m.group(1), m.group(2)) for m in FENCE.finditer(text_of(slug))]
    i = next(i for i, (lang, code) in enumerate(blocks) if lang == "python" and marker in code)
    return blocks[i][1], next(body for kind, body in blocks[i + 1:] if kind == "text")


def test_lesson3_matrix_backward_step_prints_what_the_lesson_shows():
    code, expected = block_with_output("computational-graphs", "dW, dX = X.T @ dZ")
    out = io.StringIO()
    namespace: dict = {}
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<computational-graphs matrix form>", "exec"), namespace)
    assert normalized(out.getvalue()) == normalized(expected)
    # the model's backward pass through one linear layer gives the same dW = X^T dZ and dX = dZ W^T
    X, W, dZ = namespace["X"], namespace["W"], namespace["dZ"]
    layer = dyn.MLP([W], [None], activation="identity")
    layer.forward(X)
    grads = layer.backward(dZ)
    np.testing.assert_array_equal(grads.W[0], namespace["dW"])
    np.testing.assert_array_equal(grads.x, namespace["dX"])
    assert grads.W[0].shape == W.shape and grads.x.shape == X.shape
    assert X[0, 0] * dZ[0, 0] + X[1, 0] * dZ[1, 0] == namespace["dW"][0, 0] == 0.5
    text = text_of("computational-graphs")
    assert "$dW_{11} = X_{11}\\, dZ_{11} + X_{21}\\, dZ_{21} = 1 \\times 0.5 + 0 \\times 1 = 0.5$" in text

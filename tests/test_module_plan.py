"""The shipped module against its plan (seed 001) and the reviewer's finding that started the mention rule: its
plan comes out of the lessons with the seed's sequence and concept distribution, and lesson 7's sentence about
cross-entropy, as it was written before any lesson taught it, is found at its line."""

from __future__ import annotations

import json
import re
import shutil

from conftest import REPO, run

# Seed 001's tables (../shared/seeds/001_*.txt), by the lessons' concept ids. Where the lessons differ from the
# seed, the plan shows the lessons' truth; the differences are listed with the reason.
SEED_SEQUENCE = [("backpropagation", "STRETCH"), ("backprop-worked-example", "BUILD"), ("computational-graphs", "BUILD"),
                 ("batching-and-sgd", "STRETCH"), ("optimizers", "BUILD"), ("training-dynamics", "STRETCH"),
                 ("overfitting-and-regularization", "CONSOLIDATE")]
SEED_NEW = [3, 2, 1, 3, 2, 3, 3]
DIFFERENT_NEW = {
    # the seed counts "weight update with real numbers": here that is gradient descent, known from module 1.1
    "backprop-worked-example": 1,
}
SEED_ROWS = {  # (concept, lesson position): the seed's wording
    ("forward-backward-pass", 1): "New (INTRODUCED)", ("local-derivatives", 1): "New (INTRODUCED)",
    ("backprop-efficiency", 1): "New (INTRODUCED)", ("multi-layer-gradients", 2): "New (DEVELOPED)",
    ("forward-backward-pass", 2): "Reinforced: INTRODUCED -> DEVELOPED",
    ("computational-graph", 3): "New (DEVELOPED)", ("automatic-differentiation", 3): "Reinforced: MENTIONED -> INTRODUCED",
    ("mini-batch", 4): "New (DEVELOPED)", ("stochastic-gradient-descent", 4): "New (DEVELOPED)",
    ("gradient-noise", 4): "New (INTRODUCED)", ("momentum", 5): "New (DEVELOPED)", ("adam", 5): "New (DEVELOPED)",
    ("learning-rate", 5): "Reinforced (DEVELOPED)", ("vanishing-gradients", 6): "Reinforced: INTRODUCED -> DEVELOPED",
    ("exploding-gradients", 6): "New (DEVELOPED)", ("batch-normalization", 6): "New (INTRODUCED)",
    ("overfitting", 7): "Reinforced: INTRODUCED -> DEVELOPED", ("dropout", 7): "New (DEVELOPED)",
    ("weight-decay", 7): "New (DEVELOPED)", ("early-stopping", 7): "New (DEVELOPED)",
    # The lessons differ from the seed here:
    # chain rule and epochs are MENTIONED in prior.yaml (module 1.1), so lessons 1 and 4 raise them, not introduce them;
    ("chain-rule", 1): "Reinforced: MENTIONED -> DEVELOPED", ("epochs", 4): "Reinforced: MENTIONED -> DEVELOPED",
    # weight initialization is first mentioned in lesson 2, so lesson 6 raises it (a reinforcement, not load),
    ("weight-initialization", 2): "Mentioned (not load)", ("weight-initialization", 6): "Reinforced: MENTIONED -> DEVELOPED",
    # and lesson 6 teaches binary cross-entropy where it is first used (the reviewer's finding).
    ("cross-entropy", 6): "New (INTRODUCED)",
}


def test_course_plan_gives_the_seeds_sequence_and_distribution():
    code, out = run("plan", "1.3", "--format", "json", "--project", str(REPO))
    assert code == 0, out
    plan = json.loads(out)["modules"][0]
    assert plan["pattern"] == "S-B-B-S-B-S-C"
    assert [(le["slug"], le["type"]) for le in plan["lessons"]] == SEED_SEQUENCE
    expected = [DIFFERENT_NEW.get(slug, n) for (slug, _), n in zip(SEED_SEQUENCE, SEED_NEW)]
    assert [len(le["new"]) for le in plan["lessons"]] == expected
    rows = {(c["concept"], c["position"]): c["label"] for c in plan["concepts"]}
    assert {key: rows.get(key) for key in SEED_ROWS} == SEED_ROWS
    assert all(c["probed"] == c["misconceptions"] and c["assessed"] == c["deepest"] for c in plan["coverage"])
    code, md = run("plan", "1.3", "--project", str(REPO))
    assert "New:      3            1            1            3            2            3            3" in md


def test_lesson_7s_old_sentence_is_found_where_no_lesson_teaches_cross_entropy(tmp_path):
    """The reviewer's case: cross-entropy registered, lesson 6 not teaching it, lesson 7 saying "the loss is the
    cross-entropy you met there" with no prerequisite for it."""
    project = tmp_path / "course"
    project.mkdir()
    for name in ("site.yaml", "content", "lessons"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, project / name)
    six = project / "lessons/1.3/06-training-dynamics.md"
    seven = project / "lessons/1.3/07-overfitting-and-regularization.md"
    text6 = six.read_text()
    text6 = re.sub(r"  - concept: cross-entropy\n    depth: INTRODUCED\n    notes: .*\n", "", text6)
    text6 = text6.replace("The loss is the **binary cross-entropy**: minus", "The loss is minus")
    six.write_text(re.sub("binary cross-entropy", "classification loss", text6, flags=re.I))
    text7 = re.sub(r"  - concept: cross-entropy\n    depth: INTRODUCED\n    source: training-dynamics\n    why: .*\n", "",
                   seven.read_text())
    text7 = text7.replace("The loss is the binary cross-entropy from lesson 6 ($-\\ln$ of the probability given to the "
                          "true class)", "The loss is the cross-entropy you met there")
    assert "the cross-entropy you met there" in text7
    seven.write_text(text7)
    code, out = run("check", "--format", "json", str(project))
    found = [f for f in json.loads(out) if f["code"] == "CB312"]
    line = next(i for i, text in enumerate(text7.split("\n"), 1) if "the cross-entropy you met there" in text)
    assert [(f["file"], f["line"]) for f in found] == [("lessons/1.3/07-overfitting-and-regularization.md", line)]
    assert "cross-entropy" in found[0]["message"] and "No lesson teaches it" in found[0]["hint"]

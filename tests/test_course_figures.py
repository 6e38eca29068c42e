"""The shipped module's figures (content/figures/*.py): what each computes, through the same runtime a build uses.

Their explorers' data files are checked in the built site: every combination rebuilds from the data, matches
what the figure code computes for it, and the files stay small.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from builder.figures.compute import Output, run_figure
from builder.figures.discovery import load_figures
from builder.figures.explorer_data import apply
from builder.pipeline import build
from conftest import REPO

COURSE = load_figures(REPO)
PLAN_IDS = {
    "depth-paradox", "sigmoid-derivative", "gradient-bars", "activation-variance", "batchnorm-training",
    "training-dynamics-explorer", "sgd-batch-paths", "optimizer-paths", "optimizer-explorer",
    "overfitting-curves", "early-stopping", "regularization-compare", "backprop-network",
}
PLOTS = sorted(i for i in PLAN_IDS if not i.endswith("explorer"))
OLD_DATA_BYTES = {"training-dynamics-explorer": 307_126, "optimizer-explorer": 162_144}
"""The explorers' data files before the figures moved into the course (builder/figures/explorers.py)."""


def compute(figure_id: str, **options) -> Output:
    params, problems = COURSE.catalog.validate(figure_id, {k: str(v) for k, v in options.items()})
    assert problems == []
    out = run_figure(REPO, COURSE.declarations[figure_id], params, 300)
    assert isinstance(out, Output), out
    return out


def numbers(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from numbers(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from numbers(v)
    elif isinstance(obj, float):
        yield obj


def significant_digits(x: float) -> int:
    mant = repr(abs(x)).split("e")[0].replace(".", "").lstrip("0")
    return len(mant.rstrip("0")) or 1


def test_every_planned_figure_is_declared_by_the_course_not_the_builder():
    assert set(COURSE.catalog.figures) == PLAN_IDS and COURSE.catalog.diagnostics == ()
    assert all(d.path.startswith("content/figures/") for d in COURSE.catalog.figures.values())
    named = subprocess.run(["grep", "-rlE", "lesson[0-9]|" + "|".join(sorted(PLAN_IDS)), str(REPO / "builder")],
                           capture_output=True, text=True).stdout.split()
    assert named == []  # the builder names no lesson of the module and none of its figures
    assert not list((REPO / "builder" / "figures").glob("lesson*.py"))


def test_options_are_validated_from_the_declarations():
    validate = COURSE.catalog.validate
    assert validate("gradient-bars", {"activation": "relu", "depth": "20", "batchnorm": "True"}) == (
        {"activation": "relu", "init": "xavier", "depth": 20, "batchnorm": True}, [])
    assert validate("early-stopping", {"patience": "2"})[0] == {"patience": 2, "epochs": 400}
    _, problems = validate("gradient-bars", {"depht": "3", "init": "xavir", "depth": "25", "batchnorm": "maybe"})
    hints = {p.option: p.hint for p in problems}
    assert hints["depht"] == "did you mean 'depth'?" and "did you mean 'xavier'?" in hints["init"]
    assert "2 to 20" in hints["depth"] and hints["batchnorm"] == "use true or false"
    assert validate("gradient-bar", {})[1][0].hint == "did you mean 'gradient-bars'?"


@pytest.mark.parametrize("figure_id", PLOTS)
def test_plot_figures_compute_clean_deterministic_specs(figure_id):
    out = compute(figure_id)
    text = json.dumps(out.spec, sort_keys=True, separators=(",", ":"), allow_nan=False)
    assert set(out.spec) == {"data", "layout"} and out.spec["data"] and "template" not in out.spec["layout"]
    assert out.spec["layout"]["paper_bgcolor"] == "rgba(0,0,0,0)"
    assert all(significant_digits(x) <= 4 for x in numbers(out.spec))  # digits=4 on the declarations
    assert re.search(r"\d", out.text) and 1 <= out.text.count(". ") + 1 <= 4
    assert json.dumps(compute(figure_id).spec, sort_keys=True, separators=(",", ":")) == text


def test_gradient_bars_are_coloured_by_health_on_a_log_axis():
    out = compute("gradient-bars")
    bars = next(t for t in out.spec["data"] if t["type"] == "bar")
    assert out.spec["layout"]["yaxis"]["type"] == "log" and len(bars["y"]) == 10
    assert bars["marker"]["color"][0].startswith("hsl(0,")  # layer 1 of sigmoid + Xavier: vanished
    assert bars["marker"]["color"][-1].startswith("hsl(130,")  # layer 10: healthy
    assert "5.31e-7" in out.text
    healed = next(t for t in compute("gradient-bars", batchnorm=True).spec["data"] if t["type"] == "bar")
    assert all(c.startswith("hsl(130,") for c in healed["marker"]["color"])
    clipped = next(t for t in compute("gradient-bars", init="naive_uniform", activation="relu").spec["data"] if t["type"] == "bar")
    assert all(y == 1e12 for y in clipped["y"]) and set(clipped["marker"]["pattern"]["shape"]) == {"/"}


def test_summaries_quote_the_model():
    assert "0.693" in compute("depth-paradox").text
    assert "epoch" in compute("early-stopping", patience=2).text
    assert "9.54e-7" in compute("sigmoid-derivative").text


def test_one_explorer_combination():
    out = compute("training-dynamics-explorer", depth=4, activation="relu", init="he")
    band, bars, loss, chance = out.spec["data"]
    assert len(bars["y"]) == 4 and max(bars["marker"]["color"]) < 0.1  # every layer near the healthy reference: green
    assert len(loss["y"]) == 75 and loss["yaxis"] == "y2" and chance["y"] == [0.6931, 0.6931]
    healthy = sum(1 for level in bars["marker"]["color"] if level == 0)  # within one decade of the reference
    assert out.text.startswith("4 layers, ReLU, He: ") and f"{healthy} of 4 layers healthy" in out.text
    exploded = compute("training-dynamics-explorer", depth=4, activation="relu", init="naive_normal")
    assert "overflowed to NaN at step 7" in exploded.text
    assert exploded.spec["layout"]["annotations"][0]["text"] == "loss overflowed (NaN) at step 7"
    assert None in next(t for t in exploded.spec["data"] if t.get("yaxis") == "y2")["y"]  # NaN is a gap


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("course-figures") / "site"
    build(REPO, out=out)
    return out


def data_of(site: Path, figure_id: str) -> dict:
    text = (site / "assets" / "figures" / f"{figure_id}.js").read_text(encoding="utf-8")
    prefix = f"window.COURSE_FIGURE_DATA = window.COURSE_FIGURE_DATA || {{}};\nwindow.COURSE_FIGURE_DATA[{json.dumps(figure_id)}] = "
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix):-2])


@pytest.mark.parametrize("figure_id,combos,sample", [
    ("training-dynamics-explorer", 456, {"depth": 17, "activation": "tanh", "init": "naive_normal", "batchnorm": True}),
    ("optimizer-explorer", 90, {"surface": "saddle", "optimizer": "adam", "lr": "0.03"}),
])
def test_explorer_data_holds_every_combination_and_stays_small(site, figure_id, combos, sample):
    data = data_of(site, figure_id)
    assert len(data["combos"]) == combos
    size = (site / "assets" / "figures" / f"{figure_id}.js").stat().st_size
    assert size <= 1.5 * OLD_DATA_BYTES[figure_id], size
    key = "|".join(("1" if v else "0") if isinstance(v, bool) else str(v) for v in sample.values())
    spec, text = apply(data, key)
    direct = compute(figure_id, **sample)
    assert spec == direct.spec and text == direct.text


def test_explorer_pages_have_a_control_per_option(site):
    page = (site / "training-dynamics" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<input type="range" id="([\w-]+)-depth" data-control="depth" min="2" max="20" step="1"\s+value="10"', page)
    for name in ("activation", "init", "batchnorm"):
        assert re.search(rf'<label for="[\w-]+-{name}">', page) and f'data-control="{name}"' in page
    assert '<script src="../assets/figures/training-dynamics-explorer.js" defer></script>' in page


MARKER = "<!-- The rest of this page is the output of `course figures` for the shipped course (a test keeps it current). -->\n"


def test_the_figure_guide_ends_with_the_shipped_courses_reference():
    """docs/figures.md: the API guide, then what `course figures` prints for the shipped course."""
    from builder.figures.reference import reference_markdown
    from builder.load.config import load_config

    guide, _, reference = (REPO / "docs" / "figures.md").read_text(encoding="utf-8").partition(MARKER)
    assert reference == reference_markdown(COURSE.catalog, load_config(REPO).title), "run `course figures >> docs/figures.md` after the marker"
    assert "@explorer(" in guide and "Option(" in guide and "CB414" in guide
    for decl in COURSE.catalog.figures.values():
        assert f"## `{decl.id}`" in reference and all(f"| `{o.name}` |" in reference for o in decl.options)

"""builder.figures: registry, validation, computed specs, explorer data, the explorer partial and its JS."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jinja2
import markupsafe
import pytest

from builder.dynamics.grid import explorer_grid, grid_configs
from builder.figures import ComputedFigure, OptionError, compute, figure_ids, source_hash, validate
from builder.figures import explorers
from plotly.offline import get_plotlyjs as plotly_js

REPO = Path(__file__).resolve().parent.parent
PLAN_IDS = {
    "depth-paradox", "sigmoid-derivative", "gradient-bars", "activation-variance", "batchnorm-training",
    "training-dynamics-explorer", "sgd-batch-paths", "optimizer-paths", "optimizer-explorer",
    "overfitting-curves", "early-stopping", "regularization-compare",
}
PLOTS = sorted(PLAN_IDS - {"training-dynamics-explorer", "optimizer-explorer"})


def numbers(obj):
    """Every float in a JSON-like structure."""
    if isinstance(obj, dict):
        for v in obj.values():
            yield from numbers(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from numbers(v)
    elif isinstance(obj, float):
        yield obj


def significant_digits(x: float) -> int:
    """Significant digits in the shortest repr of x."""
    mant = repr(abs(x)).split("e")[0].replace(".", "").lstrip("0")
    return len(mant.rstrip("0")) or 1


def test_every_planned_figure_is_registered():
    assert set(figure_ids()) == PLAN_IDS


def test_validate_types_and_defaults():
    params, errors = validate("gradient-bars", {"activation": "relu", "depth": "20", "batchnorm": "True"})
    assert errors == []
    assert params == {"activation": "relu", "init": "xavier", "depth": 20, "batchnorm": True}
    assert validate("early-stopping", {"patience": "2"})[0] == {"patience": 2, "epochs": 400}
    assert validate("optimizer-paths", {"lr": "0.05"})[0]["lr"] == 0.05


def test_validate_reports_every_problem_with_a_hint():
    assert validate("gradient-bar", {}) == (None, [
        OptionError(None, "unknown figure 'gradient-bar'", "did you mean 'gradient-bars'?")])
    params, errors = validate("gradient-bars", {"depht": "3", "init": "xavir", "depth": "25",
                                                "batchnorm": "maybe"})
    assert params is None
    by_option = {e.option: e for e in errors}
    assert by_option["depht"].hint == "did you mean 'depth'?"
    assert "did you mean 'xavier'?" in by_option["init"].hint
    assert "out of range" in by_option["depth"].message and "2 to 20" in by_option["depth"].hint
    assert by_option["batchnorm"].hint == "use true or false"
    _, errors = validate("early-stopping", {"patience": "ten"})
    assert errors[0].message == "patience: 'ten' is not an integer"
    _, errors = validate("sigmoid-derivative", {"zmax": "nan"})
    assert errors and errors[0].option == "zmax"
    _, errors = validate("depth-paradox", {"colour": "red"})
    assert errors[0].hint == "figure 'depth-paradox' takes: deep, steps"
    assert validate("no-such-thing", {})[1][0].hint.startswith("known figures: ")


def test_compute_rejects_unknown_ids_and_options():
    with pytest.raises(ValueError):
        compute("nope", {})
    with pytest.raises(ValueError):
        compute("gradient-bars", {"colour": "red"})
    with pytest.raises(ValueError):
        compute("gradient-bars", {"depth": 99})


@pytest.mark.parametrize("figure_id", PLOTS)
def test_plot_figures_compute_clean_deterministic_specs(figure_id):
    fig = compute(figure_id, {})
    assert isinstance(fig, ComputedFigure) and fig.kind == "plot" and fig.figure_id == figure_id
    text = json.dumps(fig.spec, sort_keys=True, separators=(",", ":"), allow_nan=False)
    assert set(fig.spec) == {"data", "layout"} and fig.spec["data"]
    assert "template" not in fig.spec["layout"]
    assert fig.spec["layout"]["paper_bgcolor"] == "rgba(0,0,0,0)"
    assert all(significant_digits(x) <= 4 for x in numbers(fig.spec))
    assert re.search(r"\d", fig.summary) and 1 <= fig.summary.count(". ") + 1 <= 4
    assert fig.assets == {}
    again = json.dumps(compute(figure_id, {}).spec, sort_keys=True, separators=(",", ":"))
    assert again == text


def test_gradient_bars_are_coloured_by_health_on_a_log_axis():
    fig = compute("gradient-bars", {})
    bars = next(t for t in fig.spec["data"] if t["type"] == "bar")
    assert fig.spec["layout"]["yaxis"]["type"] == "log"
    assert len(bars["y"]) == 10
    assert bars["marker"]["color"][0].startswith("hsl(0,")  # layer 1 of sigmoid + Xavier: vanished
    assert bars["marker"]["color"][-1].startswith("hsl(130,")  # layer 10: healthy
    assert "5.31e-7" in fig.summary
    healed = compute("gradient-bars", {"batchnorm": True})
    healed_bars = next(t for t in healed.spec["data"] if t["type"] == "bar")
    assert all(c.startswith("hsl(130,") for c in healed_bars["marker"]["color"])


def test_naive_uniform_bars_are_clipped_and_hatched():
    fig = compute("gradient-bars", {"init": "naive_uniform", "activation": "relu"})
    bars = next(t for t in fig.spec["data"] if t["type"] == "bar")
    assert all(y == 1e12 for y in bars["y"]) and set(bars["marker"]["pattern"]["shape"]) == {"/"}


def test_summaries_quote_the_model():
    assert "0.693" in compute("depth-paradox", {}).summary
    assert "epoch" in compute("early-stopping", {"patience": 2}).summary
    assert "9.54e-7" in compute("sigmoid-derivative", {}).summary


@pytest.fixture
def small_grid(monkeypatch):
    """The training explorer over depths 2 and 4 only (the full grid takes ~20 s)."""
    configs = [c for c in grid_configs() if c[0] in (2, 4)]
    monkeypatch.setattr(explorers, "explorer_grid", lambda: explorer_grid(configs, workers=1))
    explorers.training_grid.cache_clear()
    yield configs
    explorers.training_grid.cache_clear()


def data_of(asset: str, figure_id: str) -> dict:
    """The JSON object an explorer data file assigns to window.COURSE_FIGURE_DATA[figure_id]."""
    head = "window.COURSE_FIGURE_DATA = window.COURSE_FIGURE_DATA || {};\n"
    assert asset.startswith(head)
    prefix = f"window.COURSE_FIGURE_DATA[{json.dumps(figure_id)}] = "
    body = asset[len(head):]
    assert body.startswith(prefix) and body.endswith(";\n")
    return json.loads(body[len(prefix):-2])


def test_training_explorer_data(small_grid):
    fig = compute("training-dynamics-explorer", {"depth": 4, "activation": "relu", "init": "he"})
    assert fig.kind == "explorer" and set(fig.assets) == {"explorer-data.js"}
    data = data_of(fig.assets["explorer-data.js"], "training-dynamics-explorer")
    assert len(data["configs"]) == len(small_grid) == 48
    cfg = data["configs"]["4|relu|he|0"]
    assert len(cfg["g"]) == 4 and len(cfg["l"]) == data["steps"] // data["stride"] and cfg["nan"] is None
    assert data["configs"]["4|relu|naive_normal|0"]["nan"] == 7  # the loss overflowed at step 7
    assert all(significant_digits(x) <= 4 for x in numbers(data))
    assert fig.spec["layout"]["meta"]["explorer"] == {"depth": 4, "activation": "relu", "init": "he",
                                                      "batchnorm": False}
    assert "4-layer network (ReLU, He initialization)" in fig.summary


def test_optimizer_explorer_data():
    fig = compute("optimizer-explorer", {"surface": "saddle", "optimizer": "adam", "lr": "0.03"})
    data = data_of(fig.assets["optimizer-explorer-data.js"], "optimizer-explorer")
    assert set(data["surfaces"]) == {"bowl", "ravine", "saddle"}
    for surface in data["surfaces"].values():
        for opt in data["optimizers"]:
            for lr in data["lrs"]:
                xs, ys = surface["paths"][opt][lr]
                assert len(xs) == len(ys) and 2 <= len(xs) <= data["steps"] + 1
                assert surface["ends"][opt][lr]
    assert "diverges" in data["surfaces"]["ravine"]["ends"]["sgd"]["0.3"]
    assert fig.spec["layout"]["meta"]["explorer"]["lr_index"] == data["lrs"].index("0.03")


def render_partial(fig: ComputedFigure, dom_id: str) -> str:
    """theme/partials/explorer.html as the page code renders it (autoescape, StrictUndefined)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(REPO / "theme" / "partials"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template("explorer.html").render(
        figure=fig, dom_id=dom_id, base="../", caption_html=markupsafe.Markup("A <em>caption</em>"))


def check_markup(html: str) -> None:
    """No inline script, every label points at a control, every script is deferred."""
    for tag in re.findall(r"<script[^>]*>.*?</script>", html, re.S):
        assert 'src="' in tag and " defer" in tag and re.search(r">\s*</script>", tag)
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    fors = re.findall(r'<label for="([^"]+)"', html)
    assert fors and set(fors) <= ids
    assert "<figcaption>A <em>caption</em></figcaption>" in html
    assert "<noscript>" in html and 'aria-live="polite"' in html


def test_explorer_partial_renders_both_explorers(small_grid):
    td = render_partial(compute("training-dynamics-explorer", {"depth": 2}), "fig-td")
    check_markup(td)
    assert re.search(r'type="range"[^>]*min="2"\s+max="20"\s+step="1"\s+value="2"', td)
    assert 'type="checkbox"' in td and '<option value="xavier" selected>' in td
    assert '<script src="../assets/figures/explorer-data.js" defer></script>' in td
    assert '<script src="../assets/js/explorer.js" defer></script>' in td
    assert 'data-plotly-src="../assets/js/plotly.min.js"' in td
    oe = render_partial(compute("optimizer-explorer", {}), "fig-oe")
    check_markup(oe)
    assert 'data-explorer="optimizer-explorer"' in oe and 'value="3"' in oe
    assert '<option value="ravine" selected>' in oe


HARNESS = r"""
const fs = require("fs");
global.window = global;
global.document = { readyState: "complete", querySelectorAll: () => [], addEventListener() {},
                    head: { appendChild() {} } };
global.requestAnimationFrame = (f) => { f(); return 0; };  // run each frame's work at once: every draw is counted
global.cancelAnimationFrame = () => {};
for (const f of process.argv.slice(2)) eval(fs.readFileSync(f, "utf8"));
const el = (p) => Object.assign({ setAttribute() {}, textContent: "" }, p);
const root = (m) => ({ querySelector(sel) {
  const k = sel.match(/data-(?:control|plot)="([^"]+)"/);
  return k ? m[k[1]] : sel === "[data-status]" ? m.status : null; } });
let reacts = 0;
const Plotly = { react(div, traces, layout) { reacts++; div.last = { traces, layout }; } };
const td = window.COURSE_FIGURE_DATA["training-dynamics-explorer"];
const m = { depth: el({}), "depth-value": el({}), activation: el({}), init: el({}), batchnorm: el({}),
            gradients: el({}), loss: el({}), status: el({}) };
const draw = window.courseExplorers.controllers["training-dynamics-explorer"](root(m), td, Plotly);
for (const key of Object.keys(td.configs)) {
  const [d, a, i, bn] = key.split("|");
  m.depth.value = d; m.activation.value = a; m.init.value = i; m.batchnorm.checked = bn === "1";
  draw();
  if (!m.status.textContent.includes(d + " layers")) throw new Error("bad status for " + key);
  if (m.gradients.last.traces[1].y.length !== Number(d)) throw new Error("bad bars for " + key);
}
const od = window.COURSE_FIGURE_DATA["optimizer-explorer"];
const o = { surface: el({}), optimizer: el({}), lr: el({}), "lr-value": el({}), paths: el({}), status: el({}) };
const drawO = window.courseExplorers.controllers["optimizer-explorer"](root(o), od, Plotly);
for (const s of Object.keys(od.surfaces)) for (const opt of ["all"].concat(od.optimizers))
  for (let i = 0; i < od.lrs.length; i++) {
    o.surface.value = s; o.optimizer.value = opt; o.lr.value = String(i); drawO();
  }
const colour = window.courseExplorers.healthColour(1, 1, 1, 3);
console.log(JSON.stringify({ reacts, status: m.status.textContent, colour }));
"""


def test_explorer_js_draws_every_configuration(small_grid, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    js = REPO / "theme" / "static" / "js"
    for f in (js / "figures.js", js / "explorer.js"):
        subprocess.run([node, "--check", str(f)], check=True)
    files = []
    for fid in ("training-dynamics-explorer", "optimizer-explorer"):
        for name, text in compute(fid, {"depth": 2} if fid.startswith("training") else {}).assets.items():
            (tmp_path / name).write_text(text)
            files.append(str(tmp_path / name))
    (tmp_path / "harness.js").write_text(HARNESS)
    out = subprocess.run([node, str(tmp_path / "harness.js"), *files, str(js / "explorer.js")],
                         capture_output=True, text=True, check=True, timeout=60)
    result = json.loads(out.stdout)
    assert result["reacts"] == 2 * 48 + 3 * 5 * 6
    assert result["colour"] == "hsl(130,60%,42%)"  # same rule as style.health_colour


def test_source_hash_and_plotly_bundle():
    h = source_hash()
    assert re.fullmatch(r"[0-9a-f]{64}", h) and h == source_hash()
    bundle = plotly_js()
    assert len(bundle) > 1_000_000 and "plotly" in bundle[:2000].lower()


FIGURES_HARNESS = r"""
const fs = require("fs");
global.window = global;
const handlers = {};
const calls = [];
const plotEl = { id: "fig1", classList: { contains: (c) => c === "figure-plot" }, attrs: {},
  getAttribute(k) { return this.attrs[k] || null; }, setAttribute(k, v) { this.attrs[k] = v; }, appendChild() {} };
const dataTag = { getAttribute: (k) => (k === "data-for" ? "fig1" : null),
  textContent: JSON.stringify({ data: [{ type: "bar", y: [1] }], layout: { xaxis: { title: { text: "x" } } } }) };
global.document = {
  readyState: "interactive",
  documentElement: { getAttribute: () => "dark" },
  body: {},
  head: { appendChild(tag) { calls.push(["inject", tag.src]);
    global.Plotly = {
      newPlot(el, data, layout, config) {
        calls.push(["newPlot", el.id, layout, config]); el.layout = layout; return Promise.resolve(); },
      relayout(el, update) { calls.push(["relayout", el.id, update]); } };
    setTimeout(() => tag.onload(), 0); } },
  currentScript: { getAttribute: (k) => (k === "data-plotly-src" ? "/assets/js/plotly.min.js" : null) },
  createElement: () => ({}),
  querySelectorAll(sel) {
    if (sel === ".figure-plot") return [plotEl];
    if (sel === "script.figure-data") return [dataTag];
    if (sel === ".js-plotly-plot") return calls.some((c) => c[0] === "newPlot") ? [plotEl] : [];
    return [];
  },
  addEventListener(name, fn) { handlers[name] = fn; },
};
global.getComputedStyle = () => ({ color: "rgb(230, 230, 230)", fontFamily: "Inter, sans-serif" });
global.IntersectionObserver = function (cb) {
  this.observe = (el) => setTimeout(() => cb([{ isIntersecting: true, target: el }]), 0);
  this.unobserve = () => {};
};
eval(fs.readFileSync(process.argv[2], "utf8"));
if (handlers["DOMContentLoaded"]) handlers["DOMContentLoaded"]();
setTimeout(() => {
  handlers["course:themechange"]();
  console.log(JSON.stringify({ calls, drawn: plotEl.attrs["data-drawn"], promise: typeof window.coursePlotly.then }));
}, 50);
"""


def test_figures_js_lazy_loads_plotly_once_and_themes_plots(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed")
    (tmp_path / "harness.js").write_text(FIGURES_HARNESS)
    out = subprocess.run([node, str(tmp_path / "harness.js"), str(REPO / "theme" / "static" / "js" / "figures.js")],
                         capture_output=True, text=True, check=True, timeout=60)
    result = json.loads(out.stdout)
    kinds = [c[0] for c in result["calls"]]
    assert kinds == ["inject", "newPlot", "relayout"]
    assert result["calls"][0][1] == "/assets/js/plotly.min.js"
    _, el_id, layout, config = result["calls"][1]
    assert el_id == "fig1" and config["responsive"] is True and config["displaylogo"] is False
    assert layout["font"]["color"] == "rgb(230, 230, 230)"
    assert layout["xaxis"]["gridcolor"] == "rgba(255,255,255,0.16)" and layout["xaxis"]["title"]["text"] == "x"
    assert result["calls"][2][2]["xaxis.gridcolor"] == "rgba(255,255,255,0.16)"
    assert result["drawn"] == "yes" and result["promise"] == "function"


def test_figure_reference_page_is_current():
    """docs/figures.md is what `course figures` prints: every id and option an author can use."""
    from builder.figures import REGISTRY, reference_markdown
    from conftest import REPO

    page = (REPO / "docs" / "figures.md").read_text(encoding="utf-8")
    assert page == reference_markdown(), "run `course figures > docs/figures.md`"
    for spec in REGISTRY.values():
        assert f"## `{spec.id}`" in page and all(f"| `{o.name}` |" in page for o in spec.options)

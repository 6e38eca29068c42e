/* explorer.js: controllers for the interactive figures rendered by theme/partials/explorer.html.
 *
 * Each explorer is an element [data-explorer="<figure-id>"] holding its controls ([data-control])
 * and plot divs ([data-plot]); its data was registered by the figure's data file as
 * window.COURSE_FIGURE_DATA["<figure-id>"]. Plotly comes from figures.js (window.courseFigures.load(),
 * which injects plotly.min.js once); without figures.js this file loads it from the explorer's
 * data-plotly-src. Redraws use Plotly.react, coalesced to one per animation frame.
 */
(function () {
  "use strict";

  if (window.courseExplorers) {
    return; /* included once per explorer on a page: the first copy does the work */
  }

  var ownPlotly = null;

  function getPlotly(root) {
    if (window.courseFigures && window.courseFigures.load) {
      return window.courseFigures.load();
    }
    if (window.Plotly) {
      return Promise.resolve(window.Plotly);
    }
    if (!ownPlotly) {
      ownPlotly = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = root.getAttribute("data-plotly-src");
        tag.async = true;
        tag.onload = function () {
          return window.Plotly ? resolve(window.Plotly) : reject(new Error("Plotly did not load"));
        };
        tag.onerror = function () {
          reject(new Error("could not load " + tag.src));
        };
        document.head.appendChild(tag);
      });
    }
    return ownPlotly;
  }

  function themed(layout) {
    return window.courseFigures && window.courseFigures.themeLayout ? window.courseFigures.themeLayout(layout) : layout;
  }

  var CONFIG = { responsive: true, displaylogo: false };

  /* Number for prose, like the Python side's fmt(): 0.69, 5.3e-7, 1.2e30. */
  function fmt(x) {
    if (x === null || x === undefined || !isFinite(x)) {
      return "NaN";
    }
    if (x === 0) {
      return "0";
    }
    var a = Math.abs(x);
    if (a >= 1e-3 && a < 1e4) {
      return String(Number(x.toPrecision(2)));
    }
    var parts = x.toExponential(1).split("e");
    return parts[0] + "e" + Number(parts[1]);
  }

  /* Same rule as builder/figures/style.py health_colour(). */
  function healthColour(g, ref, green, red) {
    if (!(g > 0) || !isFinite(g)) {
      return "hsl(0,70%,50%)";
    }
    var d = Math.abs(Math.log10(g / ref));
    var t = Math.min(Math.max((d - green) / (red - green), 0), 1);
    return "hsl(" + Math.round(130 * (1 - t)) + "," + Math.round(60 + 10 * t) + "%," + Math.round(42 + 8 * t) + "%)";
  }

  function control(root, name) {
    return root.querySelector('[data-control="' + name + '"]');
  }

  function plotDiv(root, name) {
    return root.querySelector('[data-plot="' + name + '"]');
  }

  function setStatus(root, text) {
    var el = root.querySelector("[data-status]");
    if (el) {
      el.textContent = text;
    }
  }

  /* ---------------------------------------------------------------- training dynamics */

  function trainingExplorer(root, data, Plotly) {
    var depthInput = control(root, "depth");
    var depthOut = control(root, "depth-value");
    var actInput = control(root, "activation");
    var initInput = control(root, "init");
    var bnInput = control(root, "batchnorm");
    var gradDiv = plotDiv(root, "gradients");
    var lossDiv = plotDiv(root, "loss");
    var lo = data.gradAxis[0];
    var hi = data.gradAxis[1];
    var pendingLoss = 0;
    var steps = [];
    for (var s = 0; s * data.stride < data.steps; s++) {
      steps.push(s * data.stride);
    }

    function state() {
      return {
        depth: Number(depthInput.value),
        activation: actInput.value,
        init: initInput.value,
        batchnorm: bnInput.checked
      };
    }

    function draw() {
      var st = state();
      var key = st.depth + "|" + st.activation + "|" + st.init + "|" + (st.batchnorm ? 1 : 0);
      var cfg = data.configs[key];
      depthOut.textContent = String(st.depth);
      depthInput.setAttribute("aria-valuetext", st.depth + " layers");
      if (!cfg) {
        setStatus(root, "No data for this configuration.");
        return;
      }
      var g = cfg.g;
      var layers = [];
      var shown = [];
      var colours = [];
      var patterns = [];
      var hover = [];
      var healthy = 0;
      for (var i = 0; i < g.length; i++) {
        var v = g[i];
        var lv = v > 0 ? Math.log10(v) : -Infinity;
        var clipped = lv < lo || lv > hi;
        layers.push(i + 1);
        shown.push(Math.pow(10, Math.min(Math.max(lv, lo), hi)));
        colours.push(healthColour(v, data.ref, data.health[0], data.health[1]));
        patterns.push(clipped ? "/" : "");
        hover.push("layer " + (i + 1) + ": |dL/dW| = " + fmt(v) +
          (v === 0 ? " (exactly 0: saturated)" : clipped ? " (off the axis)" : ""));
        if (v > 0 && Math.abs(Math.log10(v / data.ref)) <= data.health[0]) {
          healthy += 1;
        }
      }
      var d = g.length;
      var band = {
        type: "scatter", mode: "lines", fill: "toself", hoverinfo: "skip", name: "healthy range",
        x: [0.5, d + 0.5, d + 0.5, 0.5, 0.5],
        y: [data.ref / 10, data.ref / 10, data.ref * 10, data.ref * 10, data.ref / 10],
        line: { width: 0 }, fillcolor: "rgba(0,158,115,0.12)"
      };
      var bars = {
        type: "bar", x: layers, y: shown, hovertext: hover, hoverinfo: "text", name: "|dL/dW|",
        /* hatching only when a bar is clipped: a pattern fill makes every bar of the redraw markedly slower */
        marker: patterns.indexOf("/") >= 0 ? { color: colours, pattern: { shape: patterns } } : { color: colours }
      };
      var gradLayout = themed({
        height: 320, margin: { l: 64, r: 12, t: 12, b: 48 }, showlegend: false, bargap: 0.15,
        xaxis: { title: { text: "layer (1 = next to the input)" }, range: [0.5, d + 0.5], dtick: d <= 12 ? 1 : 2 },
        yaxis: { title: { text: "|dL/dW| (log scale)" }, type: "log", range: [lo, hi], dtick: 3,
          exponentformat: "power" }
      });

      var loss = cfg.l;
      var lossTrace = {
        type: "scatter", mode: "lines", x: steps.slice(0, loss.length), y: loss, name: "training loss",
        line: { color: "#56B4E9", width: 2.5 }
      };
      var chance = {
        type: "scatter", mode: "lines", x: [0, data.steps - 1], y: [data.chance, data.chance], hoverinfo: "skip",
        name: "chance (ln 2)", line: { color: "#8C8C8C", width: 1.5, dash: "dot" }
      };
      var annotations = [];
      if (cfg.nan !== null) {
        annotations.push({
          text: "loss overflowed (NaN) at step " + cfg.nan, xref: "paper", yref: "paper", x: 1, y: 1,
          xanchor: "right", yanchor: "top", showarrow: false
        });
      }
      var lossLayout = themed({
        height: 320, margin: { l: 64, r: 12, t: 12, b: 48 }, showlegend: false, annotations: annotations,
        xaxis: { title: { text: "training step" }, range: [0, data.steps - 1] },
        yaxis: { title: { text: "training loss (log scale)" }, type: "log", range: data.lossAxis, dtick: 1,
          exponentformat: "power" }
      });
      /* The bars answer the control at once; the loss curve follows in the next frame (each Plotly.react is a
         full SVG redraw, and doing both in one frame doubled the wait before the reader saw anything change). */
      Plotly.react(gradDiv, [band, bars], gradLayout, CONFIG);
      if (pendingLoss) {
        window.cancelAnimationFrame(pendingLoss);
      }
      pendingLoss = window.requestAnimationFrame(function () {
        pendingLoss = 0;
        Plotly.react(lossDiv, [lossTrace, chance], lossLayout, CONFIG);
      });

      var last = null;
      for (var j = loss.length - 1; j >= 0; j--) {
        if (loss[j] !== null) {
          last = loss[j];
          break;
        }
      }
      var outcome = cfg.nan !== null ? "the loss overflows to NaN at step " + cfg.nan :
        "the loss goes from " + fmt(loss[0]) + " to " + fmt(last);
      setStatus(root, d + " layers, " + (data.labels[st.activation] || st.activation) + ", " +
        (data.labels[st.init] || st.init) + (st.batchnorm ? ", batch norm" : "") + ": layer 1 gradient " +
        fmt(g[0]) + ", layer " + d + " gradient " + fmt(g[d - 1]) + "; " + healthy + " of " + d +
        " layers in the healthy range. Training for " + data.steps + " steps, " + outcome + ".");
    }

    return draw;
  }

  /* ---------------------------------------------------------------- optimizers */

  function optimizerExplorer(root, data, Plotly) {
    var surfaceInput = control(root, "surface");
    var optInput = control(root, "optimizer");
    var lrInput = control(root, "lr");
    var lrOut = control(root, "lr-value");
    var div = plotDiv(root, "paths");
    var contours = {};

    function contourTrace(name) {
      if (!contours[name]) {
        var s = data.surfaces[name];
        contours[name] = {
          type: "contour", x: s.x, y: s.y, z: s.z, showscale: false, ncontours: 18, hoverinfo: "skip",
          contours: { coloring: "lines", showlabels: false }, line: { width: 1 },
          colorscale: [[0, "#6b8fd6"], [1, "#d6a06b"]], name: "loss"
        };
      }
      return contours[name];
    }

    function draw() {
      var name = surfaceInput.value;
      var s = data.surfaces[name];
      var lr = data.lrs[Number(lrInput.value)];
      lrOut.textContent = lr;
      lrInput.setAttribute("aria-valuetext", "learning rate " + lr);
      var chosen = optInput.value === "all" ? data.optimizers : [optInput.value];
      var traces = [contourTrace(name)];
      var ends = [];
      chosen.forEach(function (opt) {
        var path = s.paths[opt][lr];
        traces.push({
          type: "scatter", mode: "lines+markers", x: path[0], y: path[1], name: data.labels[opt],
          line: { color: data.colours[opt], width: 2.5 }, marker: { size: 3 }
        });
        ends.push(data.labels[opt] + " " + s.ends[opt][lr]);
      });
      traces.push({
        type: "scatter", mode: "markers", x: [s.start[0]], y: [s.start[1]], name: "start",
        marker: { symbol: "circle-open", size: 12, color: "#8C8C8C", line: { width: 2 } }
      });
      traces.push({
        type: "scatter", mode: "markers", x: [s.min[0]], y: [s.min[1]], name: "minimum",
        marker: { symbol: "x", size: 11, color: "#8C8C8C" }
      });
      var layout = themed({
        height: 420, margin: { l: 56, r: 12, t: 40, b: 48 }, hovermode: "closest",
        legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", bgcolor: "rgba(0,0,0,0)" },
        xaxis: { title: { text: "x" }, range: s.xRange },
        yaxis: { title: { text: "y" }, range: s.yRange }
      });
      Plotly.react(div, traces, layout, CONFIG);
      setStatus(root, s.description + ". Learning rate " + lr + ", " + data.steps + " steps: " + ends.join("; ") + ".");
    }

    return draw;
  }

  var CONTROLLERS = {
    "training-dynamics-explorer": trainingExplorer,
    "optimizer-explorer": optimizerExplorer
  };

  function fail(root, message) {
    setStatus(root, "The explorer could not start (" + message + "). The data summary below describes it.");
    root.setAttribute("data-explorer-error", message);
  }

  function setup(root) {
    var id = root.getAttribute("data-explorer");
    var make = CONTROLLERS[id];
    var data = window.COURSE_FIGURE_DATA && window.COURSE_FIGURE_DATA[id];
    if (!make) {
      fail(root, "unknown explorer " + id);
      return;
    }
    if (!data) {
      fail(root, "its data file did not load");
      return;
    }
    var controls = root.querySelector("[data-controls]");
    getPlotly(root).then(function (Plotly) {
      var draw = make(root, data, Plotly);
      var queued = false;
      function schedule() {
        if (queued) {
          return;
        }
        queued = true;
        window.requestAnimationFrame(function () {
          queued = false;
          draw();
        });
      }
      var inputs = root.querySelectorAll("[data-control]");
      for (var i = 0; i < inputs.length; i++) {
        inputs[i].addEventListener("input", schedule);
        inputs[i].addEventListener("change", schedule);
      }
      if (controls) {
        controls.hidden = false;
      }
      draw();
      root.setAttribute("data-explorer-ready", "yes");
    }).catch(function (err) {
      fail(root, err && err.message ? err.message : String(err));
    });
  }

  function start() {
    var roots = document.querySelectorAll("[data-explorer]");
    if (!roots.length) {
      return;
    }
    var pending = Array.prototype.slice.call(roots);
    if (!("IntersectionObserver" in window)) {
      pending.forEach(setup);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          setup(entry.target);
        }
      });
    }, { rootMargin: "600px 0px" });
    pending.forEach(function (root) {
      observer.observe(root);
    });
  }

  var started = false;
  function startOnce() {
    if (!started) {
      started = true;
      start();
    }
  }

  window.courseExplorers = { controllers: CONTROLLERS, healthColour: healthColour, fmt: fmt };

  /* Deferred scripts run before DOMContentLoaded: wait for it, so figures.js (wherever it sits
   * on the page) has defined window.courseFigures by then. */
  if (document.readyState === "complete") {
    startOnce();
  } else {
    document.addEventListener("DOMContentLoaded", startOnce);
    window.addEventListener("load", startOnce);
  }
})();

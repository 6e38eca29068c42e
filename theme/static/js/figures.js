/* figures.js: draws the course's Plotly figures.
 *
 * Loaded (defer) by pages with figures:
 *   <script src=".../assets/js/figures.js" defer data-plotly-src=".../assets/js/plotly.min.js"></script>
 * Each plot is a .figure-plot element with its spec in
 *   <script type="application/json" class="figure-data" data-for="ID">{"data": [...], "layout": {...}}</script>
 * plotly.min.js (4.8 MB) is injected once, when the first figure (or an element marked
 * data-needs-plotly, e.g. an explorer) comes within ~600px of the viewport; then each figure is
 * drawn as it nears the viewport.
 *
 * Exposes:
 *   window.coursePlotly    a Promise resolved with Plotly once it has loaded
 *   window.courseFigures   { load(): Promise<Plotly>, themeLayout(layout): layout, themeUpdate(el): object }
 * Listens for the document event "course:themechange" and recolours every plot.
 * With data-static on its script tag (the PDF) every figure is drawn at once, as a static chart, and
 * window.courseFigures.drawn is a Promise resolved when all are drawn.
 */
(function () {
  "use strict";

  if (window.courseFigures) {
    return; /* loaded twice: the first copy does the work */
  }

  var script = document.currentScript;
  var plotlySrc = script ? script.getAttribute("data-plotly-src") : null;
  var isStatic = script ? script.hasAttribute("data-static") : false;
  var drawing = [];
  var resolvePlotly;
  var rejectPlotly;
  var ready = new Promise(function (resolve, reject) {
    resolvePlotly = resolve;
    rejectPlotly = reject;
  });
  var requested = false;

  function load() {
    if (requested) {
      return ready;
    }
    requested = true;
    if (window.Plotly) {
      resolvePlotly(window.Plotly);
      return ready;
    }
    if (!plotlySrc) {
      rejectPlotly(new Error("figures.js: no data-plotly-src on its script tag"));
      return ready;
    }
    var tag = document.createElement("script");
    tag.src = plotlySrc;
    tag.async = true;
    tag.onload = function () {
      if (window.Plotly) {
        resolvePlotly(window.Plotly);
      } else {
        rejectPlotly(new Error("figures.js: " + plotlySrc + " did not define Plotly"));
      }
    };
    tag.onerror = function () {
      rejectPlotly(new Error("figures.js: could not load " + plotlySrc));
    };
    document.head.appendChild(tag);
    return ready;
  }

  /* Colours from the page itself, so any theme works: text colour and font of <body>. Read once per theme
     (getComputedStyle forces a style recalculation, which cost more than an explorer redraw's own work). */
  var colourCache = { key: null, value: null };
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function themeColours() {
    var key = String(document.documentElement.getAttribute("data-theme")) + (darkQuery && darkQuery.matches ? "/dark" : "/light");
    if (colourCache.key !== key) {
      colourCache = { key: key, value: readThemeColours() };
    }
    return colourCache.value;
  }

  function readThemeColours() {
    var dark = document.documentElement.getAttribute("data-theme") === "dark";
    var style = window.getComputedStyle(document.body || document.documentElement);
    return {
      font: style.color || (dark ? "#e6e6e6" : "#1f1f1f"),
      family: style.fontFamily || "system-ui, sans-serif",
      grid: dark ? "rgba(255,255,255,0.16)" : "rgba(0,0,0,0.12)",
      line: dark ? "rgba(255,255,255,0.45)" : "rgba(0,0,0,0.45)",
      hoverBg: dark ? "#222" : "#fff"
    };
  }

  function axisKeys(layout) {
    var keys = [];
    for (var key in layout) {
      if (Object.prototype.hasOwnProperty.call(layout, key) && /^[xy]axis\d*$/.test(key)) {
        keys.push(key);
      }
    }
    if (keys.indexOf("xaxis") < 0) {
      keys.push("xaxis");
    }
    if (keys.indexOf("yaxis") < 0) {
      keys.push("yaxis");
    }
    return keys;
  }

  /* Apply the theme to a layout object before newPlot/react (mutates and returns it). */
  function themeLayout(layout) {
    var c = themeColours();
    layout.font = Object.assign({}, layout.font, { color: c.font, family: c.family });
    layout.paper_bgcolor = "rgba(0,0,0,0)";
    layout.plot_bgcolor = "rgba(0,0,0,0)";
    layout.hoverlabel = Object.assign({}, layout.hoverlabel, { bgcolor: c.hoverBg, font: { color: c.font } });
    axisKeys(layout).forEach(function (key) {
      layout[key] = Object.assign({}, layout[key], { gridcolor: c.grid, zerolinecolor: c.grid, linecolor: c.line });
    });
    return layout;
  }

  /* The Plotly.relayout update recolouring an already drawn plot. */
  function themeUpdate(el) {
    var c = themeColours();
    var update = {
      "font.color": c.font,
      "font.family": c.family,
      "hoverlabel.bgcolor": c.hoverBg,
      "hoverlabel.font.color": c.font
    };
    axisKeys(el.layout || {}).forEach(function (key) {
      update[key + ".gridcolor"] = c.grid;
      update[key + ".zerolinecolor"] = c.grid;
      update[key + ".linecolor"] = c.line;
    });
    return update;
  }

  var config = isStatic ? { staticPlot: true, displayModeBar: false }
    : { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["sendDataToCloud"] };

  function specFor(el) {
    var tags = document.querySelectorAll("script.figure-data");
    for (var i = 0; i < tags.length; i++) {
      if (tags[i].getAttribute("data-for") === el.id) {
        return JSON.parse(tags[i].textContent);
      }
    }
    return null;
  }

  function showError(el, message) {
    el.setAttribute("data-figure-error", message);
    var p = document.createElement("p");
    p.className = "figure-error";
    p.textContent = "This figure could not be drawn (" + message + "). Its data summary is below.";
    el.appendChild(p);
  }

  function draw(el) {
    if (el.getAttribute("data-drawn")) {
      return;
    }
    el.setAttribute("data-drawn", "pending");
    return load().then(function (Plotly) {
      var spec = specFor(el);
      if (!spec) {
        throw new Error("no figure data for #" + el.id);
      }
      var layout = themeLayout(spec.layout || {});
      return Plotly.newPlot(el, spec.data || [], layout, config).then(function () {
        el.setAttribute("data-drawn", "yes");
      });
    }).catch(function (err) {
      showError(el, err && err.message ? err.message : String(err));
    });
  }

  function start() {
    var plots = Array.prototype.slice.call(document.querySelectorAll(".figure-plot"));
    var others = Array.prototype.slice.call(document.querySelectorAll("[data-needs-plotly]"));
    if (isStatic) {
      drawing = plots.map(draw);
      resolveDrawn(Promise.all(drawing));
      return;
    }
    if (!plots.length && !others.length) {
      return;
    }
    if (!("IntersectionObserver" in window)) {
      if (others.length) {
        load();
      }
      plots.forEach(draw);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) {
          return;
        }
        observer.unobserve(entry.target);
        if (entry.target.classList.contains("figure-plot")) {
          draw(entry.target);
        } else {
          load();
        }
      });
    }, { rootMargin: "600px 0px" });
    plots.concat(others).forEach(function (el) {
      observer.observe(el);
    });
  }

  document.addEventListener("course:themechange", function () {
    if (!window.Plotly) {
      return;
    }
    var drawn = document.querySelectorAll(".js-plotly-plot");
    for (var i = 0; i < drawn.length; i++) {
      window.Plotly.relayout(drawn[i], themeUpdate(drawn[i]));
    }
  });

  var resolveDrawn;
  var drawn = new Promise(function (resolve) { resolveDrawn = resolve; });

  window.coursePlotly = ready;
  window.courseFigures = { load: load, ready: ready, drawn: drawn, themeLayout: themeLayout, themeUpdate: themeUpdate };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

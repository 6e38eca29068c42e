/* explorer.js: the one controller of every explorer (a figure declared with @explorer in content/figures/).
 *
 * An explorer is an element [data-explorer="<figure-id>"] holding its controls ([data-control="<option>"]: a
 * range input, a select or a checkbox), one plot div ([data-plot]) and a live region ([data-status]). Its data,
 * registered by assets/figures/<figure-id>.js as window.COURSE_FIGURE_DATA["<figure-id>"], holds the figure of
 * every combination of option values (builder/figures/explorer_data.py says how): the controls' values make the
 * key, the figure is rebuilt and drawn with Plotly.react, its text read out. Redraws are coalesced to one per
 * animation frame. Plotly comes from figures.js (window.courseFigures.load()), else from data-plotly-src.
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

  var CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["sendDataToCloud"] };

  /* The figure and text of one combination: the first combination's figure with this one's changes applied. */
  function combination(data, key) {
    var combo = data.combos[key];
    if (!combo) {
      return null;
    }
    var figure = JSON.parse(JSON.stringify(data.base));
    for (var i = 0; i < combo.p.length; i += 2) {
      var path = data.paths[combo.p[i]];
      var node = figure;
      for (var j = 0; j < path.length - 1; j++) {
        node = node[path[j]];
      }
      var last = path[path.length - 1];
      if (combo.p[i + 1] < 0) {
        if (Array.isArray(node)) {
          node.splice(last, 1);
        } else {
          delete node[last];
        }
      } else {
        node[last] = data.values[combo.p[i + 1]];
      }
    }
    return { figure: figure, text: data.values[combo.t] };
  }

  /* A control's value as the data's keys spell it: a checkbox is "1" or "0". */
  function valueOf(control) {
    return control.type === "checkbox" ? (control.checked ? "1" : "0") : String(control.value);
  }

  function fail(root, message) {
    var status = root.querySelector("[data-status]");
    if (status) {
      status.textContent = "The explorer could not start (" + message + "). The data summary below describes it.";
    }
    root.setAttribute("data-explorer-error", message);
  }

  function setup(root) {
    var id = root.getAttribute("data-explorer");
    var data = window.COURSE_FIGURE_DATA && window.COURSE_FIGURE_DATA[id];
    if (!data) {
      fail(root, "its data file did not load");
      return;
    }
    var controls = data.options.map(function (name) {
      return root.querySelector('[data-control="' + name + '"]');
    });
    if (controls.indexOf(null) >= 0) {
      fail(root, "a control is missing");
      return;
    }
    var plot = root.querySelector("[data-plot]");
    var status = root.querySelector("[data-status]");
    getPlotly(root).then(function (Plotly) {
      function draw() {
        var key = controls.map(valueOf).join("|");
        controls.forEach(function (control) {
          if (control.type === "range") {
            var output = root.querySelector('[data-output="' + control.getAttribute("data-control") + '"]');
            if (output) {
              output.textContent = control.value;
            }
            var label = root.querySelector('label[for="' + control.id + '"]');
            control.setAttribute("aria-valuetext", (label ? label.textContent + " " : "") + control.value);
          }
        });
        var shown = combination(data, key);
        if (!shown) {
          status.textContent = "No data for this combination.";
          return;
        }
        Plotly.react(plot, shown.figure.data || [], themed(shown.figure.layout || {}), CONFIG);
        status.textContent = shown.text;
      }
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
      controls.forEach(function (control) {
        control.addEventListener("input", schedule);
        control.addEventListener("change", schedule);
      });
      var box = root.querySelector("[data-controls]");
      if (box) {
        box.hidden = false;
      }
      draw();
      root.setAttribute("data-explorer-ready", "yes");
    }).catch(function (err) {
      fail(root, err && err.message ? err.message : String(err));
    });
  }

  function start() {
    var roots = Array.prototype.slice.call(document.querySelectorAll("[data-explorer]"));
    if (!roots.length) {
      return;
    }
    if (!("IntersectionObserver" in window)) {
      roots.forEach(setup);
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
    roots.forEach(function (root) {
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

  window.courseExplorers = { combination: combination };

  /* Deferred scripts run before DOMContentLoaded: wait for it, so figures.js (wherever it sits on the page) has
   * defined window.courseFigures by then. */
  if (document.readyState === "complete") {
    startOnce();
  } else {
    document.addEventListener("DOMContentLoaded", startOnce);
    window.addEventListener("load", startOnce);
  }
})();

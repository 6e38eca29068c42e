/* Light/dark theme: follows prefers-color-scheme until the reader picks one; the choice is remembered.
   Loaded (not deferred) in <head> so the page is painted in the right theme at once. Without JavaScript
   the stylesheet follows prefers-color-scheme by itself. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "course-theme";
  /* The search box and the theme toggle need JavaScript: the stylesheet shows them under html.js, set here,
     before the first paint, so they never pop in (no layout shift). */
  root.classList.add("js");
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try {
      var value = localStorage.getItem(KEY);
      return value === "dark" || value === "light" ? value : null;
    } catch (e) { return null; }
  }
  function current() {
    return stored() || (media && media.matches ? "dark" : "light");
  }
  function apply(theme) {
    root.setAttribute("data-theme", theme);
    var button = document.querySelector(".theme-toggle");
    if (button) button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
    document.dispatchEvent(new CustomEvent("course:themechange", { detail: { theme: theme } }));
  }
  apply(current());
  if (media && media.addEventListener) {
    media.addEventListener("change", function () { if (!stored()) apply(current()); });
  }
  /* Another tab changed the theme: follow it. */
  window.addEventListener("storage", function (e) { if (e.key === KEY) apply(current()); });

  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    apply(current());
    button.addEventListener("click", function () {
      var next = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
      try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: not remembered */ }
      apply(next);
    });
  });

  /* Wide tables, formulas and code scroll sideways; a scroller must be reachable by keyboard. Measuring a block
     lays it out (even one the browser was skipping off screen), so a long lesson is measured in small slices
     while the page is idle, never in one long task that would hold up the reader. */
  var later = window.requestIdleCallback
    ? function (step) { window.requestIdleCallback(step, { timeout: 1000 }); }
    : function (step) { setTimeout(function () { step(null); }, 30); };
  var pass = 0;

  function markScroller(el) {
    if (el.scrollWidth > el.clientWidth + 1) {
      if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "0"); el.setAttribute("data-scroller", ""); }
    } else if (el.hasAttribute("data-scroller")) {
      el.removeAttribute("tabindex"); el.removeAttribute("data-scroller");
    }
  }
  function markScrollers() {
    var mine = ++pass, i = 0;
    var blocks = document.querySelectorAll(".table-wrap, .math-display, pre");
    function step(deadline) {
      if (mine !== pass) return; /* a newer pass (resize, fonts loaded) started over */
      var budget = deadline && !deadline.didTimeout ? 0 : 8; /* without idle time: a few blocks per slice */
      while (i < blocks.length && (deadline && !deadline.didTimeout ? deadline.timeRemaining() > 1 : budget-- > 0)) {
        markScroller(blocks[i++]);
      }
      if (i < blocks.length) later(step);
    }
    later(step);
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(markScrollers, 150); });
  window.addEventListener("load", markScrollers);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(markScrollers); /* math widens as its fonts arrive */

  /* The on-page contents marks the section being read: the last heading above the upper third of the window. */
  document.addEventListener("DOMContentLoaded", function () {
    var links = Array.prototype.slice.call(document.querySelectorAll(".toc .toc-list a"));
    var targets = links.map(function (a) { return document.getElementById(decodeURIComponent(a.hash.slice(1))); });
    if (!links.length) return;
    var active = null, queued = false;
    function update() {
      queued = false;
      var line = window.innerHeight / 3, current = null;
      for (var i = 0; i < targets.length; i++) {
        if (targets[i] && targets[i].getBoundingClientRect().top <= line) current = links[i];
      }
      if (current === active) return;
      if (active) active.classList.remove("is-active");
      if (current) current.classList.add("is-active");
      active = current;
    }
    window.addEventListener("scroll", function () {
      if (!queued) { queued = true; window.requestAnimationFrame(update); }
    }, { passive: true });
    update();
  });

  /* Printing: open every disclosure so answers and summaries are printed, then restore. */
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("data-print-opened", "");
      d.open = true;
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.open = false;
      d.removeAttribute("data-print-opened");
    });
  });
})();

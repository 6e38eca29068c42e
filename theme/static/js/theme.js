/* Light/dark theme: follows prefers-color-scheme until the reader picks one; the choice is remembered. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "course-theme";
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function current() {
    return stored() || (media && media.matches ? "dark" : "light");
  }
  function apply(theme) {
    root.setAttribute("data-theme", theme);
    var button = document.querySelector(".theme-toggle");
    if (button) {
      var dark = theme === "dark";
      button.setAttribute("aria-pressed", dark ? "true" : "false");
      button.setAttribute("aria-label", dark ? "Switch to light theme" : "Switch to dark theme");
    }
    document.dispatchEvent(new CustomEvent("course:themechange", { detail: { theme: theme } }));
  }
  apply(current());
  if (media && media.addEventListener) {
    media.addEventListener("change", function () { if (!stored()) apply(current()); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    button.hidden = false;
    apply(current());
    button.addEventListener("click", function () {
      var next = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
      try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: not remembered */ }
      apply(next);
    });
  });
})();
/* Printing: open every reveal so answers are printed. */
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details").forEach(function (d) {
    if (!d.open) { d.setAttribute("data-print-opened", ""); d.open = true; }
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-print-opened]").forEach(function (d) {
    d.open = false; d.removeAttribute("data-print-opened");
  });
});

/* Offline search: the build writes assets/search-index.js (a script, so it loads from file:// too, where
   fetch() cannot); it is loaded the first time the search box gets focus. Results show lesson and section.
   The box shows only under html.js (set by theme.js), so readers without JavaScript never see a box that cannot work.
   Keys: "/" focuses the box, arrows move through results, Enter opens the first, Escape closes. */
(function () {
  "use strict";
  var me = document.currentScript;
  var root = (me && me.getAttribute("data-root")) || "";
  var loading = null;

  /* Sections refer to their words by base-36 number in the shared vocabulary "w": spell them out once. */
  function decode(index) {
    if (index.decoded) return index;
    var vocabulary = index.w || [];
    index.pages.forEach(function (page) {
      (page.s || []).forEach(function (sec) {
        sec[2] = sec[2] ? sec[2].split(" ").map(function (n) { return vocabulary[parseInt(n, 36)]; }).join(" ") : "";
      });
    });
    index.decoded = true;
    return index;
  }

  function loadIndex() {
    if (window.COURSE_SEARCH) return Promise.resolve(decode(window.COURSE_SEARCH));
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = root + "assets/search-index.js";
      s.onload = function () { resolve(decode(window.COURSE_SEARCH)); };
      s.onerror = function (e) { loading = null; reject(e); };
      document.head.appendChild(s);
    });
    return loading;
  }

  function words(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").split(/[^a-z0-9]+/).filter(Boolean);
  }

  function score(terms, fields) {
    var total = 0;
    for (var i = 0; i < terms.length; i++) {
      var term = terms[i], best = 0;
      for (var f = 0; f < fields.length; f++) {
        var text = fields[f][0], weight = fields[f][1];
        var at = text.indexOf(term);
        if (at < 0) continue;
        var wordStart = at === 0 || text.charAt(at - 1) === " ";
        var s = weight * (wordStart ? 2 : 1);
        if (s > best) best = s;
      }
      if (!best) return 0;
      total += best;
    }
    return total;
  }

  function search(index, query) {
    var terms = words(query);
    if (!terms.length) return [];
    var results = [];
    index.pages.forEach(function (page) {
      var title = " " + page.t.toLowerCase();
      var concepts = " " + (page.c || "").toLowerCase();
      var pageScore = score(terms, [[title, 10], [concepts, 4]]);
      if (pageScore) results.push({ s: pageScore + 1, page: page, section: null });
      (page.s || []).forEach(function (sec) {
        var sScore = score(terms, [[title, 6], [" " + sec[1].toLowerCase(), 8], [concepts, 3], [" " + sec[2], 1]]);
        if (sScore) results.push({ s: sScore, page: page, section: sec });
      });
    });
    results.sort(function (a, b) { return b.s - a.s || a.page.t.localeCompare(b.page.t); });
    return results.slice(0, 12);
  }

  function render(box, results, query) {
    box.textContent = "";
    var count = document.createElement("p");
    count.className = "visually-hidden";
    count.textContent = results.length ? results.length + " results" : "";
    box.appendChild(count);
    if (!results.length) {
      var p = document.createElement("p");
      p.className = "result-empty";
      p.textContent = "No results for “" + query + "”.";
      box.appendChild(p);
      return;
    }
    var ol = document.createElement("ol");
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + r.page.u + (r.section ? "#" + r.section[0] : "");
      if (r.section) {
        var sec = document.createElement("span");
        sec.className = "result-section";
        sec.textContent = r.section[1];
        a.appendChild(sec);
      }
      var lesson = document.createElement("span");
      lesson.className = r.section ? "result-lesson" : "result-lesson result-page";
      lesson.textContent = r.page.t;
      a.appendChild(lesson);
      li.appendChild(a);
      ol.appendChild(li);
    });
    box.appendChild(ol);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("search-input");
    var box = document.getElementById("search-results");
    if (!input || !box) return;
    var form = input.form;
    if (form) {
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var first = box.querySelector("a");
        if (first) window.location.href = first.href;
      });
    }
    function show(open) {
      box.hidden = !open;
    }
    input.addEventListener("focus", function () { loadIndex().catch(function () {}); });
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (!q) { show(false); return; }
      loadIndex().then(function (index) {
        if (input.value.trim() !== q) return; /* a later keystroke renders instead */
        render(box, search(index, q), q);
        show(true);
      });
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { show(false); input.blur(); }
      if (e.key === "ArrowDown") { var first = box.querySelector("a"); if (first) { e.preventDefault(); first.focus(); } }
      if (e.key === "Enter") { var top = box.querySelector("a"); e.preventDefault(); if (top && !box.hidden) window.location.href = top.href; }
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target, tag = t && t.tagName;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      e.preventDefault();
      input.focus();
    });
    box.addEventListener("keydown", function (e) {
      var links = Array.prototype.slice.call(box.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (e.key === "ArrowDown" && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
      if (e.key === "Escape") { show(false); input.focus(); }
    });
    document.addEventListener("click", function (e) {
      if (!form || !form.contains(e.target)) show(false);
    });
  });
})();

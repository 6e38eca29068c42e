/* scorm.js: a lesson page of a SCORM 1.2 package reports to the LMS.
 *
 * Loaded (defer) only by the pages of `course export --format scorm12`. It finds the LMS's API object with the
 * standard search (this window's parents, then the opener's), calls LMSInitialize, marks the lesson "incomplete"
 * when it is first opened, "completed" once the reader has reached the end of the lesson, reports the quiz score
 * (0-100, the share of the lesson's quizzes answered right) in cmi.core.score.raw when the lesson has quizzes, and
 * calls LMSCommit and LMSFinish when the reader leaves. Without an LMS (the page opened from disk) it does nothing.
 */
(function () {
  "use strict";

  var MAX_HOPS = 500; /* the search limit ADL's sample code uses */

  function search(win) {
    var hops = 0;
    try {
      while (win && !win.API && win.parent && win.parent !== win && hops < MAX_HOPS) {
        hops++;
        win = win.parent;
      }
      return win && win.API ? win.API : null;
    } catch (e) {
      return null; /* a parent of another origin: not our LMS */
    }
  }

  function findAPI() {
    var api = search(window);
    try {
      if (!api && window.opener) api = search(window.opener);
      if (!api && window.top && window.top.opener) api = search(window.top.opener);
    } catch (e) { /* an opener of another origin */ }
    return api;
  }

  var api = findAPI();
  if (!api || String(api.LMSInitialize("")) !== "true") {
    return; /* no LMS: the page works as a plain page */
  }

  var finished = false;
  var started = Date.now();

  function set(element, value) {
    api.LMSSetValue(element, String(value));
  }

  function status() {
    return String(api.LMSGetValue("cmi.core.lesson_status") || "");
  }

  if (status() === "" || status() === "not attempted") {
    set("cmi.core.lesson_status", "incomplete");
  }

  function complete() {
    if (finished || status() === "completed" || status() === "passed") return;
    set("cmi.core.lesson_status", "completed");
    api.LMSCommit("");
  }

  /* The end of the lesson: a marker after the article, reported when it comes into view. */
  var article = document.querySelector("article.lesson");
  if (article) {
    var end = document.createElement("div");
    end.className = "lesson-end";
    end.setAttribute("aria-hidden", "true");
    article.appendChild(end);
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          complete();
        }
      });
      observer.observe(end);
    } else {
      window.addEventListener("scroll", function () {
        if (end.getBoundingClientRect().top <= window.innerHeight) complete();
      }, { passive: true });
    }
  }

  /* The score: each quiz's chosen answer, right or wrong (the theme marks a right choice .is-correct). */
  var quizzes = Array.prototype.slice.call(document.querySelectorAll("section.quiz"));
  function report() {
    var right = quizzes.filter(function (quiz) {
      var chosen = quiz.querySelector("input[type=radio]:checked");
      var choice = chosen && chosen.closest(".quiz-choice");
      return choice && choice.classList.contains("is-correct");
    }).length;
    set("cmi.core.score.min", 0);
    set("cmi.core.score.max", 100);
    set("cmi.core.score.raw", Math.round(100 * right / quizzes.length));
    api.LMSCommit("");
  }
  if (quizzes.length) {
    quizzes.forEach(function (quiz) { quiz.addEventListener("change", report); });
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function finish() {
    if (finished) return;
    finished = true;
    var seconds = Math.round((Date.now() - started) / 1000);
    set("cmi.core.session_time", two(Math.floor(seconds / 3600)) + ":" + two(Math.floor(seconds / 60) % 60) + ":" + two(seconds % 60));
    api.LMSCommit("");
    api.LMSFinish("");
  }
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
})();

/* Live reload for `course serve` only (never part of a normal build): reloads after a rebuild and
   shows the findings of a failed rebuild as an overlay, with the source line they point at. */
(function () {
  "use strict";
  if (!window.EventSource) return;
  var me = document.currentScript;
  var base = new URL(me ? me.src : location.href, location.href);
  var events = new URL("/__course/events", base);
  var version = null;
  var overlay = null;

  function clearOverlay() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  /* A panel fixed over the top of the page (styled by site.css in both colour schemes): the author sees it
     where they are looking, the page they were reading stays under it. */
  function show(findings) {
    clearOverlay();
    overlay = document.createElement("div");
    overlay.className = "course-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-labelledby", "course-overlay-title");
    var box = document.createElement("div");
    box.className = "course-overlay-box";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "course-overlay-close";
    close.setAttribute("aria-label", "Close");
    close.textContent = "\u00d7";
    close.addEventListener("click", clearOverlay);
    box.appendChild(close);
    var h = document.createElement("h2");
    h.id = "course-overlay-title";
    h.textContent = "The last save did not build: " + findings.length + " finding" + (findings.length === 1 ? "" : "s") +
      " (the page below is the last good build)";
    box.appendChild(h);
    var list = document.createElement("ol");
    findings.forEach(function (f) {
      var li = document.createElement("li");
      var where = document.createElement("code");
      where.textContent = f.file + (f.line ? ":" + f.line + ":" + f.column : "");
      var msg = document.createElement("p");
      msg.textContent = f.severity + " " + f.code + ": " + f.message;
      li.appendChild(where);
      li.appendChild(msg);
      if (f.source) {
        var pre = document.createElement("pre");
        pre.textContent = f.source + "\n" + (f.column ? new Array(f.column).join(" ") + "^" : "");
        li.appendChild(pre);
      }
      if (f.hint) {
        var hint = document.createElement("p");
        hint.className = "course-overlay-hint";
        hint.textContent = "hint: " + f.hint;
        li.appendChild(hint);
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    overlay.appendChild(box);
    document.body.appendChild(overlay);
    close.focus({ preventScroll: true });
  }

  var source = new EventSource(events);
  function handle(kind) {
    return function (e) {
      var data = JSON.parse(e.data);
      if (kind === "hello") {
        if (data.findings.length) show(data.findings);
        version = data.version;
        return;
      }
      if (version !== null && data.version === version) return;
      version = data.version;
      if (kind === "reload") location.reload();
      else show(data.findings);
    };
  }
  source.addEventListener("hello", handle("hello"));
  source.addEventListener("reload", handle("reload"));
  source.addEventListener("errors", handle("errors"));
})();

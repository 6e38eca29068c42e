"""JavaScript run next to KaTeX (kept as Python strings so the package needs no
data files).

``RENDER_JS`` defines ``__cbRenderBatch(katex, macros, items)``: ``items`` is a
list of ``[tex, display]``; the result is a list of ``{"html": ...}`` or
``{"error": message, "offset": int|null}``.  ``offset`` is a code-point index
into ``tex`` (Python string indexing) and is only given when KaTeX's error
location is inside ``tex`` itself (not inside the expansion of a macro).

A formula is never published with KaTeX's red error text: commands KaTeX would render that way are errors here.
``trust`` allows ``\\href`` and ``\\url`` to http(s) addresses only (a relative link inside a formula would not be
checked like a Markdown link); ``\\htmlId``, ``\\htmlClass``, ``\\htmlStyle``, ``\\htmlData`` and
``\\includegraphics`` are refused, with a message naming the command. Any output that still holds an error node
(``katex-error``, or the error colour) is an error too.
"""

import hashlib

RENDER_JS = r"""
function __cbOffset(tex, e) {
  var n = e.position;
  if (typeof n !== "number" || n < 0 || n > tex.length) return null;
  var end = n + (typeof e.length === "number" ? e.length : 0);
  if (end > tex.length) return null;
  // KaTeX appends context taken from the lexer input the error came from. If
  // that input is our TeX (and not a macro's expansion), the message ends
  // exactly with the context rebuilt from `tex`.
  var ctx = n === tex.length ? " at end of input: " : " at position " + (n + 1) + ": ";
  var left = n > 15 ? "\u2026" + tex.slice(n - 15, n) : tex.slice(0, n);
  var under = tex.slice(n, end).replace(/[^]/g, "$&\u0332");
  var right = end + 15 < tex.length ? tex.slice(end, end + 15) + "\u2026" : tex.slice(end);
  ctx += left + under + right;
  var msg = String(e.message);
  if (msg.slice(msg.length - ctx.length) !== ctx) return null;
  return Array.from(tex.slice(0, n)).length;  // UTF-16 units -> code points
}

var __cbErrorColor = "rgb(204,0,0)";  // a form \\color cannot write (it takes names and hex only)

function __cbAt(tex, needle) {
  var n = tex.indexOf(needle);
  return n < 0 ? null : Array.from(tex.slice(0, n)).length;
}

function __cbRenderBatch(katex, macros, items) {
  var out = new Array(items.length);
  for (var i = 0; i < items.length; i++) {
    var tex = items[i][0];
    var refused = [];
    try {
      var m = {};
      for (var k in macros) m[k] = macros[k];  // fresh copy: \gdef must not leak between formulas
      var html = katex.renderToString(tex, {
        displayMode: !!items[i][1],
        output: "htmlAndMathml",
        throwOnError: true,
        errorColor: __cbErrorColor,
        trust: function (c) {
          var ok = (c.command === "\\href" || c.command === "\\url") && (c.protocol === "http" || c.protocol === "https");
          if (!ok) refused.push(c);
          return ok;
        },
        macros: m
      });
      if (refused.length) {
        var c = refused[0];
        out[i] = {error: "untrusted:" + c.command + (c.url !== undefined ? " " + c.url : ""), offset: __cbAt(tex, c.command)};
      } else if (html.indexOf("katex-error") >= 0 || html.indexOf("color:" + __cbErrorColor) >= 0) {
        out[i] = {error: "error-node", offset: null};
      } else {
        out[i] = {html: html};
      }
    } catch (e) {
      if (e instanceof katex.ParseError) {
        out[i] = {error: String(e.message), offset: __cbOffset(tex, e)};
      } else {
        out[i] = {error: "KaTeX internal error: " + String(e && e.message || e), offset: null};
      }
    }
  }
  return out;
}
"""

ENGINE_DIGEST = hashlib.sha256(RENDER_JS.encode("utf-8")).hexdigest()[:16]
"""Identity of the options formulas are rendered with (part of every cached formula's key)."""

# A long-lived Node worker: `node -e NODE_WORKER_JS <path/to/katex.min.js>`.
# Protocol, one JSON document per line:
#   worker -> {"ready": "<katex version>"} once at start
#   python -> {"macros": {...}, "items": [[tex, display], ...]}
#   worker -> {"results": [...]}   (or {"fatal": message} on a malformed request)
NODE_WORKER_JS = RENDER_JS + r"""
(function () {
  // stdout is the protocol channel: anything KaTeX logs goes to stderr.
  var toErr = function () { process.stderr.write(Array.prototype.join.call(arguments, " ") + "\n"); };
  console.log = console.info = console.warn = console.error = console.debug = toErr;
  var katex = require(process.argv[process.argv.length - 1]);
  var readline = require("readline");
  var rl = readline.createInterface({input: process.stdin, crlfDelay: Infinity, terminal: false});
  rl.on("line", function (line) {
    if (!line) return;
    var reply;
    try {
      var req = JSON.parse(line);
      reply = {results: __cbRenderBatch(katex, req.macros || {}, req.items || [])};
    } catch (e) {
      reply = {fatal: String(e && e.stack || e)};
    }
    process.stdout.write(JSON.stringify(reply) + "\n");
  });
  rl.on("close", function () { process.exit(0); });
  process.stdout.write(JSON.stringify({ready: katex.version}) + "\n");
})();
"""

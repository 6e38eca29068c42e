"""JavaScript run next to KaTeX (kept as Python strings so the package needs no
data files).

``RENDER_JS`` defines ``__cbRenderBatch(katex, macros, items)``: ``items`` is a
list of ``[tex, display]``; the result is a list of ``{"html": ...}`` or
``{"error": message, "offset": int|null}``.  ``offset`` is a code-point index
into ``tex`` (Python string indexing) and is only given when KaTeX's error
location is inside ``tex`` itself (not inside the expansion of a macro).
"""

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

function __cbRenderBatch(katex, macros, items) {
  var out = new Array(items.length);
  for (var i = 0; i < items.length; i++) {
    var tex = items[i][0];
    try {
      var m = {};
      for (var k in macros) m[k] = macros[k];  // fresh copy: \gdef must not leak between formulas
      out[i] = {html: katex.renderToString(tex, {
        displayMode: !!items[i][1],
        output: "htmlAndMathml",
        throwOnError: true,
        macros: m
      })};
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

"""The script Node runs next to elkjs (a Python string, so the package needs no data files).

`node -e WORKER_JS <path/to/elk.bundled.js>` reads a JSON array of ELK graphs on stdin and writes the array of laid
out graphs on stdout, in order; anything ELK logs goes to stderr, so stdout stays JSON.
"""

WORKER_JS = r"""
(function () {
  var toErr = function () { process.stderr.write(Array.prototype.join.call(arguments, " ") + "\n"); };
  console.log = console.info = console.warn = console.error = console.debug = toErr;
  var ELK = require(process.argv[process.argv.length - 1]);
  var elk = new ELK();
  var chunks = [];
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", function (chunk) { chunks.push(chunk); });
  process.stdin.on("end", async function () {
    var graphs = JSON.parse(chunks.join(""));
    var out = [];
    for (var i = 0; i < graphs.length; i++) {
      out.push(await elk.layout(graphs[i]));  // one at a time: the order of results is the order of graphs
    }
    process.stdout.write(JSON.stringify(out));
  });
})();
"""

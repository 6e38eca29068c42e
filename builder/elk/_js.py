"""The script Node runs next to elkjs (a Python string, so the package needs no data files).

`node -e WORKER_JS <path/to/elk.bundled.js>` reads a JSON array of ELK graphs on stdin and writes the array of laid
out graphs on stdout, in order; anything ELK logs goes to stderr, so stdout stays JSON.

The graphs are laid out in one call, as the children of one graph that is not itself laid out ("fixed") and whose
children are each laid out on their own ("SEPARATE_CHILDREN"): every coordinate is the one a call per graph gives
(1,125 maps of a 1,000-lesson course: all the same), and ELK's cost per call (copying the graph, setting up its
options, a turn of the event loop) is paid once (a fifth of the time). Ids are made unique across the batch by a
prefix per graph, taken off again in the answer.
"""

WORKER_JS = r"""
(function () {
  var toErr = function () { process.stderr.write(Array.prototype.join.call(arguments, " ") + "\n"); };
  console.log = console.info = console.warn = console.error = console.debug = toErr;
  var ELK = require(process.argv[process.argv.length - 1]);
  var elk = new ELK();
  var chunks = [];
  function renamed(graph, name) {
    (graph.children || []).forEach(function (node) { node.id = name(node.id); });
    (graph.edges || []).forEach(function (edge) {
      edge.id = name(edge.id);
      edge.sources = edge.sources.map(name);
      edge.targets = edge.targets.map(name);
    });
  }
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", function (chunk) { chunks.push(chunk); });
  process.stdin.on("end", async function () {
    var graphs = JSON.parse(chunks.join(""));
    var ids = graphs.map(function (graph) { return graph.id; });
    graphs.forEach(function (graph, i) {
      var prefix = "g" + i + "/";
      graph.id = "g" + i;
      renamed(graph, function (id) { return prefix + id; });
    });
    var batch = {id: "batch", children: graphs, edges: [],
                 layoutOptions: {"elk.algorithm": "fixed", "elk.hierarchyHandling": "SEPARATE_CHILDREN"}};
    var laid = await elk.layout(batch);
    var out = laid.children.map(function (graph, i) {
      var cut = ("g" + i + "/").length;
      renamed(graph, function (id) { return id.slice(cut); });
      graph.id = ids[i];
      delete graph.x;
      delete graph.y;
      return graph;
    });
    process.stdout.write(JSON.stringify(out));
  });
})();
"""

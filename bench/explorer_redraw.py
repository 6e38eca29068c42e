#!/usr/bin/env python3
"""How fast the training-dynamics explorer redraws (run by hand, not by the test suite: timings on a shared 2-core
machine are noise for a test, so the browser test asserts behaviour and this script measures).

    python bench/explorer_redraw.py            # 5 page loads, 29 control changes each
    python bench/explorer_redraw.py -r 10

It builds the shipped module, serves it on 127.0.0.1, opens lesson 6 in Debian's Chromium (headless, software
rendering) and changes every control of the explorer (18 depths, 3 activations, 4 initializations, batch norm 4
times), timing input to the frame after the redraw. Prints the median and p95 per load and over all of them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests" / "browser"))

TIMING = """async () => {
  const root = document.querySelector('[data-explorer="training-dynamics-explorer"]');
  const control = (name) => root.querySelector('[data-control="' + name + '"]');
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now()))));
  const times = [];
  async function change(name, apply) {
    const t0 = performance.now();
    apply(control(name));
    control(name).dispatchEvent(new Event('input', {bubbles: true}));
    times.push(await frame() - t0);
  }
  for (let depth = 3; depth <= 20; depth++) await change('depth', (c) => { c.value = String(depth); });
  for (const act of ['relu', 'tanh', 'sigmoid']) await change('activation', (c) => { c.value = act; });
  for (const init of ['he', 'naive_uniform', 'naive_normal', 'xavier']) await change('init', (c) => { c.value = init; });
  for (let i = 0; i < 4; i++) await change('batchnorm', (c) => { c.checked = !c.checked; });
  return times;
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-r", "--rounds", type=int, default=5, help="page loads")
    args = parser.parse_args()
    from browser_fixtures import CHROMIUM, FIGURE_CSP, LAUNCH_ARGS, serve
    from playwright.sync_api import sync_playwright

    from builder.pipeline import build

    site = Path(tempfile.mkdtemp()) / "site"
    build(REPO, out=site)
    server = serve(site, FIGURE_CSP)
    base = next(server)
    every: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        for r in range(args.rounds):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base + "training-dynamics/index.html", wait_until="load")
            page.locator('[data-explorer="training-dynamics-explorer"]').scroll_into_view_if_needed()
            page.wait_for_selector('[data-explorer="training-dynamics-explorer"][data-explorer-ready="yes"]', timeout=30000)
            times = sorted(page.evaluate(TIMING))
            every += times
            print(f"load {r + 1}: median {statistics.median(times):.1f} ms, p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms")
            page.close()
        browser.close()
    every.sort()
    print(f"all {len(every)} redraws: median {statistics.median(every):.1f} ms, p95 {every[int(0.95 * (len(every) - 1))]:.1f} ms")
    server.close()


if __name__ == "__main__":
    main()

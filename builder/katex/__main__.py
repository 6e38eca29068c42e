"""``python -m builder.katex install``: download and verify the pinned KaTeX now
(e.g. at install time), so later builds need no network.

``python -m builder.katex where`` prints where KaTeX is found (no download)."""

from __future__ import annotations

import argparse
import os
import sys

from . import ENV_KATEX_DIR, KATEX_VERSION, MathRenderer, MathRequest, MathUnavailable, ensure_katex
from ._install import default_install_dir, is_installed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m builder.katex", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("install", help=f"install KaTeX {KATEX_VERSION} into the per-user cache (if needed) and test it")
    sub.add_parser("where", help="print where KaTeX is (or would be) installed; never downloads")
    args = parser.parse_args(argv)

    if args.cmd == "where":
        override = os.environ.get(ENV_KATEX_DIR)
        if override:
            print(f"{override} (from {ENV_KATEX_DIR})")
        else:
            target = default_install_dir()
            print(f"{target} ({'installed' if is_installed(target) else 'not installed yet'})")
        return 0

    try:
        path = ensure_katex()
        with MathRenderer() as r:
            res = r.render([MathRequest(r"\frac{1}{2}", display=False)])[0]
    except MathUnavailable as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return 1
    if res.html is None or 'class="katex"' not in res.html:
        print(f"error: KaTeX at {path} does not render: {res.error}", file=sys.stderr)
        return 1
    print(f"KaTeX {KATEX_VERSION} installed at {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

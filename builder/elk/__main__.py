"""``python -m builder.elk install``: download and verify the pinned elkjs now, so later builds need no network."""

from __future__ import annotations

import sys

from . import ELK_VERSION, LayoutUnavailable, ensure_elk, layout_graphs


def main(argv: list[str] | None = None) -> int:
    """Install elkjs into the per-user cache (if needed) and lay out a two-node graph with it."""
    args = sys.argv[1:] if argv is None else argv
    if args != ["install"]:
        print("usage: python -m builder.elk install", file=sys.stderr)
        return 2
    try:
        script = ensure_elk()
        laid = layout_graphs([{"id": "root", "layoutOptions": {"elk.algorithm": "layered"},
                               "children": [{"id": "a", "width": 10, "height": 10}, {"id": "b", "width": 10, "height": 10}],
                               "edges": [{"id": "e", "sources": ["a"], "targets": ["b"]}]}])
    except LayoutUnavailable as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"hint: {exc.hint}", file=sys.stderr)
        return 1
    if not laid or "children" not in laid[0]:
        print(f"error: elkjs at {script} does not lay out graphs", file=sys.stderr)
        return 1
    print(f"elkjs {ELK_VERSION} installed at {script.parent.parent}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

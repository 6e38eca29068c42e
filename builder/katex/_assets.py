"""KaTeX's CSS and fonts for the built site (same version as the renderer).

Only the woff2 fonts are shipped (every browser that runs the site's JS reads
woff2); the CSS is rewritten so its ``@font-face`` rules reference only those,
and the result is verified: every ``url()`` in it must name a file in the
returned mapping.
"""

from __future__ import annotations

import re
from pathlib import Path

from ._install import KATEX_VERSION, katex_dist_dir

CSS_NAME = "katex.min.css"

_FONT_FACE_RE = re.compile(r"@font-face\s*\{[^}]*\}")
_SRC_RE = re.compile(r"(?<![-\w])src\s*:\s*([^;}]*)")
_URL_RE = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


class AssetError(RuntimeError):
    """The KaTeX CSS could not be made self-consistent (a bug or a broken install)."""


def _split_top_level(value: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in value:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def _woff2_only(css: str) -> str:
    def fix_src(m: re.Match[str]) -> str:
        kept = [
            entry
            for entry in _split_top_level(m.group(1))
            if (u := _URL_RE.search(entry)) and u.group(2).split("?")[0].split("#")[0].endswith(".woff2")
        ]
        if not kept:
            raise AssetError(f"@font-face without a woff2 source: {m.group(0)[:120]}")
        return "src:" + ",".join(kept)

    return _FONT_FACE_RE.sub(lambda face: _SRC_RE.sub(fix_src, face.group(0)), css)


def css_font_urls(css: str) -> list[str]:
    """Every url() target in a stylesheet, in order."""
    return [m.group(2) for m in _URL_RE.finditer(css)]


def katex_assets() -> dict[str, bytes]:
    """The site files for KaTeX, as {relative path: content}:
    ``katex.min.css`` (woff2-only ``@font-face`` rules) and ``fonts/*.woff2``.
    Write them into one directory (e.g. ``assets/katex/``) and link the CSS."""
    dist = katex_dist_dir()
    css = (dist / CSS_NAME).read_text(encoding="utf-8")
    css = _woff2_only(css)
    files: dict[str, bytes] = {}
    for url in css_font_urls(css):
        rel = url.split("?")[0].split("#")[0]
        if rel in files:
            continue
        if not rel.endswith(".woff2") or rel.startswith(("/", "data:")) or ".." in rel.split("/"):
            raise AssetError(f"unexpected font URL in KaTeX CSS: {url}")
        src = dist / rel
        if not src.is_file():
            raise AssetError(f"KaTeX CSS references {rel}, which is not in {dist}")
        files[rel] = src.read_bytes()
    header = (
        f"/*! KaTeX v{KATEX_VERSION} | (c) Khan Academy and other contributors | MIT License | "
        "https://katex.org | copied at build time from the npm package; woff2 fonts only */\n"
    )
    out = {CSS_NAME: (header + css).encode("utf-8")}
    out.update(sorted(files.items()))
    # Verify: only woff2 fonts, and every URL resolves inside the mapping.
    for url in css_font_urls(css):
        if url not in out:
            raise AssetError(f"KaTeX CSS URL {url} does not resolve")
    return out


def copy_katex_assets(dest: Path) -> list[Path]:
    """Write :func:`katex_assets` into ``dest``; returns the written paths."""
    dest = Path(dest)
    written = []
    for rel, data in katex_assets().items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written

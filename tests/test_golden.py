"""Golden site (staticjinja's before/after folders): tests/golden/src, built, must equal tests/golden/expected.

Every page, the search index, sitemap.xml and the stylesheets the build generates are stored and compared byte
for byte. Files copied verbatim are not stored twice: the theme's static files are compared with theme/static,
and KaTeX's CSS and fonts (third-party, never in this repository) are only checked by name. After an intended
change to the output, rewrite the expected folder with: COURSE_UPDATE_GOLDEN=1 pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO

GOLDEN = Path(__file__).parent / "golden"
SOURCE, EXPECTED = GOLDEN / "src", GOLDEN / "expected"
THEME_STATIC = REPO / "theme" / "static"
UPDATE = bool(os.environ.get("COURSE_UPDATE_GOLDEN"))


def files_under(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}


def is_verbatim(rel: str) -> bool:
    """Copied as is: a theme static file, or KaTeX's."""
    return rel.startswith("assets/katex/") or (rel.startswith("assets/") and (THEME_STATIC / rel[len("assets/"):]).is_file())


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from builder.pipeline import build

    out = tmp_path_factory.mktemp("golden") / "site"
    build(SOURCE, out=out, use_cache=False)
    if UPDATE:  # rewrite, then fail: a run that rewrote the expected folder has compared nothing
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for rel, path in files_under(out).items():
            if not is_verbatim(rel):
                target = EXPECTED / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        pytest.fail("COURSE_UPDATE_GOLDEN is set: tests/golden/expected was rewritten; read `git diff`, then run again without it")
    return out


def test_built_site_equals_the_golden_folder(built):
    got = {rel: path for rel, path in files_under(built).items() if not is_verbatim(rel)}
    want = files_under(EXPECTED)
    assert sorted(got) == sorted(want), "files differ (COURSE_UPDATE_GOLDEN=1 rewrites tests/golden/expected)"
    different = [rel for rel in want if got[rel].read_bytes() != want[rel].read_bytes()]
    assert different == [], f"{different} differ (COURSE_UPDATE_GOLDEN=1 rewrites tests/golden/expected)"


def test_verbatim_files_are_the_themes_and_katexs(built):
    verbatim = [rel for rel in files_under(built) if is_verbatim(rel)]
    for rel in verbatim:
        if not rel.startswith("assets/katex/"):
            assert (built / rel).read_bytes() == (THEME_STATIC / rel[len("assets/"):]).read_bytes(), rel
    katex = [rel for rel in verbatim if rel.startswith("assets/katex/")]
    assert "assets/katex/katex.min.css" in katex
    assert katex and all(rel.endswith((".css", ".woff2")) for rel in katex)
    assert "assets/js/livereload.js" not in verbatim  # serve mode only

"""Tests of the build-time KaTeX engine (builder.katex).

They run the real pinned KaTeX; it is installed into the per-user cache on
first use (or taken from $COURSE_KATEX_DIR).  If that is impossible the tests
fail with KaTeX's MathUnavailable message instead of silently skipping.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import time
from pathlib import Path

import pytest

from builder import katex as bm
from builder.katex import (
    KATEX_VERSION,
    MathRenderer,
    MathRequest,
    MathResult,
    MathUnavailable,
    copy_katex_assets,
    ensure_katex,
    katex_assets,
)
from builder.katex import _engine, _install
from builder.npm import sri_matches

UNDERLINE = "\u0332"


@pytest.fixture(scope="module")
def katex_dir() -> Path:
    try:
        return ensure_katex()
    except MathUnavailable as exc:  # pragma: no cover - environment problem
        pytest.fail(f"KaTeX unavailable: {exc.message}\nhint: {exc.hint}")


@pytest.fixture
def renderer(katex_dir):
    with MathRenderer() as r:
        yield r


def _one(r: MathRenderer, tex: str, display: bool = False) -> MathResult:
    return r.render([MathRequest(tex, display)])[0]


# --------------------------------------------------------------------------- rendering


def test_inline_fraction_has_html_and_mathml(renderer):
    res = _one(renderer, r"\frac{1}{2}")
    assert res.error is None and res.offset is None
    assert 'class="katex"' in res.html
    assert "<math" in res.html and "<mfrac>" in res.html  # MathML for screen readers
    assert 'class="katex-html"' in res.html  # and the visual HTML
    assert "katex-display" not in res.html


def test_display_mode(renderer):
    inline, display = renderer.render([MathRequest("x^2", False), MathRequest("x^2", True)])
    assert "katex-display" in display.html
    assert 'display="block"' in display.html
    assert "katex-display" not in inline.html


def test_results_in_request_order(renderer):
    texs = ["a", "b", r"\alpha", "c"]
    results = renderer.render([MathRequest(t, False) for t in texs])
    assert [re.search(r'<annotation encoding="application/x-tex">(.*?)</annotation>', r.html).group(1)
            for r in results] == texs


def test_unclosed_group_error_is_clean_with_offset(renderer):
    tex = r"\frac{1}{"
    res = _one(renderer, tex)
    assert res.html is None
    assert res.error is not None
    assert UNDERLINE not in res.error
    assert not res.error.startswith("KaTeX parse error")
    assert "expected '}'" in res.error
    assert res.offset == len(tex)  # "at end of input"


def test_undefined_macro_error(renderer):
    res = _one(renderer, r"\undefinedmacro")
    assert res.error.startswith(r"Undefined control sequence: \undefinedmacro")
    assert UNDERLINE not in res.error
    assert res.offset == 0


def test_error_offset_inside_formula_counts_python_characters(renderer):
    res = _one(renderer, r"x + \foo")
    assert res.offset == 4
    # U+1D465 is one Python character but two UTF-16 units in JavaScript
    tex = "\U0001d465 + \\foo"
    res = _one(renderer, tex)
    assert res.offset == 4 and tex[res.offset:].startswith(r"\foo")


def test_error_inside_macro_expansion_has_no_offset(katex_dir):
    with MathRenderer(macros={r"\bx": "x^"}) as r:
        res = _one(r, r"a + \bx")
    assert res.error is not None and UNDERLINE not in res.error
    assert res.offset is None  # KaTeX's position points into the macro body, not the TeX


def test_macros(katex_dir):
    macros = {r"\R": r"\mathbb{R}", r"\Loss": r"\mathcal{L}", r"\norm": r"\lVert #1 \rVert"}
    with MathRenderer(macros=macros) as r:
        ok, arg = r.render([MathRequest(r"\Loss(\theta), \theta \in \R^n", False), MathRequest(r"\norm{g}", False)])
    assert ok.error is None and "mathcal" in ok.html and "mathbb" in ok.html
    assert arg.error is None and "\u2225" in arg.html  # the double bars of \lVert/\rVert
    with MathRenderer() as r:
        bad = _one(r, r"x = \Loss")
    assert bad.error is not None and r"\Loss" in bad.error and bad.offset == 4


def test_gdef_does_not_leak_between_formulas(renderer):
    first, second = renderer.render([MathRequest(r"\gdef\q{1}\q", False), MathRequest(r"\q", False)])
    assert first.error is None
    assert second.error is not None and "Undefined control sequence" in second.error


def test_non_parse_problems_do_not_kill_the_batch(renderer):
    texs = ["", " ", "\\", "}", "a" * 5000, "\ud800", r"\text{é}", "x"]
    results = renderer.render([MathRequest(t, False) for t in texs])
    assert len(results) == len(texs)
    assert results[-1].error is None
    for r in results:
        assert (r.html is None) != (r.error is None)


def test_math_result_invariant():
    with pytest.raises(ValueError):
        MathResult(html=None, error=None, offset=None)
    with pytest.raises(ValueError):
        MathResult(html="x", error="y", offset=None)


def test_clean_message():
    raw = "KaTeX parse error: Expected group after '^' at position 2: x^\u0332"
    assert bm.clean_message(raw) == "Expected group after '^' at position 2: x^"


# --------------------------------------------------------------------------- cache (the incremental layer's)


MATH_LESSON = "Math: $\\frac{a}{b}$, $$\\sum_i x_i$$ and $\\R$, and a broken $\\frac{1}{$.\n"


def _math_project(project, macros: str = '{"\\\\R": "\\\\mathbb{R}"}'):
    from conftest import BASE

    return project({"site.yaml": BASE["site.yaml"] + f"math:\n  macros: {macros}\n",
                    "lessons/1.3/01-first.md": BASE["lessons/1.3/01-first.md"] + MATH_LESSON})


def test_warm_check_typesets_nothing_and_starts_no_engine(katex_dir, project):
    from builder.pipeline import check

    root = _math_project(project)
    first = check(root)
    assert first.math.typeset >= 4
    starts = _engine.startups
    second = check(root)
    assert second.math.typeset == 0 and second.math.cached == first.math.typeset + first.math.cached
    assert second.math.repeats == first.math.repeats
    assert second.math.html == first.math.html
    assert [d for d in second.diagnostics if d.code == "CB410"] == [d for d in first.diagnostics if d.code == "CB410"]
    assert _engine.startups == starts  # a warm run starts no engine at all


def test_a_build_after_a_check_typesets_nothing(katex_dir, project):
    from builder.pipeline import build, check

    root = _math_project(project)
    lesson = root / "lessons/1.3/01-first.md"
    lesson.write_text(lesson.read_text().replace(" and a broken $\\frac{1}{$", ""))
    checked = check(root)
    assert checked.math.typeset >= 3 and not [d for d in checked.diagnostics if d.code == "CB410"]
    built = build(root)  # the check kept each formula's HTML as well as its findings
    assert built.checked.math.typeset == 0 and built.checked.math.cached == checked.math.typeset
    assert all("katex" in html for page in built.checked.math.html.values() for html in page)


def test_cache_key_covers_macros(katex_dir, project):
    from builder.pipeline import check

    check(_math_project(project))
    other = check(_math_project(project, '{"\\\\R": "\\\\mathbf{R}"}'))
    assert other.math.typeset > 0  # other macros, other keys


def test_corrupt_cache_entries_are_typeset_again(katex_dir, project):
    from builder.incremental import Memo
    from builder.load.config import load_config
    from builder.pipeline import check_course

    root = _math_project(project)
    good = check_course(load_config(root), Memo.for_project(root))
    for entry in (root / ".course-cache").rglob("*.json"):
        if entry.parent.parent.name in ("formula", "formula-findings"):
            entry.write_text("{not json", encoding="utf-8")
    again = check_course(load_config(root), Memo.for_project(root))
    assert again.math.html == good.math.html and again.math.typeset > 0 and any(good.math.html.values())
    assert again.diagnostics == good.diagnostics


def test_duplicates_in_a_batch_render_once(renderer):
    res = renderer.render([MathRequest("x^2", False)] * 3 + [MathRequest("y", False)])
    assert (renderer.rendered, renderer.cached) == (2, 2)
    assert res[0] == res[1] == res[2]
    renderer.render([MathRequest("x^2", False)])
    assert (renderer.rendered, renderer.cached) == (2, 3)


# --------------------------------------------------------------------------- engine lifecycle


def test_engine_is_lazy_shared_and_closed(katex_dir, tmp_path):
    _engine.shutdown_engine()
    r = MathRenderer()
    assert _engine._engine is None  # nothing started by the constructor
    r2 = MathRenderer()
    _one(r, "a")
    eng = _engine._engine
    assert eng is not None and eng.alive
    _one(r2, "b")
    assert _engine._engine is eng  # one engine per process
    r.close()
    assert eng.alive  # still used by r2
    r2.close()
    assert _engine._engine is None and not eng.alive
    with pytest.raises(RuntimeError):
        r.render([MathRequest("c", False)])


def _render_in_child(tex: str) -> tuple[str | None, int]:
    with MathRenderer() as r:
        html = r.render([MathRequest(tex, False)])[0].html
        return html, _engine._engine._proc.pid


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_engine_started_before_fork_is_not_shared(renderer):
    assert _one(renderer, "p").error is None  # parent has a running worker
    parent_engine = _engine._engine
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        answers = pool.map(_render_in_child, ["q", "r", "s"], chunksize=1)
        assert all(h and 'class="katex"' in h and f">{t}<" in h for (h, _), t in zip(answers, "qrs"))
        assert parent_engine._proc.pid not in {pid for _, pid in answers}  # each child started its own
        # While the children live, the parent can still stop its worker promptly:
        # the children hold no copy of its stdin, so it sees EOF and exits by itself.
        t0 = time.perf_counter()
        _engine.shutdown_engine()
        assert time.perf_counter() - t0 < 2.0
        assert parent_engine._proc.returncode == 0
    assert _one(renderer, "t").error is None  # the parent renders again (a new worker)


def test_thousand_formulas_one_batch_is_fast(renderer):
    starts = _engine.startups
    reqs = [MathRequest(rf"\frac{{\partial L}}{{\partial w_{{{i}}}}} = \sum_{{j}} x_{{{i}j}}^2 + {i}", i % 4 == 0)
            for i in range(1000)]
    t0 = time.perf_counter()
    results = renderer.render(reqs)
    elapsed = time.perf_counter() - t0
    assert all(r.error is None for r in results)
    assert renderer.rendered == 1000
    assert _engine.startups - starts <= 1  # never a process per formula
    assert elapsed < 8.0, f"1,000 formulas took {elapsed:.1f} s"


# --------------------------------------------------------------------------- installation


def test_installed_katex_is_the_pinned_version(katex_dir):
    dist = _install._dist_of(katex_dir)
    assert dist is not None and _install._version_of(dist) == KATEX_VERSION
    assert bm.katex_dist_dir() == dist
    assert (dist / "katex.min.css").is_file() and (dist / "fonts").is_dir()


def test_env_var_points_at_existing_katex(katex_dir, monkeypatch, tmp_path):
    monkeypatch.setenv(bm.ENV_KATEX_DIR, str(katex_dir))
    assert ensure_katex() == katex_dir
    monkeypatch.setenv(bm.ENV_KATEX_DIR, str(katex_dir / "dist"))  # a bare dist dir works too
    assert bm.katex_dist_dir() == katex_dir / "dist"
    monkeypatch.setenv(bm.ENV_KATEX_DIR, str(tmp_path))
    with pytest.raises(MathUnavailable) as info:
        ensure_katex()
    assert "not a KaTeX directory" in info.value.message and bm.ENV_KATEX_DIR in info.value.hint


def test_env_var_with_wrong_version_is_rejected(katex_dir, monkeypatch, tmp_path):
    fake = tmp_path / "katex"
    (fake / "dist" / "fonts").mkdir(parents=True)
    (fake / "dist" / "katex.min.js").write_text('var x={version:"0.10.0"};', encoding="utf-8")
    (fake / "dist" / "katex.min.css").write_text("", encoding="utf-8")
    monkeypatch.setenv(bm.ENV_KATEX_DIR, str(fake))
    with pytest.raises(MathUnavailable) as info:
        ensure_katex()
    assert "0.10.0" in info.value.message and KATEX_VERSION in info.value.message


def test_offline_first_use_gives_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv(bm.ENV_KATEX_DIR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9/")  # nothing listens there
    monkeypatch.setenv("npm_config_cache", str(tmp_path / "npm-cache"))
    monkeypatch.setenv("npm_config_offline", "false")
    with pytest.raises(MathUnavailable) as info:
        ensure_katex()
    assert "Could not download KaTeX" in info.value.message
    assert "python -m builder.katex install" in info.value.hint and bm.ENV_KATEX_DIR in info.value.hint
    assert not (tmp_path / "xdg" / "course-builder" / f"katex-{KATEX_VERSION}").exists()


def test_tarball_with_wrong_hash_is_refused(katex_dir, monkeypatch, tmp_path):
    monkeypatch.setattr(_install, "KATEX_INTEGRITY", "sha512-" + "A" * 86 + "==")
    with pytest.raises(MathUnavailable) as info:
        _install.install_katex(tmp_path / "katex")
    assert "does not match the pinned integrity hash" in info.value.message
    assert not (tmp_path / "katex").exists()


def test_integrity_check():
    data = b"hello"
    import base64
    import hashlib

    good = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    assert sri_matches(data, good)
    assert not sri_matches(data + b"!", good)
    assert not sri_matches(data, good.replace("sha512", "sha1"))


# --------------------------------------------------------------------------- assets


def test_assets_are_css_plus_woff2_fonts_that_all_resolve(katex_dir):
    assets = katex_assets()
    assert "katex.min.css" in assets
    fonts = [name for name in assets if name != "katex.min.css"]
    assert len(fonts) >= 15
    assert all(name.startswith("fonts/") and name.endswith(".woff2") for name in fonts)
    assert all(assets[name][:4] == b"wOF2" for name in fonts)
    css = assets["katex.min.css"].decode("utf-8")
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", css)
    assert urls, "no font URLs in the CSS?"
    assert set(urls) == set(fonts)  # every URL resolves, and every font is used
    assert ".woff)" not in css and ".ttf" not in css and 'format("woff")' not in css
    assert css.count("@font-face") == len(fonts)
    assert f"KaTeX v{KATEX_VERSION}" in css


def test_copy_katex_assets(katex_dir, tmp_path):
    written = copy_katex_assets(tmp_path)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert names == sorted(katex_assets())
    assert all(p.is_file() for p in written)
    assert not list(tmp_path.rglob("*.woff")) and not list(tmp_path.rglob("*.ttf"))

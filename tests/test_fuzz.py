"""Fuzzing: valid project files, mutated line by line and character by character, never crash the checker.

Hypothesis mutates a lesson (sometimes the concept registry, the module page, prior.yaml or site.yaml): it
inserts, deletes and duplicates lines and characters, swaps and replaces YAML values, and throws in colons,
fences, dollars and braces. For every example the in-process check pipeline must return (no exception
escapes), and every finding must have a registered code, a file of the project, a message and a hint, and a
line and column inside that file when it is about a position. The CLI on the same files must exit 0 or 1.

2,000 examples by default; set COURSE_FUZZ_EXAMPLES for more (or fewer). The first examples that check clean
(COURSE_FUZZ_BUILDS, default 1 in 100 examples) are also built, so the page stages see the mutations too.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.cli import main
from builder.model.diagnostics import CODES, Diagnostic
from builder.report import format_github, format_text
from builder.pipeline import check
from conftest import BASE, FIGURES, make_project

EXAMPLES = int(os.environ.get("COURSE_FUZZ_EXAMPLES", "2000"))
BUILDS = int(os.environ.get("COURSE_FUZZ_BUILDS", str(max(10, EXAMPLES // 100))))
"""Examples without errors that are also built (a build takes ~10x a check)."""
_BUILDS = {"done": 0}

TARGETS = ["lessons/1.3/01-first.md"] * 4 + ["lessons/1.3/02-second.md"] * 3 + ["lessons/1.3/03-third.md"] * 2 + [
    "content/concepts.yaml", "content/modules/1.3.md", "content/prior.yaml", "site.yaml"]
EXTRA = {  # more constructs than BASE has, so mutations reach them
    **FIGURES,
    "lessons/1.3/02-second.md": BASE["lessons/1.3/02-second.md"] + """
::::{check} Why?
:::{answer}
Because $x^2 \\ge 0$.
:::
::::

::::{quiz} Pick one
- [ ] wrong
- [x] right
:::{answer}
It is right.
:::
::::

:::{figure} sigmoid-derivative
:zmax: 6
A caption with $\\sigma'$.
:::

See [the first](01-first.md#worked-example), {lesson}`third` and ![pic](../../content/pic.png).

$$
\\frac{a}{b}
$$ (eq-1)

| a | b |
|---|---|
| $1$ | `2` |

```python
print("hi")
```
""",
    "content/pic.png": "not really a picture\n",
}

SNIPPETS = [
    "---", "...", ":::", "::::", ":::{note} Title", "::::{check} Q", ":::{answer}", "::::{quiz} Q", "- [x] right", "- [ ] wrong",
    ":::{figure} gradient-bars", ":depth: 99", ":name: wrong-1", ":name:", ":class: x", "$$", "$x$", "$$ (lbl)", "\\begin{align}",
    "\\end{align}", "{concept}`alpha`", "{lesson}`nope`", "{concept}`the alpha <alpha>`", "```", "~~~", "```python", "# Heading",
    "## Worked example", "[x](02-second.md#nope)", "![i](../../../x.png)", "[j](javascript:alert(1))", "<b>raw</b>",
    "title: T", "type: BUILD", "  - concept: beta", "    depth: DEVELOPED", "    source: first", "    where: wrong-9",
    "prerequisites:", "teaches:", "gaps:", "  - concept: zeta\n    size: huge", "modalities: [concrete]", "- a", "  - b",
    "key: [unclosed", "key: {a: 1", "key: 'quote", "\tindented: tab", "&a anchor: *a", "? complex", "!!int x: 1", "> quote",
    "|a|b|\n|-|-|", "    indented code", "", " ", "\\", "{", "}", "$", "`", "[", "(", ":", "-", "#",
]
CHARS = ":-`${}[]()<>#*_\\|!&\"'\t\n \r~=+@%^0123456789aZé∑\u200b\ufeff"
VALUES = ["", "null", "~", "[", "{", "[]", "{}", "- x", "123", "1.3", "true", "off", "*a", "&a x", "!!int x", "!foo x", "'a",
          "\"a\\q\"", "a: b", "[1, [2, [3]]]", "DEVELOPED", "STRETCH", "INTRODUCED", "first", "alpha", "$x$", "{concept}`alpha`",
          "2024-01-01", "0x1F", ".inf", "<script>x</script>"]

positions = st.floats(min_value=0, max_value=1, exclude_max=True)
operation = st.one_of(
    st.tuples(st.just("insert_line"), positions, st.one_of(st.sampled_from(SNIPPETS), st.text(CHARS, max_size=12))),
    st.tuples(st.just("delete_line"), positions),
    st.tuples(st.just("duplicate_line"), positions),
    st.tuples(st.just("insert_chars"), positions, st.text(CHARS, min_size=1, max_size=4)),
    st.tuples(st.just("delete_chars"), positions, st.integers(1, 6)),
    st.tuples(st.just("swap_values"), positions, positions),
    st.tuples(st.just("replace_value"), positions, st.sampled_from(VALUES)),
    st.tuples(st.just("line_endings"), st.sampled_from(["\r\n", "\r"])),
    st.tuples(st.just("bom")),
)
mutations = st.tuples(st.sampled_from(TARGETS), st.lists(operation, min_size=1, max_size=6))


def mutate(text: str, operations: list[tuple]) -> str:
    """Apply the operations in order; positions are fractions of the current text (or of its lines)."""
    for op in operations:
        lines = text.split("\n")
        kind = op[0]
        if kind == "insert_line":
            at = int(op[1] * (len(lines) + 1))
            lines.insert(at, op[2])
        elif kind == "delete_line" and lines:
            del lines[int(op[1] * len(lines))]
        elif kind == "duplicate_line" and lines:
            at = int(op[1] * len(lines))
            lines.insert(at, lines[at])
        elif kind == "swap_values":
            keyed = [i for i, line in enumerate(lines) if ": " in line]
            if len(keyed) >= 2:
                a, b = keyed[int(op[1] * len(keyed))], keyed[int(op[2] * len(keyed))]
                (ka, va), (kb, vb) = lines[a].split(": ", 1), lines[b].split(": ", 1)
                lines[a], lines[b] = f"{ka}: {vb}", f"{kb}: {va}"
        elif kind == "replace_value":
            keyed = [i for i, line in enumerate(lines) if ": " in line]
            if keyed:
                at = keyed[int(op[1] * len(keyed))]
                lines[at] = lines[at].split(": ", 1)[0] + ": " + op[2]
        if kind in ("insert_line", "delete_line", "duplicate_line", "swap_values", "replace_value"):
            text = "\n".join(lines)
        elif kind == "insert_chars":
            at = int(op[1] * (len(text) + 1))
            text = text[:at] + op[2] + text[at:]
        elif kind == "delete_chars":
            at = int(op[1] * (len(text) + 1))
            text = text[:at] + text[at + op[2]:]
        elif kind == "line_endings":
            text = text.replace("\n", op[1])
        elif kind == "bom":
            text = "\ufeff" + text
    return text


def file_lines(root: Path, rel: str) -> list[str] | None:
    """The file's lines as the checker numbers them (BOM dropped, any line ending), or None if unreadable."""
    try:
        text = (root / rel).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def assert_well_formed(root: Path, diags) -> None:
    for d in diags:
        assert d.code in CODES and d.severity in ("error", "warning"), d
        assert d.message and d.hint, d
        assert d.path and not d.path.startswith("/") and "\\" not in d.path and (root / d.path).is_file(), d
        assert d.line >= 0 and d.column >= 0, d
        if d.line == 0:
            assert d.column == 0, d
            continue
        lines = file_lines(root, d.path)
        if lines is None:
            continue  # an undecodable file: the finding points at the bad byte's line
        assert d.line <= len(lines), (d, len(lines))
        assert 1 <= d.column <= len(lines[d.line - 1]) + 2, (d, lines[d.line - 1])


@settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutations)
def test_mutated_projects_never_crash_the_checker(tmp_path_factory, mutation):
    root = _project(tmp_path_factory)
    target, operations = mutation
    original = (root / target).read_bytes()
    try:
        (root / target).write_bytes(mutate(original.decode("utf-8"), operations).encode("utf-8"))
        # The in-process CLI runs the whole check pipeline; COURSE_DEBUG makes an escaped exception print its traceback.
        result = CliRunner(env={"COURSE_DEBUG": "1"}).invoke(main, ["check", str(root), "--format", "json"], catch_exceptions=False)
        assert "Traceback" not in result.output and "internal error" not in result.output, result.output[-3000:]
        assert result.exit_code in (0, 1), result.output[-2000:]
        diags = [Diagnostic(f["file"], f["line"], f["column"], f["code"], f["severity"], f["message"], f["hint"])
                 for f in json.loads(result.stdout)]
        assert result.exit_code == (1 if any(d.severity == "error" for d in diags) else 0)
        assert_well_formed(root, diags)
        format_text(diags), format_github(diags)
        if result.exit_code == 0 and _BUILDS["done"] < BUILDS:  # clean enough to publish: the page stages must cope too
            _BUILDS["done"] += 1
            out = root.parent / "out"
            built = CliRunner(env={"COURSE_DEBUG": "1"}).invoke(main, ["build", str(root), "--out", str(out), "-q"],
                                                                catch_exceptions=False)
            assert built.exit_code == 0 and "Traceback" not in built.output, built.output[-3000:]
            assert (out / "index.html").is_file()
    finally:
        (root / target).write_bytes(original)


_PROJECTS: dict[str, Path] = {}


def _project(tmp_path_factory) -> Path:
    """One project for the whole run (each example restores the file it broke), so caches stay warm."""
    if "root" not in _PROJECTS:
        _PROJECTS["root"] = make_project(tmp_path_factory.mktemp("fuzz"), EXTRA)
    return _PROJECTS["root"]


def test_the_unmutated_fuzz_project_is_clean(tmp_path):
    root = make_project(tmp_path, EXTRA)
    assert [d.code for d in check(root).diagnostics] == []

"""The bad-input matrix: every broken input gets a finding at its file and line, with a hint; nothing is lost.

Each case builds the valid project once, breaks one thing, builds again, and checks that the second build
fails with exit 1 (2 for usage errors), names the file (and line, where there is one), gives a hint, prints
no traceback, and leaves the previous `_site/` byte for byte as it was. A sample also runs through a real
`python -m builder.cli` process.
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from conftest import BASE, make_project

LESSON = "lessons/1.3/01-first.md"
FIGURE_MODULE = ("import plotly.graph_objects as go\nfrom builder.figures import Option, figure\n\n\n"
                 "@figure('bars', options=[Option('depth', 'int', 10, min=2, max=20)])\n"
                 "def bars(depth: int):\n"
                 "    x = list(range(depth))\n"
                 "    return go.Figure(go.Bar(x=x, y=x))\n")
FIRST = BASE[LESSON]
FINDING = re.compile(r"^  (?P<file>[^\s:]+?)(?::(?P<line>\d+):(?P<column>\d+))?: (?P<severity>error|warning) "
                     r"(?P<code>CB\d{3}): (?P<message>.*)$")


def tree_hash(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def parse_findings(output: str) -> list[dict]:
    """The findings of `course build` text output: file, line (None for a whole file), code, message, hint."""
    findings: list[dict] = []
    for text in output.splitlines():
        match = FINDING.match(text)
        if match:
            found = match.groupdict()
            found["line"] = int(found["line"]) if found["line"] else None
            found["hint"] = ""
            findings.append(found)
        elif text.startswith("      hint: ") and findings:
            findings[-1]["hint"] = text[len("      hint: "):]
    return findings


def with_body(extra: str) -> str:
    """The first lesson with `extra` appended to its body."""
    return FIRST + "\n" + extra


# ------------------------------------------------------------------------------------------ setups

@dataclass
class Setup:
    """What a case needs besides broken files: extra CLI arguments, the site to guard, how to run the build."""

    args: list[str] = field(default_factory=list)
    site: Path | None = None
    """The previous site that must stay unchanged (default: the project's _site)."""
    preexec: Callable[[], None] | None = None
    """Run the build in a subprocess with this preexec_fn (resource limits)."""


def make_readonly(path: Path, request) -> None:
    """Make a folder unwritable even for root (chattr +i), or skip; undone at teardown."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("cannot make a folder read-only as root here (no chattr +i)")
        request.addfinalizer(lambda: subprocess.run(["chattr", "-i", str(path)], capture_output=True))
    else:
        path.chmod(0o555)
        request.addfinalizer(lambda: path.chmod(0o755))


def readonly_output(root: Path, tmp: Path, request) -> Setup:
    root.joinpath(LESSON).write_text(with_body("A changed paragraph.\n"), encoding="utf-8")
    make_readonly(root / "_site", request)
    return Setup()


def readonly_parent(root: Path, tmp: Path, request) -> Setup:
    parent = tmp / "readonly-parent"
    parent.mkdir()
    site = parent / "site"
    assert invoke(["build", str(root), "--out", str(site)])[0] == 0
    root.joinpath(LESSON).write_text(with_body("A changed paragraph.\n"), encoding="utf-8")
    make_readonly(parent, request)
    return Setup(args=["--out", str(site)], site=site)


def file_size_limit() -> None:
    """In the build process: files may not grow past 400 kB (writes fail with EFBIG, as on a full disk)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (400_000, 400_000))


def disk_full_by_rlimit(root: Path, tmp: Path, request) -> Setup:
    root.joinpath(LESSON).write_text(with_body("Long text. " * 60_000), encoding="utf-8")  # a ~700 kB page
    return Setup(args=["--no-cache"], preexec=file_size_limit)


def disk_full_tmpfs(root: Path, tmp: Path, request) -> Setup:
    disk = tmp / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1500k", "tmpfs", str(disk)],
                                           capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root and mount permission)")
    request.addfinalizer(lambda: subprocess.run(["umount", "-l", str(disk)], capture_output=True))
    site = disk / "site"
    code, out = invoke(["build", str(root), "--out", str(site)])
    assert code == 0, out
    root.joinpath(LESSON).write_text(with_body("Long text. " * 120_000), encoding="utf-8")  # ~1.3 MB more than fits
    return Setup(args=["--out", str(site)], site=site)


def foreign_output(root: Path, tmp: Path, request) -> Setup:
    mine = tmp / "mine"
    mine.mkdir()
    (mine / "notes.md").write_text("my notes, not a site\n", encoding="utf-8")
    return Setup(args=["--out", str(mine)], site=mine)


def output_is_a_file(root: Path, tmp: Path, request) -> Setup:
    (root / "README.md").write_text("keep me\n", encoding="utf-8")
    (root / "site.yaml").write_text(BASE["site.yaml"] + "output: README.md\n", encoding="utf-8")
    request.addfinalizer(lambda: (root / "README.md").read_text(encoding="utf-8") == "keep me\n" or pytest.fail("README.md changed"))
    return Setup()


def symlink_out_of_project(root: Path, tmp: Path, request) -> Setup:
    media = root / "content" / "media"
    media.mkdir()
    (media / "passwd.png").symlink_to("/etc/passwd")
    root.joinpath(LESSON).write_text(with_body("![secret](../../content/media/passwd.png)\n"), encoding="utf-8")
    return Setup()


def broken_symlink_lesson(root: Path, tmp: Path, request) -> Setup:
    (root / "lessons/1.3/04-gone.md").symlink_to(root / "lessons/1.3/does-not-exist.md")
    return Setup()


def out_arg(where: str) -> Callable[[Path, Path, object], Setup]:
    def setup(root: Path, tmp: Path, request) -> Setup:
        return Setup(args=["--out", str(root / where)])
    return setup


# ------------------------------------------------------------------------------------------ the matrix

@dataclass
class Case:
    """One broken input and the finding the author must see."""

    id: str
    code: str
    file: str
    line: int | str | None
    """The expected line: a number, a needle whose line in the broken file is meant, or None for a whole-file finding."""
    files: dict[str, str | bytes | None] = field(default_factory=dict)
    """Files to write over the valid project (None deletes)."""
    setup: Callable[[Path, Path, object], Setup] | None = None
    message: str = ""
    """A piece of the message the author sees."""
    exit: int = 1
    marks: tuple = ()


NEST = 100
NESTED = ("".join(":" * (NEST + 3 - i) + f"{{note}} Level {i}\n" for i in range(NEST))
          + "Innermost {oops}`x` text.\n" + "".join(":" * (4 + i) + "\n" for i in range(NEST)))
TOO_DEEP = "".join(":" * (203 - i) + f"{{note}} Level {i}\n" for i in range(200)) + "".join(":" * (4 + i) + "\n" for i in range(200))
BIG = "".join(f"## Section {i}\n\n" + "A long paragraph about gradients and their flow. " * 36
              + "Each layer scales it by $0.25$, see {concept}`alpha` and [the example](#worked-example).\n\n" for i in range(2_700))
assert len(BIG) > 5_000_000
FORMULAS = "".join(f"Formula ${i} + x_{{{i}}}$ here.\n\n" for i in range(10_000))
CRLF = with_body("Text with {concept}`nope`.\n").replace("\n", "\r\n")

CASES = [
    Case("malformed-yaml", "CB202", LESSON, "summary:", {LESSON: FIRST.replace("summary: About First.", "summary: [About First.")},
         message="is not closed"),
    Case("yaml-mapping-value", "CB202", LESSON, "summary:", {LESSON: FIRST.replace("summary: About First.", "summary: About: First.")},
         message="mapping values are not allowed"),
    Case("frontmatter-not-a-mapping", "CB203", LESSON, 2, {LESSON: "---\n- title\n- type\n---\n# Body\n"}),
    Case("frontmatter-not-closed", "CB201", LESSON, 1, {LESSON: FIRST.replace("\n---\n", "\n\n", 1)}, message="never closed"),
    Case("no-frontmatter", "CB201", LESSON, 1, {LESSON: "# Just a body\n\nText.\n"}),
    Case("wrong-type", "CB205", LESSON, "modalities:", {LESSON: FIRST.replace("modalities: [concrete, visual, symbolic]", "modalities: concrete")},
         message="should be a list"),
    Case("yaml-bad-tag", "CB205", LESSON, "title:", {LESSON: FIRST.replace("title: First", "title: !!python/object:os.system rm")}),
    Case("unknown-key", "CB204", LESSON, "colour:", {LESSON: FIRST.replace("summary:", "colour: red\nsummary:")}),
    Case("unknown-depth", "CB207", LESSON, "DEEP", {LESSON: FIRST.replace("depth: DEVELOPED", "depth: DEEP")}, message="`DEEP`"),
    Case("unknown-type", "CB207", LESSON, "HARD", {LESSON: FIRST.replace("type: STRETCH", "type: HARD")}),
    Case("unknown-callout", "CB400", LESSON, ":::{warnin}", {LESSON: with_body(":::{warnin} Careful\nText.\n:::\n")}),
    Case("unknown-figure", "CB411", LESSON, ":::{figure}", {LESSON: with_body(":::{figure} no-such-figure\n:::\n")}),
    Case("unknown-role", "CB401", LESSON, "{foo}", {LESSON: with_body("See {foo}`bar`.\n")}),
    Case("unknown-concept-role", "CB402", LESSON, "{concept}`nope`", {LESSON: with_body("See {concept}`nope`.\n")}),
    Case("duplicate-slug", "CB211", "lessons/1.3/04-first.md", 2, {"lessons/1.3/04-first.md": FIRST}, message="already used"),
    Case("file-name-without-number", "CB209", "lessons/1.3/intro.md", None, {"lessons/1.3/intro.md": FIRST}),
    Case("lesson-outside-modules", "CB103", "lessons/9.9/01-stray.md", None, {"lessons/9.9/01-stray.md": FIRST}),
    Case("module-without-page", "CB102", "site.yaml", 3, {"site.yaml": BASE["site.yaml"].replace('["1.3"]', '["1.3", "2.0"]')}),
    Case("module-id-escapes", "CB101", "site.yaml", 3, {"site.yaml": BASE["site.yaml"].replace('["1.3"]', '["1.3", "../../x"]')}),
    Case("alias-cycle", "CB105", "content/concepts.yaml", "aliases: [gamma]",
         {"content/concepts.yaml": BASE["content/concepts.yaml"].replace("  name: Beta idea\n", "  name: Beta idea\n  aliases: [gamma]\n")
          .replace("  name: Gamma idea\n", "  name: Gamma idea\n  aliases: [beta]\n")}, message="also the id of concept"),
    Case("empty-file", "CB201", LESSON, 1, {LESSON: ""}, message="empty"),
    Case("binary-file", "CB200", LESSON, None, {LESSON: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, message="binary"),
    Case("non-utf8", "CB200", LESSON, "summary:", {LESSON: FIRST.replace("About First.", "Caf\udce9").encode("utf-8", "surrogateescape")},
         message="not valid UTF-8"),
    Case("utf8-bom", "CB207", LESSON, "HARD", {LESSON: "\ufeff" + FIRST.replace("type: STRETCH", "type: HARD")}),
    Case("crlf", "CB402", LESSON, "{concept}`nope`", {LESSON: CRLF}),
    Case("tabs-in-yaml", "CB202", LESSON, "\tobjective", {LESSON: FIRST.replace("summary: About First.\n", "summary: About First.\n\tobjective: x\n")},
         message="tab"),
    Case("broken-symlink-lesson", "CB200", "lessons/1.3/04-gone.md", None, setup=broken_symlink_lesson),
    Case("lesson-5mb", "CB404", LESSON, "[last](#nowhere)", {LESSON: with_body(BIG + "A [last](#nowhere) link.\n")}),
    Case("formulas-10k", "CB410", LESSON, "\\frac{", {LESSON: with_body(FORMULAS + "And $\\frac{1$ is broken.\n")}),
    Case("nested-100-callouts", "CB401", LESSON, "{oops}", {LESSON: with_body(NESTED)}),
    Case("nested-too-deep", "CB413", LESSON, "Level 127\n", {LESSON: with_body(TOO_DEEP)}),
    Case("unclosed-callout", "CB406", LESSON, ":::{note} Open", {LESSON: with_body(":::{note} Open\nText.\n")}),
    Case("unclosed-code-fence", "CB406", LESSON, "```python", {LESSON: with_body("```python\nprint(1)\n")}),
    Case("broken-formula", "CB410", LESSON, "$\\frac{a$", {LESSON: with_body("See $\\frac{a$ here.\n")}),
    Case("link-missing-lesson", "CB404", LESSON, "(02-nope.md)", {LESSON: with_body("See [it](02-nope.md).\n")}),
    Case("link-missing-anchor", "CB404", LESSON, "(02-second.md#nope)", {LESSON: with_body("See [it](02-second.md#nope).\n")}),
    Case("link-missing-own-anchor", "CB404", LESSON, "(#nada)", {LESSON: with_body("See [it](#nada).\n")}),
    Case("image-outside-project", "CB404", LESSON, "![p]", {LESSON: with_body("![p](../../../../../../../../etc/passwd)\n")},
         message="outside the project"),
    Case("image-absolute-path", "CB404", LESSON, "![p]", {LESSON: with_body("![p](/etc/passwd)\n")}, message="outside the project"),
    Case("image-inside-resolving", "CB404", LESSON, "![p]", {LESSON: with_body("![p](../../etc/passwd)\n")}, message="does not exist"),
    Case("image-symlink-out", "CB404", LESSON, "![secret]", setup=symlink_out_of_project, message="outside the project"),
    Case("hidden-file-link", "CB404", LESSON, "[cfg]", {LESSON: with_body("[cfg](../../.course-cache/x)\n")}, message="hidden"),
    Case("javascript-link", "CB405", LESSON, "[x](", {LESSON: with_body("[x](JaVaScRiPt:alert(1))\n")}),
    Case("figure-option-out-of-range", "CB408", LESSON, ":depth:", {LESSON: with_body(":::{figure} bars\n:depth: 1000\n:::\n"),
                                                                   "content/figures/bars.py": FIGURE_MODULE},
         message="out of range"),
    Case("figure-module-fails", "CB414", "content/figures/bars.py", 3, {LESSON: with_body(":::{figure} bars\n:::\n"),
                                                                      "content/figures/bars.py": "import plotly\n\n1 / 0\n"},
         message="does not load"),
    Case("figure-function-raises", "CB414", "content/figures/bars.py", 8, {
        LESSON: with_body(":::{figure} bars\n:::\n"), "content/figures/bars.py": FIGURE_MODULE.replace("return go.Figure", "raise ValueError('no bars'); go.Figure")},
        message="raised ValueError: no bars"),
    Case("site-yaml-empty", "CB100", "site.yaml", 1, {"site.yaml": ""}, message="empty"),
    Case("site-yaml-invalid", "CB100", "site.yaml", 1, {"site.yaml": "title: [Test\nmodules: [\"1.3\"]\n"}),
    Case("site-yaml-not-utf8", "CB100", "site.yaml", 1, {"site.yaml": b"title: Caf\xe9\nmodules: ['1.3']\n"}),
    Case("site-yaml-wrong-type", "CB101", "site.yaml", 3, {"site.yaml": BASE["site.yaml"].replace('["1.3"]', "1.3")}),
    Case("site-yaml-bad-severity", "CB101", "site.yaml", 5, {"site.yaml": BASE["site.yaml"] + "rules:\n  severity: [CB310]\n"}),
    Case("output-is-project", "CB500", "site.yaml", None, setup=out_arg("."), message="project folder"),
    Case("output-is-source-folder", "CB500", "site.yaml", None, setup=out_arg("lessons"), message="source folder"),
    Case("output-inside-source-folder", "CB500", "site.yaml", None, {"site.yaml": BASE["site.yaml"] + "output: content/site\n"},
         message="source folder"),
    Case("output-holds-foreign-files", "CB500", "site.yaml", None, setup=foreign_output, message="not made by `course build`"),
    Case("output-is-a-file", "CB500", "site.yaml", None, setup=output_is_a_file, message="is a file"),
    Case("readonly-output", "CB501", "_site", None, setup=readonly_output, message="could not write"),
    Case("readonly-parent", "CB501", "*", None, setup=readonly_parent, message="could not write"),
    Case("disk-full-rlimit", "CB501", "_site", None, setup=disk_full_by_rlimit, message="File too large"),
    Case("disk-full-tmpfs", "CB501", "*", None, setup=disk_full_tmpfs, message="No space left"),
]
SUBPROCESS_SAMPLE = {"malformed-yaml", "binary-file", "crlf", "nested-too-deep", "image-outside-project", "site-yaml-invalid",
                     "output-is-project", "alias-cycle", "unclosed-code-fence", "disk-full-rlimit"}


def invoke(args: list[str]) -> tuple[int, str]:
    """The CLI in-process (exceptions propagate: a traceback fails the test)."""
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result.exit_code, result.output


def run_process(args: list[str], preexec: Callable[[], None] | None = None) -> tuple[int, str]:
    """The CLI as a real process; (exit code, stdout + stderr)."""
    proc = subprocess.run([sys.executable, "-m", "builder.cli", *args], capture_output=True, text=True,
                          preexec_fn=preexec, timeout=300)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The valid BASE project, built once (its _site/ and .course-cache/ are copied into each case)."""
    root = make_project(tmp_path_factory.mktemp("built"), {})
    code, out = invoke(["build", str(root), "-q"])
    assert code == 0, out
    return root


def fresh_copy(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built, root, symlinks=True)
    return root


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.unlink()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8", newline="")


def expected_line(case: Case, root: Path) -> int | None:
    if case.line is None or isinstance(case.line, int):
        return case.line
    text = (root / case.file).read_bytes().decode("utf-8", "replace")
    at = text.index(case.line)
    return text.count("\n", 0, at) + 1


def run_case(case: Case, built: Path, tmp_path: Path, request, subprocess_run: bool) -> None:
    root = fresh_copy(built, tmp_path)
    write_files(root, case.files)
    setup = case.setup(root, tmp_path, request) if case.setup else Setup()
    site = setup.site or root / "_site"
    before = tree_hash(site) if site.is_dir() else None
    args = ["build", str(root), *setup.args]
    if subprocess_run or setup.preexec:
        code, output = run_process(args, setup.preexec)
    else:
        code, output = invoke(args)

    assert code == case.exit, output[-3000:]
    assert "Traceback" not in output and "internal error" not in output, output[-3000:]
    findings = parse_findings(output)
    assert findings, output[-3000:]
    assert all(f["hint"] for f in findings), [f for f in findings if not f["hint"]]
    matching = [f for f in findings if f["code"] == case.code and (case.file == "*" or f["file"] == case.file)]
    assert matching, f"expected {case.code} in {case.file}; got {[(f['code'], f['file'], f['line']) for f in findings]}"
    line = expected_line(case, root) if case.file != "*" else None
    assert line in [f["line"] for f in matching], f"expected line {line}, got {[f['line'] for f in matching]}"
    assert any(case.message in f["message"] for f in matching), [f["message"] for f in matching]
    if os.environ.get("COURSE_MATRIX_REPORT"):  # the matrix as a table: case, finding, message (for release notes)
        f = next(f for f in matching if case.message in f["message"])
        with open(os.environ["COURSE_MATRIX_REPORT"], "a", encoding="utf-8") as report:
            report.write(f"| {case.id} | {f['code']} | {f['file']}:{f['line'] or '-'} | {f['message']} |\n")
    if before is not None:
        assert tree_hash(site) == before, "the previous site changed"
    assert not list(site.parent.glob(f".{site.name}.tmp-*")), "temporary build folder left behind"


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES])
def test_bad_input(case: Case, built, tmp_path, request):
    run_case(case, built, tmp_path, request, subprocess_run=False)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES if c.id in SUBPROCESS_SAMPLE])
def test_bad_input_in_a_real_process(case: Case, built, tmp_path, request):
    run_case(case, built, tmp_path, request, subprocess_run=True)


# ------------------------------------------------------------------------------------------ usage errors: exit 2

@pytest.mark.parametrize("args", [
    pytest.param(["check", "--format", "xml"], id="unknown-format"),
    pytest.param(["build", "--frobnicate"], id="unknown-option"),
    pytest.param(["build", "--out"], id="option-without-value"),
    pytest.param(["build", "--out", "site.yaml"], id="out-is-a-file"),
    pytest.param(["frobnicate"], id="unknown-command"),
])
def test_usage_errors_exit_2_and_keep_the_site(args, built, tmp_path):
    root = fresh_copy(built, tmp_path)
    before = tree_hash(root / "_site")
    args = [a if a != "site.yaml" else str(root / a) for a in args]
    code, output = run_process([*args, str(root)] if args[-1] != "--out" else [args[0], str(root), "--out"])
    assert code == 2 and "Traceback" not in output and "Error:" in output
    assert tree_hash(root / "_site") == before


def test_project_folder_that_does_not_exist_is_a_usage_error(tmp_path):
    code, output = run_process(["build", str(tmp_path / "nowhere")])
    assert code == 2 and "Traceback" not in output and "does not exist" in output and output.count("\n") == 1


# ------------------------------------------------------------------------------------------ what must keep working

def test_100_nested_callouts_build_with_every_level(project):
    root = project({LESSON: with_body(NESTED.replace("{oops}`x`", "deepest"))})
    code, out = invoke(["build", str(root), "-q"])
    assert code == 0, out
    html = (root / "_site/first/index.html").read_text(encoding="utf-8")
    assert "Innermost deepest text." in html and html.count("callout-note") == NEST


def test_bom_and_crlf_lessons_build_like_plain_ones(project):
    plain = project()
    assert invoke(["build", str(plain), "-q"])[0] == 0
    expected = (plain / "_site/first/index.html").read_bytes()
    shutil.rmtree(plain / "_site")
    (plain / LESSON).write_bytes(("\ufeff" + FIRST).replace("\n", "\r\n").encode("utf-8"))
    assert invoke(["build", str(plain), "-q"])[0] == 0
    assert (plain / "_site/first/index.html").read_bytes() == expected


def test_every_finding_of_a_broken_lesson_comes_out_together(project):
    """A lesson with a bad `type` is still checked: its body's findings come out in the same run."""
    text = FIRST.replace("type: STRETCH", "type: HARD") + "\n:::{warnin} x\nText.\n:::\n\n{foo}`bar`\n"
    findings = parse_findings(invoke(["build", str(project({LESSON: text}))])[1])
    assert {f["code"] for f in findings} == {"CB207", "CB400", "CB401"}


@pytest.mark.parametrize("definition", ["The first idea, with $x^2'$.", '"The first idea, with $x^2\'$."',
                                        "|\n    The first idea, with $x^2'$."])
def test_a_formula_error_in_a_concept_definition_points_into_the_definition(project, definition):
    """A definition is rendered apart from its file, as the glossary's: its findings still point at the definition
    (not at the concept's id, a few lines up), at the column of the bad character."""
    from builder.pipeline import check

    concepts = BASE["content/concepts.yaml"].replace("  aliases: [the alpha]\n", "  aliases: [the alpha]\n  aliases: [the alpha]\n")
    root = project({"content/concepts.yaml": concepts.replace("The first idea, with $x^2$.", definition)})
    found = [d for d in check(root).diagnostics if d.code == "CB410"]
    assert len(found) == 1
    line = (root / "content/concepts.yaml").read_text().split("\n")[found[0].line - 1]
    assert "The first idea" in line and line[found[0].column - 1] == "'", (found[0], line)

"""The CLI contract of DESIGN.md: formats, exit codes, grouping, usage errors."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import BASE, REPO, run


def broken(project):
    third = BASE["lessons/1.3/03-third.md"].replace("source: second", "source: first")
    first = BASE["lessons/1.3/01-first.md"].replace("summary:", "sumary:")
    return project({"lessons/1.3/03-third.md": third, "lessons/1.3/01-first.md": first})


def test_json_has_exactly_the_contract_keys(project):
    code, out = run("check", str(broken(project)), "--format", "json")
    findings = json.loads(out)
    assert code == 1 and len(findings) == 2
    for f in findings:
        assert set(f) == {"code", "severity", "file", "line", "column", "message", "hint"}
        assert f["severity"] in ("error", "warning") and f["line"] >= 1 and f["column"] >= 1
        assert not f["file"].startswith("/")


def test_text_is_grouped_by_file_and_ends_with_a_count(project):
    code, out = run("check", str(broken(project)))
    lines = out.strip().splitlines()
    assert lines[0] == "lessons/1.3/01-first.md"
    assert "lessons/1.3/03-third.md" in lines
    assert lines[-1] == "2 errors, 0 warnings in 2 files."
    assert any(line.strip().startswith("hint:") for line in lines)


def test_github_annotations(project):
    code, out = run("check", str(broken(project)), "--format", "github")
    first = out.splitlines()[0]
    assert first.startswith("::error file=lessons/1.3/01-first.md,line=") and ",col=1,title=CB204::" in first


def test_exit_codes(project, tmp_path):
    assert run("check", str(project()))[0] == 0
    assert run("check", str(broken(project)))[0] == 1
    assert run("check", "--format", "xml", str(project()))[0] == 2
    assert run("check", str(tmp_path / "does-not-exist"))[0] == 2
    assert run("frobnicate")[0] == 2


def test_strict_fails_on_warnings(project):
    root = project({"lessons/1.3/01-first.md": BASE["lessons/1.3/01-first.md"] + "\nSee {concept}`zeta`.\n"})
    assert run("check", str(root))[0] == 0
    assert run("check", "--strict", str(root))[0] == 1
    assert run("build", "--strict", str(root))[0] == 1 and not (root / "_site").exists()


def test_console_script_and_version():
    out = subprocess.run([sys.executable, "-m", "builder.cli", "--version"], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0 and out.stdout.startswith("course, version ")


def test_no_traceback_for_bad_input(project):
    root = project({"site.yaml": "title: [\n"})
    proc = subprocess.run([sys.executable, "-m", "builder.cli", "build", str(root)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and "site.yaml:" in proc.stderr


def test_every_code_is_documented_in_the_readme():
    from builder.model.diagnostics import CODES

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in readme]
    assert not missing, f"README lacks {missing}"

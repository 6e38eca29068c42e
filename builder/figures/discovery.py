"""Loading a course's figure code: every content/figures/*.py imported as a module of the package `course_figures`
(so the modules can import each other: `from .style import base_layout`), their declarations collected.

This runs the course's own Python, as Sphinx runs conf.py and MkDocs runs hooks: check and build a course you
trust. What goes wrong (an import error, a wrong declaration) is a finding at the file and line, never a traceback.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import importlib
import sys
import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..incremental.keys import BUILDER, content_key, package_versions, source_fingerprint
from ..model.diagnostics import Diagnostic, Pos, error
from ..model.figures import FigureCatalog, FigureDecl
from . import api

PACKAGE = "course_figures"
FOLDER = Path("content") / "figures"


@dataclass(frozen=True)
class CourseFigures:
    """A course's loaded figure code: the catalog (data) and each figure's declaration (with its function)."""

    catalog: FigureCatalog
    declarations: Mapping[str, api.Declaration]


NONE = CourseFigures(FigureCatalog({}, (), ()), {})
_LOADED: dict[tuple[str, str], CourseFigures] = {}


def load_figures(root: Path) -> CourseFigures:
    """Import the course's figure modules (once per process and version of their source)."""
    folder = root / FOLDER
    files = sorted(p for p in folder.glob("*.py") if p.name != "__init__.py") if folder.is_dir() else []
    if not files:
        return NONE
    sources = {p.stem: p.read_bytes() for p in files}
    key = (str(folder.resolve()), hashlib.sha256(repr(sorted(sources.items())).encode()).hexdigest())
    if key not in _LOADED:
        _LOADED.clear()  # an older version of the same modules is never used again
        _LOADED[key] = _import_all(root, folder, files, sources)
    return _LOADED[key]


def _import_all(root: Path, folder: Path, files: list[Path], sources: dict[str, bytes]) -> CourseFigures:
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    package = types.ModuleType(PACKAGE, "The course's figure modules (content/figures/).")
    package.__path__ = [str(folder)]  # type: ignore[attr-defined]
    sys.modules[PACKAGE] = package
    diags: list[Diagnostic] = []
    broken: list[str] = []
    api.DECLARED.clear()
    for file in files:
        rel = _rel(root, file)
        try:
            with contextlib.redirect_stdout(sys.stderr):  # stdout is for findings (`--format json`)
                importlib.import_module(f"{PACKAGE}.{file.stem}")
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - anything the author's module does is a finding
            where, at = failure_position(exc, root, folder, rel)
            broken.append(rel)
            diags.append(error("CB414", where, at, f"figure module {rel} does not load: {describe(exc)}",
                               "Fix the error at this line; run `python " + rel + "` to see it in full. Its figures are "
                               "unknown until the module loads."))
    declared, api.DECLARED[:] = list(api.DECLARED), []
    imports = {stem: _imported_siblings(source, set(sources)) for stem, source in sources.items()}
    figures: dict[str, FigureDecl] = {}
    declarations: dict[str, api.Declaration] = {}
    for decl in declared:
        rel = _rel(root, decl.file)
        if rel in broken:
            continue
        problems = list(decl.problems)
        if decl.id in figures:
            first = figures[decl.id]
            problems.append(f"figure id {decl.id!r} is already declared at {first.path}:{first.line}")
        if problems:
            diags += [error("CB414", rel, Pos(decl.line), f"figure `{decl.id}`: {p}", "Fix the declaration; see docs/figures.md.")
                      for p in problems]
            continue
        stem = decl.file.stem
        code = {name: sources[name] for name in _closure(stem, imports)}
        fingerprint = content_key("figure-code", decl.id, sorted((n, s.decode("utf-8", "replace")) for n, s in code.items()),
                                  _runtime_fingerprint())
        figures[decl.id] = FigureDecl(decl.id, decl.kind, decl.title, decl.options, rel, decl.line, fingerprint, decl.digits)
        declarations[decl.id] = decl
    return CourseFigures(FigureCatalog(figures, tuple(diags), tuple(broken)), declarations)


def _runtime_fingerprint() -> str:
    """What every computed figure depends on besides the course's code: the model, the figure runtime, numpy, plotly."""
    return content_key(source_fingerprint(BUILDER / "dynamics"), source_fingerprint(BUILDER / "figures"),
                       package_versions("numpy", "plotly"))


def _imported_siblings(source: bytes, siblings: set[str]) -> set[str]:
    """The other course figure modules a module imports (`from .x import`, `from . import x`, `course_figures.x`)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1 or module == PACKAGE or module.startswith(PACKAGE + "."):
                base = module.removeprefix(PACKAGE).lstrip(".")
                found |= {base.split(".")[0]} if base else {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[1] for alias in node.names if alias.name.startswith(PACKAGE + ".")}
    return found & siblings


def _closure(stem: str, imports: dict[str, set[str]]) -> set[str]:
    """A module and every course module it imports, directly or not."""
    seen, todo = set(), [stem]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += sorted(imports.get(name, ()))
    return seen


def failure_position(exc: BaseException, root: Path, folder: Path, fallback: str) -> tuple[str, Pos | None]:
    """Where in the course's figure code an exception happened: the last traceback frame inside content/figures/
    (for a syntax error, the line it names)."""
    if isinstance(exc, SyntaxError) and exc.filename and Path(exc.filename).resolve().is_relative_to(folder.resolve()):
        return _rel(root, Path(exc.filename)), Pos(exc.lineno or 1, exc.offset or 1)
    where, at = fallback, None
    tb = exc.__traceback__
    while tb is not None:
        path = Path(tb.tb_frame.f_code.co_filename)
        if path.suffix == ".py" and path.resolve().is_relative_to(folder.resolve()):
            where, at = _rel(root, path), Pos(tb.tb_lineno)
        tb = tb.tb_next
    return where, at


def describe(exc: BaseException) -> str:
    """`ZeroDivisionError: division by zero` (a syntax error without its file, which the finding names)."""
    if isinstance(exc, SyntaxError):
        return f"SyntaxError: {exc.msg}"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _rel(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()

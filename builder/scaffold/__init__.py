"""Starting content: a new course project (`course new project`, `course init`) and a new lesson (`course new lesson`).

The project is the folder builder/scaffold/project/ (shipped as package data): two short real lessons that pass
`course check --strict`, a computed figure, CI, a README. Nothing is ever overwritten.
"""

from __future__ import annotations

import json
import re
import unicodedata
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..load.config import load_config
from ..load.lessons import LESSON_NAME
from ..load.skeleton import LESSON

TEMPLATE = Path(__file__).resolve().parent / "project"


class ScaffoldError(Exception):
    """The scaffold would overwrite something, or the place is unusable; the message says which and what to do."""


def new_project(folder: Path, title: str | None = None) -> list[str]:
    """Write a course into `folder`, which must be new or empty. The files written, relative to it."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} is not empty: `course new project` starts a course in a new or empty folder "
                            f"(to add a course beside what is in a folder, run `course init` there)")
    return _write(folder, title)


SHARED = ("README.md", ".gitignore")
"""Files a repository already has and the course can share: an existing README is kept as it is; an existing
.gitignore gets the course's lines it lacks appended."""


def init_project(folder: Path, title: str | None = None) -> list[str]:
    """Write a course into an existing folder (a repository with a README, .git ...), refusing if any file it would
    write is there already (a README and a .gitignore are shared, not replaced)."""
    if not folder.is_dir():
        raise ScaffoldError(f"{folder} is not a folder")
    clashes = [rel for rel in _files() if rel not in SHARED and (folder / rel).exists()]
    if clashes:
        raise ScaffoldError(f"{folder} already has {', '.join(clashes)}: `course init` never overwrites a file "
                            "(move them away, or start the course in a new folder with `course new project DIR`)")
    shared = [rel for rel in SHARED if (folder / rel).exists()]
    written = _write(folder, title, skip=shared)
    ignore = folder / ".gitignore"
    if ".gitignore" in shared:
        have = ignore.read_text(encoding="utf-8")
        missing = [line for line in (TEMPLATE / ".gitignore").read_text(encoding="utf-8").splitlines()
                   if line.strip() and line not in have.splitlines()]
        if missing:
            with open(ignore, "a", encoding="utf-8") as out:
                out.write(("" if have.endswith("\n") or not have else "\n") + "\n".join(missing) + "\n")
            written.append(".gitignore (lines added)")
    return written


def new_lesson_file(root: Path, title: str, module_id: str | None, lesson_type: str) -> Path:
    """Write a draft lesson at the module's next position; ValueError when the module is unknown or the slug taken."""
    config = load_config(root)
    module_id = module_id or config.modules[-1]
    if module_id not in config.modules:
        raise ValueError(f"module `{module_id}` is not in site.yaml's modules ({', '.join(config.modules)})")
    slug = slugify(title)
    folder = root / "lessons" / module_id
    existing = [LESSON_NAME.match(p.name) for p in sorted((root / "lessons").rglob("*.md"))]
    if any(m and m.group(2) == slug for m in existing):
        raise ValueError(f"a lesson with slug `{slug}` already exists; choose another title")
    positions = [int(m.group(1)) for p in folder.glob("*.md") if (m := LESSON_NAME.match(p.name))]
    path = folder / f"{max(positions, default=0) + 1:02d}-{slug}.md"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(LESSON.format(title=_yaml_text(title), type=lesson_type), encoding="utf-8")
    return path


def slugify(title: str) -> str:
    """A lesson slug from its title: lower case ASCII words joined by hyphens."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "lesson"


def install_spec() -> str:
    """What pip should install course-builder from in the course's CI: this installation's git URL when it came
    from one, else the package at this version."""
    try:
        direct = metadata.distribution("course-builder").read_text("direct_url.json")
        data = json.loads(direct) if direct else {}
    except (metadata.PackageNotFoundError, ValueError):
        data = {}
    vcs = data.get("vcs_info")
    if vcs and str(data.get("url", "")).startswith(("https://", "ssh://", "git@")):
        return f"git+{data['url']}@{vcs.get('commit_id', '')}".rstrip("@")
    return f"course-builder=={__version__}"


def _files() -> list[str]:
    """The template's files, without what Python or a build left beside them (pip byte-compiles the template's
    figure module into __pycache__ when it installs the package)."""
    return sorted(rel.as_posix() for p in TEMPLATE.rglob("*")
                  if p.is_file() and not _generated(rel := p.relative_to(TEMPLATE)))


def _generated(rel: Path) -> bool:
    return bool({"__pycache__", ".course-cache", "_site"} & set(rel.parts)) or rel.suffix in (".pyc", ".pyo")


def _write(folder: Path, title: str | None, skip: list[str] | tuple[str, ...] = ()) -> list[str]:
    title = title or folder.resolve().name.replace("-", " ").replace("_", " ").strip().capitalize() or "My course"
    values = {"{{COURSE_TITLE}}": title, "{{INSTALL_SPEC}}": install_spec()}
    written = []
    for rel in _files():
        if rel in skip:
            continue
        text = (TEMPLATE / rel).read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(key, _yaml_text(value) if rel == "site.yaml" and key == "{{COURSE_TITLE}}" else value)
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8") as out:  # "x": never overwrite, even if it appeared meanwhile
            out.write(text)
        written.append(rel)
    return written


def _yaml_text(text: str) -> str:
    """A title as a YAML scalar: plain when that is safe, else double-quoted."""
    if re.fullmatch(r"[\w ,.()'-]+", text) and not text[:1].isdigit():
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

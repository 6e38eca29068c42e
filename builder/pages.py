"""Jinja2: the one environment (StrictUndefined, autoescape) and the typed context of each page kind."""

from __future__ import annotations

import functools
import hashlib

import html as html_module
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .config import SiteConfig


def default_theme_dir() -> Path:
    """The default theme shipped with course-builder: the repository's theme/ folder, installed as builder.theme."""
    source_checkout = Path(__file__).resolve().parent.parent / "theme"
    if (source_checkout / "templates").is_dir():  # running from a checkout (editable install, or tests from the repo)
        return source_checkout
    return Path(importlib.import_module("builder.theme").__file__).parent  # type: ignore[arg-type]


def theme_dirs(config: SiteConfig) -> list[Path]:
    """Theme folders in lookup order: the site's overrides first, then the default theme."""
    dirs = [config.theme_dir] if config.theme_dir else []
    return [*dirs, default_theme_dir()]


def make_environment(config: SiteConfig) -> jinja2.Environment:
    """The Jinja2 environment: templates/ and partials/ of each theme folder, strict and autoescaped."""
    search = []
    for folder in theme_dirs(config):
        search += [str(folder / "templates"), str(folder)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["depth_class"] = lambda depth: str(depth).lower()
    env.filters["highlight"] = highlight
    env.filters["plain_text"] = plain_text
    env.tests["with_math"] = has_math
    return env


_TAGS = re.compile(r"<[^>]+>")
_MATH_PLACEHOLDER = re.compile("\x02M(\\d+)\x03")
TEXT_PLACEHOLDER = re.compile("\x02T(\\d+)\x03")
"""Formula n as plain text, inside an attribute; the page stage replaces it (see assemble.fill)."""
_FRAC = re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}")
_TEX_COMMAND = re.compile(r"\\[a-zA-Z]+")
_TEX_WORDS = {"approx": "≈", "times": "×", "cdot": "·", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠",
              "to": "→", "infty": "∞", "sum": "Σ", "partial": "∂", "sqrt": "√", "pm": "±", "alpha": "α", "beta": "β",
              "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ",
              "sigma": "σ", "nabla": "∇", "ell": "ℓ", "left": "", "right": "", "mathrm": "", "text": "", "operatorname": ""}


def plain_text(fragment: str) -> str:
    """Text of a rendered fragment for an attribute (aria-label): tags dropped, each formula marked to become its
    plain-text reading. Browsers leave MathML out of accessible names, so a label that is only math would be empty."""
    text = _MATH_PLACEHOLDER.sub(lambda m: f"\x02T{m.group(1)}\x03", str(fragment))
    return " ".join(html_module.unescape(_TAGS.sub(" ", text)).split())


def has_math(fragment: str) -> bool:
    """Whether a rendered fragment holds a formula (a math placeholder)."""
    return "\x02M" in str(fragment)


def tex_words(tex: str) -> str:
    """A formula's TeX, lightly simplified for reading aloud: \\frac{a}{b} -> (a)/(b), \\approx -> ≈, braces dropped."""
    tex = _FRAC.sub(r"(\1)/(\2)", tex)
    tex = _TEX_COMMAND.sub(lambda m: _TEX_WORDS.get(m.group(0)[1:], m.group(0)[1:]), tex)
    return " ".join(tex.replace("{", "").replace("}", "").split())


def highlight(code: str, language: str) -> Markup:
    """Code highlighted at build time by Pygments (plain, escaped text for unknown languages)."""
    from pygments import highlight as pygmentize

    lexer = _lexer(language) if language else None
    if lexer is None:
        return Markup('<pre class="highlight"><code>') + code + Markup("</code></pre>")
    return Markup(pygmentize(code, lexer, _formatter()))


@functools.lru_cache(maxsize=64)
def _lexer(language: str):  # type: ignore[no-untyped-def]
    """Pygments' lexer for a fence's language name (None if unknown); one per name and process."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language)
    except ClassNotFound:
        return None


@functools.lru_cache(maxsize=1)
def _formatter():  # type: ignore[no-untyped-def]
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(cssclass="highlight", wrapcode=True)


class Partials:
    """Renders theme partials for the Markdown renderer; returns safe HTML strings."""

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self._cache: dict[str, jinja2.Template] = {}

    def __call__(self, name: str, **context: Any) -> str:
        template = self._cache.get(name)
        if template is None:
            template = self._cache[name] = self.env.get_template(f"partials/{name}")
        for key, value in context.items():
            if key.endswith("_html") or key in ("math",):
                context[key] = Markup(value)
        if "choices" in context:
            context["choices"] = [{**c, "html": Markup(c["html"])} for c in context["choices"]]
        return template.render(**context)


@dataclass(frozen=True)
class NavLesson:
    """A lesson as it appears in navigation."""

    slug: str
    title: str
    type: str
    position: int
    summary: str
    """The summary as written (plain text, TeX spelled out in words): for meta descriptions."""
    href: str
    summary_html: Markup = Markup("")
    """The summary rendered (inline Markdown and math): for lesson cards."""


@dataclass(frozen=True)
class NavModule:
    """A module as it appears in navigation."""

    id: str
    title: str
    href: str
    lessons: tuple[NavLesson, ...]


@dataclass(frozen=True)
class SiteInfo:
    """Site-wide facts every page shows."""

    title: str
    description: str
    language: str
    modules: tuple[NavModule, ...]
    repo_url: str
    url: str = ""
    """The published address ending in "/" (canonical links, sitemap.xml); empty when site.yaml has none."""
    nav_expand_all: bool = True
    """Whether the sidebar lists every module's lessons (a small course) or only the current module's."""


@dataclass(frozen=True)
class PageBase:
    """What every page template receives."""

    site: SiteInfo
    root: str
    """Relative URL prefix to the site root."""
    title: str
    description: str
    url_path: str
    """The page's path below the site root, e.g. "training-dynamics/"."""
    has_math: bool = False
    has_figures: bool = False
    has_code: bool = False
    """Whether the page has highlighted code blocks (it then links the code colours)."""
    live_reload: bool = False
    extra_scripts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConceptDepth:
    """A concept at a depth, linked to the lesson that established it."""

    id: str
    name: str
    depth: str
    source: str
    source_href: str
    """Link to the lesson that established it (empty for an earlier module's lesson)."""
    note_html: Markup = Markup("")
    old_depth: str = ""
    source_title: str = ""
    """That lesson's title (empty for an earlier module's lesson, known only by its slug)."""


@dataclass(frozen=True)
class LessonPage(PageBase):
    """A lesson page."""

    lesson_slug: str = ""
    lesson_type: str = ""
    module_id: str = ""
    module_title: str = ""
    position: int = 0
    count: int = 0
    title_html: Markup = Markup("")
    objective_html: Markup = Markup("")
    summary_html: Markup = Markup("")
    body_html: Markup = Markup("")
    prerequisites: tuple[ConceptDepth, ...] = ()
    gains: tuple[ConceptDepth, ...] = ()
    headings: tuple[Any, ...] = ()
    previous: NavLesson | None = None
    next: NavLesson | None = None
    edit_url: str = ""


@dataclass(frozen=True)
class ModuleMisconception:
    """A module-level misconception and the lesson that addresses it."""

    claim_html: Markup
    lesson: NavLesson | None
    """The lesson that addresses it, when `where` names one."""
    anchor: str = ""
    """Else the id on the module page that addresses it."""


@dataclass(frozen=True)
class ModulePage(PageBase):
    """A module page."""

    module: NavModule | None = None
    goal_html: Markup = Markup("")
    body_html: Markup = Markup("")
    misconceptions: tuple[ModuleMisconception, ...] = ()
    grid: LedgerGrid | None = None
    """The module's concept x lesson depth grid."""
    load: tuple[dict[str, Any], ...] = ()
    """Per lesson: position, slug, type, new-concept count (the cognitive-load trajectory)."""
    max_load: int = 1


@dataclass(frozen=True)
class GridCell:
    """A concept's depth after one lesson of a module."""

    depth: str
    changed: bool
    """The depth differs from the one before this lesson."""
    taught: bool
    """This lesson's `teaches` lists the concept (raised or reinforced)."""


@dataclass(frozen=True)
class GridRow:
    """One concept across one module's lessons."""

    id: str
    name: str
    before: str
    """Its depth entering the module ("" = unknown)."""
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class LedgerGrid:
    """A module's concept x lesson depth grid: the concepts its lessons require or teach."""

    module: NavModule
    rows: tuple[GridRow, ...]


@dataclass(frozen=True)
class GlossaryEntry:
    """One concept on the ledger page: definition and where its depth was set."""

    id: str
    name: str
    aliases: tuple[str, ...]
    definition_html: Markup
    prior: str
    """Its depth before the course (prior.yaml), or ""."""
    taught: tuple[tuple[NavLesson, str], ...]
    """Each lesson that teaches it, with the depth after that lesson."""


@dataclass(frozen=True)
class ConceptsPage(PageBase):
    """The ledger page (/concepts/)."""

    grids: tuple[LedgerGrid, ...] = ()
    """One per module; empty when the course is too big for one page (module pages show their own)."""
    glossary: tuple[GlossaryEntry, ...] = ()
    depths: tuple[str, ...] = ()


@dataclass(frozen=True)
class HomePage(PageBase):
    """The course home page."""

    concept_count: int = 0
    lesson_count: int = 0


@dataclass(frozen=True)
class NotFoundPage(PageBase):
    """The 404 page."""


def theme_fingerprint(config: SiteConfig) -> str:
    """Hash of every template and partial the pages are rendered with (the site's own theme folder included)."""
    digest = hashlib.sha256()
    for folder in theme_dirs(config):
        for kind in ("templates", "partials"):
            for path in sorted((folder / kind).glob("*.html")) if (folder / kind).is_dir() else ():
                digest.update(f"{folder.name}/{kind}/{path.name}\0".encode() + path.read_bytes())
    return digest.hexdigest()


def render_page(env: jinja2.Environment, template: str, page: PageBase) -> str:
    """Render one page template with its typed context."""
    return env.get_template(template).render(page=page, site=page.site, root=page.root)


__all__ = ["make_environment", "Partials", "render_page", "default_theme_dir", "theme_dirs",
           "LessonPage", "ModulePage", "ConceptsPage", "HomePage", "NotFoundPage", "NavLesson", "NavModule",
           "SiteInfo", "ConceptDepth", "ConceptRow", "ModuleMisconception", "field"]

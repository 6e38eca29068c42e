"""The one Jinja2 environment (StrictUndefined, autoescape) over the theme folders, and theme partials."""

from __future__ import annotations

import functools
from typing import Any

import jinja2
from markupsafe import Markup

from ..incremental.keys import theme_fingerprint
from ..model.config import SiteConfig
from .folders import theme_dirs
from .highlight import highlight
from .text import has_math, plain_text


def make_environment(config: SiteConfig) -> jinja2.Environment:
    """The Jinja2 environment: templates/ and partials/ of each theme folder, strict and autoescaped.

    One environment per theme (its folders and the bytes of their templates and partials) for the life of the
    process, so `course serve` compiles each template once, and again only after it changed."""
    folders = theme_dirs(config)
    search = []
    for folder in folders:
        search += [str(folder / "templates"), str(folder)]
    return _environment(tuple(search), theme_fingerprint(folders))


@functools.lru_cache(maxsize=8)
def _environment(search: tuple[str, ...], fingerprint: str) -> jinja2.Environment:
    """`fingerprint`: the theme files' digest, so a changed file is a new environment (Jinja2's own check compares
    modification times, which two quick saves can leave equal)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(search)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=True,
    )
    env.filters["depth_class"] = lambda depth: str(depth).lower()
    env.filters["plural"] = plural
    env.filters["highlight"] = highlight
    env.filters["plain_text"] = plain_text
    env.filters["coord"] = coord
    env.tests["with_math"] = has_math
    return env


def coord(value: float) -> str:
    """A map coordinate as short as it can be written: 12.0 -> "12", 12.5 -> "12.5" (fewer bytes per path)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def plural(count: int, word: str, words: str = "") -> str:
    """`1 lesson`, `2 lessons` (`words` when the plural is not word + "s")."""
    return f"{count} {word if count == 1 else (words or word + 's')}"


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


def render_page(env: jinja2.Environment, template: str, page: Any) -> bytes:
    """Render one page template with its typed context (theming.models), as the UTF-8 bytes that are written (a
    page's text is let go at once: a page with math is held as 2 or 4 bytes per character)."""
    return env.get_template(template).render(page=page, site=page.site, root=page.root).encode("utf-8")

"""Where the theme's files are: the default theme and a site's own theme folder (no Jinja2: a build that finds
nothing changed stamps these folders without loading the template engine)."""

from __future__ import annotations

import importlib
from pathlib import Path

from ..model.config import SiteConfig


def default_theme_dir() -> Path:
    """The default theme shipped with course-builder: the repository's theme/ folder, installed as builder.theme."""
    source_checkout = Path(__file__).resolve().parents[2] / "theme"
    if (source_checkout / "templates").is_dir():  # running from a checkout (editable install, or tests from the repo)
        return source_checkout
    return Path(importlib.import_module("builder.theme").__file__).parent  # type: ignore[arg-type]


def theme_dirs(config: SiteConfig) -> list[Path]:
    """Theme folders in lookup order: the site's overrides first, then the default theme."""
    dirs = [config.theme_dir] if config.theme_dir else []
    return [*dirs, default_theme_dir()]

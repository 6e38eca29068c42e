"""The files a site needs besides its pages: the theme's static files, KaTeX's CSS and fonts, linked media."""

from __future__ import annotations

from pathlib import Path

from ..model.media import LinkedFiles
from ..model.config import SiteConfig
from ..theming.folders import theme_dirs

LIVE_RELOAD_SCRIPT = "assets/js/livereload.js"
"""Only `course serve` pages load it."""
SEARCH_SCRIPT = "assets/js/search.js"
"""Pages in an LMS package have no search."""
SCORM_SCRIPT = "assets/js/scorm.js"
"""Only the pages of a SCORM package load it."""
BOOK_STYLES = "assets/css/book.css"
"""Only the PDF uses it."""


def theme_assets(config: SiteConfig, live_reload: bool, lms: bool = False, scorm: bool = False,
                 book: bool = False) -> dict[str, bytes]:
    """The theme's static files under assets/ (a site's own theme folder overrides files of the same name), less the
    files the pages do not load: live reload outside `course serve`, search in an LMS package, SCORM outside one, the
    PDF's stylesheet outside the PDF."""
    files: dict[str, bytes] = {}
    for folder in reversed(theme_dirs(config)):
        static = folder / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    files["assets/" + path.relative_to(static).as_posix()] = path.read_bytes()
    for script, loaded in ((LIVE_RELOAD_SCRIPT, live_reload), (SEARCH_SCRIPT, not lms), (SCORM_SCRIPT, scorm),
                           (BOOK_STYLES, book)):
        if not loaded:
            files.pop(script, None)
    return files


def katex_assets() -> dict[str, bytes]:
    """KaTeX's CSS and woff2 fonts, of the version that typeset the pages."""
    from ..katex import katex_assets as assets

    return {f"assets/katex/{name}": data for name, data in assets().items()}


def media_files(root: Path, linked: LinkedFiles) -> dict[str, bytes]:
    """The project files the pages link to, under media/."""
    return {f"media/{rel}": (root / rel).read_bytes() for rel in linked.published}

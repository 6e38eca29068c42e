"""Links and images: unsafe URLs are refused, links to lessons' .md files and #anchors are checked and rewritten
(an anchor the page does not define is a MyST label of another lesson, resolved with the cross-references; a link
with empty text says its target's title),
links to other project files point at their published copy under media/ (whether the file exists is checked
with the rest of the references, once: rendering never looks at files)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from ...model.diagnostics import Pos
from ...model.rendered import RefKind, Reference
from .. import placeholders
from ..context import RenderContext

_SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_UNSAFE_SCHEMES = ("javascript", "vbscript", "data", "file")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]+")
LESSON_FILE = re.compile(r"^\d+-([a-z0-9][a-z0-9-]*)\.md$")


def link_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """`[text](url)`: the URL checked and rewritten for the built site."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    href = str(token.attrGet("href") or "")
    found = ctx.source.find("](" + href, "](" + unquote(href), "<" + unquote(href), unquote(href)) if href else None
    resolved = resolve_url(ctx, href, _url_start(ctx, found) if found else ctx.source.here())
    attrs = {k: v for k, v in (token.attrs or {}).items() if k != "href"}
    opened = ctx.partial("link_open.html", href=resolved, attrs=attrs, external=bool(urlsplit(resolved).scheme))
    empty = idx + 1 < len(tokens) and tokens[idx + 1].type == "link_close"
    return opened + (_implicit_text(href) if empty else "")


def _implicit_text(href: str) -> str:
    """What a link with empty text says (MyST): a target's title or number, a lesson's title, else its address."""
    parts = urlsplit(href)
    if parts.scheme or href.startswith("//"):
        return escapeHtml(href)
    label = unquote(parts.fragment)
    name = LESSON_FILE.match(posixpath.basename(unquote(parts.path))) if parts.path.endswith(".md") else None
    if label:
        return placeholders.xref_text(label, name.group(1) if name else "", "")
    return placeholders.lesson_title(name.group(1)) if name else escapeHtml(href)


def image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """`![alt](src)`: the source checked and rewritten like a link."""
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    src = str(token.attrGet("src") or "")
    found = ctx.source.find("](" + src, "](" + unquote(src), unquote(src)) if src else None
    at = _url_start(ctx, found) if found else ctx.source.here()
    if refuse_remote_image(ctx, src, at):
        return ""
    resolved = resolve_url(ctx, src, at)
    alt = self.renderInlineAsText(token.children or [], options, env)
    if not alt.strip():
        ctx.warning("CB408", found or ctx.source.here(), f"image `{src}` has no alt text",
                    "Say what the image shows between the brackets, `![what it shows](" + src + ")`: readers who "
                    "cannot see it hear that instead.")
    return ctx.partial("image.html", src=resolved, alt=alt, title=token.attrGet("title") or "")


def refuse_remote_image(ctx: RenderContext, src: str, pos: Pos) -> bool:
    """An image from the network is an error (the site makes no network request): True when `src` is one."""
    if urlsplit(src).scheme.lower() not in ("http", "https") and not src.startswith("//"):
        return False
    ctx.error("CB405", pos, f"image `{src}` would be loaded from the network, and the site works offline",
              "Save the image into the project (e.g. content/media/) and link it relative to this lesson.")
    return True


def _url_start(ctx: RenderContext, found: Pos) -> Pos:
    """The position of a link's URL, given where its `](` or `<` was found (findings point at the URL itself)."""
    offset = ctx.source.offset_of(found)
    skip = 2 if ctx.source.source.startswith("](", offset) else 1 if ctx.source.source.startswith("<", offset) else 0
    return Pos(found.line, found.column + skip)


def resolve_url(ctx: RenderContext, url: str, pos: Pos) -> str:
    """A link target rewritten for the built site; unsafe targets and broken own anchors are findings here,
    links to lessons and project files are recorded as references."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    squeezed = _CONTROL_OR_SPACE.sub("", unquote(url)).lower()  # what a browser would read as the scheme
    if scheme in ("project", "path", "doc", "inv"):  # MyST's link schemes
        rest = url.split(":", 1)[1]
        instead = (f"[text]({rest.lstrip('/')})" if scheme in ("project", "path") and not rest.startswith("#")
                   else f"[](#{rest.lstrip('#')})" if rest.startswith("#") else "[text](https://...)")
        ctx.error("CB405", pos, f"`{scheme}:` links are MyST's, which this builder does not read",
                  f"Write a relative link to the lesson or file, or to a label: {instead}.")
        return "#"
    if (scheme and scheme not in _SAFE_SCHEMES) or squeezed.startswith(tuple(s + ":" for s in _UNSAFE_SCHEMES)):
        shown = url if len(url) <= 60 else url[:57] + "..."
        ctx.error("CB405", pos, f"link URL `{shown}` is not allowed",
                  "Links may be http(s), mailto or tel addresses, relative paths or #anchors; script, data and file URLs are refused.")
        return "#"
    if scheme or url.startswith("//"):
        return url
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    if not parts.path:
        anchor = unquote(parts.fragment)
        if anchor and anchor not in ctx.own_anchors:  # MyST: a label of another lesson (checked with the references)
            ctx.references.append(Reference(RefKind.XREF, anchor, "", pos, url, role="link"))
            return placeholders.xref_href(anchor, "", ctx.root)
        return url
    path = unquote(parts.path)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.path), path))
    if target.startswith("../") or target == ".." or posixpath.isabs(path):
        ctx.error("CB404", pos, f"`{parts.path}` points outside the project",
                  "Link only to files inside the project (lessons, or media under content/).")
        return "#"
    if target.endswith(".md"):
        ctx.references.append(Reference(RefKind.LESSON_FILE, target, unquote(parts.fragment), pos, url))
        name = LESSON_FILE.match(posixpath.basename(target))
        return f"{ctx.root}{name.group(1)}/index.html{fragment}" if name else "#"
    if any(part.startswith(".") for part in target.split("/")):
        ctx.error("CB404", pos, f"`{parts.path}` is a hidden file or folder; it is not published",
                  "Link to a file in a plain folder of the project, e.g. content/media/.")
        return "#"
    ctx.references.append(Reference(RefKind.FILE, target, "", pos, parts.path))
    return f"{ctx.root}media/{target}{fragment}"


RULES = {"link_open": link_open, "image": image}

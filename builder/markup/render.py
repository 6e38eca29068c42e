"""Tokens -> HTML with placeholders for math and figures, checking roles, links and directives.

Python emits data; every piece of markup comes from a theme partial through `RenderContext.partial`.
Math and figures become placeholders here and are filled in after the batch stages that compute them.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from ..diagnostics import Diagnostic, Pos, error, warning
from ..yamlnodes import did_you_mean
from .directives import CALLOUT_KINDS, KINDS, MAX_NESTING
from .headings import id_findings

ROLES = ("concept", "lesson")
MATH_MARK = "\x02M{}\x03"
FIGURE_MARK = "\x02F{}\x03"
LESSON_TITLE_MARK = "\x02L{}\x03"
"""A lesson's title, filled in when pages are assembled (other lessons' titles are not known while one renders)."""
PLACEHOLDER = re.compile("\x02([MFL])([^\x02\x03]+)\x03")
_NEWLINE = re.compile("\n")
_SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_UNSAFE_SCHEMES = ("javascript", "vbscript", "data", "file")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]+")
_LESSON_FILE = re.compile(r"^\d+-([a-z0-9][a-z0-9-]*)\.md$")


@dataclass(frozen=True)
class MathItem:
    """One formula to typeset: its TeX, display or inline, and where it starts in the file."""

    tex: str
    display: bool
    pos: Pos
    label: str = ""


@dataclass(frozen=True)
class FigureRef:
    """A figure directive: the figure id, its validated params, caption HTML and position."""

    figure_id: str
    params: dict[str, Any]
    caption_html: str
    dom_id: str
    pos: Pos


@dataclass(frozen=True)
class Reference:
    """A cross-document reference, checked once every lesson is known (so lessons render independently)."""

    kind: str
    """"lesson" ({lesson} role: target is a slug), "link" (target is a project path of a .md file),
    or "concept" ({concept} role: target is a concept id, checked against the ledger)."""
    target: str
    anchor: str
    pos: Pos


@dataclass(frozen=True)
class Heading:
    """A heading for the on-page table of contents."""

    level: int
    id: str
    text: str


@dataclass
class RenderContext:
    """What rendering one document needs to know about the course, and what it collects."""

    path: str
    source: str
    root: str
    """Relative URL prefix from this page to the site root ("../" for a lesson page)."""
    project: Path
    partial: Callable[..., str]
    concept_ids: frozenset[str]
    concept_lookup: Callable[[str], str | None]
    """Resolve an id, name or alias to a concept id."""
    own_anchors: frozenset[str] = frozenset()
    validate_figure: Callable[[str, dict[str, str]], tuple[dict | None, list]] | None = None
    allow_html: bool = False
    """site.yaml `markdown: {allow_html: true}`: pass raw HTML through instead of escaping it."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    math: list[MathItem] = field(default_factory=list)
    figures: list[FigureRef] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    media: dict[str, str] = field(default_factory=dict)
    probes: dict[str, str] = field(default_factory=dict)
    """Project files the page's links were checked against -> their state then (see file_state): a cached render
    is stale once one of them changes."""
    """Site path -> project-relative source path of images and files the page links."""
    cursor: int = 0
    limit: int = 0
    """End of the source range the cursor searches: the current block, so a search never scans the whole file."""
    line_starts: list[int] = field(default_factory=list)
    _missing: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Needles a search did not find: needle -> (cursor, limit) of that search."""

    def __post_init__(self) -> None:
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(self.source)]
        self.limit = len(self.source)

    def pos_of_offset(self, offset: int) -> Pos:
        """File position of a character offset."""
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return Pos(line + 1, offset - self.line_starts[line] + 1)

    def seek_line(self, line0: int, end0: int | None = None) -> None:
        """Search from the start of 0-based line `line0`, up to the start of line `end0` (None: the end of the file)."""
        last = len(self.line_starts) - 1
        self.cursor = self.line_starts[max(0, min(line0, last))]
        self.limit = len(self.source) if end0 is None or end0 > last else max(self.line_starts[end0], self.cursor)

    def find(self, *needles: str) -> Pos:
        """Position of the next occurrence of the first of `needles` found from the cursor (cursor moves past it)."""
        for needle in needles:
            if not needle or self._missing.get(needle, (-1, -1))[1] == self.limit and self._missing[needle][0] <= self.cursor:
                continue  # known to be absent from here to the limit: do not scan a long block again
            at = self.source.find(needle, self.cursor, self.limit)
            if at >= 0:
                self.cursor = at + len(needle)
                return self.pos_of_offset(at)
            self._missing[needle] = (self.cursor, self.limit)
        return self.pos_of_offset(self.cursor)

    def here(self) -> Pos:
        """The cursor's position."""
        return self.pos_of_offset(self.cursor)


class CourseRenderer(RendererHTML):
    """markdown-it's HTML renderer, with our rules; it tracks the source line of each inline block."""

    def render(self, tokens: Sequence[Token], options: Any, env: Any) -> str:
        ctx: RenderContext = env["ctx"]
        out = []
        for i, token in enumerate(tokens):
            if token.nesting != -1 and token.level >= MAX_NESTING - 1 and token.block and token.type != "inline":
                _too_deep(ctx, token)
            if token.type == "inline":
                if token.map:
                    ctx.seek_line(token.map[0], token.map[1])
                out.append(self.renderInline(token.children or [], options, env))
            elif token.type in self.rules:
                out.append(self.rules[token.type](tokens, i, options, env))
            else:
                out.append(self.renderToken(tokens, i, options, env))
        return "".join(out)


def _too_deep(ctx: RenderContext, token: Token) -> None:
    line = (token.map or [0])[0] + 1
    ctx.diagnostics.append(error("CB413", ctx.path, Pos(line), f"content is nested more than {MAX_NESTING} levels deep here; what is inside is not shown",
                                 "Nest callouts, lists and quotes less deeply (a few levels is plenty for a reader)."))


def render_tokens(md: MarkdownIt, tokens: Sequence[Token], ctx: RenderContext) -> str:
    """Render a document's tokens (front matter skipped) to HTML with placeholders."""
    body = [t for t in tokens if t.type != "front_matter"]
    ctx.diagnostics.extend(id_findings(body, ctx.path))
    return _renderer(md).render(body, md.options, {"ctx": ctx})


def render_inline_text(md: MarkdownIt, text: str, ctx: RenderContext, pos: Pos | None) -> str:
    """Render a frontmatter text value (inline Markdown, may hold $math$) at its position."""
    if not text:
        return ""
    tokens = md.parseInline(text, {})
    if pos:
        ctx.seek_line(pos.line - 1)
    renderer = _renderer(md)
    return renderer.renderInline(tokens[0].children or [], md.options, {"ctx": ctx})


_RENDERERS: dict[int, CourseRenderer] = {}


def _renderer(md: MarkdownIt) -> CourseRenderer:
    key = id(md)
    if key not in _RENDERERS:
        renderer = CourseRenderer(md)
        renderer._md = md  # type: ignore[attr-defined]
        for name, rule in RULES.items():
            renderer.rules[name] = rule.__get__(renderer)
        _RENDERERS[key] = renderer
    return _RENDERERS[key]


# ---------------------------------------------------------------------------------------- math

def _math_inline(self: CourseRenderer, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    display = token.type == "math_inline_double"
    fence = "$$" if display else "$"
    pos = ctx.find(fence + token.content)
    pos = Pos(pos.line, pos.column + len(fence))
    return _add_math(ctx, MathItem(token.content, display, pos))


def _math_block(self: CourseRenderer, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    line0, end0 = token.map if token.map else (0, None)
    ctx.seek_line(line0, end0)
    if token.type == "amsmath":
        pos = ctx.find(token.content[:20])
        tex = token.content
    else:
        pos = ctx.find("$$")
        pos = Pos(pos.line, pos.column + 2)
        first = token.content.lstrip("\n")
        skipped = token.content[: len(token.content) - len(first)].count("\n")
        if skipped or first != token.content:
            pos = Pos(pos.line + skipped, 1) if skipped else pos
        tex = token.content
    label = token.info if token.type == "math_block_label" else ""
    return ctx.partial("math_block.html", math=_add_math(ctx, MathItem(tex.strip(), True, pos, label)), label=label)


def _add_math(ctx: RenderContext, item: MathItem) -> str:
    ctx.math.append(item)
    return MATH_MARK.format(len(ctx.math) - 1)


# ---------------------------------------------------------------------------------------- roles

def _role(self: CourseRenderer, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    name = token.meta.get("name", "")
    pos = ctx.find("{" + name + "}")
    target, label = token.content.strip(), ""
    if target.endswith(">") and "<" in target:  # {concept}`the text <concept-id>`: the last <...> is the target
        cut = target.rindex("<")
        target, label = target[cut + 1:-1].strip(), target[:cut].strip()
    if name not in ROLES:
        ctx.diagnostics.append(error("CB401", ctx.path, pos, f"unknown role `{{{name}}}`",
                                     f"{did_you_mean(name, list(ROLES))} Roles: {{concept}} and {{lesson}}.".strip()))
        return escapeHtml(token.content)
    if name == "concept":
        concept = ctx.concept_lookup(target)
        if concept is None:
            ctx.diagnostics.append(error("CB402", ctx.path, pos, f"unknown concept `{target}`",
                                         f"{did_you_mean(target, sorted(ctx.concept_ids))} Add it to content/concepts.yaml or fix the id.".strip()))
            return escapeHtml(label or target)
        ctx.references.append(Reference("concept", concept, "", pos))
        shown = label or (target.replace("-", " ") if target == concept else target)
        return ctx.partial("concept_link.html", href=f"{ctx.root}concepts/index.html#{concept}", concept=concept, label=shown)
    slug = target
    ctx.references.append(Reference("lesson", slug, "", pos))
    return ctx.partial("lesson_link.html", href=f"{ctx.root}{slug}/index.html", slug=slug,
                       label=label or LESSON_TITLE_MARK.format(slug))


# ---------------------------------------------------------------------------------------- links and images

def _link_open(self: CourseRenderer, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    href = str(token.attrGet("href") or "")
    pos = _url_start(ctx, ctx.find("](" + href, "](" + unquote(href), "<" + unquote(href), unquote(href))) if href else ctx.here()
    resolved = resolve_url(ctx, href, pos)
    attrs = {k: v for k, v in (token.attrs or {}).items() if k != "href"}
    return ctx.partial("link_open.html", href=resolved, attrs=attrs, external=_is_external(resolved))


def _image(self: CourseRenderer, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    src = str(token.attrGet("src") or "")
    pos = _url_start(ctx, ctx.find("](" + src, "](" + unquote(src), unquote(src))) if src else ctx.here()
    resolved = resolve_url(ctx, src, pos, image=True)
    alt = self.renderInlineAsText(token.children or [], options, env)
    return ctx.partial("image.html", src=resolved, alt=alt, title=token.attrGet("title") or "")


def _url_start(ctx: RenderContext, found: Pos) -> Pos:
    """The position of a link's URL, given where its `](` or `<` was found (findings point at the URL itself)."""
    offset = ctx.line_starts[found.line - 1] + found.column - 1
    skip = 2 if ctx.source.startswith("](", offset) else 1 if ctx.source.startswith("<", offset) else 0
    return Pos(found.line, found.column + skip)


def file_state(path: Path) -> str:
    """What a link check saw of a file: its kind, size, time and real path ("missing" if there is none)."""
    try:
        st = path.stat()
    except OSError:
        return "missing"
    try:
        real = str(path.resolve())
    except (OSError, RuntimeError):
        real = "?"
    return f"{'file' if path.is_file() else 'other'}:{st.st_size}:{st.st_mtime_ns}:{real}"


def probes_changed(root: Path, probes: Mapping[str, str]) -> bool:
    """Whether any file a page's links were checked against (rel path -> file_state then) is different now."""
    return any(file_state(root / rel) != state for rel, state in probes.items())


def _is_inside(path: Path, folder: Path) -> bool:
    """Whether `path`, symbolic links followed, lies inside `folder`."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a symbolic link loop
        return False


def _is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme)


def resolve_url(ctx: RenderContext, url: str, pos: Pos, image: bool = False) -> str:
    """Check a link target and rewrite it for the built site; unsafe or broken targets are findings."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    squeezed = _CONTROL_OR_SPACE.sub("", unquote(url)).lower()  # what a browser would read as the scheme
    if (scheme and scheme not in _SAFE_SCHEMES) or squeezed.startswith(tuple(s + ":" for s in _UNSAFE_SCHEMES)):
        shown = url if len(url) <= 60 else url[:57] + "..."
        ctx.diagnostics.append(error("CB405", ctx.path, pos, f"link URL `{shown}` is not allowed",
                                     "Links may be http(s), mailto or tel addresses, relative paths or #anchors; "
                                     "script, data and file URLs are refused."))
        return "#"
    if scheme or url.startswith("//"):
        return url
    if not parts.path:
        anchor = unquote(parts.fragment)
        if anchor and anchor not in ctx.own_anchors:
            ctx.diagnostics.append(error("CB404", ctx.path, pos, f"no heading or callout with id `#{anchor}` in this lesson",
                                         f"{did_you_mean(anchor, sorted(ctx.own_anchors))} Ids are GitHub-style heading slugs or `:name:` options.".strip()))
        return url
    here = posixpath.dirname(ctx.path)
    target = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
    if target.startswith("../") or target == ".." or posixpath.isabs(unquote(parts.path)):
        ctx.diagnostics.append(error("CB404", ctx.path, pos, f"`{parts.path}` points outside the project",
                                     "Link only to files inside the project (lessons, or media under content/)."))
        return "#"
    if target.endswith(".md"):
        ctx.references.append(Reference("link", target, unquote(parts.fragment), pos))
        name = _LESSON_FILE.match(posixpath.basename(target))
        if not name:
            return "#"
        return f"{ctx.root}{name.group(1)}/index.html" + (f"#{parts.fragment}" if parts.fragment else "")
    if any(part.startswith(".") for part in target.split("/")):
        ctx.diagnostics.append(error("CB404", ctx.path, pos, f"`{parts.path}` is a hidden file or folder; it is not published",
                                     "Link to a file in a plain folder of the project, e.g. content/media/."))
        return "#"
    file = ctx.project / target
    ctx.probes[target] = file_state(file)
    if not file.is_file():
        ctx.diagnostics.append(error("CB404", ctx.path, pos, f"`{parts.path}` does not exist (looked for {target})",
                                     "Put the file in the project (e.g. content/media/) and link it relative to this lesson."))
        return "#"
    if not _is_inside(file, ctx.project):
        ctx.diagnostics.append(error("CB404", ctx.path, pos, f"`{parts.path}` is a link that leads outside the project",
                                     "Copy the file into the project (e.g. content/media/) instead of linking to it."))
        return "#"
    site_path = f"media/{target}"
    ctx.media[site_path] = target
    return ctx.root + site_path + (f"#{parts.fragment}" if parts.fragment else "")


# ---------------------------------------------------------------------------------------- headings, html

def _heading_open(self: CourseRenderer, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    inline = tokens[idx + 1]
    if inline.map:
        ctx.seek_line(inline.map[0], inline.map[1])
    text = self.renderInlineAsText(inline.children or [], options, env)
    level = int(token.tag[1])
    ctx.headings.append(Heading(level, str(token.attrGet("id")), text))
    return ctx.partial("heading_open.html", id=token.attrGet("id"), tag=token.tag)


def _heading_close(self: CourseRenderer, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    opener = next(t for t in reversed(tokens[:idx]) if t.type == "heading_open")
    return ctx.partial("heading_anchor.html", id=opener.attrGet("id"), tag=token.tag)


def _html(self: CourseRenderer, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    if ctx.allow_html:
        return token.content
    pos = ctx.find(token.content) if token.type == "html_inline" else Pos((token.map or [0])[0] + 1)
    if token.type == "html_inline" and token.content.startswith("</"):
        return escapeHtml(token.content)  # the opening tag was reported
    ctx.diagnostics.append(warning("CB412", ctx.path, pos, "raw HTML is not rendered (it is disabled for safety)",
                                   "Use Markdown or a directive instead, or set `markdown: {allow_html: true}` in site.yaml."))
    return escapeHtml(token.content)


def _fence(self: CourseRenderer, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    language = token.info.strip().split(" ")[0] if token.info else ""
    if token.type == "fence" and token.map and not _is_fence_closed(ctx, token):
        ctx.diagnostics.append(error("CB406", ctx.path, Pos(token.map[0] + 1), f"code fence {token.markup} opened here is never closed",
                                     f"Close it with a line of {token.markup}; without it, everything below is shown as code."))
    return ctx.partial("code_block.html", code=token.content, language=language)


def _is_fence_closed(ctx: RenderContext, token: Token) -> bool:
    """CommonMark lets a code fence run to the end of its container; an author almost always forgot the closer."""
    start, end = token.map  # type: ignore[misc]
    if end - 1 <= start or end - 1 >= len(ctx.line_starts):
        return False
    last = ctx.source[ctx.line_starts[end - 1]:ctx.line_starts[end] if end < len(ctx.line_starts) else len(ctx.source)]
    last = last.lstrip(" \t>").rstrip()
    return len(last) >= len(token.markup) and set(last) == {token.markup[0]}


# ---------------------------------------------------------------------------------------- directives

def _directive(self: CourseRenderer, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ctx: RenderContext = env["ctx"]
    meta = token.meta
    kind, opts = meta["kind"], meta["options"]
    line0 = token.map[0] if token.map else 0
    pos = Pos(line0 + 1, 1)
    if not meta["closed"]:
        ctx.diagnostics.append(error("CB406", ctx.path, pos, f"`{{{kind}}}` fence opened here is never closed",
                                     f"Close it with a line of {len(token.markup)} or more colons (`{':' * len(token.markup)}`)."))
    ctx.seek_line(line0, line0 + 1)
    title_html = self.renderInline(_inline(self, meta["title"]), options, env) if meta["title"] else ""
    if kind == "figure":
        return _figure(self, token, ctx, options, env, pos)
    _check_options(ctx, kind, opts, meta["option_lines"], ("name", "class") if kind != "quiz" else ("name",))
    name = opts.get("name", "")
    if kind not in KINDS:
        ctx.diagnostics.append(error("CB400", ctx.path, Pos(line0 + 1, len(token.markup) + 2), f"unknown directive `{{{kind}}}`",
                                     f"{did_you_mean(kind, list(KINDS))} Kinds: {', '.join(KINDS)}.".strip()))
        return ctx.partial("callout.html", kind="note", title_html=title_html, body_html=self.render(token.children, options, env),
                           id=name, classes="")
    if kind == "check":
        return _check(self, token, ctx, options, env, pos, title_html, name)
    if kind == "quiz":
        return _quiz(self, token, ctx, options, env, pos, title_html, name)
    if kind == "answer":
        ctx.diagnostics.append(error("CB407", ctx.path, pos, "`{answer}` outside a `{check}` or `{quiz}`",
                                     "Put the answer block inside its question's `{check}` or `{quiz}` fence (the outer fence needs more colons)."))
        kind = "note"  # still rendered (the run reports every finding), as a plain callout
    body_html = self.render(token.children, options, env)
    return ctx.partial("callout.html", kind=kind, title_html=title_html, body_html=body_html, id=name,
                       classes=opts.get("class", ""))


def _inline(self: CourseRenderer, text: str) -> list[Token]:
    return self._md.parseInline(text, {})[0].children or []  # type: ignore[attr-defined]


def _check_options(ctx: RenderContext, kind: str, opts: dict[str, str], lines: dict[str, int], allowed: Sequence[str]) -> None:
    for key in opts:
        if key not in allowed:
            ctx.diagnostics.append(error("CB408", ctx.path, Pos(lines[key] + 1, 1), f"`{{{kind}}}` has no option `:{key}:`",
                                         f"Options of `{{{kind}}}`: {', '.join(':' + a + ':' for a in allowed)}."))


def _split_answer(children: list[Token]) -> tuple[list[Token], Token | None]:
    rest = [t for t in children if not (t.type == "directive" and t.meta["kind"] == "answer")]
    answers = [t for t in children if t.type == "directive" and t.meta["kind"] == "answer"]
    return rest, (answers[0] if answers else None)


def _check(self, token, ctx, options, env, pos, title_html, name) -> str:
    rest, answer = _split_answer(token.children)
    if answer is None:
        ctx.diagnostics.append(error("CB407", ctx.path, pos, "knowledge check has no `{answer}` block",
                                     "Add a `:::{answer}` block inside the check, and give the check fence more colons (`::::{check}`)."))
    if not title_html and not rest:
        ctx.diagnostics.append(error("CB407", ctx.path, pos, "knowledge check has no question",
                                     "Write the question after `{check}` on the fence line, or in the body."))
    body_html = self.render(rest, options, env)
    answer_html = self.render(answer.children, options, env) if answer else ""
    return ctx.partial("check.html", title_html=title_html, body_html=body_html, answer_html=answer_html, id=name)


_CHOICE = re.compile(r"^\[([ xX])\]\s+")


def _quiz(self, token, ctx, options, env, pos, title_html, name) -> str:
    rest, answer = _split_answer(token.children)
    choices: list[dict[str, Any]] = []
    prompt: list[Token] = []
    i = 0
    while i < len(rest):
        t = rest[i]
        if t.type == "bullet_list_open" and not choices:
            depth, j = 0, i
            while True:
                if rest[j].type == "bullet_list_open":
                    depth += 1
                elif rest[j].type == "bullet_list_close":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            for k in range(i, j):
                if rest[k].type == "inline" and rest[k - 2].type == "list_item_open" and rest[k].children:
                    first = rest[k].children[0]
                    match = _CHOICE.match(first.content) if first.type == "text" else None
                    if match:
                        if rest[k].map:
                            ctx.seek_line(rest[k].map[0], rest[k].map[1])
                        children = [_copy_text(first, first.content[match.end():])] + rest[k].children[1:]
                        choices.append({"html": self.renderInline(children, options, env), "correct": match.group(1) != " "})
            i = j + 1
            continue
        prompt.append(t)
        i += 1
    if len(choices) < 2 or not any(c["correct"] for c in choices):
        ctx.diagnostics.append(error("CB407", ctx.path, pos, "quiz needs a task list of at least two choices with one marked `[x]`",
                                     "Write the choices as `- [ ] wrong` and `- [x] right` lines inside the quiz."))
    if answer is None:
        ctx.diagnostics.append(error("CB407", ctx.path, pos, "quiz has no `{answer}` explanation",
                                     "Add a `:::{answer}` block after the choices, and give the quiz fence more colons (`::::{quiz}`)."))
    prompt_html = self.render(prompt, options, env)
    answer_html = self.render(answer.children, options, env) if answer else ""
    qid = name or f"quiz-{pos.line}"
    return ctx.partial("quiz.html", title_html=title_html, body_html=prompt_html, choices=choices, answer_html=answer_html,
                       id=qid, named=bool(name))


def _copy_text(token: Token, content: str) -> Token:
    return Token("text", "", 0, content=content)


def _figure(self, token, ctx: RenderContext, options, env, pos: Pos) -> str:
    meta = token.meta
    figure_id = meta["title"].strip()
    opts = dict(meta["options"])
    name = opts.pop("name", "")
    caption_html = self.render(token.children, options, env)
    if ctx.validate_figure is None:
        ctx.diagnostics.append(error("CB411", ctx.path, pos, "figures are not available in this installation",
                                     "Reinstall course-builder with its dependencies (numpy, plotly)."))
        return ""
    params, problems = ctx.validate_figure(figure_id, opts)
    for problem in problems:
        where = Pos(meta["option_lines"][problem.option] + 1, 1) if problem.option in meta["option_lines"] else Pos(pos.line, 4 + len(token.markup))
        code = "CB411" if problem.option is None else "CB408"
        ctx.diagnostics.append(error(code, ctx.path, where, problem.message, problem.hint))
    if params is None or problems:
        return ""
    dom_id = name or f"figure-{len(ctx.figures) + 1}"
    ctx.figures.append(FigureRef(figure_id, params, caption_html, dom_id, pos))
    return FIGURE_MARK.format(len(ctx.figures) - 1)


RULES: dict[str, Callable[..., str]] = {
    "math_inline": _math_inline,
    "math_inline_double": _math_inline,
    "math_block": _math_block,
    "math_block_label": _math_block,
    "amsmath": _math_block,
    "myst_role": _role,
    "link_open": _link_open,
    "image": _image,
    "heading_open": _heading_open,
    "heading_close": _heading_close,
    "html_block": _html,
    "html_inline": _html,
    "fence": _fence,
    "code_block": _fence,
    "directive": _directive,
}


def fill_placeholders(html: str, math_html: Sequence[str], figure_html: Sequence[str],
                      titles: Mapping[str, str] | None = None) -> str:
    """Replace math and figure placeholders with their final HTML, and lesson-title placeholders with the title."""
    def final(m: re.Match) -> str:
        kind, key = m.group(1), m.group(2)
        if kind == "L":
            return escapeHtml((titles or {}).get(key, key))
        return (math_html if kind == "M" else figure_html)[int(key)]
    return PLACEHOLDER.sub(final, html)


__all__ = ["CALLOUT_KINDS", "RenderContext", "MathItem", "FigureRef", "Heading", "Reference", "render_tokens",
           "render_inline_text", "file_state", "probes_changed", "fill_placeholders", "LESSON_TITLE_MARK", "PLACEHOLDER"]

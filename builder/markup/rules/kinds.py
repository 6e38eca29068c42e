"""What a directive kind's renderer receives (DirectiveCall) and how a kind is declared (Directive)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from ...model.diagnostics import Pos
from ..context import RenderContext


@dataclass(frozen=True)
class DirectiveCall:
    """One directive being rendered."""

    renderer: Any
    """The CourseRenderer (renders the blocks inside)."""
    token: Token
    """The folded `directive` token; its meta holds kind, title, options, option_lines, closed."""
    ctx: RenderContext
    options: Any
    env: Any
    pos: Pos
    """The fence line, column 1."""
    title_html: str
    """The title after `{kind}`, rendered (empty when there is none)."""

    @property
    def name(self) -> str:
        """The `:name:` option (the block's id), or ""."""
        return self.token.meta["options"].get("name", "")

    def option(self, key: str, default: str = "") -> str:
        """An option's text."""
        return self.token.meta["options"].get(key, default)

    @property
    def body(self) -> str:
        """The content of a kind whose content is text (code, math...), as written."""
        return self.token.meta["body"] or ""

    def option_pos(self, key: str) -> Pos:
        """Where an option's line is (the fence line if the option is not given)."""
        line = self.token.meta["option_lines"].get(key)
        return Pos(line + 1, 1) if line is not None else self.pos

    def render(self, tokens: Sequence[Token] | None = None) -> str:
        """The blocks inside the fence (or the given ones among them), as HTML."""
        return self.renderer.render(self.token.children if tokens is None else tokens, self.options, self.env)


@dataclass(frozen=True)
class Directive:
    """A directive kind: how it renders, which options it accepts (None: it checks its own), and whether its content
    is text (code, math, a glossary) rather than Markdown."""

    render: Callable[[DirectiveCall], str]
    options: tuple[str, ...] | None = ("name", "class")
    raw: bool = False


@dataclass(frozen=True)
class RoleCall:
    """One role being rendered: {name}`content`, where content may be `text <target>`."""

    renderer: Any
    ctx: RenderContext
    options: Any
    env: Any
    name: str
    content: str
    """The text between the backticks."""
    pos: Pos
    """Where `{name}` starts."""

    @property
    def target(self) -> str:
        """The target: the last `<...>` of `text <target>`, or the whole content."""
        text = self.content.strip()
        return text[text.rindex("<") + 1:-1].strip() if text.endswith(">") and "<" in text else text

    @property
    def label(self) -> str:
        """The text before `<target>` ("" when the content is only a target)."""
        text = self.content.strip()
        return text[:text.rindex("<")].strip() if text.endswith(">") and "<" in text else ""


Role = Callable[[RoleCall], str]
"""How a role renders."""

def fence_findings(ctx: RenderContext, token: Token) -> None:
    """A directive's fence never closed, or its YAML option block not closed: findings at their lines. Every
    directive token gets them, also those a directive renders by hand ({tab-item}, {answer})."""
    if not token.meta["closed"]:
        fence = token.markup
        ctx.error("CB406", Pos((token.map[0] if token.map else 0) + 1, 1),
                  f"`{{{token.meta['kind']}}}` fence opened here is never closed",
                  f"Close it with a line of {len(fence)} or more `{fence[0]}` (`{fence}`).")
    for line, message in token.meta["option_problems"]:
        ctx.error("CB408", Pos(line + 1, 1), message,
                  "Write options as `key: value` lines between two `---` lines, or as `:key: value` lines under the fence.")

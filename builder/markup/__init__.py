"""Markdown -> HTML fragments with placeholders: the parser, its render rules, and what a page collects."""

from .context import RenderContext, RenderSettings, SourceCursor
from .parser import anchors_of, make_parser
from .renderer import render_body, render_inline

__all__ = ["RenderContext", "RenderSettings", "SourceCursor", "anchors_of", "make_parser", "render_body", "render_inline"]

"""The default theme: Jinja2 templates, partials and static assets (installed as package data of course-builder)."""

"""course-builder: Markdown course modules to a static site, with a concept-depth ledger."""

__version__ = "0.1.0"

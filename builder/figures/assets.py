"""Static assets the figures need in the site."""

from __future__ import annotations


def plotly_js() -> str:
    """The full plotly.js bundle shipped with the installed plotly package (written once as plotly.min.js)."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()

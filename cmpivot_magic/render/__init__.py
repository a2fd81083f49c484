"""Showing results: ``charts`` draws a query's ``render`` spec with matplotlib (pure functions over
an Axes, no pyplot state; ``chart_spec`` and ``chart_data`` hold its rules about the spec and the
rows); ``tables`` turns a result into HTML.

The chart names are loaded on first use, so importing ``render.tables`` does not import matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .charts import MAX_CATEGORIES, SUPPORTED_KINDS, ChartError, ChartFigure, draw, make_figure

__all__ = ["MAX_CATEGORIES", "SUPPORTED_KINDS", "ChartError", "ChartFigure", "draw", "make_figure"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import charts

        return getattr(charts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

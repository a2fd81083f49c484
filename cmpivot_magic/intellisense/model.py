"""What the language service answers with: completion items, an inspection, diagnostics.

Plain frozen dataclasses, no Jupyter types: the kernel integration (``magic/completion.py``) and the
JupyterLab extension's comm turn them into their own message shapes. Every offset is a Python
``str`` index (a Unicode code point) into the whole cell, the ``%%cmpivot`` line included — the unit
Jupyter's messaging protocol uses.
"""

from __future__ import annotations

from dataclasses import dataclass

# The item types the service hands out, and how VS Code's ``mapJupyterKind`` should show them
# (reference: entity → class, column → field, operator → keyword, function → function, option →
# property). The kernel sends these names in ``_jupyter_types_experimental``.
ITEM_TYPES = ("entity", "column", "operator", "keyword", "function", "aggregation", "property", "option", "value")


@dataclass(frozen=True)
class CompletionItem:
    """One thing that may be inserted: ``label`` is the text, ``detail`` a one-line description
    (a column's type and unit, a function's signature, an entity's parameters)."""

    label: str
    type: str
    detail: str = ""


@dataclass(frozen=True)
class Completions:
    """The items for a cursor, and the cell range ``[start, end)`` an item replaces."""

    start: int
    end: int
    items: tuple[CompletionItem, ...] = ()

    @property
    def labels(self) -> list[str]:
        return [item.label for item in self.items]

    def of_type(self, type_: str) -> list[str]:
        """The labels of the items of one type (tests and callers filter by it)."""
        return [item.label for item in self.items if item.type == type_]


@dataclass(frozen=True)
class Inspection:
    """Help for the word under the cursor, as Markdown and as plain text."""

    markdown: str
    text: str
    start: int = 0
    end: int = 0

    def bundle(self) -> dict[str, str]:
        """The MIME bundle a kernel's ``inspect_reply`` carries."""
        return {"text/markdown": self.markdown, "text/plain": self.text}


@dataclass(frozen=True)
class Diagnostic:
    """A problem the parser or the planner found: ``[start, end)`` in the cell, the message, and
    ``severity`` ("error" or "warning")."""

    start: int
    end: int
    message: str
    severity: str = "error"

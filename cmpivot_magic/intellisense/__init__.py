"""IntelliSense for ``%%cmpivot`` cells: completion, inspection and diagnostics as pure functions.

    complete(cell, cursor, catalog=None) -> Completions
    inspect(cell, cursor, catalog=None) -> Inspection | None
    diagnostics(cell, catalog=None) -> list[Diagnostic]

Offsets are Python ``str`` indices into the whole cell, the ``%%cmpivot`` line included. Nothing here
imports Jupyter: the kernel integration (``cmpivot_magic.magic.completion``) and the JupyterLab
extension call these. Context comes from the grammar (``scan.py``: lark's interactive parser) and the
planner (``schema.py``: the output schema of the pipeline before the cursor's step).
"""

from __future__ import annotations

from .complete import complete
from .diagnose import diagnostics
from .docs import inspect
from .model import ITEM_TYPES, CompletionItem, Completions, Diagnostic, Inspection

__all__ = ["ITEM_TYPES", "CompletionItem", "Completions", "Diagnostic", "Inspection", "complete", "diagnostics",
           "inspect"]

"""The house rules of ARCHITECTURE.md, checked on the source: layers, no import cycles, sizes.

The import graph is read from the source with ``ast``, so imports inside functions count: a cycle
hidden in a function still makes the order in which modules load matter, which is what a cycle
breaks. Implicit imports of parent packages (importing ``a.b.c`` runs ``a/__init__``) are not
edges, as in grimp and import-linter; explicit ``from . import x`` is.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "cmpivot_magic"

# Highest first: a module may import its own layer (without a cycle) and any layer below it.
# A name stands for that module and everything under it (the package root only for itself).
LAYERS: list[tuple[str, ...]] = [
    ("cmpivot_magic", "cmpivot_magic.cli", "cmpivot_magic.magic", "cmpivot_magic.intellisense"),
    ("cmpivot_magic.widgets",),
    ("cmpivot_magic.render",),
    ("cmpivot_magic.session", "cmpivot_magic.emulator"),
    ("cmpivot_magic.actions",),  # favorites, collections from results, scripts: reached through Session
    ("cmpivot_magic.operation",),
    ("cmpivot_magic.results", "cmpivot_magic.history"),
    ("cmpivot_magic.backends.adminservice", "cmpivot_magic.backends.demo", "cmpivot_magic.backends.local",
     "cmpivot_magic.backends.tables"),
    ("cmpivot_magic.backends",),  # base.py, targets.py: the contract every backend implements
    ("cmpivot_magic.query",),
    ("cmpivot_magic.engine",),
    ("cmpivot_magic.catalog",),
    ("cmpivot_magic.language",),
    ("cmpivot_magic.errors", "cmpivot_magic._optional", "cmpivot_magic._secrets", "cmpivot_magic._bulk"),
]

FUNCTION_LINES = 80
MODULE_LINES = 400


# ------------------------------------------------------------------------------- the graph


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imported(mod: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The package modules ``mod`` imports anywhere in its source."""
    package = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            # `from pkg import sub` imports the submodule; `from pkg import name` imports pkg
            targets = [f"{prefix}.{a.name}" if f"{prefix}.{a.name}" in known else prefix for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != mod:
                yield target


def import_graph() -> dict[str, set[str]]:
    known = modules()
    return {mod: set(_imported(mod, path, known)) for mod, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def layer_of(mod: str) -> int:
    """The index in LAYERS of the most specific name that covers ``mod``."""
    best, depth = -1, -1
    for i, names in enumerate(LAYERS):
        for name in names:
            covers = mod == name or (name != PACKAGE.name and mod.startswith(name + "."))
            if covers and name.count(".") > depth:
                best, depth = i, name.count(".")
    return best


# ------------------------------------------------------------------------------- the rules


def test_the_package_has_no_import_cycles() -> None:
    """No module reaches itself through imports, imports inside functions included."""
    assert cycles(import_graph()) == []


def test_every_module_has_a_layer() -> None:
    """A new top-level module or subpackage is placed in LAYERS on purpose, not by default."""
    assert [m for m in modules() if layer_of(m) < 0] == []


def test_no_module_imports_a_higher_layer() -> None:
    """A lower layer never imports a higher one (ARCHITECTURE.md, "Layers")."""
    upward = sorted(f"{mod} -> {target}" for mod, targets in import_graph().items()
                    for target in targets if layer_of(target) < layer_of(mod))
    assert upward == []


def test_the_cycle_finder_finds_cycles(tmp_path: Path) -> None:
    """The check is not vacuous: a cycle through three modules, and one hidden in a function."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    known = {"pkg.x": Path("x.py"), "pkg.y": Path("y.py")}
    source = "def f():\n    from . import y\n"
    probe = tmp_path / "x.py"
    probe.write_text(source)
    assert list(_imported("pkg.x", probe, known)) == ["pkg.y"]


# ------------------------------------------------------------------------------- sizes


def _named_exceptions() -> set[str]:
    """Modules ARCHITECTURE.md allows over the size limit: the backticked paths in the rows of its
    "Modules over 400 lines" table."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("### Modules over 400 lines", 1)[1].split("\n#", 1)[0]
    return set(re.findall(r"^\|\s*`([^`]+\.py)`", section, flags=re.MULTILINE))


def test_modules_stay_under_400_lines_or_are_named_in_architecture() -> None:
    """Modules hold one concept each, 400 lines at most; the exceptions (data and catalog
    modules) are listed in ARCHITECTURE.md with their reason."""
    allowed = _named_exceptions()
    long = {str(p.relative_to(ROOT)) for p in modules().values()
            if len(p.read_text(encoding="utf-8").splitlines()) > MODULE_LINES}
    assert long - allowed == set(), "over 400 lines and not named in ARCHITECTURE.md"
    assert allowed - long == set(), "named in ARCHITECTURE.md but no longer over 400 lines"


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def test_functions_stay_under_80_lines() -> None:
    """No function or method is longer than 80 lines (data tables are module constants, not code)."""
    long = []
    for path in modules().values():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        long += [f"{path.relative_to(ROOT)}:{f.lineno} {f.name} ({f.end_lineno - f.lineno + 1} lines)"
                 for f in _functions(tree)
                 if f.end_lineno is not None and f.end_lineno - f.lineno + 1 > FUNCTION_LINES]
    assert long == []

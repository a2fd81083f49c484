"""A fresh clone passes on its own: nothing in the package, the tests or the scripts names a path
outside the repository.

A test that reads a folder beside the clone passes on a machine that happens to have it and fails
for everyone else (the KQL corpus once lived in a sibling folder). This scans every text file the
project runs — the package, the tests, the benchmarks, the notebooks and CI's script — for the three
ways code reaches out of its checkout: a relative path that climbs above the repository root, a
``Path(__file__)`` walked up past the root, and an absolute path into somebody's machine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("cmpivot_magic", "tests", "benchmarks", "notebooks", "binder", ".ci")
TEXT_SUFFIXES = {".py", ".toml", ".cfg", ".txt", ".kql", ".lark", ".json", ".ipynb", ".sh", ".ini", ".yml", ".yaml", ""}
SKIPPED_DIRS = {"__pycache__", ".ipynb_checkpoints", "node_modules", ".pytest_cache"}

# "../" one or more times, then a name: resolved against the file's own folder where that names a
# file or folder that exists, else against the repository root (where the tests run); it must stay inside.
CLIMB = re.compile(r"((?:\.\./)+)([A-Za-z_][\w.-]*)")
# Path(__file__)[.resolve()] followed by .parent / .parents[k] steps
FILE_WALK = re.compile(r"__file__\)(?:\.resolve\(\))?((?:\.parent\b|\.parents\[\d+\])+)")
STEP = re.compile(r"\.parents\[(\d+)\]|\.parent\b")
# absolute paths into a developer's or CI's checkout (local:// reads system paths such as /proc or
# /var/log on purpose, and the demo site's data names Windows paths: neither is a checkout)
ABSOLUTE = re.compile(r"(?<![\w.:/])/(?:work|home)/[\w.-]+")


def _files() -> list[Path]:
    found = []
    for top in SCANNED:
        for path in (ROOT / top).rglob("*"):
            if path == Path(__file__).resolve():
                continue  # its own examples of what the scan catches
            if path.is_file() and path.suffix in TEXT_SUFFIXES and not SKIPPED_DIRS & set(path.parts):
                found.append(path)
    return sorted(found)


def _inside(path: Path) -> bool:
    return path.resolve().is_relative_to(ROOT)


def outside_references(path: Path, text: str) -> list[str]:
    """Each place in ``text`` (the contents of ``path``) that names a path outside the repository."""
    found = []
    depth = len(path.relative_to(ROOT).parts)  # parents needed to reach the root from the file
    for number, line in enumerate(text.splitlines(), 1):
        for m in CLIMB.finditer(line):
            relative = m.group(1) + m.group(2)
            beside = path.parent / relative
            if not _inside(beside if beside.exists() else ROOT / relative):
                found.append(f"{number}: {m.group(0)}")
        for m in FILE_WALK.finditer(line):
            levels = sum(int(k) + 1 if k else 1 for k in STEP.findall(m.group(1)))
            if levels > depth:
                found.append(f"{number}: __file__{m.group(1)} climbs {levels - depth} above the root")
        found.extend(f"{number}: {m.group(0)}" for m in ABSOLUTE.finditer(line))
    return found


def test_no_file_names_a_path_outside_the_repository() -> None:
    """Every file the project runs names only paths inside the repository."""
    files = _files()
    assert len(files) > 100, "the scan found too few files to mean anything"
    offenders = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if hits := outside_references(path, text):
            offenders[str(path.relative_to(ROOT))] = hits
    assert not offenders, f"paths outside the repository: {offenders}"


@pytest.mark.parametrize(
    ("relative", "line"),
    [
        ("tests/engine/corpus.py", 'ROOT = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"'),
        ("tests/engine/corpus.py", "CORPUS = Path(__file__).parent.parent.parent.parent / 'data'"),
        ("tests/engine/corpus.py", 'open("' + "../" * 2 + 'data/index.json")'),
        ("cmpivot_magic/cli.py", 'DATA = "' + "../" + 'sibling/data"'),
        ("benchmarks/bench_site.py", 'OUT = "/' + 'home/someone/out.csv"'),
        ("benchmarks/bench_site.py", 'OUT = "/' + 'work/main/x"'),
    ],
)
def test_the_scan_catches_each_way_out(relative: str, line: str) -> None:
    """The scan is not vacuous: each way of reaching outside the checkout is reported."""
    assert outside_references(ROOT / relative, line)


@pytest.mark.parametrize(
    ("relative", "line"),
    [
        ("tests/engine/corpus.py", 'ROOT = Path(__file__).resolve().parent / "kql_corpus"'),
        ("tests/engine/corpus.py", "REPO = Path(__file__).resolve().parents[2]"),
        ("tests/engine/corpus.py", 'open("' + "../" + 'language/samples/x.kql")'),
        ("cmpivot_magic/cli.py", "url = 'https://" + "host/AdminService/wmi/SMS_R_System'"),
    ],
)
def test_paths_inside_the_repository_pass(relative: str, line: str) -> None:
    """A path that stays inside the checkout, or a URL, is not reported."""
    assert outside_references(ROOT / relative, line) == []


@pytest.mark.parametrize("where", ["notebooks", "tests/engine", "/"])
def test_one_notebook_runs_under_pytest_from_any_folder(where: str) -> None:
    """pyproject's addopts name the nbval sanitize file relative to the repository; pytest started
    inside ``notebooks/`` (or anywhere else) on one notebook still finds it."""
    import subprocess
    import sys

    cwd = ROOT / where if where != "/" else Path("/")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-v",
         str(ROOT / "notebooks" / "01-quickstart.ipynb")],
        cwd=cwd, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    header = next(line for line in done.stdout.splitlines() if line.startswith("nbval sanitize file: "))
    sanitize = Path(header.removeprefix("nbval sanitize file: "))
    assert sanitize.is_absolute() and sanitize.is_file(), header

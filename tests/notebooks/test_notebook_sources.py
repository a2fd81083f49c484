"""The committed notebooks match where they are edited, and their checks are real.

01, 02, 03, 05 and 06 are jupytext pairs: each ``.ipynb`` has the cells of the percent-format ``.py``
beside it, read by jupytext's reader. 04 is what ``notebooks/_build.py`` generates from the sample
corpus. nbval (run by the test command over ``notebooks/``) executes every cell of the ``.ipynb``
files and compares the outputs of the checked ones. These tests keep that meaningful: no ``.ipynb``
drifts from its source (cell type, source and tags), the demo notebooks have checked cells with
stored outputs (an unrun cell is not compared), stored outputs hold no clock or ids, and nothing
else is stored.
"""

from __future__ import annotations

import configparser
import importlib.util
import re
import shutil
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import nbformat
import pytest
from language import samples

ROOT = Path(__file__).resolve().parents[2]
CHECKED_AT_LEAST = {"02-fleet-investigation": 15, "04-cmpivot-samples": 3, "06-troubleshooting": 10}


def load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("notebooks_build", ROOT / "notebooks" / "_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


BUILD = load_builder()


@pytest.mark.parametrize("name", list(BUILD.NOTEBOOKS))
def test_notebook_matches_its_source(name: str) -> None:
    """Each committed notebook has exactly the cells of its .py (or, for 04, those _build.py writes), and
    its checked cells have run."""
    assert BUILD.stale(name) is None


def test_tour_notebooks_are_jupytext_pairs_and_04_is_generated() -> None:
    """jupytext.toml pairs each notebook with a percent-format .py; the .py files are exactly those of
    01, 02, 03, 05 and 06, and 04 opts out of the pairing, so nobody edits a copy the generator overwrites."""
    config = tomllib.loads((ROOT / "notebooks" / "jupytext.toml").read_text())
    assert config["formats"] == "ipynb,py:percent"
    texts = {p.stem for p in (ROOT / "notebooks").glob("*.py")} - {"_build"}
    assert texts == set(BUILD.PAIRED)
    assert set(BUILD.NOTEBOOKS) == {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    generated = nbformat.read(ROOT / "notebooks" / "04-cmpivot-samples.ipynb", as_version=4)
    assert generated.metadata["jupytext"] == {"formats": "ipynb"}


@pytest.mark.parametrize(("edit", "before", "after"), [
    ("prose", "# ## 1. Load the magic", "# ## 1. Load the cmpivot magic"),
    ("code", "# %load_ext cmpivot_magic", "# %reload_ext cmpivot_magic"),
    ("tags", "# %% tags=[\"raises-exception\"]", "# %%"),
])
def test_a_pair_out_of_sync_is_stale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: str,
                                     before: str, after: str) -> None:
    """Editing a pair's .py without syncing its .ipynb — its prose, its code or a cell's tags — is caught."""
    name = "01-quickstart" if edit != "tags" else "06-troubleshooting"
    for suffix in (".py", ".ipynb"):
        shutil.copy(ROOT / "notebooks" / f"{name}{suffix}", tmp_path)
    monkeypatch.setattr(BUILD, "HERE", tmp_path)
    assert BUILD.stale(name) is None
    text = (tmp_path / f"{name}.py").read_text()
    assert before in text
    (tmp_path / f"{name}.py").write_text(text.replace(before, after, 1))
    assert f"differs from notebooks/{name}.py (jupytext --sync" in str(BUILD.stale(name))


@pytest.mark.parametrize("name", list(BUILD.NOTEBOOKS))
def test_only_checked_cells_store_outputs_and_they_hold_no_clock_or_ids(name: str) -> None:
    """Outputs in the repository are the compared ones, free of times, operation ids and ports."""
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if not BUILD.is_checked(cell):
            assert not cell.outputs and cell.execution_count is None, f"cell {i} stores an unchecked output"
            continue
        text = "\n".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)
        assert not [o for o in cell.outputs if o.output_type == "error"], f"cell {i} stores an error"
        assert not re.search(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d", text), f"cell {i} stores a time"
        assert not re.search(r"operation \d{5,}|127\.0\.0\.1:\d+", text), f"cell {i} stores an id or a port"


@pytest.mark.parametrize("name,least", CHECKED_AT_LEAST.items())
def test_demo_notebooks_compare_their_deterministic_outputs(name: str, least: int) -> None:
    """02, 04 and 06 run on the demo site with a fixed seed and virtual clock; many cells are compared."""
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    checked = [c for c in nb.cells if BUILD.is_checked(c) and c.outputs]
    assert len(checked) >= least
    assert "clock=virtual" in BUILD.DEMO and "seed=" in BUILD.DEMO


def test_sample_notebook_runs_every_reference_sample() -> None:
    """04 has a cell for every sample of the corpus: each one declared to run, and the others as errors."""
    nb = nbformat.read(ROOT / "notebooks" / "04-cmpivot-samples.ipynb", as_version=4)
    run = {m.group(1) for c in nb.cells for m in [re.match(r"%%cmpivot -o (\w+)\n", c.source)] if m}
    assert set(samples.RUNS) <= run, sorted(set(samples.RUNS) - run)
    negative = set(samples.SAMPLES) - set(samples.RUNS)
    source = "\n".join(c.source for c in nb.cells)
    assert all(f'"{sid}": r"""' in source for sid in negative)


def test_the_test_command_runs_the_notebooks_with_the_sanitize_file() -> None:
    """Plain `pytest` collects notebooks/ under nbval, and the sanitize file parses as nbval reads it."""
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "notebooks" in options["testpaths"]
    assert "--nbval-lax" in options["addopts"]
    sanitize = re.search(r"--nbval-sanitize-with (\S+)", options["addopts"])
    assert sanitize is not None and (ROOT / sanitize.group(1)).is_file()
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / sanitize.group(1))
    for section in config.sections():
        re.compile(config[section]["regex"])
    assert re.sub(config["operation-ids"]["regex"], config["operation-ids"]["replace"].replace("\\1", r"\1"),
                  "operation 16777463") == "operation OPERATION-ID"


def test_binder_installs_the_package_with_its_notebook_extra() -> None:
    """binder/ installs this checkout with the [notebooks] extra, on the Python the package needs."""
    requirements = (ROOT / "binder" / "requirements.txt").read_text().split("\n")
    assert "-e .[notebooks]" in requirements
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    names = {re.split(r"[<>=\[ ;]", spec)[0] for spec in extras["notebooks"]}
    assert {"jupyterlab", "nbval", "nbconvert", "ipywidgets"} <= names
    assert any("notebooks" in spec for spec in extras["dev"])

"""The notebooks run in an environment built from ``binder/`` alone, as Binder builds it.

A fresh virtual environment (``python -m venv``, nothing from this one) gets exactly what
repo2docker would do: ``pip install -r binder/requirements.txt`` from the repository root, then
``binder/postBuild``. In it, ``jupyter nbconvert --execute`` runs the quickstart (``local://``) and the
fleet investigation (the demo site and the widgets); a cell error fails the run. pip's own cache
is used as usual (no --no-cache-dir), so a machine that has installed these wheels before reuses
them; nothing but PyPI is needed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ("01-quickstart.ipynb", "02-fleet-investigation.ipynb")
PROBE = "import sys, cmpivot_magic\nprint(sys.prefix)\nprint(cmpivot_magic.__file__)"


def run(cmd: list[str | Path], *, env: dict[str, str], cwd: Path, timeout: float) -> str:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def test_binder_files_alone_make_an_environment_that_runs_01_and_02(tmp_path: Path) -> None:
    """Notebooks 01 and 02 execute without errors in a venv built only from binder/ files."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    bin_dir = venv / "bin"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER", "CMPIVOT_", "IPYTHON"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"), MPLCONFIGDIR=str(tmp_path / "mpl"),
               PIP_DISABLE_PIP_VERSION_CHECK="1")

    # --no-compile: skip writing .pyc files for ~120 packages (a third of the install time); the
    # few modules the notebooks import compile on first use as usual
    run([bin_dir / "python", "-m", "pip", "install", "-q", "--no-compile", "-r", "binder/requirements.txt"],
        env=env, cwd=ROOT, timeout=900)
    run(["bash", "binder/postBuild"], env=env, cwd=ROOT, timeout=300)

    out = tmp_path / "executed"
    out.mkdir()
    # the kernel nbconvert starts must be the venv's own, not this interpreter's
    probe = out / "probe.ipynb"
    nbformat.write(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(PROBE)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}), probe)
    run([bin_dir / "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace", probe],
        env=env, cwd=out, timeout=300)
    prefix, module = nbformat.read(probe, as_version=4).cells[0].outputs[0]["text"].split()
    assert Path(prefix).resolve() == venv.resolve()
    assert Path(module).resolve().is_relative_to(ROOT / "cmpivot_magic"), "cmpivot_magic is not this checkout's"

    for name in NOTEBOOKS:
        run([bin_dir / "jupyter", "nbconvert", "--to", "notebook", "--execute", "--output-dir", out,
             "--ExecutePreprocessor.timeout=600", ROOT / "notebooks" / name],
            env=env, cwd=ROOT / "notebooks", timeout=900)
        executed = json.loads((out / name).read_text())
        errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
        assert not errors, f"{name}: {errors[0]['ename']}: {errors[0]['evalue']}"
        charts = [o for c in executed["cells"] for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
        assert charts, f"{name} drew no chart"

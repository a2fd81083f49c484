"""The JupyterLab extension ships prebuilt: users and CI never need node.

labextension/prebuilt holds the built bundle (committed); pyproject.toml's data-files install it into
``share/jupyter/labextensions/cmpivot-magic-jupyterlab``, and setup.py makes editable installs
(``pip install -e ".[dev]"``, the README's command) carry it too. These tests check the pieces
without node: the bundle is complete, the data-files list every file of it, an editable wheel
really installs it, and the generated word lists match the Python catalog they come from.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PREBUILT = REPO / "labextension" / "prebuilt"
NAME = "cmpivot-magic-jupyterlab"
SHARE = f"share/jupyter/labextensions/{NAME}"


def prebuilt_files() -> set[str]:
    return {p.relative_to(PREBUILT).as_posix() for p in PREBUILT.rglob("*") if p.is_file()}


def test_the_prebuilt_bundle_is_complete() -> None:
    meta = json.loads((PREBUILT / "package.json").read_text())
    source = json.loads((REPO / "labextension" / "package.json").read_text())
    assert meta["name"] == source["name"] == NAME
    assert meta["version"] == source["version"]
    assert (PREBUILT / meta["jupyterlab"]["_build"]["load"]).is_file()  # remoteEntry.<hash>.js
    assert json.loads((PREBUILT / "install.json").read_text())["packageName"] == "cmpivot-magic"
    # the editor's shared CodeMirror packages come from JupyterLab, never a second copy
    shared = meta["jupyterlab"]["sharedPackages"]
    assert all(shared[p]["bundled"] is False for p in ("@codemirror/state", "@codemirror/view",
                                                       "@codemirror/language", "@lezer/highlight"))


def test_data_files_install_every_prebuilt_file_where_jupyterlab_looks() -> None:
    data_files = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    installed: set[str] = set()
    for target, patterns in data_files.items():
        assert target.startswith(SHARE)
        for pattern in patterns:
            for path in REPO.glob(pattern):
                installed.add(f"{target}/{path.name}"[len(SHARE) + 1:])
    assert installed == prebuilt_files()


def test_an_editable_install_puts_the_labextension_where_jupyterlab_looks(tmp_path: Path) -> None:
    # what the README's `pip install -e` does (PEP 660, the build-system's own setuptools in an
    # isolated build), into a scratch prefix; no node runs
    # --ignore-installed: without it pip first uninstalls this environment's own copy of the package
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--ignore-installed", "--quiet",
                           "--prefix", str(tmp_path / "prefix"), "--editable", str(REPO)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert metadata.distribution("cmpivot-magic").files, "this environment's own install is untouched"
    installed = tmp_path / "prefix" / SHARE
    assert {p.relative_to(installed).as_posix() for p in installed.rglob("*") if p.is_file()} == prebuilt_files()


def test_the_word_lists_match_the_catalog_engine_and_grammar() -> None:
    spec = importlib.util.spec_from_file_location("words", REPO / "labextension" / "scripts" / "words.py")
    assert spec is not None and spec.loader is not None
    words = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(words)
    # rerun `npm run words` (scripts/words.py) in labextension/ and rebuild when this fails
    assert (REPO / "labextension" / "src" / "words.ts").read_text() == words.render()

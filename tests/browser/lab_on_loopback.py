"""JupyterLab on loopback for the browser tests: one place that starts it, quietly and offline.

``lab_server(tmp_path, cells)`` writes a notebook of ``cells`` into a fresh root, starts JupyterLab on
127.0.0.1 (a free port, token auth, no news or update checks, every cell kept in the page) and yields
the notebook's URL; ``disabled`` turns labextensions off and ``jupyter_path`` adds a data folder (the
editor test serves the committed labextension from there). Chromium is Debian's, driven through
Playwright with ``CHROMIUM_ARGS``; Playwright never downloads a browser here.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
SECONDS = 1000  # Playwright timeouts are in milliseconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_notebook(path: Path, sources: Sequence[str]) -> None:
    cells: list[dict[str, Any]] = [{"cell_type": "code", "execution_count": None, "id": f"cell-{i}", "metadata": {},
                                    "outputs": [], "source": source} for i, source in enumerate(sources)]
    path.write_text(json.dumps({
        "cells": cells, "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    }))


@contextmanager
def lab_server(tmp_path: Path, cells: Sequence[str], *, notebook: str = "notebook.ipynb",
               disabled: Sequence[str] = (), jupyter_path: Path | None = None) -> Iterator[str]:
    """JupyterLab on 127.0.0.1 with a notebook of ``cells``: yields the notebook's URL (with the token)."""
    root, config, settings = tmp_path / "root", tmp_path / "config", tmp_path / "settings"
    for d in (root, config / "labconfig", settings / "@jupyterlab" / "notebook-extension"):
        d.mkdir(parents=True)
    write_notebook(root / notebook, cells)
    # no fetching of news or update checks: the test makes no request beyond loopback
    (config / "jupyter_server_config.json").write_text(json.dumps({"LabApp": {
        "news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}}))
    off = {"@jupyterlab/apputils-extension:announcements": True, **dict.fromkeys(disabled, True)}
    (config / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": off}))
    # every cell stays in the page, so every output can be found and screenshotted
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"}))
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "IPYTHONDIR": str(tmp_path / "ipython"), "MPLBACKEND": "Agg",
           **({"JUPYTER_PATH": str(jupyter_path)} if jupyter_path is not None else {})}
    log_path = tmp_path / "jupyterlab.log"
    with log_path.open("w") as log:
        server = subprocess.Popen([
            sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}", "--LabApp.expose_app_in_browser=True",
            "--LabApp.extension_manager=readonly",
            *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),  # CI containers run as root
        ], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    request = urllib.request.Request(f"{base}/api/status", headers={"Authorization": f"token {token}"})
                    with urllib.request.urlopen(request, timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"JupyterLab did not start:\n{log_path.read_text()}")
                time.sleep(0.3)
            yield f"{base}/lab/tree/{notebook}?token={token}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()

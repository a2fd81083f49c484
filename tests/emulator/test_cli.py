"""``cmpivot emulator`` prints url, ca and token (then the Entra ID stand-in's authority, client_id
and scope), one per line, and serves until stopped; the ``cmpivot`` command then queries it over HTTPS."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import time

import requests

from cmpivot_magic import cli
from cmpivot_magic.emulator import cli as emulator_cli


def test_cmpivot_emulator_prints_url_ca_and_token() -> None:
    process = subprocess.Popen([sys.executable, "-m", "cmpivot_magic.cli", "emulator", "--devices", "12",
                                "--seed", "3", "--speed", "100"], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(3)]
        keys = [line.split(": ", 1)[0] for line in lines]
        assert keys == ["url", "ca", "token"]
        url, ca, token = (line.split(": ", 1)[1] for line in lines)
        assert url.startswith("https://127.0.0.1:") and url.endswith("/AdminService")
        answer = requests.get(f"{url}/v1.0/Device", headers={"Authorization": f"Bearer {token}"}, verify=ca, timeout=10)
        assert len(answer.json()["value"]) == 12
        out, err = io.StringIO(), io.StringIO()
        code = cli.main(["-c", url, f"--token={token}", "--verify", ca, "-f", "csv",
                         "OS | summarize count() by Device | count"], stdout=out, stderr=err)
        assert code == 0, err.getvalue()
        assert out.getvalue().splitlines()[0] == "Count"
    finally:
        process.terminate()
        process.wait(10)
    assert process.returncode == 0


def test_emulator_main_stops_on_request() -> None:
    out = io.StringIO()
    stop = threading.Event()
    thread = threading.Thread(target=emulator_cli.main, args=(["--devices", "5"],),
                              kwargs={"stdout": out, "stop": stop})
    thread.start()
    deadline = time.monotonic() + 10
    while "scope:" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    thread.join(10)
    assert not thread.is_alive()
    keys = [line.split(": ", 1)[0] for line in out.getvalue().splitlines()]
    assert keys == ["url", "ca", "token", "authority", "client_id", "scope"]

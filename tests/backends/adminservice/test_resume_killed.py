"""A kernel killed mid-operation against a real (emulated) site, resumed by a new process:
no device's rows lost or duplicated."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pandas as pd

import cmpivot_magic as cm
from cmpivot_magic.emulator import Emulator
from cmpivot_magic.history import HistoryStore

CHILD = textwrap.dedent("""
    import os, sys
    import cmpivot_magic as cm
    url, token, ca = sys.argv[1:4]
    s = cm.connect(url, token=token, verify=ca, poll_interval=(0.05, 0.2), max_rate=2000)
    op = s.submit("Process | summarize count() by Device", collection="SMS00001")
    print(op.id, flush=True)
    for p in op.updates(poll=0.05):
        if p.answered >= 10:
            os._exit(9)   # the kernel dies: no cleanup, no result
""")


def rows(df: pd.DataFrame) -> Counter[tuple[str, ...]]:
    return Counter(tuple(str(v) for v in r) for r in df.itertuples(index=False))


def test_killed_process_resumed_over_https(tmp_path: Path) -> None:
    history = tmp_path / "history"
    env = {**os.environ, "CMPIVOT_MAGIC_HISTORY_DIR": str(history)}
    with Emulator(devices=50, seed=7, speed=15) as emu:
        proc = subprocess.run([sys.executable, "-c", CHILD, emu.url, emu.token, emu.ca_path],
                              capture_output=True, text=True, timeout=120, env=env)
        assert proc.returncode == 9, proc.stderr
        op_id = int(proc.stdout.split()[0])
        stored_before = HistoryStore(history).replies(op_id)
        assert 10 <= len(stored_before) < 50

        session = cm.connect(emu.url, token=emu.token, verify=emu.ca_path, history=history,
                             poll_interval=(0.05, 0.2), max_rate=2000)
        result = session.resume(op_id).result()
        status = result.status
        assert len(status) == 50 and status["Device"].is_unique
        assert not (status["Status"] == "Pending").any()
        again = session.run("Process | summarize count() by Device", collection="SMS00001")
        assert rows(result.df) == rows(again.df)  # every device's rows, exactly once
        assert len(HistoryStore(history).replies(op_id)) == 50

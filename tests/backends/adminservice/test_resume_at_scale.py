"""A kernel killed mid-read of a few thousand devices' results (replies already streaming into its
history in batches) is resumed by a new process: the same rows and statuses as a run never
interrupted, every device once, and the devices stored before the kill not read again."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pandas as pd

import cmpivot_magic as cm
from cmpivot_magic.backends.adminservice import result_stream
from cmpivot_magic.backends.base import DeviceStatus
from cmpivot_magic.emulator import Emulator
from cmpivot_magic.history import HistoryStore

DEVICES = 3000
QUERY = "Process | where Name startswith 's' | project Device, Name, ProcessId"
OPTIONS = {"poll_interval": (0.05, 0.3), "max_rate": 2000}

CHILD = textwrap.dedent("""
    import os, sys
    import cmpivot_magic as cm
    from cmpivot_magic.backends.adminservice import result_stream
    result_stream.BATCH_BYTES = 50_000   # many batches per read, as at site scale
    url, token, ca, query = sys.argv[1:5]
    s = cm.connect(url, token=token, verify=ca, poll_interval=(0.05, 0.3), max_rate=2000)
    op = s.submit(query, collection="SMS00001")
    print(op.id, flush=True)
    for p in op.updates(poll=0.05):
        if p.answered >= 1000:
            os._exit(9)   # the kernel dies mid-read: no cleanup, no result
""")


def rows(df: pd.DataFrame) -> Counter[tuple[str, ...]]:
    return Counter(tuple(str(v) for v in r) for r in df.itertuples(index=False))


def statuses(result: cm.QueryResult) -> dict[str, tuple[str, int]]:
    s = result.status
    return {d: (st, int(n)) for d, st, n in zip(s["Device"], s["Status"], s["Rows"], strict=True)}


def test_killed_mid_read_and_resumed_at_a_few_thousand_devices(tmp_path: Path) -> None:
    history = tmp_path / "history"
    env = {**os.environ, "CMPIVOT_MAGIC_HISTORY_DIR": str(history)}
    with Emulator(devices=DEVICES, seed=7, speed=30) as emu:
        proc = subprocess.run([sys.executable, "-c", CHILD, emu.url, emu.token, emu.ca_path, QUERY],
                              capture_output=True, text=True, timeout=300, env=env)
        assert proc.returncode == 9, proc.stderr
        op_id = int(proc.stdout.split()[0])
        stored_before = HistoryStore(history).replies(op_id)
        assert 1000 <= len(stored_before) < DEVICES

        result_stream.BATCH_BYTES, saved = 50_000, result_stream.BATCH_BYTES
        try:
            session = cm.connect(emu.url, token=emu.token, verify=emu.ca_path, history=history, **OPTIONS)
            operation = session.resume(op_id)
            resumed = operation.result()
            parsed = session.backend.client.stats.parsing  # type: ignore[attr-defined]
            again = cm.connect(emu.url, token=emu.token, verify=emu.ca_path, history=None, **OPTIONS).run(
                QUERY, collection="SMS00001")
        finally:
            result_stream.BATCH_BYTES = saved

        assert rows(resumed.df) == rows(again.df)  # every device's rows, exactly once
        assert statuses(resumed) == statuses(again)
        assert not (resumed.status["Status"] == "Pending").any()
        assert len(HistoryStore(history).replies(op_id)) == DEVICES
        # the devices stored before the kill were not made into frames again: only the others' rows were
        stored = {r.device for r in stored_before.values()}
        assert any(r.status == DeviceStatus.COMPLETED for r in stored_before.values())
        assert parsed.rows == sum(int(n) for d, n in zip(again.status["Device"], again.status["Rows"], strict=True)
                                  if d not in stored)

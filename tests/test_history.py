"""Nothing lost: operations persist as they stream in, resume after a killed process, concurrent
writers, crash-safe writes, retry, diff and re-evaluation over stored rows."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import cmpivot_magic as cm
from cmpivot_magic.errors import CMPivotError
from cmpivot_magic.history import HistoryStore

SITE = "demo://?devices=120&seed=7&clock=virtual&offline=0.1&failure=0.05"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CMPIVOT_MAGIC_HISTORY_DIR", str(tmp_path / "history"))
    return tmp_path / "history"


def rows(df: pd.DataFrame) -> Counter[tuple[str, ...]]:
    return Counter(tuple(str(v) for v in r) for r in df.itertuples(index=False))


def test_replies_are_persisted_as_they_stream_in(store: Path) -> None:
    s = cm.connect(SITE)
    op = s.submit("Process | summarize count() by Device")
    first = next(iter(op.updates()))
    stored = HistoryStore(store).replies(op.id)
    assert len(stored) == first.answered + first.failed + first.offline > 0
    assert all(r.rows is None or r.rows.height == r.rows.select("Device").height for r in stored.values())
    op.result()
    table = s.history.operations()  # type: ignore[union-attr]
    assert table.loc[0, "OperationId"] == op.id and table.loc[0, "Summary"].startswith("Query completed")


KILLED_CHILD = textwrap.dedent("""
    import os, sys
    import cmpivot_magic as cm
    s = cm.connect(sys.argv[1])
    op = s.submit("Process | summarize count() by Device")
    print(op.id, flush=True)
    for p in op.updates(poll=0.05):
        if p.answered >= 30:
            os._exit(9)   # the kernel dies mid-operation: no cleanup, no result
""")


def test_resume_after_the_process_was_killed_loses_and_duplicates_nothing(store: Path) -> None:
    url = "demo://?devices=120&seed=7&clock=real&speed=30&offline=0.1&failure=0.05"
    proc = subprocess.run([sys.executable, "-c", KILLED_CHILD, url], capture_output=True, text=True, timeout=120,
                          env={**os.environ})
    assert proc.returncode == 9, proc.stderr
    op_id = int(proc.stdout.split()[0])
    before = HistoryStore(store).replies(op_id)
    assert 30 <= len(before) < 120  # part of the devices had answered

    resumed = cm.connect(url).resume(op_id)
    result = resumed.result()
    status = result.status
    assert status["Device"].is_unique and len(status) == 120
    assert not (status["Status"] == "Pending").any()
    fresh = cm.connect(url.replace("clock=real&speed=30", "clock=virtual"), history=None).run(
        "Process | summarize count() by Device")
    assert rows(result.df) == rows(fresh.df)  # every device's rows exactly once
    assert len(HistoryStore(store).replies(op_id)) == 120


def _writer(root: str, n: int, seed: int) -> None:
    s = cm.connect(f"demo://?devices=30&seed={seed}&clock=virtual", history=root)
    for _ in range(n):
        s.run("OS | summarize count() by Caption")


def test_concurrent_writers_do_not_corrupt_the_store(tmp_path: Path) -> None:
    root = str(tmp_path / "shared")
    HistoryStore(root)
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(root, 4, seed)) for seed in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = HistoryStore(root)
    ops = store.operations()
    assert len(ops) == 16 and ops["OperationId"].is_unique
    for op_id in ops["OperationId"]:
        replies = store.replies(int(op_id))
        assert len(replies) == 30


def test_a_write_interrupted_mid_file_leaves_the_store_readable(store: Path) -> None:
    s = cm.connect(SITE)
    r = s.run("Service | summarize count() by Device")
    folder = store / "rows" / str(r.operation_id)
    (folder / ".deadbeef.parquet.tmp").write_bytes(b"PAR1 half a file")  # what a crash leaves
    again = HistoryStore(store).replies(r.operation_id)
    assert sum(x.rows.height for x in again.values() if x.rows is not None) == len(r.df)


def test_retry_asks_only_pending_offline_or_failed_devices_and_merges(store: Path) -> None:
    s = cm.connect("demo://?devices=120&seed=7&clock=virtual&offline=0&failure=0")
    partial = s.run("Process | summarize count() by Device", timeout=2.0)
    pending = set(partial.status.loc[partial.status["Status"] == "Pending", "Device"])
    assert pending
    merged = s.retry(partial, offline=False, failed=False, pending=True)
    full = s.run("Process | summarize count() by Device")
    assert rows(merged.df) == rows(full.df)
    retried = s.history.replies(merged.operation_id)  # type: ignore[union-attr]
    assert {r.device for r in retried.values()} == pending  # the others were not asked again


def test_diff_lists_appeared_disappeared_and_changed_rows() -> None:
    a = cm.connect("demo://?devices=10&seed=7&clock=virtual&offline=0&failure=0", history=None).run(
        "Service | where Name in ('WinDefend', 'Spooler', 'wuauserv') | project Device, Name, State")
    b = cm.connect("demo://?devices=10&seed=8&clock=virtual&offline=0&failure=0", history=None).run(
        "Service | where Name in ('WinDefend', 'Spooler', 'BITS') | project Device, Name, State")
    d = b.diff(a, key=["Name"])
    assert set(d["Change"]) <= {"appeared", "disappeared", "changed"}
    assert (d.loc[d["Change"] == "appeared", "Name"].str.lower() == "bits").all()
    assert (d.loc[d["Change"] == "disappeared", "Name"].str.lower() == "wuauserv").all()
    changed = d[d["Change"] == "changed"]
    assert changed["Changed"].str.contains("State:").all()
    same = b.diff(b, key=["Name"])
    assert same.empty


def test_requery_reevaluates_stored_rows_without_asking_devices() -> None:
    s = cm.connect(SITE, history=None)
    first = s.run("Process | project Device, Name, WorkingSetSize | top 5 by WorkingSetSize")
    again = s.requery(first, "Process | summarize count() by Name")
    direct = s.run("Process | summarize count() by Name")
    assert rows(again.df) == rows(direct.df)
    assert again.operation_id == first.operation_id  # no new operation
    with pytest.raises(CMPivotError, match="cannot re-evaluate"):
        s.requery(first, "Process | project CommandLine")
    with pytest.raises(CMPivotError, match="stored rows are Process rows"):
        s.requery(first, "Service")


def test_history_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMPIVOT_MAGIC_HISTORY_DIR", "off")
    s = cm.connect(SITE)
    assert s.history is None
    with pytest.raises(CMPivotError, match="history is off"):
        s.resume(1)


def test_magic_history_resume_and_on(store: Path, shell: Any) -> None:
    from IPython.utils.capture import capture_output

    ip = shell
    magic = ip.magics_manager.registry["CMPivotMagic"]
    magic.sessions.clear()
    magic.current = None
    with capture_output():
        ip.run_line_magic("cmpivot", f"connect {SITE}")
        ip.run_cell_magic("cmpivot", "", "Process | project Device, Name")
    first = ip.user_ns["_cmpivot"]
    table = ip.run_line_magic("cmpivot", "history 5")
    assert first.operation_id in table["OperationId"].tolist()
    with capture_output():
        ip.run_cell_magic("cmpivot", "--on _cmpivot -o counted", "Process | summarize count() by Name")
    assert ip.user_ns["counted"].operation_id == first.operation_id
    with capture_output():
        ip.run_line_magic("cmpivot", f"resume {first.operation_id}")
    assert rows(ip.user_ns["_cmpivot"].df) == rows(first.df)

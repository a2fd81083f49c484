"""Behaviour the site-scale speed-ups keep (issue 19), pinned at small sizes: the same rows and
statuses as a device-by-device evaluation, ``lazy()`` over the stored Parquet equal to ``df``,
``to_parquet`` without pandas, and the demo site's device limit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import cmpivot_magic as cm
from cmpivot_magic.errors import CMPivotError
from cmpivot_magic.results import Rows

SITE = "demo://?devices=400&seed=7&clock=virtual&ps4=0.2&failure=0.05"


@pytest.fixture
def session(tmp_path: Path) -> cm.Session:
    return cm.connect(SITE, history=tmp_path / "history")


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


@pytest.mark.parametrize("text", ["Process | project Device, Name, WorkingSetSize",
                                  "Process | where Name == 'svchost.exe' | project Name, ProcessId",
                                  "Administrators | project Device, Name"])
def test_lazy_over_the_stored_rows_equals_df(session: cm.Session, text: str) -> None:
    result = session.run(text)
    lazy = result.lazy()
    assert isinstance(lazy, pl.LazyFrame)
    stored = lazy.collect()
    assert stored.height == len(result.df) > 0
    assert _sorted(stored).equals(_sorted(result.polars))
    assert stored.columns == list(result.df.columns)
    # filtered and aggregated without loading: the same answer as pandas gives
    big = lazy.filter(pl.col(stored.columns[-1]).is_not_null()).select(pl.len()).collect().item()
    assert big == int(result.df[stored.columns[-1]].notna().sum())


def test_lazy_of_a_summarized_answer_is_the_answer(session: cm.Session) -> None:
    result = session.run("OS | summarize count() by Caption")
    assert result.lazy().collect().equals(result.polars)


def test_lazy_without_history_says_how_to_turn_it_on() -> None:
    result = cm.connect(SITE, history=None).run("OS | project Device, Caption")
    with pytest.raises(CMPivotError, match="history store") as err:
        result.lazy()
    assert "history" in (err.value.hint or "")


def test_df_is_made_from_the_polars_rows_once(session: cm.Session) -> None:
    result = session.run("Process | project Device, Name, WorkingSetSize")
    assert isinstance(result.__dict__["_df"], Rows)  # the polars rows: no pandas frame made yet
    first = result.df
    assert isinstance(first, pd.DataFrame) and len(first) == result.polars.height
    assert result.df is first
    assert list(first.columns) == ["Device", "Name", "WorkingSetSize"]
    assert str(first["WorkingSetSize"].dtype) == "Int64"


def test_to_parquet_round_trip(session: cm.Session, tmp_path: Path) -> None:
    result = session.run("Process | project Device, Name, WorkingSetSize, CreationDate")
    path = tmp_path / "rows.parquet"
    result.to_parquet(path)
    back = pd.read_parquet(path)
    expected = result.df
    assert list(back.columns) == list(expected.columns)
    assert back["Name"].tolist() == expected["Name"].tolist()
    assert back["WorkingSetSize"].tolist() == expected["WorkingSetSize"].tolist()
    assert (pd.to_datetime(back["CreationDate"], utc=True) == expected["CreationDate"]).all()


def test_rows_and_statuses_equal_a_device_by_device_run(tmp_path: Path) -> None:
    """The batched, vectorised path gives what asking each device alone gives."""
    s = cm.connect(SITE, history=None)
    text = "Administrators | project Device, Name"  # fails on PowerShell 4 devices
    whole = s.run(text)
    names = whole.status["Device"].tolist()[:40]
    for name in names[:40:8]:
        alone = s.run(text, devices=[name])
        mine = whole.df[whole.df["Device"] == name].reset_index(drop=True)
        pd.testing.assert_frame_equal(alone.df, mine)
        row = whole.status[whole.status["Device"] == name].reset_index(drop=True)
        # values, not dtypes: a one-row Error column of None is inferred object, a column with text str
        assert alone.status.astype(object).where(alone.status.notna(), None).values.tolist() == \
            row.astype(object).where(row.notna(), None).values.tolist()
    assert set(whole.status["Status"]) >= {"Completed", "Failed", "Offline"}


def test_demo_site_takes_a_whole_primary_site() -> None:
    with pytest.raises(CMPivotError, match="150,000"):
        cm.connect("demo://?devices=150001&clock=virtual", history=None)


@pytest.mark.parametrize("entity", ["Administrators", "EPStatus", "OS", "Process"])
def test_entity_errors_at_once_equal_device_by_device(entity: str) -> None:
    from cmpivot_magic import catalog

    site = cm.connect(SITE, history=None).backend.site  # type: ignore[attr-defined]
    ids = site.devices.get_column("ResourceId").to_list()
    ent = catalog.entity(entity)
    assert site.entity_errors(ent, ids) == [site.entity_error(ent, rid) for rid in ids]


def test_cli_csv_streams_the_same_text_and_parquet_needs_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from cmpivot_magic import cli, results

    monkeypatch.setenv("CMPIVOT_MAGIC_HISTORY_DIR", "off")
    url = "demo://?devices=60&seed=7&clock=virtual"
    text = "Process | project Device, Name, WorkingSetSize"  # no datetimes: they read the clock
    out, err = io.StringIO(), io.StringIO()
    original = results.QueryResult.batches
    monkeypatch.setattr(results.QueryResult, "batches", lambda self, rows=200_000: original(self, 997))
    assert cli.main(["-c", url, "-f", "csv", text], stdout=out, stderr=err) == 0
    expected = cm.connect(url, history=None).run(text).df.to_csv(index=False)
    assert out.getvalue() == expected
    assert cli.main(["-c", url, "-f", "parquet", text], stdout=io.StringIO(), stderr=err) == 2
    path = tmp_path / "rows.parquet"
    assert cli.main(["-c", url, "-f", "parquet", "-o", str(path), text], stdout=io.StringIO(), stderr=err) == 0
    assert pl.read_parquet(path).height == len(pd.read_csv(io.StringIO(expected)))


_KILLED = """
import os, sys
import cmpivot_magic as cm
s = cm.connect(sys.argv[1], history=sys.argv[2])
op = s.submit("Process | project Device, Name, ProcessId")
print(op.id, flush=True)
for p in op.updates(poll=0.05):
    if p.answered >= 1000:
        os._exit(9)   # the kernel dies mid-operation: no cleanup, no result
"""


def test_resume_after_a_kill_at_a_few_thousand_devices(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from cmpivot_magic.history import HistoryStore

    url = "demo://?devices=3000&seed=7&clock=real&speed=40&offline=0.1&failure=0.05"
    root = tmp_path / "history"
    proc = subprocess.run([sys.executable, "-c", _KILLED, url, str(root)], capture_output=True, text=True,
                          timeout=300, env={**os.environ})
    assert proc.returncode == 9, proc.stderr
    op_id = int(proc.stdout.split()[0])
    assert 1000 <= len(HistoryStore(root).replies(op_id)) < 3000  # part of the devices had answered

    result = cm.connect(url, history=root).resume(op_id).result()
    assert result.status["Device"].is_unique and len(result.status) == 3000
    assert not (result.status["Status"] == "Pending").any()
    fresh = cm.connect(url.replace("clock=real&speed=40", "clock=virtual"), history=None).run(
        "Process | project Device, Name, ProcessId")
    assert _sorted(result.polars).equals(_sorted(fresh.polars))  # every device's rows exactly once
    pd.testing.assert_frame_equal(result.status.drop(columns="Elapsed").sort_values("Device").reset_index(drop=True),
                                  fresh.status.drop(columns="Elapsed").sort_values("Device").reset_index(drop=True))
    assert _sorted(result.lazy().collect()).equals(_sorted(fresh.polars))



def test_resume_asks_only_the_devices_without_an_answer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Re-attaching to a finished operation reads the stored rows; the site is not asked again
    (it was, for every device, then the answered ones were dropped: 4 s at 150,000 devices)."""
    session = cm.connect(SITE, history=tmp_path / "history")
    done = session.run("Process | project Device, Name")
    site = session.backend.source  # type: ignore[attr-defined]
    asked: list[int] = []
    real = site.table
    monkeypatch.setattr(site, "table", lambda entity, args, ids, *rest, **kw: (
        asked.append(len(ids)), real(entity, args, ids, *rest, **kw))[1])
    again = session.resume(done.operation_id).result()
    assert asked == []
    assert _sorted(again.polars).equals(_sorted(done.polars))
    assert again.status["Status"].tolist() == done.status["Status"].tolist()


def test_a_resumed_operation_counts_the_replies_it_already_had(tmp_path: Path) -> None:
    """Progress after a resume starts from the stored replies (it said 0 answered before)."""
    session = cm.connect(SITE, history=tmp_path / "history")
    done = session.run("OS | project Device, Caption")
    resumed = session.resume(done.operation_id)
    progress = resumed.progress()
    assert progress.answered == done.devices_answered > 0
    assert progress.rows == len(done.df)
    assert progress.pending == (done.status["Status"] == "Pending").sum()

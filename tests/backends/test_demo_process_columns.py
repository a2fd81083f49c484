"""The demo site builds Process column by column (``process_table.py``): a column has the same
values whichever columns a query read before it, in whatever order, as when the whole table is
built at once; and a query builds only what it reads."""

from __future__ import annotations

import datetime as dt

import pytest

from cmpivot_magic.backends.demo.site import DemoSite
from cmpivot_magic.catalog import entity

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
PROCESS = entity("Process")
COLUMNS = [c for c in PROCESS.column_names if c != "Device"]


def _site() -> DemoSite:
    site = DemoSite(devices=250, seed=5, offline=0.1, failure=0.02, ps4=0.03)
    site.anchor = NOW
    return site


@pytest.fixture(scope="module")
def whole() -> dict[str, list[object]]:
    site = _site()
    table = site.table(PROCESS, (), site.devices["ResourceId"], NOW)
    assert table.height > 250 * 100 and table.null_count().select(COLUMNS[:3]).sum_horizontal().item() == 0
    return {c: table[c].to_list() for c in table.columns}


@pytest.mark.parametrize("order", [
    ["KernelModeTime"],                      # the last draws first: every group before is replayed
    ["CreationDate", "UserModeTime"],
    ["WorkingSetSize", "ProcessId", "KernelModeTime"],
    ["ParentProcessId"], ["CommandLine", "ExecutablePath"], ["HandleCount", "Priority", "Description"],
    list(reversed(COLUMNS)),
])
def test_a_column_is_the_same_whatever_was_read_before(whole: dict[str, list[object]], order: list[str]) -> None:
    site = _site()
    ids = site.devices["ResourceId"]
    for column in order:
        table = site.table(PROCESS, (), ids, NOW, columns=[column])
        assert table["Device"].to_list() == whole["Device"]
        assert table[column].to_list() == whole[column], column
    # and once everything has been read, the cached table is the whole table
    everything = site.table(PROCESS, (), ids, NOW)
    assert {c: everything[c].to_list() for c in everything.columns} == whole


def test_a_query_builds_only_the_columns_it_reads() -> None:
    site = _site()
    site.table(PROCESS, (), site.devices["ResourceId"][:3], NOW, columns=["Device", "Name"])
    cached = site.rows(PROCESS, (), NOW)  # no columns named: the cache is completed
    assert set(COLUMNS) <= set(cached.columns)
    fresh = _site()
    fresh.table(PROCESS, (), fresh.devices["ResourceId"][:3], NOW, columns=["Device", "Name"])
    (key,) = [k for k in fresh._cache if k[0] == "process"]
    assert set(fresh._cache[key].columns) == {"_dev", "Name"}


def test_services_and_modules_read_the_process_columns_they_need() -> None:
    """Service takes its ProcessId from Process, ProcessModule its paths: the same answers when
    Process was built whole first or not at all."""
    ids_of = lambda s: s.devices["ResourceId"]  # noqa: E731
    cold, warm = _site(), _site()
    warm.table(PROCESS, (), ids_of(warm), NOW)
    for name, args in (("Service", ()), ("ProcessModule", ("svchost",))):
        a = cold.table(entity(name), args, ids_of(cold), NOW)
        b = warm.table(entity(name), args, ids_of(warm), NOW)
        assert a.height > 0 and a.equals(b), name

"""The backend contract (``backends/base.py``, ``backends/targets.py``) as every backend keeps it:
the same target rules and words, the collection carried in the request and the route it picks,
clock ownership, and a table operation's schedule."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest

import cmpivot_magic as cm
from cmpivot_magic.backends.adminservice.operation import CollectionOperation, DevicesOperation
from cmpivot_magic.backends.base import DeviceReply, DeviceStatus
from cmpivot_magic.backends.tables import TableOperation, Timeline
from cmpivot_magic.backends.targets import DEFAULT_COLLECTION
from cmpivot_magic.emulator import Emulator

DEMO = "demo://?devices=40&seed=7&clock=virtual"
FAST: dict[str, Any] = {"poll_interval": (0.02, 0.1), "request_timeout": (2.0, 5.0), "retries": 6, "backoff": 0.01,
        "max_rate": 2000, "history": None}


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(devices=12, seed=7, speed=200) as emu:
        yield emu


@pytest.fixture(scope="module")
def site(emulator: Emulator) -> cm.Session:
    return cm.connect(emulator.url, token=emulator.token, verify=emulator.ca_path, **FAST)


def _sessions(site: cm.Session) -> list[cm.Session]:
    return [cm.connect(DEMO, history=None), cm.connect("local://", history=None), site]


def test_every_backend_refuses_the_same_target_mistakes(site: cm.Session) -> None:
    """Devices and a collection at once, or an empty device list, fail alike on every backend."""
    for session in _sessions(site):
        name = session.devices()["Name"].iloc[0]
        with pytest.raises(cm.CMPivotError, match="target either devices or a collection, not both"):
            session.submit("OS", devices=[name], collection=DEFAULT_COLLECTION)
        with pytest.raises(cm.CMPivotError, match="no devices were selected"):
            session.submit("OS", devices=[])


def test_the_request_carries_the_collection_it_was_resolved_from() -> None:
    """The default collection when nothing is named, the given one, or None for devices by name."""
    s = cm.connect(DEMO, history=None)
    name = s.devices()["Name"].iloc[0]
    assert s.submit("OS").request.collection == DEFAULT_COLLECTION
    assert s.submit("OS", collection="SMS00001").request.collection == "SMS00001"
    assert s.submit("OS", devices=[name]).request.collection is None


def test_devices_picked_by_name_go_by_the_devices_route(site: cm.Session) -> None:
    """Naming every member of a collection is still a pick by name: one device operation each,
    not the collection's operation (the route follows the request, not an earlier query)."""
    backend = site.backend
    whole = site.run("OS", collection=DEFAULT_COLLECTION)
    assert isinstance(backend.operations[-1], CollectionOperation)  # type: ignore[attr-defined]
    names = whole.status["Device"].tolist()
    picked = site.run("OS", devices=names)
    assert isinstance(backend.operations[-1], DevicesOperation)  # type: ignore[attr-defined]
    assert sorted(picked.status["Device"]) == sorted(names)


def test_who_owns_the_clock(site: cm.Session) -> None:
    """A table operation applies the timeout in the site's simulated seconds; a real site's
    operation leaves the deadline to the session's wall clock."""
    assert cm.connect(DEMO, history=None).submit("OS").handle.owns_clock is True
    operation = site.submit("OS")
    assert operation.handle.owns_clock is False
    operation.cancel()


def _reply(rid: int) -> DeviceReply:
    return DeviceReply(f"D{rid}", rid, DeviceStatus.COMPLETED, elapsed=float(rid))


def test_a_table_operation_hands_over_its_replies_and_counts_from_started_at() -> None:
    """``replies()`` gives every reply due within the timeout at once, in latency order; on a real
    timeline an operation started 5 s ago has released what was due by then."""
    schedule = [(1.0, _reply(1)), (3.0, _reply(3)), (9.0, _reply(9))]
    op = TableOperation(1, schedule, timeout=5.0, timeline=Timeline("virtual"))
    assert [r.resource_id for r in op.replies()] == [1, 3]

    resumed = TableOperation(2, schedule, timeout=60.0, timeline=Timeline("real", speed=1.0),
                             started_at=time.monotonic() - 5.0)
    assert [r.resource_id for r in resumed.poll(0)] == [1, 3]
    assert not resumed.done()


def test_a_resumed_demo_operation_counts_from_when_it_was_sent() -> None:
    """Resuming re-attaches on the site's timeline: devices due since the first send answer at once."""
    s = cm.connect("demo://?devices=40&seed=7&clock=real&speed=1&offline=0&failure=0", history=None)
    operation = s.submit("OS")
    request = operation.request
    operation.cancel()
    earlier = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=3600)
    handle = s.backend.resume(operation.id, dataclasses.replace(request, now=earlier), answered=set())
    assert len(handle.poll(0)) == len(request.targets)

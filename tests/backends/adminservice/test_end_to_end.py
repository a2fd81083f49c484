"""The AdminService backend end to end over real HTTPS against the emulator: device and
collection queries equal demo://'s answers, results stream, statuses explain every device,
cancel reaches the site, and only the device part is sent."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import cmpivot_magic as cm
from cmpivot_magic.backends.adminservice.operation import CollectionOperation, DevicesOperation
from cmpivot_magic.emulator import Emulator

QUERIES = [
    "OS | summarize count() by Caption",
    "Process | project Name, ProcessId | where Name contains 'svc'",
    "Process | summarize n=count() by Device | order by n desc, Device asc | take 5",
    "Device | join kind=inner (OS) | project Device, Caption",
    "Disk | where Description == 'Local Fixed Disk' | project Device, DeviceID, Size, FreeSpace",
    "Service | where State == 'Running' | summarize count() by Name | order by count_ desc, Name | take 10",
]


def rows(df: pd.DataFrame, skip_times: bool = True) -> Counter[tuple[str, ...]]:
    """The frame's rows as a multiset of text (datetime columns left out when comparing with
    demo://, whose clock differs from the emulator's pinned one)."""
    cols = [c for c in df.columns if not (skip_times and str(df[c].dtype).startswith("datetime"))]
    return Counter(tuple(str(v) for v in r) for r in df[cols].itertuples(index=False))


def statuses(result: cm.QueryResult) -> dict[str, tuple[str, int]]:
    s = result.status
    return {d: (st, int(n)) for d, st, n in zip(s["Device"], s["Status"], s["Rows"], strict=True)}


@pytest.mark.parametrize("text", QUERIES)
def test_collection_query_equals_the_demo_site(connect: Callable[..., cm.Session], demo: cm.Session,
                                                text: str) -> None:
    """A collection query through the AdminService gives demo://'s rows and per-device statuses."""
    got = connect().run(text, collection="SMS00001")
    want = demo.run(text, collection="SMS00001")
    assert rows(got.df) == rows(want.df)
    assert statuses(got) == statuses(want)
    assert got.summary == want.summary
    assert list(got.df.columns) == list(want.df.columns)


def test_top_with_ties_agrees_with_the_demo_site(connect: Callable[..., cm.Session], demo: cm.Session) -> None:
    """`top` keeps any of the rows tied at its cut (as Kusto does), so two sites agree on the values at
    each rank and every row kept is a row of the whole answer, not on which tied row is kept."""
    query = "Process | summarize n=count() by Device"
    everything = rows(demo.run(query, collection="SMS00001").df)
    got = connect().run(f"{query} | top 5 by n", collection="SMS00001").df
    want = demo.run(f"{query} | top 5 by n", collection="SMS00001").df
    assert len(got) == 5
    assert list(got["n"]) == list(want["n"])
    assert all(everything[row] for row in rows(got))


def test_device_query_uses_one_device_operation_each(connect: Callable[..., cm.Session], demo: cm.Session,
                                                     emulator: Emulator) -> None:
    """Devices picked by name each get a Device(<id>)/AdminService.RunCMPivot operation."""
    session = connect()
    names = list(demo.devices()["Name"][:6])
    op = session.submit("Process | summarize count() by Device", devices=names)
    assert isinstance(op.handle, DevicesOperation)
    result = op.result()
    assert rows(result.df) == rows(demo.run("Process | summarize count() by Device", devices=names).df)
    assert {emulator.operations[i].kind for i in op.handle.operations} == {"device"}
    assert sorted(result.status["Device"]) == sorted(names)


def test_collection_query_uses_one_collection_operation(connect: Callable[..., cm.Session],
                                                        emulator: Emulator) -> None:
    op = connect().submit("OS", collection="CON00010")
    assert isinstance(op.handle, CollectionOperation)
    op.result()
    site_op = emulator.operations[op.id]
    assert (site_op.kind, site_op.key) == ("collection", "CON00010")
    assert len(op.targets) == len(emulator.members("CON00010"))


def test_only_the_device_part_is_sent(connect: Callable[..., cm.Session], emulator: Emulator) -> None:
    """The site gets ``query.device_query``; the global part runs in the session."""
    op = connect().submit("Process | where Name == 'svchost.exe' | summarize count() by Name")
    op.result()
    sent = emulator.operations[op.id].query.text
    assert sent == op.query.device_query
    assert sent.startswith("Process | where Name == 'svchost.exe'") and "summarize" not in sent


def test_results_stream_before_the_operation_completes(slow_emulator: Emulator) -> None:
    """Updates carry rows while the site still has devices to hear from."""
    emu = slow_emulator
    session = cm.connect(emu.url, token=emu.token, verify=emu.ca_path, history=None, poll_interval=(0.02, 0.05))
    op = session.submit("OS | project Caption")
    for progress in op.updates(poll=0.01):
        if progress.rows:
            assert not emu.operations[op.id].finished() and progress.pending > 0
            partial = op.partial()
            op.cancel()
            break
    else:
        pytest.fail("no update carried rows")
    assert 0 < len(partial.df) == progress.rows < len(op.targets)


def test_offline_and_failed_devices_are_in_the_status(connect: Callable[..., cm.Session],
                                                      demo: cm.Session) -> None:
    """Offline devices (CNIsOnline false, never answer) and failing ones carry their reason."""
    result = connect().run("OS")
    status = result.status.set_index("Device")
    offline = set(demo.devices().query("not IsOnline")["Name"])
    assert offline and set(status.index[status["Status"] == "Offline"]) == offline
    assert (status.loc[list(offline), "Error"] == "the device was offline when the query was sent").all()
    failed = status[status["Status"] == "Failed"]
    assert len(failed) >= 1
    want = demo.run("OS").status.set_index("Device")
    assert failed["Error"].to_dict() == want.loc[failed.index, "Error"].to_dict()


def test_datetimes_arrive_as_utc(connect: Callable[..., cm.Session]) -> None:
    df = connect().run("OS | project Device, InstallDate, LastBootUpTime").df
    assert str(df["InstallDate"].dtype) == "datetime64[ns, UTC]"
    assert df["LastBootUpTime"].notna().all()


def test_a_projected_away_device_is_still_known(connect: Callable[..., cm.Session], demo: cm.Session) -> None:
    """``project Name`` drops Device; each row's device still comes back and counts per device."""
    got = connect().run("Process | project Name", collection="CON00011")
    want = demo.run("Process | project Name", collection="CON00011")
    assert rows(got.df) == rows(want.df)
    assert statuses(got) == statuses(want)


def test_cancel_reaches_the_site(slow_emulator: Emulator) -> None:
    """Cancel calls SMS_ClientOperation.CancelClientOperation; unanswered devices stay Pending."""
    emu = slow_emulator
    session = cm.connect(emu.url, token=emu.token, verify=emu.ca_path, history=None, poll_interval=(0.02, 0.05))
    before = emu.requests.get("cancel", 0)
    op = session.submit("OS")
    for progress in op.updates(poll=0.01):
        if progress.answered:
            op.cancel()
    result = op.result()
    assert emu.requests["cancel"] == before + 1
    assert emu.operations[op.id].cancelled_at is not None
    pending = result.status[result.status["Status"] == "Pending"]
    assert len(pending) > 0
    assert (pending["Error"] == "cancelled before the device answered").all()


def test_cancel_device_operations(connect: Callable[..., cm.Session], emulator: Emulator, demo: cm.Session) -> None:
    names = list(demo.devices()["Name"][:4])
    op = connect().submit("OS", devices=names)
    op.cancel()
    assert all(emulator.operations[i].cancelled_at is not None for i in op.handle.operations)
    assert set(op.result().status["Status"]) == {"Pending"}


def test_timeout_leaves_slow_devices_pending(connect: Callable[..., cm.Session]) -> None:
    started = time.monotonic()
    result = connect().run("OS", timeout=0.05)
    assert time.monotonic() - started < 2
    assert "Pending" in set(result.status["Status"])


def test_devices_and_collections_listing(connect: Callable[..., cm.Session], demo: cm.Session) -> None:
    """Devices come from v1.0/Device with CNIsOnline from SMS_CombinedDeviceResources; collections
    from SMS_Collection with SMS_FullCollectionMembership for members."""
    session = connect()
    devices = session.devices()
    want = demo.devices()
    assert sorted(devices["Name"]) == sorted(want["Name"])
    online = dict(zip(devices["Name"], devices["IsOnline"], strict=True))
    assert online == dict(zip(want["Name"], want["IsOnline"].astype(bool), strict=True))
    collections = session.collections()
    assert list(collections["CollectionID"]) == list(demo.collections()["CollectionID"])
    assert list(collections["MemberCount"]) == list(demo.collections()["MemberCount"])
    members = session.backend.collection_members("CON00011")  # type: ignore[attr-defined]
    assert {t.name for t in members} == {t.name for t in demo.backend.resolve(None, "CON00011")}


def test_device_collections(connect: Callable[..., cm.Session], demo: cm.Session) -> None:
    client = connect().backend.client  # type: ignore[attr-defined]
    rid = int(demo.devices()["ResourceId"].iloc[0])
    ids = {c["CollectionID"] for c in client.device_collections(rid)}
    assert "SMS00001" in ids


def test_unknown_device_and_collection_names(connect: Callable[..., cm.Session]) -> None:
    session = connect()
    with pytest.raises(cm.CMPivotError, match="no device named 'WKS-999'"):
        session.run("OS", devices=["WKS-999"])
    with pytest.raises(cm.CMPivotError, match="no collection 'XYZ00001'"):
        session.run("OS", collection="XYZ00001")


def test_tenant_attach_uses_the_device_route(connect: Callable[..., cm.Session], demo: cm.Session) -> None:
    name = str(demo.devices()["Name"].iloc[1])
    op = connect(profile="tenant-attach").submit("OS", devices=[name])
    assert isinstance(op.handle, DevicesOperation)
    assert op.request.timeout == 600
    assert len(op.result().status) == 1


def test_requests_stay_well_under_the_per_ip_limit(emulator: Emulator) -> None:
    """With the default transport policy no one-second window sees more than 20 requests (the
    provider allows 200 per client IP)."""
    session = cm.connect(emulator.url, token=emulator.token, verify=emulator.ca_path, history=None,
                         poll_interval=(0.01, 0.02))
    start = time.monotonic()
    session.run("OS", devices=list(session.devices()["Name"][:30]))
    times = [t for t, _, _ in emulator.app.log if t >= start]
    busiest = max(sum(1 for u in times if t <= u < t + 1.0) for t in times)
    assert busiest <= 20 + 10  # the rate, plus the limiter's initial burst


def test_resume_reattaches_to_the_site_operation(connect: Callable[..., cm.Session], demo: cm.Session,
                                                 emulator: Emulator, tmp_path: Path) -> None:
    """After a restart, ``resume(id)`` finds the operation's collection from its status and reads
    on; every device ends with one reply and the answer is whole."""
    first = connect(history=tmp_path)
    op = first.submit("OS | project Device, Caption", collection="CON00010")
    for progress in op.updates():
        if progress.answered:
            break
    posts = emulator.requests["run"]
    again = connect(history=tmp_path).resume(op.id)
    result = again.result()
    assert emulator.requests["run"] == posts  # nothing sent again
    want = demo.run("OS | project Device, Caption", collection="CON00010")
    assert rows(result.df) == rows(want.df)
    assert statuses(result) == statuses(want)

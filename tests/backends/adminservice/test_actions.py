"""Acting on results through the emulated AdminService over HTTPS (issue 18's "Done when"): the
query-link round trip, favorites shared with a new connection, a collection made from a result and
queried, an approved script on three devices, the unapproved one refused, every RBAC refusal
explained, and each write kept in history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import cmpivot_magic as cm
from cmpivot_magic.emulator import Emulator

QUERY = "OS | where Caption contains 'Server' | project Device, Caption"


def test_a_query_link_runs_through_the_site(connect: Callable[..., cm.Session]) -> None:
    s = connect()
    text = "// servers\nOS\n| where Caption contains 'Server'\n| summarize count() by Caption\n| order by Caption asc"
    link = cm.query_link(text)
    assert link.startswith("cmpivot:")
    by_link, by_text = s.run(link, collection="SMS00001"), s.run(text, collection="SMS00001")
    assert by_link.df.equals(by_text.df) and len(by_link.df) > 0


def test_saving_a_favorite_is_one_request(connect: Callable[..., cm.Session], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The write alone: the site's list of favorites is not read first."""
    monkeypatch.setenv("CMPIVOT_MAGIC_FAVORITES", str(tmp_path / "favorites.json"))
    s = connect()
    before = s.backend.client.stats.requests  # type: ignore[attr-defined]
    assert s.save_favorite("Once", QUERY) == "site"
    assert s.backend.client.stats.requests - before == 1  # type: ignore[attr-defined]


def test_favorites_are_visible_from_a_new_connection(connect: Callable[..., cm.Session], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMPIVOT_MAGIC_FAVORITES", str(tmp_path / "favorites.json"))
    assert connect().save_favorite("Servers", cm.query_link(QUERY), tags=["inventory"]) == "site"
    listed = connect().favorites()  # a new connection: the site's SMS_CMPivotFavorite
    row = listed[listed["Name"] == "Servers"].iloc[0]
    assert (row["Query"], row["Store"], row["Tags"]) == (QUERY, "site", ["inventory"])
    again = connect()
    assert again.run(again.favorite("servers"), collection="SMS00001").df.equals(
        again.run(QUERY, collection="SMS00001").df)
    assert again.delete_favorite("Servers") == "site"
    assert "Servers" not in connect().favorites()["Name"].tolist()
    with pytest.raises(cm.CMPivotError, match="no favorite named 'Servers'"):
        again.delete_favorite("Servers")


def test_a_collection_from_a_result_targets_exactly_its_devices(connect: Callable[..., cm.Session],
                                                                tmp_path: Path) -> None:
    s = connect(history=tmp_path / "history")
    found = s.run(QUERY, collection="SMS00001")
    devices = sorted(set(found.df["Device"]))
    assert devices
    cid = found.create_collection("Servers found", session=s)
    listed = s.collections().set_index("CollectionID")
    assert listed.loc[cid, "Name"] == "Servers found" and listed.loc[cid, "MemberCount"] == len(devices)
    again = s.run("Device", collection=cid)
    assert sorted(again.status["Device"]) == devices
    with pytest.raises(cm.CMPivotError, match="already exists"):
        found.create_collection("servers FOUND", session=s)
    offline = found.device_names("offline")
    if offline:
        off_id = s.create_collection("Servers offline", offline)
        assert sorted(s.run("Device", collection=off_id).status["Device"]) == sorted(offline)
    actions = s.history.actions()  # type: ignore[union-attr]
    made = actions[actions["Action"] == "create collection"].iloc[-1]
    assert made["What"] == f"Servers found ({cid})" and made["Devices"] == len(devices) and made["User"]


def test_an_approved_script_runs_on_three_devices(connect: Callable[..., cm.Session], emulator: Emulator,
                                                  tmp_path: Path) -> None:
    s = connect(history=tmp_path / "history")
    library = s.scripts()
    assert {"Get free disk space", "Unapproved cleanup"} <= set(library["Name"]) and "CMPivot" not in set(library["Name"])
    devices = s.devices()
    three = devices.loc[devices["IsOnline"].fillna(False).astype(bool), "Name"].head(3).tolist()
    operation = s.run_script("Get free disk space", devices=three, parameters={"drive": "C:"}, timeout=20)
    progress = list(operation.updates())
    assert progress and progress[-1].completed + progress[-1].failed == 3
    result = operation.result()
    assert sorted(result.status["Device"]) == sorted(three) and len(result.status) == 3
    ran = result.status[result.status["Status"] == "Completed"]["Device"]
    outputs = result.df.set_index("Device")["Output"]
    assert all('"Drive": "C:"' in outputs[d] for d in ran) and len(outputs) == 3
    assert "completed on" in result.summary and "Get free disk space" in result.summary
    resumed = connect(history=tmp_path / "history").resume_script(result.operation_id).result()
    assert sorted(resumed.df["Device"]) == sorted(three)
    runs = len(emulator.app.script_runs)
    with pytest.raises(cm.CMPivotError, match="'Unapproved cleanup' is not approved"):
        s.run_script("Unapproved cleanup", devices=three)
    assert len(emulator.app.script_runs) == runs  # refused before anything was sent
    with pytest.raises(cm.CMPivotError, match="has no parameter 'Path'"):
        s.run_script("Get free disk space", devices=three, parameters={"Path": "x"})
    logged = s.history.actions()  # type: ignore[union-attr]
    assert logged.iloc[0]["Action"] == "run script" and logged.iloc[0]["Devices"] == 3


def test_each_refusal_names_the_missing_right(connect: Callable[..., cm.Session], emulator: Emulator) -> None:
    no_create = connect(token=emulator.add_token(create_collections=False))
    with pytest.raises(cm.PermissionDeniedError, match="Create permission on Collection") as denied:
        no_create.create_collection("Mine", no_create.devices()["Name"].head(2).tolist())
    assert "security role" in str(denied.value)
    scoped = connect(token=emulator.add_token(run=["CON00010"]))
    targets = scoped.backend.resolve(scoped.devices()["Name"].head(1).tolist(), None)
    with pytest.raises(cm.PermissionDeniedError, match="Modify permission on collection SMS00001"):
        scoped.backend.add_members("SMS00001", targets)
    no_scripts = connect(token=emulator.add_token(run_scripts=False))
    with pytest.raises(cm.PermissionDeniedError, match="Run Script"):
        no_scripts.scripts()
    with pytest.raises(cm.PermissionDeniedError, match="Run Script"):
        no_scripts.run_script("Get free disk space", devices=no_scripts.devices()["Name"].head(1).tolist())


def test_local_connections_say_what_they_cannot_do(tmp_path: Path) -> None:
    s = cm.connect("local://", history=tmp_path)
    with pytest.raises(cm.CMPivotError, match="not supported on local://"):
        s.create_collection("x", ["y"])
    with pytest.raises(cm.CMPivotError, match="not supported on local://"):
        s.scripts()
    assert s.save_favorite("Mine", "OS", tags=("t",)) == "local"
    assert cm.connect("local://", history=tmp_path).favorites()[["Name", "Store"]].values.tolist() == [["Mine", "local"]]

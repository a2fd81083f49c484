"""Acting on the simulation (demo://): collections join the site and are queried like its own,
scripts run on the simulated devices, and favorites fall back to the local store wherever a site
refuses them."""

from __future__ import annotations

from pathlib import Path

import pytest

import cmpivot_magic as cm
from cmpivot_magic.errors import PermissionDeniedError

DEMO = "demo://?devices=40&seed=7&clock=virtual"


def test_a_collection_on_the_simulation(tmp_path: Path) -> None:
    s = cm.connect(DEMO, history=tmp_path)
    found = s.run("OS | where Caption contains 'Windows 11' | project Device")
    cid = found.create_collection("Win 11", session=s, comment="from a result")
    row = s.collections().set_index("CollectionID").loc[cid]
    assert (row["Name"], row["MemberCount"], row["Comment"]) == ("Win 11", len(found.df), "from a result")
    assert sorted(s.run("Device", collection=cid).status["Device"]) == sorted(found.df["Device"])
    with pytest.raises(cm.CMPivotError, match="already exists"):
        s.create_collection("win 11", ["WKS-0001"])
    with pytest.raises(cm.CMPivotError, match="no devices"):
        s.create_collection("Nobody", [])
    with pytest.raises(cm.CMPivotError, match="unknown device set"):
        found.device_names("sleepy")
    with pytest.raises(cm.CMPivotError, match="no Device column"):
        s.run("OS | summarize count()").device_names()


def test_scripts_on_the_simulation(tmp_path: Path) -> None:
    s = cm.connect(DEMO, history=tmp_path)
    library = s.scripts()
    assert library.set_index("Name").loc["Unapproved cleanup", "Approval"] == "Waiting for approval"
    assert "CMPivot" not in set(library["Name"])
    with pytest.raises(cm.CMPivotError, match="no script 'CMPivot'"):
        s.run_script("CMPivot", devices=["WKS-0001"])
    with pytest.raises(cm.CMPivotError, match="say where"):
        s.run_script("Get free disk space")
    result = s.run_script("get free disk space", collection="SMS00001", parameters={"Drive": "C:"}).result()
    assert len(result.status) == 40
    assert set(result.status["Status"]) <= {"Completed", "Failed", "Offline"}
    offline = set(result.status.loc[result.status["Status"] == "Offline", "Device"])
    assert offline and not offline & set(result.df["Device"])
    assert "Script 'Get free disk space' completed on" in result.summary


def test_favorites_fall_back_to_the_local_store_when_the_site_refuses(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    s = cm.connect(DEMO, history=tmp_path)

    def refuse(*_args: object) -> None:
        raise PermissionDeniedError("not allowed to list CMPivot favorites (403).")

    for name in ("site_favorites", "save_site_favorite", "delete_site_favorite"):
        monkeypatch.setattr(s.backend, name, refuse, raising=False)
    assert s.save_favorite("Mine", "Device | take 1", tags=["x"]) == "local"
    listed = s.favorites()
    assert listed[["Name", "Store", "Tags"]].values.tolist() == [["Mine", "local", ["x"]]]
    assert (tmp_path / "favorites.json").exists()
    assert s.delete_favorite("MINE") == "local" and s.favorites().empty

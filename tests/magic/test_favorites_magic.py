"""Favorites and writes from the magic: %cmpivot favorite save/delete, %cmpivot favorites,
%%cmpivot --favorite NAME, and %cmpivot history showing the writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from cmpivot_magic import CMPivotError

DEMO = "demo://?devices=40&seed=3&clock=virtual"


def test_save_list_run_and_delete_a_favorite(ip: InteractiveShell, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMPIVOT_MAGIC_FAVORITES", str(tmp_path / "fav.json"))
    ip.run_line_magic("cmpivot", f"connect {DEMO}")
    with capture_output():
        ip.run_cell_magic("cmpivot", "", "OS | summarize count() by Caption")
    said = ip.run_line_magic("cmpivot", 'favorite save "OS census" --tags os,inventory')
    assert said == "saved favorite 'OS census' (local)"
    listed = ip.run_line_magic("cmpivot", "favorites")
    row = listed[listed["Name"] == "OS census"].iloc[0]
    assert row["Query"] == "OS | summarize count() by Caption" and row["Tags"] == ["os", "inventory"]
    assert row["Store"] == "local"
    ip.user_ns.pop("_cmpivot")
    with capture_output():
        ip.run_cell_magic("cmpivot", "--favorite 'os census'", "// the census")
    assert ip.user_ns["_cmpivot"].query.text.strip() == "OS | summarize count() by Caption"
    ip.user_ns.pop("_cmpivot")
    with capture_output():
        ip.run_line_magic("cmpivot", "--favorite 'OS census' --collection SMS00001")
    assert ip.user_ns["_cmpivot"].query.text.strip() == "OS | summarize count() by Caption"
    with pytest.raises(CMPivotError, match="cell must be empty"):
        ip.run_cell_magic("cmpivot", "--favorite 'OS census'", "Device")
    assert "deleted" in ip.run_line_magic("cmpivot", 'favorite delete "OS census"')
    with pytest.raises(CMPivotError, match="no favorite named"):
        ip.run_line_magic("cmpivot", "--favorite 'OS census'")
    with pytest.raises(CMPivotError, match="save NAME"):
        ip.run_line_magic("cmpivot", "favorite rename x")


def test_history_shows_the_writes(ip: InteractiveShell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMPIVOT_MAGIC_HISTORY_DIR", str(tmp_path / "history"))
    monkeypatch.delenv("CMPIVOT_MAGIC_FAVORITES", raising=False)
    ip.run_line_magic("cmpivot", f"connect {DEMO}")
    session = ip.magics_manager.registry["CMPivotMagic"].session()
    with capture_output():
        ip.run_cell_magic("cmpivot", "", "OS | where Caption contains 'Server' | project Device")
    result = ip.user_ns["_cmpivot"]
    cid = result.create_collection("Servers", session=session)
    session.run_script("Restart ConfigMgr client service", collection=cid).result()
    actions = ip.run_line_magic("cmpivot", "history --actions")
    assert actions["Action"].tolist()[:2] == ["run script", "create collection"]
    assert actions["Devices"].tolist()[:2] == [len(result.df), len(result.df)]
    assert actions["What"].tolist()[1] == f"Servers ({cid})"
    with capture_output() as cap:
        operations = ip.run_line_magic("cmpivot", "history")
    assert "Writes" in "".join(o.data.get("text/html", "") for o in cap.outputs)
    assert len(operations) >= 1


def test_a_script_run_resumes_by_its_id(ip: InteractiveShell, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CMPIVOT_MAGIC_HISTORY_DIR", str(tmp_path / "history"))
    ip.run_line_magic("cmpivot", f"connect {DEMO}")
    session = ip.magics_manager.registry["CMPivotMagic"].session()
    names = session.devices()["Name"].head(3).tolist()
    first = session.run_script("Get free disk space", devices=names).result()
    again = ip.run_line_magic("cmpivot", f"resume {first.operation_id}")
    assert again.status.equals(first.status) and again.df["Output"].tolist() == first.df["Output"].tolist()

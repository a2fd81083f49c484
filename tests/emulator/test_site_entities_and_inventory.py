"""Through the emulator over HTTPS: the site's own entity list is the connection's catalog, the
documented list stands in (open) where it cannot be read, and offline devices answer inventory
entities from their last hardware inventory, read in batches."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator

import pandas as pd
import pytest

import cmpivot_magic as cm
from cmpivot_magic.backends.adminservice.inventory import BATCH
from cmpivot_magic.emulator import Emulator
from cmpivot_magic.errors import QuerySemanticError
from cmpivot_magic.session import SiteCatalogWarning

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)  # the emulator fixture's pinned clock


def _connect(emu: Emulator, token: str | None = None) -> cm.Session:
    return cm.connect(emu.url, token=token or emu.token, verify=emu.ca_path, history=None)


@pytest.fixture(scope="module")
def site(emulator: Emulator) -> cm.Session:
    return _connect(emulator)


# ------------------------------------------------------------------------------ part 2: the catalog


def test_entities_list_the_sites_default_and_custom_classes(site: cm.Session) -> None:
    ents = site.entities()
    assert list(ents.columns) == ["Name", "Kind", "Description", "Arguments", "Columns", "PowerShell5",
                                  "ConsoleOnly", "Since"]
    kinds = dict(zip(ents["Name"], ents["Kind"], strict=True))
    assert kinds["ClientDiagnostics"] == "inventory"
    assert kinds["InstalledStoreProgram"] == kinds["ContosoAssetInformation"] == "custom"
    assert kinds["Process"] == kinds["OS"] == "builtin" and kinds["OperatingSystem"] == "inventory"
    assert "ContosoLegacyAgent" not in kinds  # defined but not enabled: no entity
    assert set(ents["Kind"]) == {"builtin", "scripted", "inventory", "custom"}


def test_a_query_on_a_custom_class_returns_rows(site: cm.Session) -> None:
    result = site.run("ContosoAssetInformation | project Device, AssetTag, CostCenter, StorageGB",
                      collection="SMS00001", live_only=True)
    assert len(result.df) == result.devices_answered > 0
    assert result.df["AssetTag"].str.startswith("CON-").all()
    store = site.run("InstalledStoreProgram | summarize count() by Publisher", collection="SMS00001").df
    assert "Microsoft Corporation" in set(store["Publisher"])


def test_an_entity_the_site_lacks_is_refused_before_sending(emulator: Emulator, site: cm.Session) -> None:
    before = emulator.app.counts["run"]
    with pytest.raises(QuerySemanticError) as caught:
        site.run("ClientDiagnostic | take 1")
    assert "unknown entity 'ClientDiagnostic' on this site" in caught.value.message
    assert "ClientDiagnostics" in str(caught.value)  # did you mean, from the site's list
    assert emulator.app.counts["run"] == before


def test_without_the_catalog_right_the_documented_list_stands_in_and_the_site_judges(emulator: Emulator) -> None:
    session = _connect(emulator, emulator.add_token(inventory_reports=False))
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        catalog = session.catalog
        session.run("OS | take 1", collection="SMS00001")
    notes = [w for w in said if issubclass(w.category, SiteCatalogWarning)]
    assert catalog.open_world and len(notes) == 1  # said once
    assert "Read on Inventory Reports" in str(notes[0].message)
    assert "ClientDiagnostics" not in set(session.entities()["Name"])
    # an entity outside the documented list is sent: its columns are the names the query uses
    result = session.run("ClientDiagnostics | where DebugLoggingEnabled == 'True' | project Device, LogLevel",
                         collection="SMS00001")
    assert result.devices_answered > 0 and list(result.df.columns) == ["Device", "LogLevel"]
    assert set(result.df["LogLevel"]) <= {"0", "1"}  # unknown schema: values as text
    # a name the site does not have either: each device says so
    wrong = session.run("NoSuchClass | take 1", collection="SMS00001")
    failed = wrong.status[wrong.status["Status"] == "Failed"]
    assert len(failed) == wrong.status["Status"].isin(["Completed", "Failed"]).sum() > 0
    assert failed["Error"].str.contains("NoSuchClass").all()


# ------------------------------------------------------------------------------ part 3: inventory


def test_offline_devices_answer_from_inventory_and_live_only_turns_it_off(emulator: Emulator,
                                                                         site: cm.Session) -> None:
    query = "OperatingSystem | project Device, Caption, Version"
    result = site.run(query, collection="SMS00001")
    status = result.status.set_index("Device")
    offline = status.index[status["Status"] == "Offline"]
    assert len(offline) > 0 and status.loc[offline, "Inventory"].notna().all()
    assert (status.loc[offline, "Rows"] == 1).all()
    live = status.index[status["Status"] == "Completed"]
    assert status.loc[live, "Inventory"].isna().all()  # live answers carry no inventory time
    assert set(offline) <= set(result.df["Device"])
    assert result.df["Device"].value_counts().max() == 1  # a live device has no cached rows beside its own
    assert f"{len(offline)} from inventory" in result.summary
    assert (status.loc[offline, "Inventory"] < pd.Timestamp(NOW)).all()
    assert 'class="cmpivot-cached"' in result._repr_html_()

    only_live = site.run(query, collection="SMS00001", live_only=True)
    assert only_live.status["Inventory"].isna().all() and "from inventory" not in only_live.summary
    assert not set(offline) & set(only_live.df["Device"])


def test_built_in_entities_never_answer_from_inventory(site: cm.Session) -> None:
    for query in ("Process | summarize count() by Device", "OS | project Device, Caption"):
        result = site.run(query, collection="SMS00001")
        assert (result.status["Status"] == "Offline").any() and result.status["Inventory"].isna().all()


def test_inventory_rows_go_through_the_device_part(site: cm.Session) -> None:
    result = site.run("ClientDiagnostics | where LogLevel == 1 | summarize n=count() by Device", collection="SMS00001")
    cached = result.status[result.status["Inventory"].notna()]
    assert len(cached) > 0
    counts = dict(zip(result.df["Device"], result.df["n"], strict=True))
    assert all(counts.get(d, 0) == r for d, r in zip(cached["Device"], cached["Rows"], strict=True))


@pytest.fixture(scope="module")
def fleet_offline() -> Iterator[Emulator]:
    with Emulator(devices=1000, seed=3, speed=500, now=NOW, offline=1.0) as emu:
        yield emu


def test_inventory_is_read_in_batches(fleet_offline: Emulator) -> None:
    """1,000 offline devices: their inventory takes 1000 / BATCH requests, not one per device."""
    session = _connect(fleet_offline)
    before = fleet_offline.app.counts["inventory"]
    result = session.run("OperatingSystem | summarize count() by Caption", collection="SMS00001")
    requests = fleet_offline.app.counts["inventory"] - before
    assert requests == -(-1000 // BATCH) == 20
    assert result.status["Inventory"].notna().sum() == 1000 and result.df["count_"].sum() == 1000

"""demo:// has the catalog a site has (its own inventory classes), answers queries on them, and
answers inventory entities for offline devices from its last hardware inventory, as the emulator does."""

from __future__ import annotations

import pytest

import cmpivot_magic as cm
from cmpivot_magic.catalog import DOCUMENTED
from cmpivot_magic.errors import QuerySemanticError
from cmpivot_magic.query import parse


@pytest.fixture(scope="module")
def demo() -> cm.Session:
    return cm.connect("demo://?devices=80&seed=5&offline=0.2&clock=virtual", history=None)


def test_demo_entities_include_the_sites_classes(demo: cm.Session) -> None:
    ents = demo.entities()
    custom = set(ents.loc[ents["Kind"] == "custom", "Name"])
    assert custom == {"InstalledStoreProgram", "ContosoAssetInformation"}
    assert demo.catalog.find_entity("clientdiagnostics") is not None
    assert set(demo.entities("contoso")["Name"]) == {"ContosoAssetInformation"}


def test_demo_answers_queries_on_its_own_classes(demo: cm.Session) -> None:
    hub = demo.run("ClientDiagnostics | where DebugLoggingEnabled == 'True'", live_only=True)
    assert set(hub.df["DebugLoggingEnabled"]) <= {"True"}
    store = demo.run("InstalledStoreProgram | summarize count() by Name", live_only=True)
    assert len(store.df) > 3
    with pytest.raises(QuerySemanticError, match="unknown entity 'ContosoAsset' on this site"):
        demo.run("ContosoAsset")


def test_the_documented_catalog_still_refuses_site_classes() -> None:
    """parse caches syntax only: the same text plans against each catalog on its own terms."""
    text = "ClientDiagnostics | project Device, LogLevel"
    with pytest.raises(QuerySemanticError, match="unknown entity 'ClientDiagnostics'"):
        parse(text)
    assert cm.connect("demo://?devices=5", history=None).prepare(text).output_schema["LogLevel"] == "long"
    with pytest.raises(QuerySemanticError):
        cm.connect("local://", history=None).prepare(text)


def test_an_open_world_catalog_plans_unknown_entities_with_the_columns_named() -> None:
    catalog = DOCUMENTED.fallback("the site's list could not be read")
    q = parse("Vendor_Bios | where Setting == 'x' and Level > 2 | summarize count() by Setting",
              catalog=catalog)
    scan = q.plan.steps[0]
    assert scan.schema.columns == (("Device", "string"), ("Setting", "string"), ("Level", "string"))
    assert q.device_query.startswith("Vendor_Bios | where")
    with pytest.raises(QuerySemanticError):  # a known entity keeps its schema
        parse("OS | where NoSuchColumn == 1", catalog=catalog)


def test_offline_demo_devices_answer_from_inventory(demo: cm.Session) -> None:
    result = demo.run("LogicalDisk | project Device, DeviceID, FreeSpace")
    status = result.status
    offline = status[status["Status"] == "Offline"]
    assert len(offline) > 0 and offline["Inventory"].notna().all()
    assert status.loc[status["Status"] == "Completed", "Inventory"].isna().all()
    assert set(offline["Device"]) <= set(result.df["Device"])
    assert f"{len(offline)} from inventory" in result.summary
    html = result._repr_html_()
    shown = result.df.head(result.display_rows)
    assert html.count('class="cmpivot-cached"') == shown["Device"].isin(offline["Device"]).sum() > 0
    live = demo.run("LogicalDisk | project Device, DeviceID, FreeSpace", live_only=True)
    assert live.status["Inventory"].isna().all()
    assert len(live.df) < len(result.df)


def test_joins_and_builtins_take_no_cached_rows(demo: cm.Session) -> None:
    for query in ("Process | summarize count() by Device", "LogicalDisk | join kind=inner (OperatingSystem) | take 3"):
        assert demo.run(query).status["Inventory"].isna().all()

"""The demo site's own inventory classes: default ones, ClientDiagnostics, two custom extensions."""

from __future__ import annotations

import datetime as dt

import polars as pl

from cmpivot_magic.backends.demo.site import DemoSite
from cmpivot_magic.backends.demo.site_classes import demo_catalog, inventory_classes, inventory_reports
from cmpivot_magic.catalog import DOCUMENTED

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def test_the_demo_site_lists_the_documented_classes_and_its_own() -> None:
    """Every documented inventory entity's class is collected; the site adds ClientDiagnostics
    (a default class since 2107) and two custom classes; a class defined but not enabled is no entity."""
    catalog = demo_catalog()
    assert [e.name for e in catalog.entities()][: len(DOCUMENTED)] == [e.name for e in DOCUMENTED.entities()]
    added = {e.name: e.kind for e in catalog.entities()[len(DOCUMENTED):]}
    assert added == {"ClientDiagnostics": "hinv", "InstalledStoreProgram": "custom",
                     "ContosoAssetInformation": "custom"}
    assert catalog.find_entity("ContosoLegacyAgent") is None
    assert any(c["ClassName"] == "Contoso_LegacyAgent" for c in inventory_classes())
    enabled = {c["SMSClassID"] for r in inventory_reports() for c in r["ReportClasses"]}
    assert len(enabled) == len(inventory_classes()) - 1


def test_the_new_classes_have_plausible_deterministic_rows() -> None:
    """Rows follow the entity's schema, repeat for the same seed and differ for another."""
    catalog = demo_catalog()
    store = catalog.entity("InstalledStoreProgram")
    first = DemoSite(devices=30, seed=7).rows(store, (), NOW)
    again = DemoSite(devices=30, seed=7).rows(store, (), NOW)
    other = DemoSite(devices=30, seed=8).rows(store, (), NOW)
    assert first.equals(again) and not first.equals(other)
    assert set(store.column_names[1:]) <= set(first.columns)
    per_device = first.group_by("_dev").agg(pl.col("Name").n_unique().alias("apps"), pl.len().alias("rows"))
    assert (per_device["apps"] == per_device["rows"]).all(), "no app twice on one device"
    diagnostics = DemoSite(devices=200, seed=7).rows(catalog.entity("ClientDiagnostics"), (), NOW)
    assert set(diagnostics["DebugLoggingEnabled"].unique()) == {"True", "False"}

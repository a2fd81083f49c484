"""DeviceIndex: the search and filter rules behind the picker, one test per rule, at 20,000 devices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import cmpivot_magic
from cmpivot_magic import CMPivotError, Session
from cmpivot_magic.widgets import DeviceIndex
from cmpivot_magic.widgets.devices import collection_members

BIG = "demo://?devices=20000&seed=7&clock=virtual"


@pytest.fixture(scope="module")
def session() -> Session:
    return cmpivot_magic.connect(BIG)


@pytest.fixture(scope="module")
def index(session: Session) -> DeviceIndex:
    return DeviceIndex(session.devices(), collections=session.collections(), members=collection_members(session))


@pytest.fixture(scope="module")
def devices(session: Session) -> pd.DataFrame:
    return session.devices()


def names_of(index: DeviceIndex, positions: np.ndarray) -> list[str]:
    return list(index.names[positions])


def test_every_term_must_occur_somewhere(index: DeviceIndex, devices: pd.DataFrame) -> None:
    """Terms split on whitespace; a device matches when every term occurs in one of its fields."""
    row = devices[devices["UserName"].notna() & devices["Name"].str.startswith("WKS")].iloc[500]
    user = row["UserName"].split("\\")[-1]
    found = names_of(index, index.match(f"{user}  WKS"))
    assert row["Name"] in found
    frame = devices.set_index("Name").loc[found]
    assert frame["UserName"].str.lower().str.contains(user.lower()).all()
    assert all(n.startswith("WKS") for n in found)


def test_matching_is_case_insensitive_and_literal(index: DeviceIndex) -> None:
    """Search is case-insensitive and literal: regex characters mean themselves."""
    assert names_of(index, index.match("wks-1234")) == [f"WKS-1234{i}" for i in range(10)]
    assert len(index.match("wks.1234")) == 0
    assert len(index.match("(")) == 0


def test_search_covers_name_user_domain_and_os(index: DeviceIndex, devices: pd.DataFrame) -> None:
    """Name, user, domain and OS caption are all searched."""
    found = names_of(index, index.match("datacenter"))
    assert found and devices.set_index("Name").loc[found, "OSCaption"].str.contains("Datacenter").all()
    workgroup = index.match("workgroup")
    assert len(workgroup) == int((devices["Domain"] == "WORKGROUP").sum())


def test_a_term_matching_a_collection_name_finds_its_members(index: DeviceIndex, session: Session) -> None:
    """A term found in a collection's name or ID matches that collection's members."""
    site = session.backend.site  # type: ignore[attr-defined]
    finance = set(session.devices().set_index("ResourceId").loc[site.members("CON00014"), "Name"])
    assert set(names_of(index, index.match("finance laptops"))) == finance
    assert set(names_of(index, index.match("con00014"))) == finance


def test_collection_filter_narrows_to_members(index: DeviceIndex, session: Session) -> None:
    """The collection filter keeps only members, whatever the search."""
    servers = index.match(collection="CON00011")
    collections = session.collections()
    expected = collections.loc[collections["CollectionID"] == "CON00011", "MemberCount"].item()
    assert len(servers) == expected
    assert all(n.startswith("SRV-") for n in names_of(index, servers))
    with pytest.raises(CMPivotError, match="no collection 'NOPE0001'"):
        index.match(collection="NOPE0001")


def test_online_only_and_only_filters(index: DeviceIndex) -> None:
    """"Online only" drops offline devices; ``only`` keeps just the names given."""
    online = index.match(online_only=True)
    assert index.online is not None and index.online[online].all() and len(online) < len(index)
    assert names_of(index, index.match(only={"WKS-00002", "WKS-00001"})) == ["WKS-00001", "WKS-00002"]


def test_matches_keep_site_order_and_pages_clamp(index: DeviceIndex) -> None:
    """Matches come in frame order; a page past the end shows the last page."""
    matches = index.match("wks-0")
    assert list(matches) == sorted(matches)
    last = DeviceIndex.page(matches, 10_000, 50)
    assert last.number == last.count - 1 and len(last.positions) == len(matches) - 50 * (last.count - 1)
    assert DeviceIndex.page(matches[:0], 3, 50).count == 1


def test_canonical_names_are_case_insensitive_and_unknown_names_are_named(index: DeviceIndex) -> None:
    """Names resolve to the site's spelling; an unknown one is a CMPivotError naming it."""
    assert index.canonical(["wks-00001", "WKS-00001", "srv-dc01"]) == ("WKS-00001", "SRV-DC01")
    with pytest.raises(CMPivotError, match="unknown device 'WKS-99999'"):
        index.canonical(["WKS-00001", "WKS-99999"])


def test_an_index_without_sites_facts_still_searches() -> None:
    """A frame with only names (local://) searches names and shows no online dot."""
    index = DeviceIndex(pd.DataFrame({"Name": ["VM", "LAPTOP"]}))
    assert names_of(index, index.match("lap")) == ["LAPTOP"]
    assert "online" not in index.detail_html(0)

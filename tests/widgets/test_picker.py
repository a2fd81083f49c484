"""DevicePicker driven headless, by setting widget values and clicking its buttons."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
from IPython import get_ipython
from IPython.testing.globalipapp import start_ipython
from IPython.utils.capture import capture_output

import cmpivot_magic
from cmpivot_magic import CMPivotError, Session
from cmpivot_magic.widgets import DevicePicker, forget
from cmpivot_magic.widgets.picker import _descendants

BIG = "demo://?devices=20000&seed=7&clock=virtual"
SMALL = "demo://?devices=50&seed=7&clock=virtual"


@pytest.fixture(scope="module")
def big() -> Session:
    return cmpivot_magic.connect(BIG)


@pytest.fixture(scope="module")
def small() -> Session:
    return cmpivot_magic.connect(SMALL)


@pytest.fixture(autouse=True)
def fresh_registry() -> Iterator[None]:
    forget()
    yield
    forget()


def test_typing_filters_twenty_thousand_devices(big: Session) -> None:
    picker = DevicePicker(big)
    assert "devices 1–50 of 20,000" in picker.status_label.value
    for text in ("w", "wk", "wks", "wks-", "wks-1", "wks-12", "wks-123", "wks-1234"):
        picker.search.value = text  # one keystroke at a time, as continuous_update sends them
    assert picker.matches == tuple(f"WKS-1234{i}" for i in range(10))
    assert picker.page_names == picker.matches
    assert "1–10 of 10 matching devices (of 20,000)" in picker.status_label.value
    picker.search.value = "no such device"
    assert picker.matches == () and "no devices match" in picker.status_label.value
    assert all(row.layout.display == "none" for row in picker._row_boxes)


def test_the_list_is_one_page_of_widgets_however_many_devices(big: Session) -> None:
    picker = DevicePicker(big, page_size=50)
    assert len(picker.rows) == 50
    assert len(_descendants(picker.widget)) < 200


def test_paging(big: Session) -> None:
    picker = DevicePicker(big, page_size=50)
    names = big.devices()["Name"].tolist()
    assert picker.page_count == 400 and picker.prev_button.disabled
    picker.next_button.click()
    assert picker.page == 1 and picker.page_names == tuple(names[50:100])
    picker.go_to(10_000)
    assert picker.page == 399 and picker.next_button.disabled and picker.page_names == tuple(names[-50:])
    picker.prev_button.click()
    assert picker.page == 398
    picker.search.value = "srv"
    assert picker.page == 0  # a new search starts on its first page


def test_collection_filter_and_online_indicator(big: Session) -> None:
    picker = DevicePicker(big)
    picker.collection.value = "CON00018"
    assert picker.matches and all(n.startswith("SRV-DC") for n in picker.matches)
    collections = big.collections()
    assert len(picker.matches) == collections.loc[collections["CollectionID"] == "CON00018", "MemberCount"].item()
    frame = big.devices().set_index("Name")
    for name, detail in zip(picker.page_names, picker.row_details, strict=False):
        word = "online" if frame.loc[name, "IsOnline"] else "offline"
        assert f"class='cmpivot-{word}'" in detail.value
    picker.online_only.value = True
    assert all(frame.loc[n, "IsOnline"] for n in picker.matches)


def test_clicking_rows_selects_and_counts_across_pages(big: Session) -> None:
    names = big.devices()["Name"].tolist()
    picker = DevicePicker(big, page_size=20)
    picker.rows[0].value = True
    picker.rows[3].value = True
    assert picker.selected == (names[0], names[3])
    assert f"<b>2</b> devices selected: {names[0]}, {names[3]}" in picker.count_label.value
    picker.next_button.click()
    picker.rows[0].value = True
    assert picker.selected == (names[0], names[3], names[20])
    picker.prev_button.click()
    assert picker.rows[0].value and picker.rows[3].value and not picker.rows[1].value
    picker.rows[3].value = False
    assert picker.selected == (names[0], names[20])
    picker.clear_button.click()
    assert picker.selected == () and "<b>0</b> devices selected" in picker.count_label.value


def test_single_select_keeps_one(big: Session) -> None:
    picker = DevicePicker(big, multi=False)
    picker.rows[0].value = True
    picker.rows[1].value = True
    assert picker.selected == (picker.page_names[1],)
    assert not picker.rows[0].value
    assert picker.select_all_button.layout.display == "none"
    with pytest.raises(CMPivotError, match="selects one device"):
        picker.selected = ["WKS-00001", "WKS-00002"]


def test_setting_selected_validates_and_updates_the_ui(big: Session) -> None:
    picker = DevicePicker(big)
    first, fourth = picker.page_names[1], picker.page_names[4]
    picker.selected = [first.lower(), fourth]
    assert picker.selected == (first, fourth)
    assert [r.value for r in picker.rows[:6]] == [False, True, False, False, True, False]
    assert "<b>2</b> devices selected" in picker.count_label.value
    with pytest.raises(CMPivotError, match="unknown device 'WKS-99999'"):
        picker.selected = ["WKS-00001", "WKS-99999"]
    assert picker.selected == (first, fourth)  # a failed set changes nothing
    picker.selected = "SRV-DC01"
    assert picker.selected == ("SRV-DC01",)


def test_select_all_matches_and_selected_only(big: Session) -> None:
    picker = DevicePicker(big)
    seen: list[tuple[str, ...]] = []
    picker.on_change(seen.append)
    picker.search.value = "SRV-DC"
    picker.select_all_button.click()
    assert picker.selected == picker.matches and len(picker.selected) > 1
    assert seen[-1] == picker.selected
    picker.search.value = ""
    picker.selected_only.value = True
    assert picker.matches == picker.selected


def test_rerunning_the_cell_keeps_the_selection(big: Session) -> None:
    """A new picker on the same connection and key starts with the last one's selection and search."""
    first = DevicePicker(big)
    first.search.value = "wks-0000"
    first.rows[2].value = True
    assert first.selected == ("WKS-00003",)
    again = DevicePicker(cmpivot_magic.connect(BIG))  # a re-run cell may even reconnect
    assert again.selected == ("WKS-00003",)
    assert again.search.value == "wks-0000" and again.rows[2].value
    assert DevicePicker(big, key="other").selected == ()
    assert DevicePicker(big, register=False).selected == ()


def test_plain_text_fallback_lists_the_selection(big: Session) -> None:
    picker = DevicePicker(big)
    picker.selected = ["WKS-00007", "SRV-DC01"]
    bundle = picker._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].splitlines() == [f"DevicePicker({BIG}): 2 of 20,000 devices selected",
                                                 "  WKS-00007", "  SRV-DC01"]


def test_a_picker_over_a_frame_without_site_facts() -> None:
    picker = DevicePicker.from_frame(pd.DataFrame({"Name": ["A1", "B2", "A3"]}), page_size=2)
    assert picker.collection.layout.display == "none" and picker.online_only.layout.display == "none"
    picker.search.value = "a"
    assert picker.matches == ("A1", "A3")


def test_a_picker_over_an_index_is_not_remembered() -> None:
    """A picker without a session picks from the index it is given and registers no state."""
    from cmpivot_magic.widgets import DeviceIndex
    from cmpivot_magic.widgets.picker import _REGISTRY

    before = dict(_REGISTRY)
    picker = DevicePicker(index=DeviceIndex(pd.DataFrame({"Name": ["A1", "B2"]})), multi=False)
    picker.selected = "b2"
    assert picker.selected == ("B2",) and picker.session is None and picker.url == ""
    assert dict(_REGISTRY) == before
    with pytest.raises(CMPivotError, match="needs a session or a DeviceIndex"):
        DevicePicker()


def test_the_magic_runs_on_the_picked_devices(small: Session) -> None:
    """``%%cmpivot --devices picker`` targets exactly the picker's selection."""
    ip = start_ipython() or get_ipython()  # the suite's one test shell (started here, or already)
    assert ip is not None
    ip.run_line_magic("load_ext", "cmpivot_magic")
    magic = ip.magics_manager.registry["CMPivotMagic"]
    saved = dict(magic.sessions), magic.current
    picker = DevicePicker(small)
    picker.search.value = "wks-000"
    picker.rows[0].value = True
    picker.rows[1].value = True
    ip.user_ns["picker"] = picker
    try:
        with capture_output():
            ip.run_cell_magic("cmpivot", f"--connection {SMALL} --devices picker",
                              "OperatingSystem | summarize count() by Caption")
    finally:
        magic.sessions, magic.current = saved
    result = ip.user_ns["_cmpivot"]
    assert tuple(result.status["Device"]) == picker.selected
    assert small.run("OperatingSystem | project Device", devices=picker.selected).status["Device"].tolist() == \
        list(picker.selected)

"""The emulator's OData ``$filter``: what clients send to the AdminService, evaluated like WMI."""

from __future__ import annotations

import pytest

from cmpivot_magic.emulator.odata import ODataError, apply

ROWS = [
    {"ID": 1, "Name": "All Systems", "Online": True, "When": "2024-01-01T00:00:00Z"},
    {"ID": 2, "Name": "Finance O'Brien", "Online": False, "When": "2024-06-01T00:00:00Z"},
    {"ID": 3, "Name": "all servers", "Online": True, "When": None},
]


@pytest.mark.parametrize(("text", "ids"), [
    ("ID eq 2", [2]),
    ("ID eq 1 or ID eq 3", [1, 3]),
    ("id ne 1 and Online eq true", [3]),
    ("startswith(Name,'All') eq true", [1, 3]),
    ("startswith(Name, 'all')", [1, 3]),
    ("contains(Name,'brien')", [2]),
    ("Name eq 'Finance O''Brien'", [2]),
    ("not (ID gt 1)", [1]),
    ("ID in (1, 3)", [1, 3]),
    ("When gt 2024-03-01T00:00:00Z", [2]),
    ("Online eq false", [2]),
    ("tolower(Name) eq 'all systems'", [1]),
])
def test_filters(text: str, ids: list[int]) -> None:
    """Names match case-insensitively and so do strings, as WMI compares them."""
    assert [r["ID"] for r in apply(ROWS, {"$filter": text}, "T")] == ids


def test_select_top_skip() -> None:
    assert apply(ROWS, {"$select": "name,ID", "$skip": "1", "$top": "1"}, "T") == [{"Name": "Finance O'Brien", "ID": 2}]


@pytest.mark.parametrize("text", ["Nope eq 1", "ID eq", "ID eq 1 and", "startswith(Name,'x'"])
def test_bad_filters(text: str) -> None:
    with pytest.raises(ODataError):
        apply(ROWS, {"$filter": text}, "T")

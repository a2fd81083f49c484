"""A table site keeps each device's rows up to the client's result limit (``truncate_per_device``),
whether the rows come grouped by device or not, and takes the cheap bound only when it holds."""

from __future__ import annotations

import polars as pl
import pytest

from cmpivot_magic.backends.tables import row_bytes, truncate_per_device


def _rows(order: list[str], text: str = "x" * 40) -> pl.DataFrame:
    return pl.DataFrame({"Device": order, "Value": [f"{text}{i}" for i in range(len(order))]})


def _exact(rows: pl.DataFrame, limit: int) -> tuple[pl.DataFrame, set[str]]:
    """Row by row, the way a client fills its result."""
    used: dict[str, int] = {}
    keep, over = [], set()
    sizes = rows.select(row_bytes(rows)).to_series().to_list()
    for i, (device, size) in enumerate(zip(rows["Device"].to_list(), sizes, strict=True)):
        used[device] = used.get(device, 0) + size
        if used[device] <= limit:
            keep.append(i)
        else:
            over.add(device)
    return rows[keep], over


@pytest.mark.parametrize("order", [
    ["A"] * 30 + ["B"] * 3 + ["C"],            # grouped, one device far over
    ["A", "B", "C"] * 12,                      # interleaved: the bound cannot be used
    ["A"] * 5 + ["B"] * 5,                     # grouped, the bound holds: nothing cut
    ["B"] * 9 + ["A"] * 2 + ["B"],             # B in two runs
])
@pytest.mark.parametrize("limit", [300, 800, 5_000])
def test_each_device_keeps_its_rows_up_to_the_limit(order: list[str], limit: int) -> None:
    rows = _rows(order)
    kept, truncated = truncate_per_device(rows, "Device", limit)
    want, over = _exact(rows, limit)
    assert truncated == over
    assert kept.equals(want)


def test_no_rows() -> None:
    empty = _rows([])
    assert truncate_per_device(empty, "Device", 10) == (empty, set())

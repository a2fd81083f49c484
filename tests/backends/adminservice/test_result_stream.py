"""A CMPivotResult body read as it arrives (``result_stream``) gives exactly what parsing it whole
gives, whatever the chunking and batch size, and refuses a damaged body; its entries read
column-wise (``entry_frames``) make the same frames as rows read as dicts (``rows``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from cmpivot_magic.backends.adminservice.client import group_entries
from cmpivot_magic.backends.adminservice.entry_frames import EntryParser, entry_frames, parse_entries
from cmpivot_magic.backends.adminservice.result_stream import BodyError, entry_ends, iter_value_batches
from cmpivot_magic.backends.adminservice.rows import frames_from_rows
from cmpivot_magic.backends.base import Target
from cmpivot_magic.query import parse

TRICKY = ['},{"DeviceName":"X","ResourceId":1,"Result":[', "]}", "},{", '\\"},{\\"', "é€😀 ünïcödé", "\\", "]},{"]


def entry(i: int, rows: int = 3) -> dict[str, Any]:
    name = f"PC{i:04d}"
    result = [{"Device": name, "Name": TRICKY[(i + j) % len(TRICKY)], "Size": i * 100 + j} for j in range(rows)]
    return {"DeviceName": name, "ResourceId": 1000 + i, "Result": result}


def body(entries: list[Any], indent: int | None = None, value: Any = None) -> bytes:
    whole = {"@odata.context": "https://site/AdminService/v1.0/$metadata#Collection(Edm.ComplexType)",
             "value": entries if value is None else value}
    if indent is None:
        return json.dumps(whole, ensure_ascii=False, separators=(",", ":")).encode()
    return json.dumps(whole, ensure_ascii=False, indent=indent).encode()


def chunked(data: bytes, size: int) -> Iterator[bytes]:
    return (data[i : i + size] for i in range(0, len(data), size))


def read(data: bytes, chunk: int, batch: int) -> list[list[Any]]:
    return list(iter_value_batches(chunked(data, chunk), batch_bytes=batch))


ENTRIES = [entry(i, rows=i % 5) for i in range(40)]


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize("batch", [1, 300, 5000, 1 << 23])
def test_batches_are_the_entries_in_order(chunk: int, batch: int) -> None:
    """Strings holding '},{"DeviceName":…', ']}' and multi-byte UTF-8 cut across chunks change nothing."""
    batches = read(body(ENTRIES), chunk, batch)
    assert [e for b in batches for e in b] == ENTRIES
    if batch < 5000 and chunk < 1 << 20:
        assert len(batches) > 1  # it did cut the array, not read it whole


def test_a_window_stays_about_a_batch_long() -> None:
    """What is held unparsed stays near the batch size, not the body's."""
    data = body([entry(i, rows=20) for i in range(400)])
    batches = read(data, 4096, 20_000)
    biggest = max(len(json.dumps(b)) for b in batches)
    assert len(data) > 10 * biggest


@pytest.mark.parametrize("indent", [None, 2])
def test_rows_that_open_like_entries_and_pretty_bodies(indent: int | None) -> None:
    """Rows whose first key is the entries' (every candidate cut fails) and whitespace between
    entries: the exact scan finds the boundaries."""
    entries = [{"Device": f"PC{i}", "Result": [{"Device": f"PC{i}", "N": j} for j in range(30)]} for i in range(50)]
    batches = read(body(entries, indent), 97, 400)
    assert [e for b in batches for e in b] == entries
    assert len(batches) > 1


@pytest.mark.parametrize("cut", [1, 10, 90, 200, 1000, -3, -2, -1])
def test_a_body_cut_short_is_refused(cut: int) -> None:
    data = body(ENTRIES)
    with pytest.raises(BodyError):
        read(data[:cut], 50, 300)


def test_junk_is_refused() -> None:
    for junk in (b"<html>proxy error</html>", b'{"value":[{"a":1},,]}', b'{"value":[{"a":1}]]}', b'{"value":['):
        with pytest.raises(BodyError):
            read(junk, 3, 10)


@pytest.mark.parametrize(("data", "want"), [
    (body([]), []),
    (b"", []),
    (b"  ", []),
    (body([], value={"Result": [{"Device": "A"}]}), [[{"Result": [{"Device": "A"}]}]]),  # the device route's shape
    (b'{"value":null}', []),
    (b'{"value":[],"@odata.nextLink":"x"}', []),
    (b'{"a":{"b":1},"value":[{"Result":[]}]}', [[{"Result": []}]]),  # a nested member before value: read whole
    (b'[{"value":[1]}]', []),
])
def test_other_shapes(data: bytes, want: list[list[Any]]) -> None:
    assert read(data, 5, 10) == want


def test_text_that_is_not_utf8_is_read_with_replacement_characters() -> None:
    data = b'{"value":[{"Result":[{"Name":"caf\xe9"}]}]}'
    assert read(data, 4, 10) == [[{"Result": [{"Name": "caf\ufffd"}]}]]


def test_exact_scan_knows_escaped_quotes_and_backslashes() -> None:
    text = json.dumps([{"a": 'x"},{"', "b": "\\"}, {"c": ["]}", "\\\\\""]}])[1:-1].encode()
    assert [text[i] for i in entry_ends(text)] == [ord("}"), ord("}")]
    assert json.loads(b"[" + text[: entry_ends(text)[0] + 1] + b"]") == [{"a": 'x"},{"', "b": "\\"}]


# ------------------------------------------------------------------- column-wise entries

SCHEMA = parse("Process | project Device, Name, WorkingSetSize, CreationDate").plan.device_schema
TARGETS = {1000 + i: Target(f"PC{i:04d}", 1000 + i) for i in range(30)}


def target_of(rid: int | None, name: str | None) -> Target | None:
    if rid in TARGETS:
        return TARGETS[rid]
    return next((t for t in TARGETS.values() if name and t.name.lower() == name.lower()), None)


def process_entries(rows: Any) -> list[dict[str, Any]]:
    return [{"DeviceName": t.name, "ResourceId": rid, "Result": rows(i, t.name)} for i, (rid, t) in enumerate(TARGETS.items())]


CASES = {
    "plain": lambda i, d: [{"Device": d, "Name": f"p{j}", "WorkingSetSize": j * 10, "CreationDate":
                           f"2026-03-0{1 + j % 9}T10:00:0{j % 10}.1234567Z"} for j in range(i % 4)],
    "no device column, other case": lambda i, d: [{"name": "x", "workingsetsize": i} for _ in range(2)],
    "empty device text": lambda i, d: [{"Device": "", "Name": None, "WorkingSetSize": None}],
    "numbers as text": lambda i, d: [{"Device": d, "Name": "x", "WorkingSetSize": str(i)}],
    "mixed numbers": lambda i, d: [{"Device": d, "Name": 5 if i % 2 else "n", "WorkingSetSize": 1.5 if i % 3 else 2}],
    "no rows": lambda i, d: [],
    "members named like the reader's own columns": lambda i, d: [{"Device": d, "Name": "x", "__owner__": 7}],
}


COLUMN_WISE = {"plain", "no device column, other case", "empty device text", "no rows"}


@pytest.mark.parametrize("case", list(CASES))
def test_column_wise_frames_equal_the_dict_way(case: str) -> None:
    entries = process_entries(CASES[case])
    text = json.dumps(entries).encode()
    want = frames_from_rows([(target_of(e["ResourceId"], None).name, e["Result"]) for e in entries],  # type: ignore[union-attr]
                            SCHEMA)
    batch = parse_entries(text)
    pairs = entry_frames(batch, SCHEMA, target_of, lambda rid: False)
    assert (pairs is not None) == (case in COLUMN_WISE)
    if pairs is None:  # the general way, as the operation does
        pairs = list(zip([target_of(e["ResourceId"], None) for e in batch.entries()], frames_from_rows(
            [(e["DeviceName"], e["Result"]) for e in batch.entries()], SCHEMA), strict=True))  # type: ignore[misc]
    assert [t.resource_id for t, _ in pairs] == list(TARGETS)
    for (_, got), expected in zip(pairs, want, strict=True):
        assert_frame_equal(got, expected)


def test_delivered_devices_are_skipped_and_entries_without_identity_go_the_dict_way() -> None:
    entries = process_entries(CASES["plain"])
    delivered = {1000, 1003, 1004}
    pairs = entry_frames(parse_entries(json.dumps(entries).encode()), SCHEMA, target_of, delivered.__contains__)
    assert pairs is not None and [t.resource_id for t, _ in pairs] == [r for r in TARGETS if r not in delivered]
    anonymous = [{"Result": e["Result"]} for e in entries]
    assert entry_frames(parse_entries(json.dumps(anonymous).encode()), SCHEMA, target_of, lambda r: False) is None


def test_a_parser_leaves_delivered_devices_out_of_the_text() -> None:
    big = [{"DeviceName": t.name, "ResourceId": rid, "Result": [{"Device": t.name, "Name": "y" * 100}] * 40}
           for rid, t in TARGETS.items()]
    delivered = set(list(TARGETS)[::2])
    parser = EntryParser(target_of, delivered.__contains__)
    got = parser(json.dumps(big, separators=(",", ":")).encode())
    assert isinstance(got.frame, pl.DataFrame)
    assert got.frame["ResourceId"].to_list() == [r for r in TARGETS if r not in delivered]
    # rows that open like entries: a cut inside an entry is noticed, and the whole batch read
    tricky = [{"DeviceName": t.name, "ResourceId": rid, "Result": [{"DeviceName": "PC0000", "ResourceId": 1000,
                                                                  "Pad": "z" * 3000}] * 2}
              for rid, t in TARGETS.items()]
    got = parser(json.dumps(tricky, separators=(",", ":")).encode())
    assert got.frame is not None and got.frame.height == len(TARGETS)


def test_a_device_in_two_entries_apart_gets_both_entries_rows_in_order() -> None:
    entries = process_entries(CASES["plain"])
    entries.append({"DeviceName": "PC0003", "ResourceId": 1003, "Result": [{"Device": "PC0003", "Name": "late",
                                                                           "WorkingSetSize": 1}]})
    pairs = entry_frames(parse_entries(json.dumps(entries).encode()), SCHEMA, target_of, lambda rid: False)
    assert pairs is not None and [t.resource_id for t, _ in pairs] == list(TARGETS)
    grouped = group_entries(entries, target_of, lambda rid: False)
    want = frames_from_rows([(t.name, r) for t, r in grouped], SCHEMA)
    for (_, got), expected in zip(pairs, want, strict=True):
        assert_frame_equal(got, expected)
    assert pairs[3][1]["Name"].to_list()[-1] == "late"

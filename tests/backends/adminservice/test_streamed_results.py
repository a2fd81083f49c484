"""A collection's results read in many small batches as the body arrives (as at 150,000 devices)
give the same rows and statuses as demo:// (what reading them whole gave); a body cut short part-way
is read again without losing or repeating a device; a pending 404 and odd bodies read as before."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
import requests
from requests.structures import CaseInsensitiveDict

import cmpivot_magic as cm
from cmpivot_magic.backends.adminservice import result_stream
from cmpivot_magic.backends.adminservice.client import AdminServiceClient
from cmpivot_magic.backends.adminservice.transport import Policy
from cmpivot_magic.emulator import Emulator


def rows(df: pd.DataFrame) -> Counter[tuple[str, ...]]:
    """Rows as a multiset of text, datetimes left out (demo://'s clock differs from the emulator's)."""
    cols = [c for c in df.columns if not str(df[c].dtype).startswith("datetime")]
    return Counter(tuple(str(v) for v in r) for r in df[cols].itertuples(index=False))


def statuses(result: cm.QueryResult) -> dict[str, tuple[str, int]]:
    s = result.status
    return {d: (st, int(n)) for d, st, n in zip(s["Device"], s["Status"], s["Rows"], strict=True)}

QUERIES = [
    "Process | project Device, Name, WorkingSetSize",
    "OS | project Device, Caption, Version, InstallDate, LastBootUpTime",
    "Service | where State == 'Running' | summarize count() by Name | order by count_ desc, Name | take 10",
    "Process | project Name, ProcessId | where Name contains 'svc'",
]


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(result_stream, "BATCH_BYTES", 3000)


@pytest.mark.parametrize("text", QUERIES)
def test_small_batches_give_the_demo_answer(small_batches: None, connect: Callable[..., cm.Session],
                                            demo: cm.Session, text: str) -> None:
    session = connect()
    got = session.run(text, collection="SMS00001")
    want = demo.run(text, collection="SMS00001")
    assert rows(got.df) == rows(want.df)
    assert statuses(got) == statuses(want)
    assert list(got.df.columns) == list(want.df.columns)
    parsing = session.backend.client.stats.parsing  # type: ignore[attr-defined]
    assert parsing.seconds > 0 and parsing.rows >= 1


@pytest.mark.parametrize("kind", ["truncate", "malformed", "drop"])
def test_a_body_cut_short_part_way_is_read_again(small_batches: None, emulator: Emulator,
                                                 connect: Callable[..., cm.Session], demo: cm.Session,
                                                 kind: str) -> None:
    """The first half of a body arrives (and is delivered) before it breaks: the retry's repeat of
    those devices is skipped, the rest is delivered, nothing twice."""
    text = "Process | project Device, Name, WorkingSetSize"
    session = connect()
    with emulator.fault(kind, "result", every=2) as fault:
        got = session.run(text, collection="SMS00001")
    assert fault.struck > 0
    want = demo.run(text, collection="SMS00001")
    assert rows(got.df) == rows(want.df)
    assert statuses(got) == statuses(want)


class _Canned(requests.Session):
    """Answers every request with the next of ``answers`` (status, body)."""

    def __init__(self, answers: list[tuple[int, bytes]]) -> None:
        super().__init__()
        self.answers = answers

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        status, body = self.answers.pop(0)
        response = requests.Response()
        response.status_code, response._content = status, body
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json"})
        return response


def client(*answers: tuple[int, bytes]) -> AdminServiceClient:
    return AdminServiceClient("https://site/AdminService", _Canned(list(answers)), Policy(retries=2, backoff=0.0))


def test_a_pending_404_is_none_and_a_denied_one_an_error() -> None:
    assert client((404, b"")).collection_result("SMS00001", 1) is None
    with pytest.raises(cm.CMPivotError):
        client((404, b'{"error":{"code":"404","message":"Access denied  WMI QUERY: "}}')).collection_result(
            "SMS00001", 1)


@pytest.mark.parametrize(("body", "want"), [
    (b'{"value":[]}', []),
    (b'{"value":{"Result":[{"Device":"A"}]}}', [{"Result": [{"Device": "A"}]}]),
    (b'{"value":[{"Result":[{"Device":"A"}]},7,{"Result":[]}]}', [{"Result": [{"Device": "A"}]}, {"Result": []}]),
    (b"", []),
])
def test_bodies_read_as_before(body: bytes, want: list[Any]) -> None:
    assert client((200, body)).collection_result("SMS00001", 1) == want


def test_junk_is_retried_then_an_error_with_a_hint() -> None:
    good = b'{"value":[{"Result":[{"Device":"A"}]}]}'
    assert client((200, b"<html>"), (200, good)).collection_result("SMS00001", 1) == [{"Result": [{"Device": "A"}]}]
    with pytest.raises(cm.CMPivotError) as caught:
        client(*[(200, b'{"value":[{"Result":[')] * 3).collection_result("SMS00001", 1)
    assert "not valid JSON" in caught.value.message and caught.value.hint

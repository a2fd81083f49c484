"""Every fault switch of the emulator, survived: the answer under faults equals the fault-free
answer of the same site — no device's rows lost or duplicated, no status changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

import cmpivot_magic as cm
from cmpivot_magic.emulator import Emulator

QUERY = "Process | where Name startswith 's' | project Device, Name, ProcessId, CreationDate"
FAULTS: list[tuple[str, dict[str, Any]]] = [
    *[("status", {"status": s}) for s in (429, 500, 502, 503, 504)],
    ("status", {"status": 503, "retry_after": 0.01}),
    ("slow", {"delay": 0.3}),
    ("drop", {}),
    ("truncate", {}),
    ("malformed", {}),
]


def answer(result: cm.QueryResult) -> tuple[Counter[tuple[str, ...]], dict[str, tuple[str, int, str]]]:
    rows = Counter(tuple(str(v) for v in r) for r in result.df.itertuples(index=False))
    s = result.status
    status = {d: (st, int(n), str(e)) for d, st, n, e in zip(s["Device"], s["Status"], s["Rows"], s["Error"],
                                                             strict=True)}
    return rows, status


def run(session: cm.Session, target: str, names: list[str]) -> cm.QueryResult:
    if target == "collection":
        return session.run(QUERY, collection="SMS00001")
    return session.run(QUERY, devices=names)


@pytest.fixture(scope="module")
def names(demo: cm.Session) -> list[str]:
    return list(demo.devices()["Name"][::6])


@pytest.fixture(scope="module")
def baseline(emulator: Emulator, names: list[str], fast_options: dict[str, Any]) -> dict[str, Any]:
    session = cm.connect(emulator.url, **fast_options)
    return {target: answer(run(session, target, names)) for target in ("collection", "devices")}


@pytest.mark.parametrize("target", ["collection", "devices"])
@pytest.mark.parametrize(("kind", "options"), FAULTS, ids=[f"{k}-{o.get('status', '')}{'-retry-after' if 'retry_after' in o else ''}".strip("-") for k, o in FAULTS])
def test_fault_is_survived_with_the_same_answer(emulator: Emulator, connect: Callable[..., cm.Session],
                                                baseline: dict[str, Any], names: list[str], target: str,
                                                kind: str, options: dict[str, Any]) -> None:
    """Every third request on every route misbehaves; retries make the answer whole and exact."""
    session = connect(request_timeout=(2.0, 0.2))
    with emulator.fault(kind, "*", every=3, **options) as fault:
        result = run(session, target, names)
    assert fault.struck > 0
    assert session.backend.client.stats.retries >= fault.struck  # type: ignore[attr-defined]
    rows, status = answer(result)
    want_rows, want_status = baseline[target]
    assert status == want_status
    assert rows == want_rows
    assert sum(rows.values()) == sum(want_rows.values())


@pytest.mark.parametrize("kind", ["truncate", "malformed", "drop"])
def test_a_lost_answer_to_run_cmpivot_is_retried(emulator: Emulator, connect: Callable[..., cm.Session],
                                                  baseline: dict[str, Any], kind: str) -> None:
    """When RunCMPivot's answer is lost after the operation was created, the retry makes a new
    operation; the rows come from the one whose id the client read, once."""
    session = connect()
    with emulator.fault(kind, "run", times=1):
        result = session.run(QUERY, collection="SMS00001")
    assert answer(result) == baseline["collection"]


def test_repeated_result_reads_never_duplicate_rows(emulator: Emulator, connect: Callable[..., cm.Session],
                                                    baseline: dict[str, Any]) -> None:
    """Each collection-result read returns every device so far; each device is taken once."""
    before = emulator.requests.get("result", 0)
    session = connect(poll_interval=(0.005, 0.005))
    result = session.run(QUERY, collection="SMS00001")
    assert emulator.requests["result"] - before >= 2
    assert answer(result) == baseline["collection"]
    per_device = result.df.groupby("Device").size()
    expected = pd.Series({d: n for d, (_, n, _) in baseline["collection"][1].items() if n})
    assert per_device.sort_index().to_dict() == expected.sort_index().to_dict()


def test_faults_set_over_http(emulator: Emulator) -> None:
    """``POST /_emulator/faults`` adds a fault (admin token only); ``DELETE`` clears them."""
    import requests

    url = emulator.url.replace("/AdminService", "/_emulator/faults")
    auth = {"Authorization": f"Bearer {emulator.token}"}
    denied = requests.post(url, json={"kind": "drop"}, verify=emulator.ca_path)
    assert denied.status_code == 401
    added = requests.post(url, json={"kind": "status", "route": "devices", "status": 500, "times": 1}, headers=auth,
                          verify=emulator.ca_path)
    assert added.status_code == 201 and added.json()["status"] == 500
    hit = requests.get(emulator.url + "/v1.0/Device", headers=auth, verify=emulator.ca_path)
    assert hit.status_code == 500
    assert requests.get(emulator.url + "/v1.0/Device", headers=auth, verify=emulator.ca_path).status_code == 200
    assert requests.delete(url, headers=auth, verify=emulator.ca_path).status_code == 204
    assert requests.get(url, headers=auth, verify=emulator.ca_path).json() == []


def test_polling_outlives_a_provider_outage(emulator: Emulator, connect: Callable[..., cm.Session],
                                            baseline: dict[str, Any]) -> None:
    """A few polls failing outright (retries spent) don't end the operation; it reads on after."""
    session = connect(retries=0)
    with emulator.fault("status", "progress", status=503, times=3) as fault:
        result = session.run(QUERY, collection="SMS00001")
    assert fault.struck == 3
    assert answer(result) == baseline["collection"]


def test_devices_fall_back_to_sms_r_system(emulator: Emulator, connect: Callable[..., cm.Session],
                                           demo: cm.Session) -> None:
    """A site without v1.0/Device (older than 1910) lists devices from wmi/SMS_R_System."""
    before = emulator.requests.get("systems", 0)
    with emulator.fault("status", "devices", status=404, message="No HTTP resource was found that matches"):
        devices = connect().devices()
    assert emulator.requests["systems"] == before + 1
    assert sorted(devices["Name"]) == sorted(demo.devices()["Name"])

"""Record and replay over real HTTPS against the emulator: a recorded session keeps no device,
user or domain name and no credential, and replays offline (the emulator long stopped) to the
same answers, byte for byte once the recorded run's are given the same pseudonyms."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import cmpivot_magic as cm
from cmpivot_magic.backends.adminservice.recording import Recording, RecordingSession, ReplaySession, recorder
from cmpivot_magic.backends.adminservice.recording import replay as replay_module
from cmpivot_magic.emulator import Emulator
from cmpivot_magic.errors import ReplayMismatchError

DEVICES, SEED = 40, 7
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
FAST = {"poll_interval": (0.02, 0.1), "request_timeout": (2.0, 5.0), "retries": 6, "backoff": 0.01,
        "max_rate": 2000}
COLLECTION_QUERY = "Process | where CommandLine contains 'AppData' | project Device, Name, CommandLine | order by Device asc"
"""Command lines that embed user names (``C:\\Users\\jdoe\\AppData``), sorted by a pseudonymised column."""
DEVICE_QUERY = "User | summarize n=count() by Device, UserName | order by Device asc"
TIMED = ["Elapsed"]
"""Status columns measured by this process's own clock: how long each device took to answer here."""


@dataclass
class Recorded:
    path: Path
    recorder: RecordingSession
    collection: cm.QueryResult
    devices: cm.QueryResult
    targets: list[str]
    device_names: list[str]
    user_names: list[str]
    collections: list[tuple[str, str]]
    token: str


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Recorded:
    """A collection query and a device query, recorded through ``connect(url, record=...)``, with a
    503 and a dropped connection along the way; the emulator is stopped before any replay."""
    path = tmp_path_factory.mktemp("replay") / "site.json"
    with Emulator(devices=DEVICES, seed=SEED, speed=200, now=NOW) as emu:
        session = cm.connect(emu.url, token=emu.token, verify=emu.ca_path, history=None, record=path, **FAST)
        listed = session.collections()
        collection = session.run(COLLECTION_QUERY, collection="SMS00001")
        targets = list(session.devices()["Name"][:6])
        emu.faults.add("status", route="progress", status=503, times=1)
        emu.faults.add("drop", route="result", times=1)
        devices = session.run(DEVICE_QUERY, devices=targets)
        rec = recorder(session)
        rec.save()
        site = emu.site.devices
        users = sorted({u.rpartition("\\")[2] for u in site["UserName"].drop_nulls().to_list()})
        return Recorded(path, rec, collection, devices, targets, site["Name"].to_list(), users,
                        list(zip(listed["CollectionID"], listed["Name"], strict=True)), emu.token)


def as_csv(result: cm.QueryResult) -> tuple[str, str]:
    return result.df.to_csv(), result.status.drop(columns=TIMED).to_csv()


def replay(recorded: Recorded) -> tuple[cm.QueryResult, cm.QueryResult]:
    session = cm.connect(f"replay://{recorded.path}")
    hide = recorded.recorder.pseudonymise
    return (session.run(hide(COLLECTION_QUERY), collection="SMS00001"),
            session.run(hide(DEVICE_QUERY), devices=[hide(n) for n in recorded.targets]))


def test_the_recording_names_no_device_user_domain_or_credential(recorded: Recorded) -> None:
    """The saved file's raw text holds none of the site's device, user, domain, collection or site
    names, nor the token; and no header but the response's Content-Type."""
    text = recorded.path.read_text(encoding="utf-8")
    lowered = text.lower()
    assert recorded.collection.df["Device"].str.startswith("WKS-").any()  # the run did see real names …
    assert any(f"\\{u}\\" in c for c in recorded.collection.df["CommandLine"] for u in recorded.user_names)
    assert [n for n in recorded.device_names if n.lower() in lowered] == []
    assert [u for u in recorded.user_names if re.search(rf"(?<![a-z0-9]){re.escape(u.lower())}(?![a-z0-9])", lowered)] == []
    assert "contoso" not in lowered
    assert recorded.token not in text
    assert "authorization" not in lowered and "bearer" not in lowered
    custom = [(cid, name) for cid, name in recorded.collections if not cid.startswith("SMS")]
    assert custom and [name for _, name in custom if name in text] == []
    assert [cid for cid, _ in custom if cid in text] == []  # their ids name the site (CON00010 → S0100010)
    data = json.loads(text)
    keys = {k for e in data["exchanges"] for k in e}
    assert keys <= {"method", "path", "body", "status", "content_type", "json", "text", "error"}
    assert "DEVICE-0001" in text and "DOMAIN1\\\\user0001" in text


def test_pseudonyms_are_consistent_across_the_recording(recorded: Recorded) -> None:
    """One original, one pseudonym: a device in the device list, in a result row, in the site's
    error or status rows and in the status frame all carry the same name."""
    pseudonyms = recorded.recorder.pseudonyms
    data = json.loads(recorded.path.read_text(encoding="utf-8"))
    listed = next(e for e in data["exchanges"] if e["path"] == "v1.0/Device")
    by_id = {row["MachineId"]: row["Name"] for row in listed["json"]["value"]}
    for name, rid in zip(recorded.devices.status["Device"], recorded.devices.status["ResourceId"], strict=True):
        assert by_id[int(rid)] == pseudonyms[name]
    for row in (r for e in data["exchanges"] if "CMPivotResult" in e["path"] and e.get("json")
                for entry in _entries(e["json"]) for r in entry.get("Result", [])):
        assert row["Device"] in by_id.values()


def test_a_replay_reproduces_the_recorded_results_byte_for_byte(recorded: Recorded) -> None:
    """Replayed offline, both queries give the recorded run's frame and statuses exactly, once
    the recorded ones are given the same pseudonyms (``Elapsed`` is this process's own stopwatch
    and is measured afresh)."""
    hide = recorded.recorder.pseudonymise_frame
    for original, replayed in zip((recorded.collection, recorded.devices), replay(recorded), strict=True):
        assert replayed.df.to_csv() == hide(original.df).to_csv()
        assert replayed.status.drop(columns=TIMED).to_csv() == hide(original.status.drop(columns=TIMED)).to_csv()
        assert replayed.summary == original.summary
        assert replayed.operation_id == original.operation_id


def test_replaying_twice_gives_identical_bytes(recorded: Recorded) -> None:
    first, second = replay(recorded), replay(recorded)
    assert [as_csv(r) for r in first] == [as_csv(r) for r in second]


def test_a_request_the_recording_lacks_fails_naming_it(recorded: Recorded, tmp_path: Path) -> None:
    """A tampered recording (its RunCMPivot body edited) no longer answers the query, and says
    which request found no answer."""
    data = json.loads(recorded.path.read_text(encoding="utf-8"))
    for exchange in data["exchanges"]:
        if exchange["method"] == "POST" and "Collections(" in exchange["path"]:
            exchange["body"]["InputQuery"] = "OS"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data), encoding="utf-8")
    session = cm.connect(f"replay://{tampered}")
    with pytest.raises(ReplayMismatchError) as caught:
        session.run(recorded.recorder.pseudonymise(COLLECTION_QUERY), collection="SMS00001")
    message = str(caught.value)
    assert "no answer for POST v1.0/Collections('SMS00001')/AdminService.RunCMPivot" in message
    assert "AppData" in message and "tampered.json" in message


def test_a_query_that_was_not_recorded_fails_before_reaching_any_site(recorded: Recorded) -> None:
    session = cm.connect(f"replay://{recorded.path}")
    with pytest.raises(ReplayMismatchError, match=r"no answer for POST .*RunCMPivot .*\"InputQuery\": \"OS\""):
        session.run("OS", collection="SMS00001")


def test_a_recording_session_passed_as_session_records_no_credentials(tmp_path: Path) -> None:
    """``RecordingSession`` given as ``session=`` sends its own requests; its Authorization header
    is used, never recorded, and requests outside the AdminService are not recorded at all.
    Names listed explicitly get pseudonyms like learned ones."""
    with Emulator(devices=8, seed=SEED, speed=200, now=NOW) as emu:
        rec = RecordingSession(names=["Enterprise"])
        rec.verify = emu.ca_path
        rec.headers["Authorization"] = f"Bearer {emu.token}"
        session = cm.connect(emu.url, session=rec, history=None, **FAST)
        result = session.run("OS | project Device, Caption", collection="SMS00001")
        rec.get(emu.url.replace("/AdminService", "/elsewhere"), verify=emu.ca_path, timeout=2)  # not the AdminService
        saved = rec.save(tmp_path / "os.json")
    text = saved.read_text(encoding="utf-8")
    assert emu.token not in text and "/elsewhere" not in text
    assert "Enterprise" in "".join(result.df["Caption"]) and "Enterprise" not in text
    assert all(e["path"] and "elsewhere" not in e["path"] for e in rec.exchanges)
    replayed = cm.connect(f"replay://{saved}").run("OS | project Device, Caption", collection="SMS00001")
    assert replayed.df.to_csv() == rec.pseudonymise_frame(result.df).to_csv()


def test_a_run_that_timed_out_replays_with_its_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A recorded run cut short by its timeout (a device still Pending) replays to the same
    partial answer under the same timeout; without one, the replay says the recording ran out
    instead of waiting an hour."""
    query = "OS | project Device, Caption"
    with Emulator(devices=12, seed=SEED, speed=10, now=NOW) as emu:  # the slowest devices take seconds
        session = cm.connect(emu.url, token=emu.token, verify=emu.ca_path, history=None,
                             record=tmp_path / "cut.json", **FAST)
        original = session.run(query, collection="SMS00001", timeout=1.0)
        rec = recorder(session)
        rec.save()
    assert "Pending" in set(original.status["Status"])
    replayed = cm.connect(f"replay://{tmp_path / 'cut.json'}").run(query, collection="SMS00001", timeout=1.0)
    assert replayed.df.to_csv() == rec.pseudonymise_frame(original.df).to_csv()
    assert replayed.status.drop(columns=TIMED).to_csv() == rec.pseudonymise_frame(original.status.drop(columns=TIMED)).to_csv()
    monkeypatch.setattr(replay_module, "STUCK_SECONDS", 0.2)
    with pytest.raises(ReplayMismatchError, match=r"keeps asking for GET wmi/SMS_ClientOperationStatus"):
        cm.connect(f"replay://{tmp_path / 'cut.json'}").run(query, collection="SMS00001")


def test_replay_urls_name_the_file() -> None:
    with pytest.raises(cm.CMPivotError, match=r"no recording at /nowhere/at-all\.json"):
        cm.connect("replay:///nowhere/at-all.json")


def test_a_replay_session_serves_polls_of_one_url_in_their_recorded_order() -> None:
    """Three polls of one URL were recorded: three requests get them in order, a fourth gets
    the last again (the site as it last was)."""
    exchanges: list[dict[str, Any]] = [{"method": "GET", "path": "wmi/X", "body": None, "status": 200, "json": {"n": n}} for n in (1, 2, 3)]
    replaying = ReplaySession(Recording("https://cm/AdminService", tuple(exchanges)))
    got = [replaying.get("https://cm/AdminService/wmi/X").json()["n"] for _ in range(4)]
    assert got == [1, 2, 3, 3]


def _entries(body: dict[str, Any]) -> list[dict[str, Any]]:
    value = body.get("value")
    return value if isinstance(value, list) else [value] if isinstance(value, dict) else []

"""The AdminService client against a naive one, through the emulator, on 1,000 and 10,000 devices.

Both run the same query on collection SMS00001 of an emulated site (real HTTPS on loopback):

- **cmpivot-magic** sends the query's device part, polls ``SMS_ClientOperationStatus`` from 2 s
  backing off to 10 s, re-reads results only when enough new devices answered, reads failures
  from ``SMS_CMPivotStatus`` and runs the global part itself;
- **naive** sends the whole query and, every second, reads the whole ``CMPivotResult`` and the
  operation status (to know when to stop), then unions the devices' rows.

Each run gets a fresh emulator in its own process (``cmpivot emulator``), so the site's work
doesn't compete with the client's for this interpreter. Clock: the emulator's ``speed`` divides
every device's latency, and both clients' poll intervals are divided by the same factor, so a run
behaves as it would on a real site at 1/speed of the wall time. Times are wall seconds at that
speed; requests and bytes (response bodies) don't depend on it. "Right answer" compares the rows
with the same query on ``demo://``.

    python benchmarks/bench_adminservice.py [--speed 10] [--sizes 1000 10000]

**Site scale** (``--scale 150000``): our client alone on a whole primary site, one query at a time
(a one-row-per-device query and a many-rows one), each with a fresh emulator process and the client
in a fresh interpreter of its own, so its peak RSS (``ru_maxrss``) is that query's alone (the
emulator's own peak, ``VmHWM``, is shown beside it). History is written as in a notebook (a temporary
folder). Reported: rows, response bytes, total time, rows/s of parsing (rows made into frames /
seconds in the JSON reader and in making frames, counted by the client), peak RSS. ``--resume`` adds a
run of the Process query whose client is killed half-way and resumed by a new process from its history.

    python benchmarks/bench_adminservice.py --scale 150000 [--speed 10] [--pythonpath OTHER_TREE] [--only OS] [--resume]

``--pythonpath`` runs another checkout's package (``git worktree add /tmp/before <commit>``) for
before/after figures in one sitting (a tree without the parse counters shows "-" for rows/s).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pandas as pd
import requests

import cmpivot_magic as cm

QUERY = "OS | summarize Devices=count() by Caption | order by Devices desc"
COLLECTION = "SMS00001"


@dataclass
class Site:
    url: str
    ca: str
    token: str
    devices: int


@contextmanager
def emulator(devices: int, speed: float, env: dict[str, str] | None = None,
             peak: dict[str, float] | None = None, cwd: str | None = None) -> Iterator[Site]:
    """``cmpivot emulator`` in a child process; its url, CA and token read from its first lines
    (``peak["emulator_mb"]``: its peak RSS, read before it stops)."""
    process = subprocess.Popen([sys.executable, "-m", "cmpivot_magic.cli", "emulator", "--devices", str(devices),
                                "--seed", "7", "--speed", str(speed)], stdout=subprocess.PIPE, text=True, env=env,
                               cwd=cwd)
    try:
        assert process.stdout is not None
        found = dict(process.stdout.readline().strip().split(": ", 1) for _ in range(3))
        yield Site(found["url"], found["ca"], found["token"], devices)
    finally:
        if peak is not None:
            peak["emulator_mb"] = _vm_hwm_mb(process.pid)
        process.terminate()
        process.wait(30)


def _vm_hwm_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            line = next(x for x in status if x.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration, ValueError):
        return float("nan")


@dataclass
class Run:
    client: str
    devices: int
    requests: int
    bytes: int
    first_rows: float | None
    total: float
    rows: int
    right: bool


def ours(emu: Site, speed: float, expected: pd.DataFrame) -> Run:
    session = cm.connect(emu.url, token=emu.token, verify=emu.ca, poll_interval=(2.0 / speed, 10.0 / speed),
                         history=None)
    started = time.perf_counter()
    operation = session.submit(QUERY, collection=COLLECTION)
    first = None
    for progress in operation.updates(poll=0.005):
        if progress.rows and first is None:
            first = time.perf_counter() - started
    result = operation.result()
    total = time.perf_counter() - started
    stats = session.backend.client.stats  # type: ignore[attr-defined]
    return Run("cmpivot-magic", emu.devices, stats.requests, stats.bytes_received, first, total,
               len(result.df), same(result.df, expected))


def naive(emu: Site, speed: float, expected: pd.DataFrame) -> Run:
    """Whole query, one-second polls of the full result (and the status, to know when to stop)."""
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {emu.token}"
    counted = {"requests": 0, "bytes": 0}

    def call(method: str, path: str, **kw: Any) -> requests.Response:
        answer = http.request(method, f"{emu.url}/{path}", verify=emu.ca, timeout=120, **kw)
        counted["requests"] += 1
        counted["bytes"] += len(answer.content)
        return answer

    started = time.perf_counter()
    op = call("POST", f"v1.0/Collections('{COLLECTION}')/AdminService.RunCMPivot",
              json={"InputQuery": QUERY}).json()["OperationId"]
    first, entries = None, []
    while True:
        time.sleep(1.0 / speed)
        answer = call("GET", f"v1.0/Collections('{COLLECTION}')/AdminService.CMPivotResult(OperationId={op})")
        if answer.status_code == 200:
            entries = answer.json()["value"]
            if first is None and any(e["Result"] for e in entries):
                first = time.perf_counter() - started
        status = call("GET", f"wmi/SMS_ClientOperationStatus?$filter=ID eq {op}").json()["value"][0]
        done = status["CompletedClients"] + status["FailedClients"] + status["OfflineClients"]
        if done >= status["TotalClients"] and len(entries) >= status["CompletedClients"]:
            break
    total = time.perf_counter() - started
    rows = pd.DataFrame([{k: v for k, v in row.items() if k != "Device"} for e in entries for row in e["Result"]])
    return Run("naive", emu.devices, counted["requests"], counted["bytes"], first, total, len(rows),
               same(rows, expected))


def same(got: pd.DataFrame, want: pd.DataFrame) -> bool:
    def key(df: pd.DataFrame) -> Counter[tuple[str, ...]]:
        cols = [c for c in want.columns if c in df.columns]
        return Counter(tuple(str(v) for v in r) for r in df[cols].itertuples(index=False)) if cols else Counter()

    return len(got) == len(want) and key(got) == key(want)


SCALE_QUERIES = {
    "OS, a row per device": "OS | project Device, Caption, Version",
    "all Process rows": "Process | project Device, Name, WorkingSetSize",
}
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_SCALE_CHILD = r"""
import json, os, resource, sys, time
import cmpivot_magic as cm
url, token, ca, query, speed, history, mode = sys.argv[1:8]
speed = float(speed)
from cmpivot_magic.backends.adminservice import operation as O, transport as T
old = {"json": 0.0, "frames": 0.0, "rows": 0, "bytes": 0}
if not hasattr(T.Stats(), "parsing"):  # a tree before streaming: time its json.loads and frames_from_rows
    import json as _json, types
    def _loads(text, **kw):
        t = time.perf_counter(); out = _json.loads(text, **kw)
        old["json"] += time.perf_counter() - t; old["bytes"] += len(text); return out
    T.json = types.SimpleNamespace(loads=_loads, dumps=_json.dumps)
    _frames = O.frames_from_rows
    def _timed(batch, schema):
        t = time.perf_counter(); out = _frames(batch, schema)
        old["frames"] += time.perf_counter() - t; old["rows"] += sum(f.height for f in out); return out
    O.frames_from_rows = _timed
s = cm.connect(url, token=token, verify=ca, poll_interval=(2.0 / speed, 10.0 / speed), history=history,
               request_timeout=(30.0, 600.0))
started = time.perf_counter()
op = s.resume(int(mode[7:])) if mode.startswith("resume:") else s.submit(query, collection="SMS00001")
first = None
for p in op.updates(poll=0.05):
    if mode == "kill" and p.answered >= p.targeted // 2:  # the kernel dies half-way: no cleanup
        print(json.dumps({"killed": op.id, "answered": p.answered}), flush=True)
        os._exit(9)
    if first is None and p.rows:
        first = time.perf_counter() - started
r = op.result()
rows = getattr(r, "polars", None)
rows = len(r.df) if rows is None else rows.height
out = {"total": time.perf_counter() - started, "first": first, "rows": rows}
stats = s.backend.client.stats
out.update(requests=stats.requests, bytes=stats.bytes_received)
parsing = getattr(stats, "parsing", None)
if parsing is not None:
    out.update(parsed_rows=parsing.rows, json_seconds=parsing.seconds, frame_seconds=parsing.frame_seconds,
               json_bytes=parsing.bytes)
else:
    out.update(parsed_rows=old["rows"], json_seconds=old["json"], frame_seconds=old["frames"], json_bytes=old["bytes"])
out["statuses"] = {str(k): int(v) for k, v in r.status["Status"].value_counts().items()}
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["package"] = cm.__file__
print(json.dumps(out))
"""


def scale_run(devices: int, speed: float, query: str, pythonpath: str | None, resume: bool = False) -> dict[str, Any]:
    """One query on a fresh emulator, the client in a fresh interpreter; its figures. ``resume``: the
    first client is killed once half the devices answered and a second resumes the operation from
    the history on disk (the figures are the second's). Both children run in a scratch folder: ``-c``
    and ``-m`` put the working directory first on ``sys.path``, which would shadow ``--pythonpath``."""
    env = {**os.environ, "PYTHONPATH": os.path.abspath(pythonpath or REPO)}
    peak: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp, emulator(devices, speed, env, peak, cwd=tmp) as emu:
        def child(mode: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run([sys.executable, "-c", _SCALE_CHILD, emu.url, emu.token, emu.ca, query, str(speed),
                                   os.path.join(tmp, "history"), mode], env=env, capture_output=True, text=True,
                                  check=False, cwd=tmp)

        killed: dict[str, Any] = {}
        if resume:
            first = child("kill")
            if first.returncode != 9:
                return {"error": (first.stderr.strip().splitlines() or [f"exit {first.returncode}"])[-1], **peak}
            killed = json.loads(first.stdout.strip().splitlines()[-1])
        done = child(f"resume:{killed['killed']}" if resume else "run")
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1], **peak}
    return {**json.loads(done.stdout.strip().splitlines()[-1]), **peak, **killed}


def scale(devices: int, speed: float, pythonpath: str | None, only: str | None = None, resume: bool = False) -> None:
    print(f"{devices:,} devices through the emulator (collection SMS00001, speed x{speed:g}), one query per "
          f"fresh emulator and client interpreter{' (code from ' + pythonpath + ')' if pythonpath else ''}")
    header = (f"{'query':<22}{'rows':>12}{'bytes received':>16}{'requests':>9}{'first rows':>11}{'total':>10}"
              f"{'parse rows/s':>14}{'peak RSS':>10}{'emulator':>10}")
    print(header)
    print("-" * len(header))
    plain: dict[str, dict[str, Any]] = {}
    runs = [(label, query, False) for label, query in SCALE_QUERIES.items()]
    if resume:
        runs.append(("Process, resumed", SCALE_QUERIES["all Process rows"], True))
    for label, query, again in runs:
        if only and only not in label:
            continue
        f = scale_run(devices, speed, query, pythonpath, again)
        if "error" in f:
            print(f"{label:<22}failed: {f['error']}")
            continue
        plain.setdefault(query, f)
        spent = f.get("json_seconds", 0.0) + f.get("frame_seconds", 0.0)
        rate = f"{f['parsed_rows'] / spent / 1e6:.2f}M" if spent else "-"
        first = f"{f['first']:.1f} s" if f.get("first") is not None else "-"
        print(f"{label:<22}{f['rows']:>12,}{f['bytes']:>16,}{f['requests']:>9,}{first:>11}{f['total']:>8.1f} s"
              f"{rate:>14}{f['peak_mb'] / 1024:>7.2f} GB{f.get('emulator_mb', float('nan')) / 1024:>7.2f} GB")
        print(f"{'':<22}package: {f['package']}")
        if again:
            same = plain[query] is not f and (plain[query]["rows"], plain[query]["statuses"]) == (f["rows"], f["statuses"])
            print(f"{'':<22}killed after {f['answered']:,} devices answered; the resumed process made frames of "
                  f"{f['parsed_rows']:,} rows; rows and statuses as the uninterrupted run: {'yes' if same else 'NO'}")
        if spent:
            print(f"{'':<22}parsing: {f['json_seconds']:.1f} s reading JSON ({f['json_bytes']:,} bytes), "
                  f"{f['frame_seconds']:.1f} s making frames of {f['parsed_rows']:,} rows; statuses {f['statuses']}")
        else:
            print(f"{'':<22}statuses {f['statuses']}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--speed", type=float, default=10.0, help="emulator speed-up (and poll-interval divisor)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    ap.add_argument("--scale", type=int, metavar="DEVICES", help="site scale: our client alone at this size")
    ap.add_argument("--pythonpath", help="with --scale: run this tree's cmpivot_magic instead (before/after)")
    ap.add_argument("--resume", action="store_true", help="with --scale: also kill a client half-way through the "
                    "Process query and resume it in a new one")
    ap.add_argument("--only", help="with --scale: only the queries whose label contains this ('OS', 'Process')")
    args = ap.parse_args()
    if args.scale:
        scale(args.scale, args.speed, args.pythonpath, args.only, args.resume)
        return
    runs: list[Run] = []
    for size in args.sizes:
        demo = cm.connect(f"demo://?devices={size}&seed=7&clock=virtual", history=None)
        expected = demo.run(QUERY, collection=COLLECTION).df
        for client in (ours, naive):
            with emulator(size, args.speed) as emu:
                runs.append(client(emu, args.speed, expected))
    print(f"query: {QUERY}   collection: {COLLECTION}   emulator speed: x{args.speed:g} "
          f"(a 60 s device answers after {60 / args.speed:g} s)")
    header = f"{'devices':>8}  {'client':<14}{'requests':>9}{'bytes received':>16}{'first rows':>12}" \
             f"{'total':>9}{'rows':>7}  right answer"
    print(header)
    print("-" * len(header))
    for r in runs:
        first = f"{r.first_rows:.2f} s" if r.first_rows is not None else "-"
        print(f"{r.devices:>8,}  {r.client:<14}{r.requests:>9,}{r.bytes:>16,}{first:>12}{r.total:>7.2f} s"
              f"{r.rows:>7,}  {'yes' if r.right else 'no'}")


if __name__ == "__main__":
    main()

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
"""

from __future__ import annotations

import argparse
import subprocess
import sys
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
def emulator(devices: int, speed: float) -> Iterator[Site]:
    """``cmpivot emulator`` in a child process; its url, CA and token read from its first lines."""
    process = subprocess.Popen([sys.executable, "-m", "cmpivot_magic.cli", "emulator", "--devices", str(devices),
                                "--seed", "7", "--speed", str(speed)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        found = dict(process.stdout.readline().strip().split(": ", 1) for _ in range(3))
        yield Site(found["url"], found["ca"], found["token"], devices)
    finally:
        process.terminate()
        process.wait(30)


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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--speed", type=float, default=10.0, help="emulator speed-up (and poll-interval divisor)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    args = ap.parse_args()
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

"""How long local:// takes to collect each entity on this machine, against the latency goals.

Goals: under 200 ms for Process (all columns), Service, Disk, OS and IPConfig; under 2 s for
InstalledSoftware. Prints, for every entity this platform supports, the median of a few runs
(after one warm-up run, as a notebook's second query would see it), the rows returned, and the
goal where there is one; entities unavailable here say why.

    python benchmarks/bench_local_entities.py [--runs 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Sequence

from cmpivot_magic.backends.base import EntityUnavailable
from cmpivot_magic.backends.local.collectors import LocalSource, supported_entities
from cmpivot_magic.catalog import entity

GOALS_MS = {
    "Process": 200,
    "Service": 200,
    "Disk": 200,
    "OS": 200,
    "IPConfig": 200,
    "InstalledSoftware": 2000,
}

# (label, entity, args, columns): parameterised entities get typical arguments; Process is also
# measured with the cheap columns only, to show what skipping command lines saves.
CASES: list[tuple[str, str, tuple[object, ...], Sequence[str] | None]] = [
    ("Process (Name, ProcessId)", "Process", (), ["Name", "ProcessId"]),
    ("File('/etc/*')", "File", ("/etc/*",), None),
    ("FileContent('/etc/os-release')", "FileContent", ("/etc/os-release",), None),
    ("EventLog('System', 1h)", "EventLog", ("System", dt.timedelta(hours=1)), None),
    ("WinEvent('System', 1h)", "WinEvent", ("System", dt.timedelta(hours=1)), None),
]


def measure(
    source: LocalSource, name: str, args: tuple[object, ...], columns: Sequence[str] | None, runs: int
) -> tuple[float, int] | str:
    target = entity(name)
    times, rows = [], 0
    for run in range(runs + 1):
        started = time.perf_counter()
        try:
            frame = source.table(target, args, [1], dt.datetime.now(dt.UTC), columns)
        except EntityUnavailable as error:
            return str(error)
        if run:  # the first run warms caches (imports, psutil's process table, DNS answers)
            times.append(time.perf_counter() - started)
        rows = frame.height
    return statistics.median(times) * 1e3, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    source = LocalSource()
    print(f"{source!r}, median of {options.runs} runs\n")
    print(f"{'entity':34} {'median ms':>10} {'rows':>6}  goal")
    Case = tuple[str, str, tuple[object, ...], Sequence[str] | None]
    cases: list[Case] = [(name, name, (), None) for name in sorted(supported_entities())]
    cases = [case for case in cases if not entity(case[1]).parameters]
    cases += [case for case in CASES if case[1] in supported_entities()]
    for label, name, args, columns in cases:
        result = measure(source, name, args, columns, options.runs)
        if isinstance(result, str):
            print(f"{label:34} {'-':>10} {'':>6}  unavailable: {result}")
            continue
        ms, rows = result
        goal = GOALS_MS.get(label)
        verdict = "" if goal is None else f"< {goal} ms {'ok' if ms < goal else 'MISSED'}"
        print(f"{label:34} {ms:10.1f} {rows:6d}  {verdict}")


if __name__ == "__main__":
    main()

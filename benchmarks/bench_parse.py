"""Parse + plan time of typical CMPivot queries, and parse time against query size.

Typical queries (goal: under 1 ms for a five-operator query): the median of many runs for each,
uncached (the parse cache that notebooks benefit from is bypassed), so the figure is the real
front-end cost.

Query size (goal: linear growth; 100,000 ``in`` values in well under a second): parse time of
``where Name in (...)`` lists and of ``and``/``or`` chains of comparisons with 10, 1k, 10k and
100k terms, with the cost per term side by side, so linear growth shows as a flat column (and a
quadratic step as a column that grows tenfold per row).

    python benchmarks/bench_parse.py [--only typical|sizes] [--sizes 10,1000,10000,100000]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from cmpivot_magic.engine.planner import Planner
from cmpivot_magic.language.parser import parse_text

QUERIES = {
    "1 op": "Process | where Name == 'svchost.exe'",
    "3 ops": "Process | where Name contains 'svc' | summarize count() by Name | top 10 by count_",
    "5 ops": ("Process | where Name contains 'svc' and WorkingSetSize > 1000000 | project Device, Name, "
              "WorkingSetSize | summarize count(), sum(WorkingSetSize) by Name | order by count_ desc | take 10"),
    "join + render": ("ComputerSystem | project Device, Manufacturer, Model | join (OperatingSystem | project "
                      "Device, OSVersion=Caption) | summarize count() by Model | render barchart"),
    "HUB15 (case, 11 branches)": (Path(__file__).parent / "hub15.kql").read_text(encoding="utf-8"),
}


def measure(text: str, runs: int = 2000) -> tuple[float, float]:
    parse_times, total_times = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        ast = parse_text(text, "cmpivot")
        t1 = time.perf_counter()
        Planner("cmpivot", text=text).plan(ast)
        t2 = time.perf_counter()
        parse_times.append(t1 - t0)
        total_times.append(t2 - t0)
    return statistics.median(parse_times) * 1e3, statistics.median(total_times) * 1e3


def typical() -> None:
    print(f"{'query':28} {'parse ms':>9} {'parse+plan ms':>14}  goal")
    for name, text in QUERIES.items():
        parse_ms, total_ms = measure(text)
        goal = "< 1 ms" if name == "5 ops" else ""
        verdict = ("ok" if total_ms < 1 else "MISSED") if goal else ""
        print(f"{name:28} {parse_ms:9.3f} {total_ms:14.3f}  {goal} {verdict}")


# query text with `terms` terms, by shape
SHAPES: dict[str, Callable[[int], str]] = {
    "in (...) strings": lambda k: "Process | where Name in (" + ", ".join(f"'n{i}.exe'" for i in range(k)) + ")",
    "in (...) mixed": lambda k: "Process | where Name in (" + ", ".join(
        f"'n{i}'" if i % 3 else f"strcat('n', '{i}')" for i in range(k)) + ")",
    "or chain": lambda k: "Process | where " + " or ".join(f"Name == 'n{i}.exe'" for i in range(k)),
    "and chain": lambda k: "Process | where " + " and ".join(f"ProcessId != {i}" for i in range(k)),
}


def best_parse_time(text: str) -> float:
    """The fastest of a few parses (seconds): the least disturbed by other work on the machine."""
    runs = max(1, min(20, 20_000 // len(text)))
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        parse_text(text, "kql")
        times.append(time.perf_counter() - t0)
    return min(times)


def sizes(counts: list[int]) -> None:
    shapes = list(SHAPES)
    print("parse time by query size: ms (µs per term); linear growth keeps µs per term flat")
    print(f"{'terms':>8}" + "".join(f"  {name:>24}" for name in shapes))
    per_term = 0.0
    for k in counts:
        cells = []
        for name in shapes:
            seconds = best_parse_time(SHAPES[name](k))
            cells.append(f"{seconds * 1e3:10.1f} ms ({seconds / k * 1e6:6.2f} µs)")
            if name == shapes[0]:
                per_term = seconds / k
        print(f"{k:>8}" + "".join(f"  {c:>24}" for c in cells))
    verdict = "ok" if per_term * 100_000 < 1 else "MISSED"
    print(f"goal: 100,000 in-list strings parse in under 1 s: {per_term * 1e5:.2f} s — {verdict}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--only", choices=("typical", "sizes"))
    ap.add_argument("--sizes", default="10,1000,10000,100000", help="term counts, comma-separated")
    args = ap.parse_args()
    parse_text("Process", "cmpivot")  # build the grammar once, outside the measurement
    if args.only != "sizes":
        typical()
    if args.only != "typical":
        if args.only is None:
            print()
        sizes([int(x) for x in args.sizes.split(",")])


if __name__ == "__main__":
    main()

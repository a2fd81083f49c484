"""Parse + plan time of typical CMPivot queries (goal: under 1 ms for a five-operator query).

Prints the median of many runs for each query, uncached (the parse cache that notebooks benefit
from is bypassed), so the figure is the real front-end cost.

    python benchmarks/bench_parse.py
"""

from __future__ import annotations

import statistics
import time
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


def main() -> None:
    parse_text("Process", "cmpivot")  # build the grammar once, outside the measurement
    print(f"{'query':28} {'parse ms':>9} {'parse+plan ms':>14}  goal")
    for name, text in QUERIES.items():
        parse_ms, total_ms = measure(text)
        goal = "< 1 ms" if name == "5 ops" else ""
        verdict = ("ok" if total_ms < 1 else "MISSED") if goal else ""
        print(f"{name:28} {parse_ms:9.3f} {total_ms:14.3f}  {goal} {verdict}")


if __name__ == "__main__":
    main()

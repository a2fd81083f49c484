"""A whole primary site (issue 19): connect and three queries at 15,000 and 150,000 devices.

Each size runs in its own fresh interpreter, so peak RSS (``ru_maxrss``) is that size's own; the
figures at 150,000 are printed beside the goals: OS summarize <= 5 s, Process count <= 15 s, all
Process rows <= 30 s, peak RSS <= 6 GB, and time growing linearly (150k / 15k <= 13x); and the
device picker filtering (the slowest of a few searches typed into its box) in under 100 ms. With
history on, it also times listing the operations (``%cmpivot history``) and re-attaching to the
finished "all Process rows" operation (``%cmpivot resume``: its rows read back from the store).

"all Process rows" is the query and the rows in hand (``result.polars``); the pandas frame is made
when ``result.df`` is first read, timed on its own line ("… .df").

    python benchmarks/bench_site.py [--sizes 15000 150000] [--pythonpath OTHER_TREE] [--history DIR]

``--pythonpath`` runs another checkout's package (``git worktree add /tmp/before <commit>``) for
before/after figures taken in one sitting. History is written as in a notebook (to a temporary
folder unless ``--history`` says where; ``--history off`` turns it off).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

QUERIES = {
    "OS summarize": "OS | summarize count() by Caption",
    "Process count": "Process | summarize count() by Name | top 10 by count_",
    "all Process rows": "Process | project Device, Name, WorkingSetSize",
}
GOALS = {"OS summarize": 5.0, "Process count": 15.0, "all Process rows": 30.0, "picker filter": 0.1}
RSS_GOAL_MB = 6 * 1024
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GROWTH_GOAL = 13.0

_CHILD = r"""
import json, resource, sys, time
import cmpivot_magic as cm
n, queries, history = int(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
out = {}
t = time.perf_counter()
try:
    s = cm.connect(f"demo://?devices={n}&seed=7&clock=virtual", history=None if history == "off" else history)
except Exception as err:  # the code under test may refuse the size
    print(json.dumps({"error": str(err)}))
    sys.exit(0)
out["connect"] = time.perf_counter() - t
for label, text in queries.items():
    t = time.perf_counter()
    r = s.run(text)
    rows = getattr(r, "polars", None)
    rows = len(r.df) if rows is None else rows.height
    out[label] = time.perf_counter() - t
    out[label + " rows"] = rows
    if label == "all Process rows":
        t = time.perf_counter()
        assert len(r.df) == rows
        out[label + " .df"] = time.perf_counter() - t
        kept = r.operation_id
    del r
if s.history is not None:  # what `%cmpivot history` lists, and re-attaching to the big operation
    t = time.perf_counter()
    assert len(s.history.operations()) == len(queries)
    out["history list"] = time.perf_counter() - t
    t = time.perf_counter()
    again = s.resume(kept).result()
    assert (len(again.df) if getattr(again, "polars", None) is None else again.polars.height) == out["all Process rows rows"]
    out["resume (finished)"] = time.perf_counter() - t
try:  # the device picker: the slowest of a few searches, as typing in the box runs them
    from cmpivot_magic.widgets.picker import DevicePicker
    picker = DevicePicker(s)
    slowest = 0.0
    for term in ("desk", "srv 01", "42", "zzz", ""):
        t = time.perf_counter()
        picker.search.value = term
        slowest = max(slowest, time.perf_counter() - t)
    out["picker filter"] = slowest
except ImportError:
    pass
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["package"] = cm.__file__
print(json.dumps(out))
"""


def measure(devices: int, pythonpath: str | None, history: str) -> dict[str, float]:
    """One size in a fresh interpreter; its figures (or ``{"error": …}``)."""
    env = {**os.environ, "PYTHONPATH": pythonpath or REPO}
    with tempfile.TemporaryDirectory() as tmp:
        where = os.path.join(tmp, "history") if history == "temp" else history if history == "off" else \
            os.path.abspath(history)
        # in a scratch folder: ``-c`` puts the working folder first on sys.path, and from the
        # repository root that would import this tree's package whatever --pythonpath says
        done = subprocess.run([sys.executable, "-c", _CHILD, str(devices), json.dumps(QUERIES), where],
                              env=env, capture_output=True, text=True, check=False, cwd=tmp)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def report(figures: dict[int, dict[str, float]]) -> None:
    sizes = sorted(figures)
    print(f"{'':28}" + "".join(f"{n:>16,}" for n in sizes) + "   goal at the largest size")
    largest, smallest = sizes[-1], sizes[0]
    for label in ["connect", *QUERIES, "all Process rows .df", "history list", "resume (finished)", "picker filter"]:
        cells = []
        for n in sizes:
            f = figures[n]
            cells.append(f"{'refused' if 'error' in f else format(f.get(label, float('nan')), '.2f') + ' s':>16}")
        goal = ""
        if label in GOALS and "error" not in figures[largest] and label in figures[largest]:
            value = figures[largest][label]
            goal = f"   <= {GOALS[label]:g} s {'ok' if value <= GOALS[label] else 'MISSED'}"
            if label in QUERIES and len(sizes) > 1 and "error" not in figures[smallest]:
                growth = value / figures[smallest][label]
                goal += f"; growth {growth:.1f}x (<= {GROWTH_GOAL:.0f}x {'ok' if growth <= GROWTH_GOAL else 'MISSED'})"
        print(f"{label:28}" + "".join(cells) + goal)
    rows = [f"{int(figures[n].get('all Process rows rows', 0)):>16,}" if "error" not in figures[n] else f"{'':>16}"
            for n in sizes]
    print(f"{'  (Process rows)':28}" + "".join(rows))
    peaks = [f"{figures[n]['peak_mb'] / 1024:>14.2f} GB" if "error" not in figures[n] else f"{'refused':>16}"
             for n in sizes]
    goal = ""
    if "error" not in figures[largest]:
        ok = figures[largest]["peak_mb"] <= RSS_GOAL_MB
        goal = f"   <= {RSS_GOAL_MB / 1024:.0f} GB {'ok' if ok else 'MISSED'}"
    print(f"{'peak RSS':28}" + "".join(peaks) + goal)
    for n in sizes:
        if "error" in figures[n]:
            print(f"  {n:,} devices: {figures[n]['error']}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[15_000, 150_000])
    ap.add_argument("--pythonpath", help="run this tree's cmpivot_magic instead (before/after figures)")
    ap.add_argument("--history", default="temp", help="history folder, 'temp' (default) or 'off'")
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON as well")
    args = ap.parse_args()
    figures = {n: measure(n, args.pythonpath, args.history) for n in args.sizes}
    loaded = {f.get("package") for f in figures.values() if "package" in f}
    print(f"demo site, clock=virtual, seed 7; each size in its own interpreter; package: {', '.join(sorted(loaded))}")
    report(figures)
    if args.json:
        print(json.dumps({str(k): v for k, v in figures.items()}))


if __name__ == "__main__":
    main()

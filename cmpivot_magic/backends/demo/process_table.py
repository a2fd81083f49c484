"""Process, built column by column: the columns a query reads and no others.

Process is the demo site's big table (22M rows at 150,000 devices). Built whole it took 13 s and
several GB at that size, while a query reads two or three of its 16 columns
(``Process | summarize count() by Name`` reads one). So the rows' *layout* — which templates run
how many times on which device — is worked out once per site, and each column is built when a
query first reads it and kept beside the others in the site's cache (``site.py``).

A column's values do not depend on which columns were asked for, or in what order. The table
draws from one seeded stream in a fixed order: the layout, then process ids, ages, sizes, CPU
times. ``Layout.draws`` keeps the stream's position before each group of draws; a group built
first *replays* the draws of the groups before it, discarding them (about 0.5 s for all of them
at 22M rows; the arithmetic over the draws is what costs). So every column equals what building
the whole table in one pass gave.

The rows are a device x template count matrix expanded with ``np.repeat``; strings are gathered
from the template table (polars shares their buffers), and only the rows whose path holds the user
name are formatted one by one. Parents are the first instance of the parent template on the same
device.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from .fleet import Fleet
from .gen_processes import _INDEX_OF, TEMPLATES, scope
from .generators import DEVICE, Request, generates
from .process_data import GROUPS, Proc

MB = 1 << 20
_MOST_INSTANCES = max(t.hi for t in TEMPLATES)
assert _MOST_INSTANCES < 256, "the layout keeps instance counts as uint8"
_DRAWS = ("ids", "ages", "sizes", "cpu")
"""The groups of draws after the layout, in the order the stream is consumed."""


def _draw(group: str, rng: np.random.Generator, devices: int, rows: int) -> tuple[np.ndarray, ...]:
    """One group's random draws (the same calls, in the same order, whether used or replayed)."""
    if group == "ids":     # gaps between process ids; the id of a parent that has exited
        return rng.integers(1, 28, rows, dtype=np.int32), rng.integers(60, 240, rows)
    if group == "ages":    # seconds from boot to logon per device; when an "any" process started
        return rng.integers(30, 900, devices), rng.random(rows, dtype=np.float32)
    # sizes: one draw sizes a process (working set, threads and handles grow together); cpu: one
    # its CPU time
    return (rng.standard_normal(rows, dtype=np.float32),)


@dataclass
class Layout:
    """Which processes run where: one row per process instance, grouped by device in start order."""

    counts: np.ndarray        # devices x templates, instances of each template on each device
    dev: np.ndarray           # each row's device position
    tpl: np.ndarray           # each row's template
    per_device: np.ndarray
    first_row: np.ndarray     # each device's first row
    states: dict[str, np.random.Generator] = field(default_factory=dict)
    """The stream positioned before each group of ``_DRAWS`` that has been reached."""

    @property
    def rows(self) -> int:
        return int(self.dev.size)

    def draws(self, group: str) -> tuple[np.ndarray, ...]:
        """``group``'s draws, replaying (and discarding) the groups before it not yet reached."""
        at = _DRAWS.index(group)
        known = max(i for i in range(at + 1) if _DRAWS[i] in self.states)
        rng = copy.deepcopy(self.states[_DRAWS[known]])
        devices = self.counts.shape[0]
        for i in range(known, at):
            _draw(_DRAWS[i], rng, devices, self.rows)
            self.states[_DRAWS[i + 1]] = copy.deepcopy(rng)
        out = _draw(group, rng, devices, self.rows)
        if at + 1 < len(_DRAWS):
            self.states.setdefault(_DRAWS[at + 1], rng)
        return out


def layout(request: Request) -> Layout:
    """The site's process layout (memoised on the fleet)."""
    found = request.fleet.memo.get("process/layout")
    if isinstance(found, Layout):
        return found
    rng = request.rng()
    counts = np.ascontiguousarray(_instance_counts(request.fleet, rng), dtype=np.uint8)  # _MOST_INSTANCES
    per_device = counts.sum(axis=1, dtype=np.int64)
    dev = np.repeat(np.arange(counts.shape[0], dtype=np.int32), per_device)
    tpl = np.repeat(np.tile(np.arange(len(TEMPLATES), dtype=np.int16), counts.shape[0]), counts.ravel())
    made = Layout(counts, dev, tpl, per_device, np.cumsum(per_device) - per_device)
    made.states["ids"] = rng
    request.fleet.memo["process/layout"] = made
    return made


def _instance_counts(fleet: Fleet, rng: np.random.Generator) -> np.ndarray:
    """How many instances of each template run on each device (devices x templates): a group's
    processes where the group runs, and 58-91 of the svchost instances in a random choice."""
    n, count = fleet.n, len(TEMPLATES)
    running = {g: scope(fleet, spec.who) & (rng.random(n) < spec.p) for g, spec in GROUPS.items()}
    counts = np.zeros((n, count), dtype=np.int64, order="F")  # filled a template (column) at a time
    svc_cols = [i for i, t in enumerate(TEMPLATES) if t.group == "svchost"]
    for i, t in enumerate(TEMPLATES):
        if t.group != "svchost":
            counts[:, i] = rng.integers(t.lo, t.hi + 1, n) * running[t.group]
    wanted = np.where(fleet.is_server, rng.integers(60, 92, n), rng.integers(58, 90, n))
    order = np.argsort(rng.random((n, len(svc_cols))), axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(len(svc_cols))[None, :], axis=1)
    counts[:, svc_cols] = ranks < wanted[:, None]
    return counts


def _per_template(attribute: str, dtype: type) -> np.ndarray:
    return np.array([getattr(t, attribute) for t in TEMPLATES], dtype=dtype)


# ------------------------------------------------------------------------------ column groups

Columns = dict[str, np.ndarray | pl.Series]
Wanted = frozenset[str]
Builder = Callable[[Fleet, Layout, Wanted], Columns]
"""Builds a group of columns: those in ``Wanted`` at least (a sibling may come along)."""


def _ids(fleet: Fleet, lay: Layout, wanted: Wanted) -> Columns:
    """ProcessId increasing within a device, like start order; ParentProcessId the first instance
    of the parent template on the device, else (a parent that has exited) an id no process has;
    the kernel's own processes have parent 0."""
    steps, orphan = lay.draws("ids")
    total = np.cumsum(steps, dtype=np.int64)
    first = lay.first_row
    pid = (total - np.repeat(total[first] - steps[first], lay.per_device)) * 4 + 96
    del total, steps
    kernel = np.isin(lay.tpl, [_INDEX_OF["System Idle Process"], _INDEX_OF["System"]])
    pid[lay.tpl == _INDEX_OF["System Idle Process"]] = 0
    pid[lay.tpl == _INDEX_OF["System"]] = 4
    pid32 = pid.astype(np.int32)
    del pid
    flat = lay.counts.ravel()
    cell_start = np.cumsum(flat, dtype=np.int64) - flat
    first_pid = np.full(flat.size + 1, -1, dtype=np.int32)
    present = flat > 0
    first_pid[:-1][present] = pid32[cell_start[present]]
    del cell_start, present
    parent_tpl = np.array([_INDEX_OF.get(t.parent, -1) if t.parent else -1 for t in TEMPLATES])[lay.tpl]
    cell = np.where(parent_tpl >= 0, lay.dev.astype(np.int64) * len(TEMPLATES) + parent_tpl, flat.size)
    del parent_tpl
    ppid = first_pid[cell]
    del cell, first_pid
    ppid = np.where(ppid >= 0, ppid, orphan * 4).astype(np.int32)
    ppid[kernel] = 0
    return {"ProcessId": pid32, "ParentProcessId": ppid}


def _ages(fleet: Fleet, lay: Layout) -> np.ndarray:
    """Seconds before now each process started: boot-time ones just after boot in start order,
    logon ones after the user signed in, the rest at any time since boot; System at boot."""
    logon_after, anytime_draw = lay.draws("ages")
    boot = fleet.boot_age[lay.dev]
    starts = np.repeat(lay.first_row, lay.per_device)
    order_offset = (np.arange(lay.rows) - starts) // 3
    del starts
    kind = np.array([{"boot": 0, "logon": 1, "any": 2}[t.start] for t in TEMPLATES], dtype=np.int8)[lay.tpl]
    anytime = (anytime_draw * np.maximum(boot - 60, 1)).astype(np.int64)
    after_logon = np.where(kind == 1, boot - logon_after[lay.dev] - order_offset, anytime)
    del anytime
    age = np.where(kind == 0, boot - 2 - order_offset, after_logon)
    del after_logon, order_offset, kind
    np.clip(age, 0, boot, out=age)
    system = lay.tpl == _INDEX_OF["System"]
    age[system] = boot[system]
    return age


def _sizes(fleet: Fleet, lay: Layout, wanted: Wanted) -> Columns:
    """Working set, virtual size, page file, threads and handles, all grown from one draw per
    process; only the ones asked for are computed (each is a few passes over 22M rows)."""
    (draw,) = lay.draws("sizes")
    size = np.exp(draw * np.float32(0.4))
    del draw
    ws_mb = _per_template("ws_mb", np.float32)[lay.tpl]
    ws = (ws_mb * size * MB).astype(np.int64) // 4096 * 4096
    out: Columns = {"WorkingSetSize": ws}
    if "VirtualSize" in wanted:
        out["VirtualSize"] = np.where(ws_mb < 0.01, 8192, ws * 3 + 2_199_023_255_552)
    if "PageFileUsage" in wanted:
        out["PageFileUsage"] = ((ws * 0.7).astype(np.int64) >> 10).astype(np.int32)
    if wanted & {"ThreadCount", "HandleCount"}:
        root = np.sqrt(size)
        out["ThreadCount"] = np.maximum(1, _per_template("threads", np.float32)[lay.tpl] * root).astype(np.int32)
        out["HandleCount"] = (_per_template("handles", np.float32)[lay.tpl] * root).astype(np.int32)
    return out


def _times(fleet: Fleet, lay: Layout, wanted: Wanted) -> Columns:
    """CreationDate, and CPU times that grow with a process's age: the ages worked out once."""
    age = _ages(fleet, lay)
    out: Columns = {"CreationDate": age} if "CreationDate" in wanted else {}
    if wanted & {"KernelModeTime", "UserModeTime"}:
        (draw,) = lay.draws("cpu")
        cpu = age.astype(np.float32) * np.float32(2e4 / 50.0) * np.exp(draw) * _per_template("ws_mb", np.float32)[lay.tpl]
        out.update(KernelModeTime=(cpu * 0.4).astype(np.int64), UserModeTime=(cpu * 0.6).astype(np.int64))
    return out


def _scheduling(fleet: Fleet, lay: Layout, wanted: Wanted) -> Columns:
    return {"Priority": _per_template("priority", np.int32)[lay.tpl], "SessionId": _per_template("session", np.int32)[lay.tpl]}


def _text(column: str, per_template: Callable[[Proc], str | None]) -> Builder:
    """A string column gathered from the templates; paths and command lines get the user's name."""

    def build(fleet: Fleet, lay: Layout, wanted: Wanted) -> Columns:
        values = pl.Series(column, [per_template(t) for t in TEMPLATES], dtype=pl.String).gather(lay.tpl)
        if column in ("ExecutablePath", "CommandLine"):
            values = _with_users(values, fleet, lay)
        return {column: values}

    return build


def _command_line(proc: Proc) -> str | None:
    path, args = proc.path, proc.args
    if args is None or path is None:
        return None
    quoted = f'"{path}"' if " " in path or path.startswith("C:\\Program") else path
    return f"{quoted} {args}".rstrip()


def _with_users(values: pl.Series, fleet: Fleet, lay: Layout) -> pl.Series:
    """Put the signed-in user's name into the few values that hold ``{user}``."""
    user_tpl = [i for i, t in enumerate(TEMPLATES) if "{user}" in (t.path or "") + (t.args or "")]
    rows = np.flatnonzero(np.isin(lay.tpl, user_tpl))
    if rows.size == 0:
        return values
    users = pl.Series(fleet.sam.tolist(), dtype=pl.String).fill_null("Administrator").gather(lay.dev[rows])
    subset = pl.DataFrame({"v": values.gather(rows), "u": users})
    filled = subset.select(pl.col("v").str.replace_all("{user}", pl.col("u"), literal=True)).to_series()
    return values.scatter(rows, filled)


_BUILDERS: dict[str, Builder] = {
    "Name": _text("Name", lambda t: t.name),
    "ExecutablePath": _text("ExecutablePath", lambda t: t.path),
    "CommandLine": _text("CommandLine", _command_line),
    "Description": _text("Description", lambda t: t.description or None),
    "ProcessId": _ids, "ParentProcessId": _ids,
    "CreationDate": _times,
    **dict.fromkeys(("WorkingSetSize", "VirtualSize", "PageFileUsage", "ThreadCount", "HandleCount"), _sizes),
    "KernelModeTime": _times, "UserModeTime": _times,
    "Priority": _scheduling, "SessionId": _scheduling,
}


@generates("Process", by_column=True)
def process(request: Request) -> pl.DataFrame:
    """Every device's processes, with the columns ``request.columns`` names (all when None)."""
    lay = layout(request)
    wanted = frozenset(_BUILDERS if request.columns is None else request.columns)
    columns: Columns = {DEVICE: lay.dev}
    for name in (c for c in _BUILDERS if c in wanted):
        if name not in columns:  # a group may build a sibling too; keep only what was asked for
            columns.update({k: v for k, v in _BUILDERS[name](request.fleet, lay, wanted).items() if k in wanted})
    return pl.DataFrame([v.alias(k) if isinstance(v, pl.Series) else pl.Series(k, v) for k, v in columns.items()])


__all__ = ["Layout", "layout", "process"]

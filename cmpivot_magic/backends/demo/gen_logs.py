"""Time-windowed entities: EventLog, CcmLog, WinEvent and AppCrash.

Events are drawn one day at a time (day 0 = the last 24 hours before ``now``, day 1 the 24 before
that, ...), each day from its own seeded stream, so ``EventLog('System', 1h)`` is exactly the
last hour of ``EventLog('System', 7d)``; a log keeps ``retention_days`` of history (older
entries were overwritten, or the CCM log rolled over). Rows come out oldest first per device.
"""

from __future__ import annotations

import math
import re

import numpy as np
import polars as pl

from .fleet import Fleet
from .generators import DAY, DEVICE, Request, generates
from .log_data import CCM_LOGS, CRASHING_APPS, EVENT_LOG_WHO, EVENT_LOGS, WIN_EVENT_CHANNELS, Event, Log
from .randomness import guids, pick, stream

_CRASH_DAYS = 7


def who(fleet: Fleet, name: str) -> np.ndarray:
    """Devices a log source writes on."""
    if name == "all":
        return np.ones(fleet.n, dtype=bool)
    if name == "server":
        return fleet.is_server.copy()
    if name == "workstation":
        return ~fleet.is_server
    if name == "dc":
        return fleet.role == "DC"
    if name == "laptop":
        return fleet.form == "Laptop"
    if name == "no-boundary":
        return ~fleet.in_boundary
    if name == "m365":
        return fleet.has("m365") | fleet.has("m365-rds")
    if name == "crashy":
        return crash_rate(fleet) > 0.5
    if name == "sql":
        return np.isin(fleet.role, ["SQL", "CM"])
    raise ValueError(f"unknown log source scope {name!r}")


def crash_rate(fleet: Fleet) -> np.ndarray:
    """Application crashes per day: most devices rarely, a few crash-prone ones often."""
    return 0.35 * stream(fleet.seed, "logs", "crashiness").lognormal(-1.0, 1.3, fleet.n)


def _scale(fleet: Fleet, label: str) -> np.ndarray:
    return stream(fleet.seed, "logs", "scale", label).lognormal(0.0, 0.45, fleet.n)


def draw_events(fleet: Fleet, label: str, log: Log, span: int) -> pl.DataFrame:
    """Events of ``log`` within ``span`` seconds: _dev, age, level, source, event_id, message, file."""
    days = min(math.ceil(span / DAY), log.retention_days)
    devs, ages, kinds = [], [], []
    events: list[Event] = []
    for index, source in enumerate(log.sources):
        rate = source.rate * _scale(fleet, f"{label}/{index}") * who(fleet, source.who)
        weights = [e.weight for e in source.events]
        for day in range(days):
            rng = stream(fleet.seed, "logs", label, index, day)
            counts = rng.poisson(rate)
            dev = np.repeat(np.arange(fleet.n), counts)
            devs.append(dev)
            ages.append(day * DAY + rng.integers(0, DAY, dev.size))
            kinds.append(len(events) + pick(rng, dev.size, weights))
        events.extend(source.events)
    if not devs:
        return _empty_events()
    frame = pl.DataFrame({DEVICE: np.concatenate(devs).astype(np.int32), "age": np.concatenate(ages),
                          "kind": np.concatenate(kinds).astype(np.int32)})
    frame = frame.filter(pl.col("age") < span).sort([DEVICE, "age"], descending=[False, True])
    return _attach(fleet, frame, events)


def _empty_events() -> pl.DataFrame:
    return pl.DataFrame(schema={DEVICE: pl.Int32, "age": pl.Int64, "level": pl.String, "source": pl.String,
                                "event_id": pl.Int64, "message": pl.String, "file": pl.String})


_PLACEHOLDER = re.compile(r"\{(user|name)\}")
_MAX_FIELDS = 3


def _attach(fleet: Fleet, frame: pl.DataFrame, events: list[Event]) -> pl.DataFrame:
    """Join each row's event template; ``{user}``/``{name}`` become the row's device user / name.

    Messages are split into fixed text and up to three fields per template, then concatenated per
    row, which is much faster than replacing text in every row."""
    texts: list[list[str]] = [[] for _ in range(_MAX_FIELDS + 1)]
    fields: list[list[int]] = [[] for _ in range(_MAX_FIELDS)]
    for event in events:
        pieces = _PLACEHOLDER.split(event.message)
        for i in range(_MAX_FIELDS + 1):
            texts[i].append(pieces[2 * i] if 2 * i < len(pieces) else "")
        for i in range(_MAX_FIELDS):
            kind = pieces[2 * i + 1] if 2 * i + 1 < len(pieces) else ""
            fields[i].append({"user": 1, "name": 2}.get(kind, 0))
    table = pl.DataFrame({
        "kind": pl.Series(range(len(events)), dtype=pl.Int32),
        "level": [e.level for e in events], "source": [e.source for e in events],
        "event_id": pl.Series([e.event_id for e in events], dtype=pl.Int64), "file": [e.file for e in events],
        **{f"t{i}": texts[i] for i in range(_MAX_FIELDS + 1)},
        **{f"f{i}": pl.Series(fields[i], dtype=pl.Int8) for i in range(_MAX_FIELDS)},
    })
    frame = frame.join(table, on="kind", how="left", maintain_order="left")
    users = pl.Series(fleet.sam.tolist(), dtype=pl.String).fill_null("SYSTEM").gather(frame[DEVICE])
    names = pl.Series(fleet.name.tolist(), dtype=pl.String).gather(frame[DEVICE])
    parts: list[pl.Expr] = [pl.col("t0")]
    for i in range(_MAX_FIELDS):
        if not any(fields[i]):
            parts.append(pl.col(f"t{i + 1}"))
            continue
        value = (pl.when(pl.col(f"f{i}") == 1).then(pl.lit(users)).when(pl.col(f"f{i}") == 2).then(pl.lit(names))
                 .otherwise(pl.lit("")))
        parts.extend([value, pl.col(f"t{i + 1}")])
    return frame.select(DEVICE, "age", "level", "source", "event_id", pl.concat_str(parts).alias("message"), "file")


def crashes(fleet: Fleet, span: int) -> pl.DataFrame:
    """Application Error 1000 events: _dev, age, app, version, report."""
    days = min(math.ceil(span / DAY), 60)
    rate = crash_rate(fleet)
    parts = []
    for day in range(days):
        rng = stream(fleet.seed, "logs", "crash", day)
        counts = rng.poisson(rate)
        dev = np.repeat(np.arange(fleet.n), counts)
        app = pick(rng, dev.size, [a[2] for a in CRASHING_APPS])
        parts.append(pl.DataFrame({
            DEVICE: dev.astype(np.int32), "age": day * DAY + rng.integers(0, DAY, dev.size),
            "app": pl.Series([a[0] for a in CRASHING_APPS]).gather(app),
            "version": pl.Series([a[1] for a in CRASHING_APPS]).gather(app),
            "report": guids(rng, dev.size, upper=False),
        }))
    frame = pl.concat(parts) if parts else pl.DataFrame(
        schema={DEVICE: pl.Int32, "age": pl.Int64, "app": pl.String, "version": pl.String, "report": pl.String})
    return frame.filter(pl.col("age") < span).sort([DEVICE, "age"], descending=[False, True])


def _crash_events(fleet: Fleet, span: int) -> pl.DataFrame:
    c = crashes(fleet, span)
    message = pl.concat_str([
        pl.lit("Faulting application name: "), pl.col("app"), pl.lit(", version: "), pl.col("version"),
        pl.lit(", time stamp: 0x66f5a3c1\r\nFaulting module name: ntdll.dll, version: 10.0.22621.4391, "
               "time stamp: 0x8e1b2c3d\r\nException code: 0xc0000005\r\nFault offset: 0x000000000002f1b6\r\n"
               "Report Id: "), pl.col("report"),
    ])
    return c.select(DEVICE, "age", pl.lit("Error").alias("level"), pl.lit("Application Error").alias("source"),
                    pl.lit(1000, pl.Int64).alias("event_id"), message.alias("message"), pl.lit("").alias("file"))


def event_log_error(fleet: Fleet, position: int, log: str) -> str | None:
    """Get-EventLog's error for a log this device doesn't have, or None."""
    key = log.lower()
    scope = EVENT_LOG_WHO.get(key)
    if key in EVENT_LOGS and (scope is None or who(fleet, scope)[position]):
        return None
    return f"The event log '{log}' on computer '.' does not exist."


def _classic(fleet: Fleet, log: str, span: int) -> pl.DataFrame:
    key = log.lower()
    spec = EVENT_LOGS.get(key)
    if spec is None:
        return _empty_events()
    frame = draw_events(fleet, f"eventlog/{key}", spec, span)
    if key == "application":
        frame = pl.concat([frame, _crash_events(fleet, span)]).sort([DEVICE, "age"], descending=[False, True])
    return frame


@generates("EventLog")
def event_log(request: Request) -> pl.DataFrame:
    log, span = request.args
    frame = _classic(request.fleet, log, span)
    return frame.select(DEVICE, pl.col("age").alias("DateTime"), pl.col("level").alias("EntryType"),
                        pl.col("source").alias("Source"), pl.col("event_id").alias("EventID"),
                        pl.col("message").alias("Message"))


@generates("WinEvent")
def win_event(request: Request) -> pl.DataFrame:
    channel, span = request.args
    key = channel.lower()
    if key in EVENT_LOGS:
        frame = _classic(request.fleet, channel, span)
        level = pl.col("level").replace({"SuccessAudit": "Information", "FailureAudit": "Information"})
    elif key in WIN_EVENT_CHANNELS:
        frame = draw_events(request.fleet, f"winevent/{key}", WIN_EVENT_CHANNELS[key], span)
        level = pl.col("level")
    else:
        frame, level = _empty_events(), pl.col("level")
    return frame.select(DEVICE, pl.col("age").alias("DateTime"), level.alias("LevelDisplayName"),
                        pl.col("source").alias("ProviderName"), pl.col("event_id").alias("ID"),
                        pl.col("message").alias("Message"))


@generates("CcmLog")
def ccm_log(request: Request) -> pl.DataFrame:
    log, span = request.args
    spec = CCM_LOGS.get(log.lower())
    if spec is None:
        return _empty_events()
    frame = draw_events(request.fleet, f"ccmlog/{log.lower()}", spec, span)
    threads = stream(request.fleet.seed, "logs", "threads", log.lower()).integers(1000, 24000, (request.fleet.n, 4))
    thread = threads[frame[DEVICE].to_numpy(), frame["age"].to_numpy() % 4]   # fixed per event, whatever the span
    return frame.select(
        DEVICE, pl.col("message").alias("LogText"), pl.col("age").alias("DateTime"),
        pl.col("source").alias("Component"), pl.lit("").alias("Context"),
        pl.col("level").cast(pl.Int64).alias("Type"), pl.Series("Thread", thread, dtype=pl.Int64),
        pl.col("file").alias("File"),
    )


@generates("AppCrash")
def app_crash(request: Request) -> pl.DataFrame:
    frame = crashes(request.fleet, _CRASH_DAYS * DAY)
    return frame.select(DEVICE, pl.col("app").alias("FileName"), pl.col("version").alias("Version"),
                        pl.col("report").alias("ReportId"), pl.col("age").alias("DateTime"))

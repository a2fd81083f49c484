"""The device/global split of a plan: how many leading steps each device evaluates on its own.

ConfigMgr clients evaluate a query's device part with their own entity tables (§3.3); the session
evaluates the rest over the union of their rows. The device part is the longest prefix of
operators that keep each row with its device, extended to the last join whose right side reads an
entity (decision 16): on a device every entity's rows are that device's own, so such a join can
only run there, and the operators before it (take, top, order by, distinct, summarize, count) then
apply per device — ``Plan.per_device`` tells the engine to run that part device by device.
"""

from __future__ import annotations

from ..language import nodes as n
from . import plan as p
from .ir import Col


def narrow_device_part(steps: list[p.PlanStep], device_steps: int,
                        device_ops: int) -> tuple[int, tuple[str, ...]]:
    """When the global part starts by narrowing the rows (summarize, project, distinct, count)
    and reads only some columns, each device sends only those: less data over the wire and
    less risk of the 128 KB cap. The answer is unchanged."""
    first = steps[device_steps].step
    if not isinstance(first, p.Summarize | p.Select | p.Distinct | p.CountRows):
        return device_steps, ()
    schema = steps[device_steps - 1].schema
    needed = p.referenced_columns(steps[device_steps:])
    keep = [(c, t) for c, t in schema.columns if c in needed or c == schema.device]
    visible = tuple(c for c, _ in keep if c != p.HIDDEN_DEVICE)
    if len(keep) == len(schema.columns) or not visible:
        return device_steps, ()
    select = p.Select(tuple((c, Col(c, t)) for c, t in keep))
    steps.insert(device_steps, p.PlanStep(select, p.Schema(tuple(keep), schema.device), device_ops - 1))
    return device_steps + 1, visible


def device_split(steps: list[p.PlanStep], pipeline: n.Pipeline) -> tuple[int, int, bool]:
    """How many steps (and query operators) each device evaluates, and whether it must evaluate
    them on its own rows alone (``Plan.per_device``).

    The device part is the longest prefix of operators each device can evaluate alone (§3.3),
    extended to the last join whose right side reads an entity (decision 16): on a device
    every entity's rows are that device's own, so such a join can only run there, and the
    operators before it (take, top, order by, distinct, summarize, count) then apply per device.
    """
    if _entity_source(pipeline) is None:
        return 0, 0, False
    cut_op = len(pipeline.operators)
    for s in steps:
        if s.operator >= 0 and not p.device_local(s):
            cut_op = s.operator
            break
    last_entity_join = max(
        (s.operator for s in steps if s.operator >= 0 and _reads_entity(s.step)), default=-1
    )
    cut_op = max(cut_op, last_entity_join + 1)
    device = [s for s in steps if s.operator < cut_op]
    render_last = pipeline.operators and isinstance(pipeline.operators[-1], n.Render)
    ops = min(cut_op, len(pipeline.operators) - (1 if render_last else 0))
    return len(device), ops, not _partition_free(device)


def _partition_free(steps: list[p.PlanStep] | tuple[p.PlanStep, ...]) -> bool:
    """Whether ``steps`` (joined right sides included) may run once over many devices' rows."""
    for s in steps:
        if not _source_local(s):
            return False
        if isinstance(s.step, p.Join) and not _partition_free(s.step.right.steps):
            return False
    return True


def _source_local(s: p.PlanStep) -> bool:
    """A source step (scan, constant rows) or a device-local operator."""
    return isinstance(s.step, p.Scan | p.Values | p.Generate) or p.device_local(s)


def _reads_entity(step: p.Step) -> bool:
    """A join whose right side reads an entity (decision 16)."""
    return isinstance(step, p.Join) and any(True for _ in step.right.scans())


def _entity_source(pipeline: n.Pipeline) -> n.EntityRef | None:
    """The entity a pipeline reads first, looking through parenthesised sources."""
    src: n.Source | n.Pipeline = pipeline.source
    while isinstance(src, n.Pipeline):
        src = src.source
    return src if isinstance(src, n.EntityRef) else None


__all__ = ["device_split", "narrow_device_part"]

"""ResultsExplorer driven headless: tabs, pivot to selected devices, retry of only the devices that
did not answer, back and close.

Retries need devices that were down and are now up. The demo site expresses that as the same
fleet (same seed and size, so the same names, ids and inventory) with different failure rates:
``FLAKY`` has offline and failing devices, ``HEALTHY`` has none.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import ipywidgets as w
import pandas as pd
import pytest

import cmpivot_magic
from cmpivot_magic import QueryResult, Session
from cmpivot_magic.widgets import ResultsExplorer
from cmpivot_magic.widgets.picker import _descendants

FLAKY = "demo://?devices=50&seed=7&offline=0.3&failure=0.1&clock=virtual"
HEALTHY = "demo://?devices=50&seed=7&offline=0&failure=0&clock=virtual"


class Recording(Session):
    """The healthy session, noting which devices each submit targets (the real submit still runs)."""

    def __init__(self, session: Session) -> None:
        super().__init__(session.backend, session.history)
        self.session = session
        self.calls: list[tuple[str, ...]] = []

    def submit(self, query: Any, *, devices: Sequence[str] | str | None = None, **kwargs: Any) -> Any:
        self.calls.append(tuple(devices or ()))
        return super().submit(query, devices=devices, **kwargs)


@pytest.fixture(scope="module")
def flaky() -> Session:
    return cmpivot_magic.connect(FLAKY)


@pytest.fixture
def healthy() -> Recording:
    return Recording(cmpivot_magic.connect(HEALTHY))


def html_of(out: w.Output) -> str:
    return "".join(o["data"].get("text/html", "") for o in out.outputs)


def not_answered(result: QueryResult) -> set[str]:
    return set(result.status.loc[result.status["Status"].isin(["Offline", "Failed"]), "Device"])


def test_tabs_show_results_status_chart_and_query(flaky: Session) -> None:
    result = flaky.run("OperatingSystem | summarize count() by Caption | render piechart")
    explorer = ResultsExplorer(result, flaky)
    assert explorer.tabs.titles == ("Results", "Status", "Chart", "Query")
    assert result.summary in explorer.title.value
    table = html_of(explorer.results_out)
    assert "<table" in table and result.caption() in table and "Microsoft Windows" in table
    status = html_of(explorer.status_out)
    assert "50 devices:" in status and "Offline" in status
    chart = explorer.chart.children[0]
    assert isinstance(chart, w.Image) and chart.format == "png" and chart.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert "summarize count() by Caption" in explorer.query_view.value
    assert "device part" in explorer.query_view.value and "global part" in explorer.query_view.value


def test_a_query_without_render_gets_a_note_not_a_chart(flaky: Session) -> None:
    explorer = ResultsExplorer(flaky.run("OperatingSystem | project Device, Caption"), flaky)
    note = explorer.chart.children[0]
    assert isinstance(note, w.HTML) and "render piechart" in note.value


def test_pivot_runs_the_next_query_on_the_selected_devices(flaky: Session, healthy: Recording) -> None:
    first = flaky.run("OperatingSystem | project Device, Caption")
    explorer = ResultsExplorer(first, healthy)
    picked = tuple(first.df["Device"][:2])
    explorer.pivot_devices.selected = picked
    explorer.pivot_query.value = "Process | summarize count() by Device"
    explorer.pivot_button.click()
    assert healthy.calls == [picked]
    assert tuple(explorer.result.status["Device"]) == picked
    assert set(explorer.result.df["Device"]) == set(picked)
    assert explorer.message.value == "" and not explorer.back_button.disabled
    explorer.back_button.click()
    assert explorer.result is first and explorer.back_button.disabled


def test_pivot_without_devices_says_so_in_the_explorer(flaky: Session) -> None:
    explorer = ResultsExplorer(flaky.run("OperatingSystem | project Device"), flaky)
    explorer.pivot_query.value = "Process"
    explorer.pivot_button.click()
    assert "no devices are selected to pivot to" in explorer.message.value
    assert not explorer.pivot_button.disabled


def test_retry_targets_only_offline_and_failed_devices_and_merges_their_rows(
        flaky: Session, healthy: Recording) -> None:
    first = flaky.run("OperatingSystem | project Device, Caption", live_only=True)  # no inventory rows to replace
    down = not_answered(first)
    assert down and len(down) < 50
    explorer = ResultsExplorer(first, healthy)
    assert explorer.retry_button.description.startswith(f"Retry {len(down)} devices (")
    explorer.retry_button.click()
    assert [set(c) for c in healthy.calls] == [down]
    merged = explorer.result
    assert merged.summary.startswith("Query completed on 50 of 50 clients")
    assert set(merged.df["Device"]) == set(first.df["Device"]) | down
    assert len(merged.df) == len(first.df) + len(down)
    assert merged.status["Device"].tolist() == first.status["Device"].tolist()  # the target order is kept
    assert explorer.retry_button.disabled and "Every device answered" in explorer.retry_note.value


def test_retry_recombines_the_global_part_exactly(flaky: Session, healthy: Recording) -> None:
    """The result keeps each device's replies, so ``summarize`` over the merged answer equals a
    clean run on every device, and only the devices that did not answer are asked again."""
    query = "OperatingSystem | summarize count() by Caption"
    explorer = ResultsExplorer(flaky.submit(query), healthy)
    down = not_answered(explorer.result)
    merged = explorer.retry()
    assert [set(c) for c in healthy.calls] == [down]
    clean = healthy.session.run(query)

    def by_caption(df: pd.DataFrame) -> pd.DataFrame:
        return df.sort_values("Caption").reset_index(drop=True)

    pd.testing.assert_frame_equal(by_caption(merged.df), by_caption(clean.df))
    assert merged.status["Status"].eq("Completed").all()


def test_retry_is_refused_for_a_result_no_session_made(flaky: Session) -> None:
    made = flaky.run("OperatingSystem | summarize count() by Caption")
    explorer = ResultsExplorer(dataclasses.replace(made, targets=(), now=None), flaky)
    assert explorer.retry_button.disabled
    assert "not made by a session" in explorer.retry_note.value


def test_without_a_session_the_operations_own_is_used(flaky: Session) -> None:
    explorer = ResultsExplorer(flaky.submit("OperatingSystem | project Device"))
    first = explorer.result
    explorer.pivot("OperatingSystem | project Device, Caption", devices=list(first.df["Device"][:1]))
    assert explorer.session is flaky and len(explorer.result.df) == 1


def test_without_a_session_a_result_connects_to_its_own_connection(flaky: Session) -> None:
    """A result is a value without a session: the explorer connects to the URL it came from."""
    first = flaky.run("OperatingSystem | project Device")
    explorer = ResultsExplorer(first)
    explorer.pivot("OperatingSystem | project Device, Caption", devices=list(first.df["Device"][:1]))
    assert isinstance(explorer.session, Session) and explorer.session.url == FLAKY
    assert len(explorer.result.df) == 1


def test_close_closes_every_widget(flaky: Session) -> None:
    explorer = ResultsExplorer(flaky.run("OperatingSystem | project Device"), flaky)
    parts = _descendants(explorer.widget)
    explorer.close_button.click()
    assert explorer.closed and all(part.comm is None for part in parts)
    assert explorer.text() == "ResultsExplorer (closed)"


def test_plain_text_fallback_is_the_result(flaky: Session) -> None:
    result = flaky.run("OperatingSystem | project Device, Caption")
    bundle = ResultsExplorer(result, flaky)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith(f"ResultsExplorer\n{result.summary}")

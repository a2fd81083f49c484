"""The chart layer: each rule of ``cmpivot_magic.render.charts`` (its module docstring), one test
each, asserting the artists matplotlib holds after ``draw``. Frames are the shapes the sample
queries of §10 produce; a few run the whole query through ``evaluate`` first."""

from __future__ import annotations

import datetime as dt
import io

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle, Wedge

import cmpivot_magic as cm
from cmpivot_magic.engine.plan import RenderSpec
from cmpivot_magic.render import SUPPORTED_KINDS, ChartError, draw, make_figure

NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


def spec(chart_kind: str, /, **props: object) -> RenderSpec:
    """``render chart_kind with (props)``; ``kind=`` is the stacking property, as in the query."""
    return RenderSpec(chart_kind, tuple(props.items()))


def chart(df: pd.DataFrame, chart_kind: str, /, **props: object) -> Axes:
    return draw(Figure().add_subplot(), df, spec(chart_kind, **props))


def bars(ax: Axes) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def legend_texts(ax: Axes) -> list[str] | None:
    legend = ax.get_legend()
    return None if legend is None else [t.get_text() for t in legend.get_texts()]


def xs(line: Line2D) -> list[float]:
    return np.asarray(line.get_xdata(), dtype=float).tolist()


def ys(line: Line2D) -> list[float]:
    return np.asarray(line.get_ydata(), dtype=float).tolist()


def top(area: PolyCollection) -> float:
    """The highest point of a filled area."""
    return float(np.asarray(area.get_paths()[0].vertices)[:, 1].max())


def tick_texts(ax: Axes, axis: str) -> list[str]:
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels]


# ------------------------------------------------------------------------------------ frames


def os_captions() -> pd.DataFrame:
    """D17: OperatingSystem | summarize count() by Caption | order by count_ asc."""
    return pd.DataFrame({
        "Caption": ["Microsoft Windows Server 2022 Standard", "Microsoft Windows 10 Enterprise",
                    "Microsoft Windows 11 Enterprise"],
        "count_": pd.array([1, 2, 3], dtype="Int64"),
    })


def boot_times() -> pd.DataFrame:
    """D19: SystemStartTime and four numeric series, newest first, UTC."""
    return pd.DataFrame({
        "SystemStartTime": pd.to_datetime(["2026-11-22 07:55:00", "2026-11-21 09:10:30", "2026-11-20 08:01:02"],
                                          utc=True),
        "BootDuration": pd.array([28000, 35000, 30000], dtype="Int64"),
        "OSStart": pd.array([8000, 9500, 9000], dtype="Int64"),
        "GPDuration": [3000.0, 5000.0, 4000.0],
        "UpdateDuration": pd.array([0, 2000, 1000], dtype="Int64"),
    })


def boot_buckets() -> pd.DataFrame:
    """D21: summarize count() by bin(LastBootUpTime, 1d), rows in no particular order."""
    days = pd.to_datetime(["2026-11-22", "2026-11-19", "2026-11-21", "2026-11-20"], utc=True)
    return pd.DataFrame({"LastBootUpTime": days, "count_": pd.array([4, 1, 7, 2], dtype="Int64")})


def boot_buckets_by_model() -> pd.DataFrame:
    """summarize count() by bin(LastBootUpTime, 1d), Model: one line per model."""
    days = pd.to_datetime(["2026-11-20", "2026-11-20", "2026-11-19", "2026-11-21", "2026-11-19"], utc=True)
    return pd.DataFrame({
        "LastBootUpTime": days,
        "Model": ["Latitude 7420", "Surface Pro 8", "Latitude 7420", "Latitude 7420", "Surface Pro 8"],
        "count_": pd.array([3, 2, 5, 1, 4], dtype="Int64"),
    })


def disk_free() -> pd.DataFrame:
    """D23: LogicalDisk | summarize sum(FreeSpace) by Device | order by sum_ desc."""
    return pd.DataFrame({"Device": ["PC-07", "PC-02", "PC-11"], "sum_": pd.array([512000, 230400, 1024], dtype="Int64")})


def status_by_os() -> pd.DataFrame:
    """Two numeric series per category (devices online / offline per OS)."""
    return pd.DataFrame({"OS": ["Windows 10", "Windows 11"], "Online": [30, 50], "Offline": [10, 50]})


# ------------------------------------------------------------------------------------ bars


def test_barchart_draws_horizontal_bars_first_row_on_top() -> None:
    """§7.1: barchart = horizontal bars, x = first column, bar length = the numeric column; the
    bars keep the result's order with the first row on top, as the table reads (D17)."""
    ax = chart(os_captions(), "barchart")
    rects = bars(ax)
    assert [r.get_width() for r in rects] == [1, 2, 3]
    assert all(r.get_height() == pytest.approx(0.8) for r in rects)
    assert tick_texts(ax, "y") == list(os_captions()["Caption"])
    assert ax.yaxis_inverted()
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("Caption", "count_")
    assert ax.get_legend() is None


def test_barchart_from_the_engine_d17() -> None:
    """The spec and the frame as the pipeline hands them over: D17 run through evaluate."""
    query = cm.parse("OperatingSystem\n| summarize count() by Caption\n| order by count_ asc\n| render barchart")
    tables = {"OperatingSystem": pd.DataFrame({
        "Device": ["PC1", "PC2", "PC3", "PC4"],
        "Caption": ["Windows 11", "Windows 10", "Windows 11", "Windows 11"]})}
    df = cm.evaluate(query, tables, now=NOW)
    assert query.plan.render is not None
    ax = draw(Figure().add_subplot(), df, query.plan.render)
    assert tick_texts(ax, "y") == ["Windows 10", "Windows 11"]
    assert [r.get_width() for r in bars(ax)] == [1, 3]


def test_columnchart_draws_vertical_bars() -> None:
    """§7.1: columnchart = vertical bars, first row on the left (D23)."""
    ax = chart(disk_free(), "columnchart")
    rects = bars(ax)
    assert [r.get_height() for r in rects] == [512000, 230400, 1024]
    assert all(r.get_width() == pytest.approx(0.8) for r in rects)
    assert [r.get_x() + r.get_width() / 2 for r in rects] == [0, 1, 2]
    assert tick_texts(ax, "x") == ["PC-07", "PC-02", "PC-11"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Device", "sum_")


def test_with_titles_name_the_category_and_value_axes() -> None:
    """§7.2: title, xtitle, ytitle; xtitle names the category axis and ytitle the value axis,
    whichever way the bars run (HUB15 barchart, HUB18 columnchart)."""
    versions = pd.DataFrame({"Column1": ["Windows 10 Enterprise (21H2)", "Windows 11 Pro"], "count_": [40, 12]})
    ax = chart(versions, "barchart", title="Windows Version Summarization", xtitle="Versions",
               ytitle="Number of Devices")
    assert ax.get_title() == "Windows Version Summarization"
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("Versions", "Number of Devices")
    teams = pd.DataFrame({"Version": ["1.5.00.8070", "1.6.00.1381"], "count_": [7, 19]})
    ax = chart(teams, "columnchart", title="Teams versions", ytitle="Count")
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("Teams versions", "Version", "Count")


def test_stacked_barchart_stacks_each_series_on_the_last_d19() -> None:
    """§7.1 (1906): kind=stacked draws each further numeric column as a series stacked on the
    previous ones; a null value adds nothing to its stack (D19 through evaluate)."""
    query = cm.parse(
        "SystemBootData\n| where Device == 'MyDevice'\n"
        "| project SystemStartTime, BootDuration, OSStart=EventLogStart, GPDuration, UpdateDuration\n"
        "| order by SystemStartTime desc\n"
        "| render barchart with (kind=stacked, title='Boot times for MyDevice', ytitle='Time (ms)')")
    raw = boot_times().rename(columns={"OSStart": "EventLogStart"})
    raw["GPDuration"] = [None, 5000.0, 4000.0]
    raw.insert(0, "Device", "MyDevice")
    df = cm.evaluate(query, {"SystemBootData": raw}, now=NOW)
    assert query.plan.render is not None
    ax = draw(Figure().add_subplot(), df, query.plan.render)
    assert len(bars(ax)) == 4 * 3 - 1
    assert ax.get_title() == "Boot times for MyDevice"
    assert ax.get_xlabel() == "Time (ms)"
    assert legend_texts(ax) == ["BootDuration", "OSStart", "GPDuration", "UpdateDuration"]
    assert tick_texts(ax, "y") == ["2026-11-22 07:55:00", "2026-11-21 09:10:30", "2026-11-20 08:01:02"]
    # the UpdateDuration bar of each row starts where the three before it end
    update = ax.containers[-1]
    expected_lefts = [28000 + 8000 + 0, 35000 + 9500 + 5000, 30000 + 9000 + 4000]
    assert [r.get_x() for r in update] == expected_lefts


def test_stacked_columnchart_bottoms() -> None:
    """kind=stacked on columns: each series' bottom is the sum of the ones below it."""
    ax = chart(status_by_os(), "columnchart", kind="stacked")
    online, offline = ax.containers
    assert [r.get_y() for r in online] == [0, 0]
    assert [r.get_y() for r in offline] == [30, 50]
    assert [r.get_height() for r in offline] == [10, 50]


def test_unstacked_bars_stand_side_by_side() -> None:
    """kind=default (= unstacked, §7.2): one bar per series for each x, side by side."""
    for kind in ("default", "unstacked"):
        ax = chart(status_by_os(), "columnchart", kind=kind)
        online, offline = ax.containers
        assert [r.get_width() for r in online] == [pytest.approx(0.4)] * 2
        assert [r.get_x() + r.get_width() / 2 for r in online] == pytest.approx([-0.2, 0.8])
        assert [r.get_x() + r.get_width() / 2 for r in offline] == pytest.approx([0.2, 1.2])
        assert all(r.get_y() == 0 for r in [*online, *offline])
        assert legend_texts(ax) == ["Online", "Offline"]


def test_stacked100_makes_each_x_sum_to_100() -> None:
    """kind=stacked100: each x's stack is normalised to 100 %."""
    ax = chart(status_by_os(), "barchart", kind="stacked100")
    online, offline = ax.containers
    totals = [a.get_width() + b.get_width() for a, b in zip(online, offline, strict=True)]
    assert totals == pytest.approx([100, 100])
    assert [r.get_width() for r in online] == pytest.approx([75, 50])
    assert ax.get_xlim() == (0, 100)
    assert ax.get_xlabel() == "% of total"


def test_more_than_50_categories_draws_the_50_largest_and_says_so() -> None:
    """More than 50 categories: the 50 largest are drawn, in the result's order, and the title
    ends with "(showing 50 of N categories)"; nothing is cut silently."""
    values = np.random.default_rng(7).permutation(np.arange(1, 61))
    df = pd.DataFrame({"ProductName": [f"App {v:02d}" for v in values], "dcount_": values})
    ax = chart(df, "barchart", title="Apps")
    assert len(bars(ax)) == 50
    assert min(r.get_width() for r in bars(ax)) == 11
    assert tick_texts(ax, "y") == [f"App {v:02d}" for v in values if v > 10]
    assert ax.get_title() == "Apps (showing 50 of 60 categories)"
    assert chart(df.head(50), "columnchart").get_title() == ""
    assert chart(df, "columnchart").get_title() == "showing 50 of 60 categories"


def test_null_category_shows_as_null_and_null_values_are_skipped() -> None:
    """A null x label is drawn as "(null)"; a null value draws no bar."""
    df = pd.DataFrame({"Manufacturer": ["Dell Inc.", None, "HP"], "count_": pd.array([4, 2, None], dtype="Int64")})
    ax = chart(df, "columnchart")
    assert tick_texts(ax, "x") == ["Dell Inc.", "(null)", "HP"]
    assert [r.get_height() for r in bars(ax)] == [4, 2]


def test_numeric_x_labels_read_as_numbers() -> None:
    """D14: a numeric x (QuickScanAge) labels its bars with the numbers, whole floats without ".0"."""
    df = pd.DataFrame({"QuickScanAge": [12.0, 3.0, 0.0], "DeviceCount": [2, 5, 40]})
    assert tick_texts(chart(df, "barchart"), "y") == ["12", "3", "0"]


def test_a_single_numeric_column_draws_one_bar_named_after_it() -> None:
    """A result with one numeric column and no x (summarize count()) draws one bar labelled with
    the column name."""
    ax = chart(pd.DataFrame({"count_": pd.array([42], dtype="Int64")}), "columnchart")
    assert [r.get_height() for r in bars(ax)] == [42]
    assert tick_texts(ax, "x") == ["count_"]
    ax = chart(pd.DataFrame({"count_": [42]}), "piechart")
    assert len([p for p in ax.patches if isinstance(p, Wedge)]) == 1


def test_xcolumn_and_ycolumns_choose_the_roles() -> None:
    """§7.2: xcolumn names the x column and ycolumns (comma-separated) the values."""
    df = pd.DataFrame({"Online": [30, 50], "OS": ["Windows 10", "Windows 11"], "Offline": [10, 50]})
    ax = chart(df, "columnchart", xcolumn="os", ycolumns="Offline")
    assert tick_texts(ax, "x") == ["Windows 10", "Windows 11"]
    assert [r.get_height() for r in bars(ax)] == [10, 50]


def test_accumulate_ymin_ymax_and_log_axis() -> None:
    """KQL's accumulate adds each value to its predecessors; ymin/ymax bound the value axis;
    yaxis=log makes it logarithmic."""
    ax = chart(disk_free(), "columnchart", accumulate=True, ymin=1, ymax=1e6, yaxis="log")
    assert [r.get_height() for r in bars(ax)] == [512000, 742400, 743424]
    assert ax.get_ylim() == (1, 1e6)
    assert ax.get_yscale() == "log"


# ------------------------------------------------------------------------------------ pie


def test_piechart_one_wedge_per_label_sized_by_the_first_numeric_column() -> None:
    """§7.1: piechart labels = first column, sizes = first numeric column (D22, HUB12); wedges
    run clockwise from the top in the result's order; a null size is skipped."""
    df = pd.DataFrame({"FullBuild": ["19045.4529", "22631.3880", "22631.4037", "10.0.1"],
                       "count_": [10.0, 30.0, 60.0, None], "avg_": [1.0, 2.0, 3.0, 4.0]})
    ax = chart(df, "piechart", title="Windows CUs")
    wedges = [p for p in ax.patches if isinstance(p, Wedge)]
    assert len(wedges) == 3
    spans = [(w.theta2 - w.theta1) % 360 for w in wedges]
    assert spans == pytest.approx([36, 108, 216])
    assert {t.get_text() for t in ax.texts} >= {"19045.4529", "22631.3880", "22631.4037"}
    assert ax.get_title() == "Windows CUs"
    assert ax.get_legend() is None
    ax = chart(df, "piechart", legend="visible")
    assert legend_texts(ax) == ["19045.4529", "22631.3880", "22631.4037"]


def test_piechart_two_rows_d13() -> None:
    """D13: Yes/No with DeviceCount → two wedges."""
    df = pd.DataFrame({"IsAADJoined": ["Yes", "No"], "DeviceCount": pd.array([180, 20], dtype="Int64")})
    assert len([p for p in chart(df, "piechart").patches if isinstance(p, Wedge)]) == 2


# ------------------------------------------------------------------------------------ lines


def test_timechart_draws_one_line_sorted_by_time() -> None:
    """§7.1: timechart = a line over a datetime x, sorted by x, with a date axis (UTC) (D21)."""
    ax = chart(boot_buckets(), "timechart")
    assert len(ax.lines) == 1
    days = mdates.date2num(np.asarray(ax.lines[0].get_xdata()))
    assert np.all(np.diff(days) > 0)
    assert ys(ax.lines[0]) == [1, 2, 7, 4]
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    assert ax.get_xlabel() == "LastBootUpTime (UTC)"
    assert ax.get_ylabel() == "count_"
    assert ax.get_legend() is None
    assert mdates.num2date(days[0]) == dt.datetime(2026, 11, 19, tzinfo=dt.UTC)


def test_timechart_with_a_series_column_draws_one_line_per_value() -> None:
    """§7.3: one extra string column beside x and a single numeric y is the series: one line per
    value, named in the legend (titled with the column)."""
    ax = chart(boot_buckets_by_model(), "timechart")
    assert [line.get_label() for line in ax.lines] == ["Latitude 7420", "Surface Pro 8"]
    latitude, surface = ax.lines
    assert ys(latitude) == [5, 3, 1]
    assert ys(surface) == [4, 2]
    assert legend_texts(ax) == ["Latitude 7420", "Surface Pro 8"]
    legend = ax.get_legend()
    assert legend is not None and legend.get_title().get_text() == "Model"
    assert ax.get_ylabel() == "count_"


def test_timechart_x_is_the_first_datetime_column() -> None:
    """§7.3: for timechart x = the first datetime column, even when it is not the first column."""
    df = boot_buckets_by_model()[["Model", "LastBootUpTime", "count_"]]
    ax = chart(df, "timechart")
    assert len(ax.lines) == 2
    assert ax.get_xlabel() == "LastBootUpTime (UTC)"


def test_legend_hidden_and_visible() -> None:
    """legend=hidden removes the legend of a many-series chart; legend=visible shows it for one."""
    assert chart(boot_buckets_by_model(), "timechart", legend="hidden").get_legend() is None
    assert legend_texts(chart(boot_buckets(), "timechart", legend="visible")) == ["count_"]
    assert chart(status_by_os(), "barchart", legend="hidden").get_legend() is None


def test_linechart_sorts_a_numeric_x_and_draws_each_numeric_column() -> None:
    """linechart (KQL): x = first column, one line per further numeric column, sorted by x."""
    df = pd.DataFrame({"QuickScanAge": [3, 1, 2], "Devices": [5, 40, 9], "Servers": [1, None, 2]})
    ax = chart(df, "linechart", xtitle="days since quick scan")
    devices, servers = ax.lines
    assert xs(devices) == [1, 2, 3]
    assert ys(devices) == [40, 9, 5]
    assert xs(servers) == [2, 3]
    assert legend_texts(ax) == ["Devices", "Servers"]
    assert ax.get_xlabel() == "days since quick scan"


def test_linechart_over_categories_keeps_the_result_order() -> None:
    """A string x on a linechart is categorical: one point per row, in the result's order."""
    df = pd.DataFrame({"Model": ["Surface Pro 8", "Latitude 7420", "EliteBook 840"], "avg_": [21.5, 34.0, 27.25]})
    ax = chart(df, "linechart")
    assert xs(ax.lines[0]) == [0, 1, 2]
    assert tick_texts(ax, "x") == ["Surface Pro 8", "Latitude 7420", "EliteBook 840"]


def test_stacked_areachart_stacks_the_series() -> None:
    """areachart with kind=stacked: each series' area sits on the ones below (per x)."""
    ax = chart(boot_buckets_by_model(), "areachart", kind="stacked")
    polys = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(polys) == 2
    highest = top(polys[1])
    assert highest == 5 + 4  # 2026-11-19: 5 Latitude + 4 Surface
    assert legend_texts(ax) == ["Latitude 7420", "Surface Pro 8"]


def test_stacked100_areachart_reaches_100() -> None:
    """areachart with kind=stacked100: the top of the stack is 100 % at every x."""
    ax = chart(status_by_os().assign(OS=[1, 2]), "areachart", kind="stacked100")
    polys = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert top(polys[-1]) == pytest.approx(100)


def test_unstacked_areachart_overlaps() -> None:
    """areachart by default: each area stands on the x-axis on its own."""
    ax = chart(status_by_os().assign(OS=[1, 2]), "areachart")
    polys = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert [top(p) for p in polys] == [50, 50]


def test_scatterchart_draws_points() -> None:
    """scatterchart (KQL): one point per row and numeric column; nulls skipped."""
    df = pd.DataFrame({"MemoryGB": [8, 16, 32], "BootSeconds": [41.0, None, 22.5]})
    ax = chart(df, "scatterchart")
    (points,) = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert np.asarray(points.get_offsets()).tolist() == [[8, 41.0], [32, 22.5]]


# ------------------------------------------------------------------------------------ edges


@pytest.mark.parametrize("kind", SUPPORTED_KINDS)
def test_an_empty_result_draws_no_rows(kind: str) -> None:
    """No rows: an empty axes that says "no rows" (the with-titles still apply)."""
    df = pd.DataFrame({"Caption": pd.Series([], dtype="str"), "count_": pd.Series([], dtype="Int64")})
    ax = chart(df, kind, title="OS")
    assert [t.get_text() for t in ax.texts] == ["no rows"]
    assert ax.get_title() == "OS"
    assert not ax.patches and not ax.lines


def test_all_null_values_say_so() -> None:
    """Rows whose values are all null draw a note instead of a blank chart."""
    df = pd.DataFrame({"Device": ["PC1", "PC2"], "sum_": [None, None]}).astype({"sum_": "float64"})
    assert [t.get_text() for t in chart(df, "columnchart").texts] == ["nothing to draw: every value is null"]


@pytest.mark.parametrize(("chart_kind", "frame", "props", "message"), [
    ("donutchart", os_captions(), {}, "unknown chart kind 'donutchart'; use one of barchart, columnchart, piechart, "
                                      "timechart, areachart, linechart, scatterchart"),
    ("barchart", pd.DataFrame({"A": ["x"], "B": ["y"]}), {},
     "barchart needs at least one numeric column after the first; this result has columns A:string, B:string"),
    ("timechart", os_captions(), {},
     "timechart needs a datetime column for its x-axis; this result has columns Caption:string, count_:long"),
    ("timechart", boot_buckets(), {"xcolumn": "count_"}, "timechart needs a datetime x-axis; count_ is long"),
    ("barchart", os_captions(), {"titel": "OS"}, "unknown render property 'titel'; use one of title, xtitle"),
    ("barchart", os_captions(), {"kind": "stacked3d"},
     "kind=stacked3d is not a choice; use kind= one of default, unstacked, stacked, stacked100"),
    ("barchart", os_captions(), {"legend": "shown"}, "legend=shown is not a choice; use legend= one of visible, hidden"),
    ("barchart", os_captions(), {"xcolumn": "Version"},
     "xcolumn 'Version' is not a column of this result; it has columns Caption:string, count_:long"),
    ("barchart", os_captions(), {"ycolumns": "count_,Caption"},
     "ycolumns names Caption, which is string; values must be numeric"),
    ("piechart", os_captions(), {"kind": "stacked"}, "kind=stacked does not apply to piechart"),
    ("timechart", boot_buckets(), {"kind": "stacked100"}, "kind=stacked100 does not apply to timechart"),
    ("columnchart", os_captions(), {"ymax": "lots"}, "ymax='lots' is not a number"),
    ("piechart", pd.DataFrame({"Delta": ["a", "b"], "n": [3, -1]}), {}, "piechart cannot draw negative values (b: -1)"),
    ("piechart", os_captions(), {"series": "Caption"}, "piechart has no series"),
])
def test_bad_input_raises_chart_error_saying_what_to_do(chart_kind: str, frame: pd.DataFrame,
                                                        props: dict[str, object], message: str) -> None:
    """A chart that cannot be drawn raises ChartError whose message names the problem and the fix."""
    with pytest.raises(ChartError) as err:
        chart(frame, chart_kind, **props)
    assert str(err.value).startswith(message)


def test_chart_error_is_a_cmpivot_error_with_a_hint() -> None:
    """ChartError belongs to the one hierarchy: a short message in IPython, with what to do."""
    with pytest.raises(cm.CMPivotError) as err:
        chart(pd.DataFrame({"A": ["x"], "B": ["y"]}), "barchart")
    assert isinstance(err.value, ChartError)
    assert "| summarize count() by A" in str(err.value)
    assert err.value._render_traceback_()[0].startswith("ChartError: barchart needs")


def test_make_figure_is_a_standalone_figure_that_saves_headless() -> None:
    """make_figure builds a Figure without pyplot (no global figure manager) that renders with Agg
    and shows in IPython as a PNG (``_repr_png_``) whatever the matplotlib backend."""
    figure = make_figure(boot_times(), spec("columnchart", kind="stacked"), width=6, height=3)
    assert isinstance(figure, Figure)
    assert tuple(figure.get_size_inches()) == (6, 3)
    assert figure.canvas.manager is None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg")
    assert b"<svg" in buffer.getvalue()
    assert figure._repr_png_().startswith(b"\x89PNG")
    assert figure.to_png(dpi=50).startswith(b"\x89PNG")

"""The pandas boundary: ``frames.to_pandas`` hands out the frame pyarrow's ``Table.to_pandas``
would (nullable integers and booleans, UTC datetimes, pandas' text dtype), built column by column."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmpivot_magic.engine import frames as ev
from cmpivot_magic.engine.frames import polars_dtype
from cmpivot_magic.engine.plan import Schema
from cmpivot_magic.language.types import ScalarType

UTC = dt.UTC
VALUES: dict[ScalarType, st.SearchStrategy[Any]] = {
    ScalarType.BOOL: st.booleans(),
    ScalarType.INT: st.integers(-(2**31), 2**31 - 1),
    ScalarType.LONG: st.integers(-(2**63), 2**63 - 1),
    ScalarType.REAL: st.floats(allow_nan=True, allow_infinity=True),
    ScalarType.STRING: st.text(max_size=8),
    ScalarType.DATETIME: st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2200, 1, 1), timezones=st.just(UTC)),
    ScalarType.TIMESPAN: st.timedeltas(dt.timedelta(days=-3000), dt.timedelta(days=3000)),
    ScalarType.DYNAMIC: st.recursive(st.none() | st.integers(-100, 100) | st.text(max_size=4),
                                     lambda inner: st.lists(inner, max_size=3)
                                     | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                                     max_leaves=6).map(json.dumps),
}


def reference(frame: pl.DataFrame, schema: Schema) -> pd.DataFrame:
    """What pyarrow's whole-table conversion gives, with dynamic cells decoded."""
    out = frame.to_arrow().to_pandas(types_mapper=ev._ARROW_TO_PANDAS.get)
    for name, t in schema.columns:
        if t == ScalarType.DYNAMIC:
            out[name] = pd.Series([None if v is None else json.loads(v) for v in frame[name].to_list()],
                                  dtype=object)
    return out


@st.composite
def frames(draw: st.DrawFn) -> tuple[pl.DataFrame, Schema]:
    types = draw(st.lists(st.sampled_from(list(VALUES)), min_size=1, max_size=6))
    height = draw(st.integers(0, 6))
    data = {}
    for i, t in enumerate(types):
        cells = draw(st.lists(st.none() | VALUES[t], min_size=height, max_size=height))
        data[f"c{i}"] = pl.Series(f"c{i}", cells, dtype=polars_dtype(t))
    return pl.DataFrame(data), Schema(tuple((f"c{i}", t) for i, t in enumerate(types)))


@settings(max_examples=150, deadline=None)
@given(frames())
def test_to_pandas_gives_what_arrow_gives(case: tuple[pl.DataFrame, Schema]) -> None:
    """Each scalar type, nulls anywhere, any height (0 included): same values, dtypes and index."""
    frame, schema = case
    pd.testing.assert_frame_equal(ev.to_pandas(frame, schema), reference(frame, schema))


def test_dynamic_lists_of_one_length_stay_one_cell_each() -> None:
    """Rows holding equal-length arrays are one list per cell, not a two-dimensional array."""
    frame = pl.DataFrame({"d": ["[1,2]", "[3,4]", None]})
    out = ev.to_pandas(frame, Schema((("d", ScalarType.DYNAMIC),)))
    assert out["d"].tolist() == [[1, 2], [3, 4], None]


def test_dynamic_strings_stay_python_objects() -> None:
    """A dynamic column whose values are all strings is still object, its nulls None (pandas 3
    would infer its ``str`` dtype, nulls NaN)."""
    frame = pl.DataFrame({"d": ['"x"', None, '""']})
    out = ev.to_pandas(frame, Schema((("d", ScalarType.DYNAMIC),)))
    assert out["d"].dtype == object
    assert out["d"].tolist() == ["x", None, ""]


@pytest.mark.parametrize("series", [
    pl.Series("c", [1, None], dtype=pl.Int8),
    pl.Series("c", [None, None], dtype=pl.Null),
    pl.Series("c", ["a", None], dtype=pl.Categorical),
    pl.Series("c", [dt.date(2026, 1, 2), None], dtype=pl.Date),
    pl.Series("c", [1.5, None], dtype=pl.Float32),
    pl.Series("c", [{"a": 1}, None], dtype=pl.Struct({"a": pl.Int64})),
    pl.Series("c", [dt.datetime(2026, 3, 8, 12), None], dtype=pl.Datetime("us", "America/New_York")),
    pl.Series("c", [dt.datetime(2026, 3, 8, 12), None], dtype=pl.Datetime("ns")),
    pl.Series("c", [dt.timedelta(seconds=5), None], dtype=pl.Duration("ms")),
], ids=lambda s: str(s.dtype))
def test_other_dtypes_convert_as_arrow_converts_them(series: pl.Series) -> None:
    """Columns of dtypes the engine does not produce itself (a given table's, kept as they came)
    still convert exactly as pyarrow would: same values, instants and dtypes."""
    frame = series.to_frame()
    schema = Schema((("c", ScalarType.STRING),))
    pd.testing.assert_frame_equal(ev.to_pandas(frame, schema), frame.to_arrow().to_pandas(
        types_mapper=ev._ARROW_TO_PANDAS.get))


def test_hidden_columns_are_left_out_and_the_order_kept() -> None:
    frame = pl.DataFrame({"b": [1], "__device__": ["WKS-1"], "a": ["x"]})
    schema = Schema((("b", ScalarType.LONG), ("__device__", ScalarType.STRING), ("a", ScalarType.STRING)))
    assert list(ev.to_pandas(frame, schema).columns) == [c for c, _ in schema.visible]


@pytest.mark.parametrize("t", [ScalarType.LONG, ScalarType.REAL, ScalarType.BOOL, ScalarType.DATETIME])
def test_the_users_frame_can_be_edited(t: ScalarType) -> None:
    """The frame owns its buffers: setting a cell works (no read-only view of polars' memory)."""
    value = {ScalarType.LONG: 1, ScalarType.REAL: 1.5, ScalarType.BOOL: True,
             ScalarType.DATETIME: dt.datetime(2026, 1, 1, tzinfo=UTC)}[t]
    frame = pl.DataFrame({"x": pl.Series([value, value], dtype=polars_dtype(t))})
    out = ev.to_pandas(frame, Schema((("x", t),)))
    out.loc[0, "x"] = out.loc[1, "x"]
    out.iloc[1, 0] = None
    assert out["x"].isna().tolist() == [False, True]
    assert frame["x"].null_count() == 0  # and polars' frame is untouched


@pytest.mark.parametrize(("dtype", "expected"), [
    (pl.Boolean(), ScalarType.BOOL), (pl.Int16(), ScalarType.INT), (pl.UInt32(), ScalarType.LONG),
    (pl.Int128(), ScalarType.LONG), (pl.Float16(), ScalarType.REAL), (pl.Decimal(10, 2), ScalarType.REAL),
    (pl.Enum(["a"]), ScalarType.STRING), (pl.Null(), ScalarType.STRING), (pl.Date(), ScalarType.DATETIME),
    (pl.Datetime("us", "Europe/Paris"), ScalarType.DATETIME), (pl.Duration("ms"), ScalarType.TIMESPAN),
    (pl.List(pl.Int64), ScalarType.DYNAMIC), (pl.Struct({"a": pl.Int64}), ScalarType.DYNAMIC),
    (pl.Time(), ScalarType.DYNAMIC),
], ids=str)
def test_a_given_columns_scalar_type(dtype: pl.DataType, expected: ScalarType) -> None:
    """A given table's column gets the scalar type its polars dtype holds; nested values are dynamic."""
    assert ev.scalar_type_of(dtype) == expected

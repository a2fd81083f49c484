"""Query links: the console's ``cmpivot:`` + base64(UTF-8 text with CRLF) form (reference D17)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmpivot_magic.errors import CMPivotError, QuerySyntaxError
from cmpivot_magic.language.links import is_query_link, query_from_link, query_link, query_text

D17_TEXT = "// Sample query\nOperatingSystem\n| summarize count() by Caption\n| order by count_ asc\n| render barchart"
D17_LINK = ("cmpivot:Ly8gU2FtcGxlIHF1ZXJ5DQpPcGVyYXRpbmdTeXN0ZW0NCnwgc3VtbWFyaXplIGNvdW50KCkgYnkgQ2FwdGlvbg0KfCBv"
            "cmRlciBieSBjb3VudF8gYXNjDQp8IHJlbmRlciBiYXJjaGFydA==")


def test_the_documented_example_decodes_and_reencodes_exactly() -> None:
    """D17: the link decodes to the sample query, which encodes back to the same link."""
    assert D17_LINK.startswith("cmpivot:Ly8gU2FtcGxl")  # the prefix the docs show
    assert query_from_link(D17_LINK) == D17_TEXT
    assert query_link(query_from_link(D17_LINK)) == D17_LINK


def test_line_breaks_become_crlf_and_come_back_as_newlines() -> None:
    """Whatever line breaks the text has, the link carries CRLF; decoded text has \\n."""
    assert query_link("A\nB") == query_link("A\r\nB") == query_link("A\rB")
    assert query_from_link(query_link("A\r\nB")) == "A\nB"


def test_a_wrapped_or_unpadded_link_still_reads() -> None:
    """Links pasted with line wrapping, surrounding blanks or without '=' padding still decode."""
    wrapped = "  " + D17_LINK[:40] + "\n  " + D17_LINK[40:].rstrip("=") + "\n"
    assert query_from_link(wrapped) == D17_TEXT
    assert query_text(wrapped) == D17_TEXT
    assert query_text("Process | take 1") == "Process | take 1"
    assert is_query_link("CMPIVOT:abc") and not is_query_link("Process")


@pytest.mark.parametrize(("link", "message"), [
    ("cmpivot:%%%%", "damaged"),
    ("cmpivot://79", "damaged"),  # 0xff is not UTF-8
    ("cmpivot:", "holds no query"),
    ("Process", "not a CMPivot query link"),
])
def test_a_bad_link_is_a_syntax_error_that_says_so(link: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        query_from_link(link)
    assert message in str(raised.value)
    assert "cmpivot: followed by the base64" in (raised.value.hint or "")


@given(st.text())
def test_any_text_round_trips_through_a_link_or_fails_cleanly(text: str) -> None:
    """Any text survives a link up to line-break style; a link never raises anything but CMPivotError."""
    try:
        back = query_from_link(query_link(text))
    except CMPivotError:
        assert not text.strip()
        return
    assert back == text.replace("\r\n", "\n").replace("\r", "\n")


def test_every_place_that_takes_a_query_takes_a_link(tmp_path: object) -> None:
    """parse, evaluate, Session.run and the cmpivot command accept a link in place of the text."""
    import io

    import cmpivot_magic as cm
    from cmpivot_magic import cli

    assert cm.query_link(D17_TEXT) == D17_LINK
    assert str(cm.parse(D17_LINK)) == str(cm.parse(D17_TEXT))
    session = cm.connect("demo://?devices=5&seed=7&clock=virtual", history=None)
    by_link = session.run(D17_LINK)
    by_text = session.run(D17_TEXT)
    def rows(df: object) -> list[tuple[object, ...]]:
        return sorted(map(tuple, df.itertuples(index=False)))  # type: ignore[attr-defined]

    assert rows(by_link.df) == rows(by_text.df)  # ties in count_ may come in either order
    assert by_link.chart_spec == by_text.chart_spec
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["-c", "demo://?devices=5&seed=7&clock=virtual", "-f", "csv", D17_LINK],
                    stdout=out, stderr=err) == 0
    assert out.getvalue().splitlines()[0] == "Caption,count_"

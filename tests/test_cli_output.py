"""The ``cmpivot`` command's output: rows on stdout, progress and the summary on stderr, readable
whether stderr is a terminal or a log file."""

from __future__ import annotations

import io

from cmpivot_magic import cli

DEMO = "demo://?devices=3&seed=7&clock=virtual"
NULLS = ("Process | take 3 | project Device, Name, n = iif(Name == 'x', 1, long(null)), "
         "b = iif(1 == 2, true, bool(null)), r = real(null), s = iif(1 == 2, 'a', '')")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["--connection", DEMO, *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_stderr_that_is_not_a_terminal_gets_whole_lines() -> None:
    """Redirected to a log, stderr has no carriage returns: the last progress update is a line of
    its own and the summary starts a new line instead of being glued to it."""
    code, _, err = _run("Process | summarize count() by Device")
    assert code == 0
    assert "\r" not in err
    lines = err.splitlines()
    assert lines[0].startswith("3 of 3 devices answered"), err
    assert lines[1].startswith("Query completed on 3 of 3 clients"), err


def test_a_terminal_gets_one_line_updated_in_place() -> None:
    """On a terminal each update overwrites the last (padded over longer text), and the line is
    closed before anything else is written."""
    term = _Terminal()
    progress = cli._Progress(term, after=0)
    progress.show("1 of 3 devices answered — 10 rows")
    progress.show("3 of 3 devices answered")
    progress.end()
    assert term.getvalue() == ("\r1 of 3 devices answered — 10 rows"
                               "\r3 of 3 devices answered          \n")


def test_a_quick_run_on_a_terminal_shows_no_progress() -> None:
    """Runs shorter than the threshold leave no progress text behind on a terminal."""
    term = _Terminal()
    progress = cli._Progress(term, after=60)
    progress.show("3 of 3 devices answered")
    progress.end()
    assert term.getvalue() == ""


def test_nulls_print_as_blanks_in_every_column_type() -> None:
    """The text table shows nulls as blanks, also in nullable integer, boolean and real columns
    (pandas itself prints ``<NA>`` there)."""
    code, out, _ = _run(NULLS)
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split() == ["Device", "Name", "n", "b", "r", "s"]
    assert len(rows) == 3
    assert "<NA>" not in out and "None" not in out and "nan" not in out.lower()
    assert all(row.rstrip().endswith(("Process", "System", "Registry")) for row in rows), out


def test_status_table_shows_nulls_as_blanks() -> None:
    """``--status`` lists every device; a device with no error has a blank Error cell."""
    code, _, err = _run("OS | project Caption", "--status")
    assert code == 0
    assert "<NA>" not in err and "None" not in err
    assert err.count("Completed") == 3


def test_live_only_leaves_out_the_rows_from_inventory() -> None:
    """Offline devices answer an inventory entity from their last hardware inventory, unless --live-only."""
    argv = ["--connection", "demo://?devices=20&seed=7&offline=0.3&clock=virtual", "-f", "csv",
            "OperatingSystem | project Device, Caption"]
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(argv, stdout=out, stderr=err) == 0 and "from inventory" in err.getvalue()
    live_out, live_err = io.StringIO(), io.StringIO()
    assert cli.main([*argv[:-1], "--live-only", argv[-1]], stdout=live_out, stderr=live_err) == 0
    assert "from inventory" not in live_err.getvalue()
    assert len(live_out.getvalue().splitlines()) < len(out.getvalue().splitlines())

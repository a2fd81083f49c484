"""``%cmpivot SUBCOMMAND`` in a real IPython shell: each subcommand documents itself, takes its
options through argparse (``magic_arguments``), and turns bad options into a short CMPivotError;
``connect`` passes the options it does not declare to the backend."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from cmpivot_magic import CMPivotError, QuerySyntaxError, connect
from cmpivot_magic.magic import CMPivotMagic
from cmpivot_magic.magic.helptext import help_text
from cmpivot_magic.magic.subcommands import SUBCOMMANDS, backend_options

DEMO = "demo://?devices=12&seed=3&clock=virtual"


def test_every_subcommand_documents_itself(ip: InteractiveShell) -> None:
    """``%cmpivot?`` lists every subcommand's usage and summary; ``%cmpivot help NAME`` prints its
    options (a guide of the same name, entities, wins); the usage overview names every one."""
    doc = CMPivotMagic.cmpivot.__doc__ or ""
    overview = help_text()
    for name, command in SUBCOMMANDS.items():
        assert f"%cmpivot {name}" in command.usage
        assert command.usage in doc and command.summary in doc
        assert name in overview
        if name == "entities":
            continue
        with capture_output() as cap:
            ip.run_line_magic("cmpivot", f"help {name}")
        assert cap.stdout.startswith(command.usage)
    with capture_output() as cap:
        ip.run_line_magic("cmpivot", "help connect")
    assert "--name NAME" in cap.stdout and "--token T" in cap.stdout


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("history many", "%cmpivot history: argument n: invalid int value: 'many'"),
        ("entities disk extra", "%cmpivot entities: unrecognized arguments: extra"),
        ("schema Process --bogus", "%cmpivot schema: unrecognized arguments: --bogus"),
        (f"connect {DEMO} --name", "%cmpivot connect: argument --name: expected one argument"),
        (f"connect {DEMO} --seed", "unexpected '--seed'"),
        (f"connect {DEMO} stray", "unexpected 'stray'"),
        ("connect 'demo://", "No closing quotation"),
        ("help nothing-like-it", "no help topic 'nothing-like-it'"),
    ],
)
def test_bad_subcommand_options_are_short_errors(ip: InteractiveShell, line: str, message: str) -> None:
    with capture_output() as cap:
        result = ip.run_cell(f"%cmpivot {line}")
    assert isinstance(result.error_in_exec, CMPivotError)  # the cell fails, with our error only
    text = cap.stdout + cap.stderr
    assert message in text and "Traceback" not in text


def test_connect_passes_undeclared_options_to_the_backend(ip: InteractiveShell) -> None:
    with capture_output():
        ip.run_line_magic("cmpivot", "connect demo://?devices=12&clock=virtual --seed 4 --name four")
        ip.run_line_magic("cmpivot", "connect demo://?devices=12&clock=virtual --seed=4 --name=four-too "
                          "--profile tenant-attach")
    magic = ip.magics_manager.registry["CMPivotMagic"]
    assert magic.current == "four-too" and magic.sessions["four-too"].profile == "tenant-attach"
    assert magic.sessions["four"].devices().equals(magic.sessions["four-too"].devices())
    assert not magic.sessions["four"].devices().equals(connect("demo://?devices=12&seed=5").devices())
    assert backend_options(["--client-id", "C", "--verify=ca.pem"]) == {"client_id": "C", "verify": "ca.pem"}
    with pytest.raises(CMPivotError, match="history_dir"):
        backend_options(["--history", "off"])
    with pytest.raises(CMPivotError, match="unknown AdminService option 'colour'"):
        ip.run_line_magic("cmpivot", "connect https://cm01.contoso.com/AdminService --colour blue")


def test_use_makes_a_python_session_current(ip: InteractiveShell) -> None:
    ip.user_ns["mine"] = session = connect(DEMO)
    assert ip.run_line_magic("cmpivot", "use mine --name lab") is session
    magic = ip.magics_manager.registry["CMPivotMagic"]
    assert magic.current == "lab" and magic.sessions["lab"] is session
    ip.run_line_magic("cmpivot", "use mine")
    assert magic.current == session.url
    with pytest.raises(CMPivotError, match="needs a variable holding a Session"):
        ip.run_line_magic("cmpivot", "use DEMO")


def test_a_result_reaches_every_name_it_is_given(ip: InteractiveShell) -> None:
    """``_cmpivot``, ``VAR <<`` and ``-o VAR`` all hold the same result, also after ``--on``."""
    with capture_output():
        ip.run_cell_magic("cmpivot", f"left << --connection {DEMO} -o right", "Device | take 2")
    assert ip.user_ns["left"] is ip.user_ns["right"] is ip.user_ns["_cmpivot"]
    with capture_output():
        ip.run_cell_magic("cmpivot", "again << --on left -o also", "Device | count")
    assert ip.user_ns["again"] is ip.user_ns["also"] is ip.user_ns["_cmpivot"]
    assert ip.user_ns["again"].operation_id == ip.user_ns["left"].operation_id  # no new operation


def test_a_one_line_query_with_an_open_quote_is_a_syntax_error(ip: InteractiveShell) -> None:
    """The line is the query's text: the parser, not a shell splitter, reports the open quote."""
    with pytest.raises(QuerySyntaxError, match="unterminated string"):
        ip.run_line_magic("cmpivot", "OS | where Caption contains 'Win")

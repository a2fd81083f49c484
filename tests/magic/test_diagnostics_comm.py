"""The ``cmpivot.diagnostics`` comm: what the JupyterLab extension underlines as you type.

``cell_diagnostics`` is checked as a pure function (offsets are code points into the whole cell,
placeholders do not shift them, other cells get nothing), then through a real kernel started by
jupyter_client: ``%load_ext cmpivot_magic`` registers the target, a ``comm_open`` and a ``comm_msg``
as the frontend sends them get the reply on the same comm, with the request's id.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from cmpivot_magic.magic.diagnostics_comm import TARGET, cell_diagnostics

REPO = Path(__file__).resolve().parents[2]


def underlined(code: str) -> list[tuple[str, str]]:
    return [(code[d["from"]:d["to"]], d["message"].splitlines()[0]) for d in cell_diagnostics(code)]


def test_a_valid_query_has_no_diagnostics() -> None:
    assert cell_diagnostics("%%cmpivot --limit 5\nProcess | where Name contains 'svc' | take 3") == []


def test_a_misspelt_table_operator_is_underlined_with_a_suggestion() -> None:
    code = "%%cmpivot\nProcess | wher Name == 'x'"
    [d] = cell_diagnostics(code)
    assert code[d["from"]:d["to"]] == "wher"
    assert d["severity"] == "error"
    assert d["message"] == "unknown table operator 'wher'\ndid you mean 'where'?"


def test_unknown_entity_and_column_are_underlined_where_they_are() -> None:
    assert underlined("%%cmpivot\nProces | take 1") == [("Proces", "unknown entity 'Proces'")]
    assert underlined("%%cmpivot\n\nService\n| summarize count() by Device\n| where Name == 'x'") == [
        ("Name", "unknown column 'Name'")]


def test_a_query_that_stops_short_marks_its_last_character() -> None:
    [(text, message)] = underlined("%%cmpivot\nProcess | where Name ==")
    assert text == "=" and message.startswith("the query ends after '=='")


def test_offsets_are_code_points_after_astral_characters() -> None:
    code = "%%cmpivot\n// 🚀 rocket 🚀\nProcess | wher Name"
    [d] = cell_diagnostics(code)
    assert code[d["from"]:d["to"]] == "wher"  # Python indices are code points: 🚀 counts once
    assert d["from"] == code.index("wher")


def test_placeholders_keep_offsets_and_are_not_guessed_at() -> None:
    assert cell_diagnostics("%%cmpivot\nProcess | where ProcessId > {pid} and Name == '{name}'") == []
    code = "%%cmpivot\nProcess | where Name == {name} | wher x"
    assert underlined(code) == [("wher", "unknown table operator 'wher'")]
    assert underlined("%%cmpivot\nProcess | where Name == {{ | take 1")[0][1].startswith("unexpected")


@pytest.mark.parametrize("code", ["print('hello')", "%%cmpivot", "%%cmpivot --limit 3\n   \n", "%%sql\nselect 1",
                                  "%cmpivot connect demo://"])
def test_other_cells_and_empty_queries_get_nothing(code: str) -> None:
    assert cell_diagnostics(code) == []


def test_odd_text_never_raises() -> None:
    for code in ["%%cmpivot\n'unterminated", "%%cmpivot\n)))", "%%cmpivot\n\x00", "%%cmpivot\n{", "%%cmpivot\n| |"]:
        assert all(0 <= d["from"] < d["to"] <= len(code) for d in cell_diagnostics(code))


def _reply(kc: Any, comm_id: str, timeout: float = 30) -> dict[str, Any]:
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["msg_type"] in ("comm_msg", "comm_close") and msg["content"]["comm_id"] == comm_id:
            return msg


def test_a_real_kernel_answers_on_the_comm_after_load_ext() -> None:
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=str(REPO))
    try:
        def send(msg_type: str, content: dict[str, Any]) -> None:
            kc.shell_channel.send(kc.session.msg(msg_type, content))

        # before the magic is loaded the kernel knows no such target: it closes the comm
        early = uuid.uuid4().hex
        send("comm_open", {"comm_id": early, "target_name": TARGET, "data": {}})
        assert _reply(kc, early)["msg_type"] == "comm_close"

        reply = kc.execute_interactive("%load_ext cmpivot_magic", timeout=60)
        assert reply["content"]["status"] == "ok"
        comm_id = uuid.uuid4().hex
        send("comm_open", {"comm_id": comm_id, "target_name": TARGET, "data": {}})
        code = "%%cmpivot\n// ✓ 🚀\nService | wher Name"
        send("comm_msg", {"comm_id": comm_id, "data": {"id": 41, "code": code}})
        answer = _reply(kc, comm_id)
        assert answer["msg_type"] == "comm_msg"
        data = answer["content"]["data"]
        assert data["id"] == 41
        [d] = data["diagnostics"]
        assert code[d["from"]:d["to"]] == "wher" and d["severity"] == "error"

        send("comm_msg", {"comm_id": comm_id, "data": {"id": 42, "code": "%%cmpivot\nService | take 1"}})
        assert _reply(kc, comm_id)["content"]["data"] == {"id": 42, "diagnostics": []}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

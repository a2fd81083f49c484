"""IntelliSense through a real kernel: jupyter_client's complete_request, inspect_request and the
``cmpivot.diagnostics`` comm, on ``%%cmpivot`` cells, as JupyterLab, Notebook 7 and VS Code send them.

One kernel serves the module (starting one takes seconds). It runs this interpreter with this
checkout first on its path, so it imports the package under test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

jupyter_client = pytest.importorskip("jupyter_client")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
PYTHON_NAMES = {"print", "abs", "isinstance", "%%svg", "%%bash", "import"}


@pytest.fixture(scope="module")
def kc() -> Iterator[Any]:
    from jupyter_client.manager import KernelManager

    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    km = KernelManager(kernel_name="python3")  # its argv's "python" becomes sys.executable
    km.start_kernel(env=env)
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    reply = client.execute_interactive("%load_ext cmpivot_magic", timeout=60)
    assert reply["content"]["status"] == "ok"
    yield client
    client.stop_channels()
    km.shutdown_kernel(now=True)


def _complete(kc: Any, code: str, cursor: int | None = None) -> dict[str, Any]:
    reply = kc.complete(code, len(code) if cursor is None else cursor, reply=True, timeout=30)
    return reply["content"]


def _types(content: dict[str, Any]) -> dict[str, str]:
    return {t["text"]: t["type"] for t in content["metadata"]["_jupyter_types_experimental"]}


def test_columns_after_where_are_the_steps_columns_typed_as_fields(kc: Any) -> None:
    code = "%%cmpivot\nProcess | summarize count() by Name | where "
    content = _complete(kc, code)
    types = _types(content)
    assert content["cursor_start"] == content["cursor_end"] == len(code)
    assert types["count_"] == "field" and types["Name"] == "field"
    assert "ProcessId" not in types  # summarize dropped it
    assert types["isnull"] == "function"
    assert not PYTHON_NAMES & set(content["matches"])


def test_entities_are_classes_and_replace_the_typed_word(kc: Any) -> None:
    code = "%%cmpivot\nPro"
    content = _complete(kc, code)
    assert content["matches"][:3] == ["Process", "ProcessModule", "Processor"]
    assert content["cursor_start"] == len(code) - 3
    assert _types(content)["Process"] == "class"
    signature = {t["text"]: t["signature"] for t in content["metadata"]["_jupyter_types_experimental"]}
    assert signature["ProcessModule"].startswith("ProcessModule(")


@pytest.mark.parametrize("code", [
    "%%cmpivot\npri",  # Jedi would offer print
    "%%cmpivot\nProcess | project y = ab",  # ... abs
    "%%cmpivot\nProcess | where Name == 'x' and is",  # ... isinstance
    "%%cmpivot\nProcess | where Name contains 'sv",  # the magic matcher would offer %%svg
    "%%cmpivot\nProcess ",
])
def test_no_python_name_ever_leaks_into_a_query(kc: Any, code: str) -> None:
    content = _complete(kc, code)
    assert content["status"] == "ok"
    assert not PYTHON_NAMES & set(content["matches"]), content["matches"]


def test_operators_after_a_column_are_keywords(kc: Any) -> None:
    content = _complete(kc, "%%cmpivot\nProcess | where Name ")
    types = _types(content)
    assert {"contains", "startswith", "like", "in", "=="} <= set(types)
    assert types["contains"] == "keyword"


def test_magic_options_on_the_first_line_are_properties(kc: Any) -> None:
    content = _complete(kc, "%%cmpivot --conn")
    assert content["matches"] == ["--connection"]
    assert _types(content)["--connection"] == "property"


def test_line_magic_subcommands_complete(kc: Any) -> None:
    content = _complete(kc, "x = 1\n%cmpivot sch")
    assert content["matches"] == ["schema"]


def test_python_cells_are_left_to_ipython(kc: Any) -> None:
    content = _complete(kc, "pri")
    assert "print" in content["matches"]


def test_shift_tab_on_an_entity_shows_its_columns_in_markdown(kc: Any) -> None:
    code = "%%cmpivot\nProcess | take 5"
    reply = kc.inspect(code, len("%%cmpivot\nProc"), 0, reply=True, timeout=30)["content"]
    assert reply["found"] is True
    assert "WorkingSetSize" in reply["data"]["text/markdown"]
    assert "PowerShell 5" in reply["data"]["text/plain"]


def test_shift_tab_on_count_says_where_it_comes_from(kc: Any) -> None:
    code = "%%cmpivot\nProcess | summarize count() by Name | where count_ > 1"
    reply = kc.inspect(code, code.index("count_") + 2, 0, reply=True, timeout=30)["content"]
    assert reply["found"] is True
    assert "summarize count()" in reply["data"]["text/plain"]


def test_shift_tab_on_an_unknown_word_is_not_found_rather_than_python_help(kc: Any) -> None:
    code = "%%cmpivot\nProcess | where print == 1"
    reply = kc.inspect(code, code.index("print") + 2, 0, reply=True, timeout=30)["content"]
    assert reply["found"] is False


def test_shift_tab_on_the_magic_itself_is_ipythons_help_for_it(kc: Any) -> None:
    code = "%%cmpivot --connection demo://\nProcess"
    reply = kc.inspect(code, 4, 0, reply=True, timeout=30)["content"]
    assert reply["found"] is True
    assert "Run a CMPivot query" in reply["data"]["text/plain"]


def _comm_round_trip(kc: Any, data: dict[str, Any]) -> dict[str, Any]:
    comm_id = uuid.uuid4().hex
    kc.shell_channel.send(kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": "cmpivot.diagnostics",
                                                       "data": {}}))
    kc.shell_channel.send(kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data}))
    while True:
        msg = kc.get_iopub_msg(timeout=30)
        if msg["msg_type"] == "comm_msg" and msg["content"]["comm_id"] == comm_id:
            return msg["content"]["data"]


def test_diagnostics_comm_answers_with_offsets_into_the_code(kc: Any) -> None:
    code = "%%cmpivot\nProcess | where Nme == 'x'"
    answer = _comm_round_trip(kc, {"id": 7, "code": code})
    assert answer["id"] == 7
    [problem] = answer["diagnostics"]
    assert code[problem["from"]:problem["to"]] == "Nme"
    assert problem["severity"] == "error" and "Nme" in problem["message"]


def test_diagnostics_comm_finds_nothing_in_a_good_cell_with_interpolation(kc: Any) -> None:
    answer = _comm_round_trip(kc, {"id": 8, "code": "%%cmpivot\nProcess | where Name in ({names})"})
    assert answer == {"id": 8, "diagnostics": []}


def test_reloading_wraps_once_and_unloading_gives_ipython_back_its_completion(kc: Any) -> None:
    """Last in the module: it unloads the extension (and loads it again at the end)."""
    assert kc.execute_interactive("%reload_ext cmpivot_magic", timeout=60)["content"]["status"] == "ok"
    assert _complete(kc, "%%cmpivot\nProcess | where Name ")["matches"][0] == "=="
    assert kc.execute_interactive("%unload_ext cmpivot_magic", timeout=60)["content"]["status"] == "ok"
    assert "print" in _complete(kc, "%%cmpivot\npri")["matches"]  # the kernel's own do_complete again
    assert kc.execute_interactive("%load_ext cmpivot_magic", timeout=60)["content"]["status"] == "ok"
    assert "print" not in _complete(kc, "%%cmpivot\npri")["matches"]

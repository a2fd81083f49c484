"""The ``cmpivot.diagnostics`` comm through a real kernel, as the JupyterLab extension uses it.

A kernel started by jupyter_client knows no such target until ``%load_ext cmpivot_magic`` (it closes
the comm); after it, a ``comm_open`` and ``comm_msg`` shaped as the extension sends them
(labextension/src/diagnostics.ts) get the reply on the same comm, with the request's id and
offsets in code points. Only the message protocol is assumed here, not which module answers.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TARGET = "cmpivot.diagnostics"  # the name the extension opens (labextension/src/diagnostics.ts)


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


def test_the_extension_opens_this_target() -> None:
    source = (REPO / "labextension" / "src" / "diagnostics.ts").read_text()
    assert f"export const TARGET = '{TARGET}';" in source

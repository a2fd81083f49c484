"""The magic uses the connection's catalog (entities, schema, --explain) and shows inventory rows greyed,
which --live-only turns off."""

from __future__ import annotations

from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from cmpivot_magic import QueryResult

DEMO = "demo://?devices=40&seed=3&offline=0.2&clock=virtual"


def test_entities_schema_and_explain_read_the_connections_catalog(ip: InteractiveShell) -> None:
    ip.run_line_magic("cmpivot", f"connect {DEMO}")
    ents = ip.run_line_magic("cmpivot", "entities contoso")
    assert ents[["Name", "Kind"]].values.tolist() == [["ContosoAssetInformation", "custom"]]
    assert "ClientDiagnostics" in set(ip.run_line_magic("cmpivot", "entities --refresh")["Name"])
    assert "DebugLoggingEnabled" in ip.run_line_magic("cmpivot", "schema ClientDiagnostics")["Column"].tolist()
    with capture_output() as cap:
        ip.run_cell_magic("cmpivot", "--explain", "ClientDiagnostics | where LogLevel == 1")
    assert "Scan ClientDiagnostics" in "".join(o.data.get("text/html", "") for o in cap.outputs)


def test_inventory_rows_are_greyed_and_live_only_drops_them(ip: InteractiveShell) -> None:
    ip.run_line_magic("cmpivot", f"connect {DEMO}")
    with capture_output() as cap:
        ip.run_cell_magic("cmpivot", "", "OperatingSystem | project Device, Caption")
    result = ip.user_ns["_cmpivot"]
    assert isinstance(result, QueryResult) and "from inventory" in result.summary
    assert "cmpivot-cached" in "".join(o.data.get("text/html", "") for o in cap.outputs)
    with capture_output():
        ip.run_cell_magic("cmpivot", "--live-only", "OperatingSystem | project Device, Caption")
    live = ip.user_ns["_cmpivot"]
    assert live.status["Inventory"].isna().all() and len(live.df) < len(result.df)

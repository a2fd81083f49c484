"""A site catalog with one custom inventory class, as a connection that read its site would have."""

from __future__ import annotations

import pytest

from cmpivot_magic.catalog import DOCUMENTED, Catalog, Entity
from cmpivot_magic.catalog.model import columns


@pytest.fixture(scope="session")
def site() -> Catalog:
    custom = Entity("ClientDiagnostics", "CCM client diagnostics (a site's extension)", "custom",
                    columns("DebugLoggingEnabled:bool LogLevel:long HistoryMB:long:MegaBytes"))
    return DOCUMENTED.extended([custom], source="site")

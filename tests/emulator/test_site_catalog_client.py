"""The AdminService client reads a site's catalog over HTTPS, keeps it on disk, and falls back to
the documented list (open) where the site refuses."""

from __future__ import annotations

from pathlib import Path

import cmpivot_magic as cm
from cmpivot_magic.backends.adminservice.site_catalog import cache_file, read_site_catalog
from cmpivot_magic.catalog import DOCUMENTED
from cmpivot_magic.emulator import Emulator


def _client(emu: Emulator, token: str | None = None) -> object:
    session = cm.connect(emu.url, token=token or emu.token, verify=emu.ca_path, history=None)
    return session.backend.client  # type: ignore[attr-defined]


def test_the_sites_classes_are_read_once_and_kept_per_site(emulator: Emulator, tmp_path: Path) -> None:
    """The first read asks the site; the next one (a new connection) reads the disk; refresh asks again."""
    client = _client(emulator)
    before = emulator.app.counts["catalog"]
    catalog = read_site_catalog(client, cache_dir=tmp_path)  # type: ignore[arg-type]
    assert emulator.app.counts["catalog"] - before == 2  # classes and reports: Properties came inline
    assert catalog.entity("ClientDiagnostics").kind == "hinv"
    assert catalog.entity("ContosoAssetInformation").kind == "custom"
    assert cache_file(tmp_path, client.base).is_file()  # type: ignore[attr-defined]
    again = read_site_catalog(_client(emulator), cache_dir=tmp_path)  # type: ignore[arg-type]
    assert emulator.app.counts["catalog"] - before == 2
    assert [e.name for e in again.entities()] == [e.name for e in catalog.entities()]
    read_site_catalog(client, cache_dir=tmp_path, refresh=True)  # type: ignore[arg-type]
    assert emulator.app.counts["catalog"] - before == 4


def test_without_the_right_the_documented_list_stands_in_open(emulator: Emulator, tmp_path: Path) -> None:
    """403 on the classes: the documented list, open to other names, with a note naming the right;
    nothing is cached, so a later read with the right gets the site's list."""
    token = emulator.add_token(inventory_reports=False)
    catalog = read_site_catalog(_client(emulator, token), cache_dir=tmp_path)  # type: ignore[arg-type]
    assert catalog.open_world and catalog.entities() == DOCUMENTED.entities()
    assert catalog.note is not None and "Read on Inventory Reports" in catalog.note
    assert not list(tmp_path.iterdir())

"""The demo site's collections: ConfigMgr's built-in device collections and the kind an admin
team creates (by OS, by role, pilot rings, low disk space), with members drawn from the fleet.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .fleet import Fleet


def build_collections(fleet: Fleet) -> tuple[pl.DataFrame, dict[str, np.ndarray]]:
    """(CollectionID, Name, MemberCount, Comment) rows, and each collection's member positions."""
    f = fleet
    caption = f.caption.astype(str)
    build = f.os_attr("build").astype(str)
    workstation = ~f.is_server
    pilot_rank = np.argsort(-(f.hygiene + 0.3 * (f.dept == "IT")), kind="stable")
    pilot = np.zeros(f.n, dtype=bool)
    pilot[pilot_rank[: max(1, round(0.05 * int(workstation.sum())))]] = True
    pilot &= workstation
    inactive = f.offline & (f.last_active_age > 14 * 86400)
    low_disk = f.c_free < f.c_size // 10
    rules: list[tuple[str, str, np.ndarray, str]] = [
        ("SMS00001", "All Systems", np.ones(f.n, dtype=bool), "All Systems"),
        ("SMSDM003", "All Desktop and Server Clients", np.ones(f.n, dtype=bool),
         "All Desktop and Server Clients"),
        ("CON00010", "All Workstations", workstation, "Query: ProductType = 1"),
        ("CON00011", "All Servers", f.is_server, "Query: ProductType in (2, 3)"),
        ("CON00012", "All Windows 11 Workstations", workstation & np.char.startswith(caption, "Microsoft Windows 11"),
         "Query: OperatingSystem caption like 'Microsoft Windows 11%'"),
        ("CON00013", "All Windows 10 Workstations", workstation & np.char.startswith(caption, "Microsoft Windows 10"),
         "Query: OperatingSystem caption like 'Microsoft Windows 10%'"),
        ("CON00014", "Finance Laptops", (f.dept == "Finance") & (f.form == "Laptop"),
         "Laptops in the Finance OU (OU=Laptops,OU=Finance,DC=contoso,DC=com)"),
        ("CON00015", "Pilot Ring", pilot, "Early-adopter workstations: updates and apps deploy here first"),
        ("CON00016", "Datacenter Servers", f.is_server & (f.edition == "Datacenter"),
         "Servers running Windows Server Datacenter"),
        ("CON00017", "SQL Servers", np.isin(f.role, ["SQL", "CM"]), "Servers running SQL Server"),
        ("CON00018", "Domain Controllers", f.role == "DC", "Members of the Domain Controllers OU"),
        ("CON00019", "Distribution Points", f.role == "DP", "ConfigMgr distribution points"),
        ("CON0001A", "All Laptops", f.form == "Laptop", "Query: chassis type is a portable"),
        ("CON0001B", "Windows 10 22H2", workstation & (build == "19045"), "Query: BuildNumber = '19045'"),
        ("CON0001C", "Legacy OS - Windows 8.1 and Server 2012 R2", f.ps4,
         "Out of support; PowerShell 4.0 only"),
        ("CON0001D", "Low Disk Space - C: under 10% free", low_disk, "Query: C: FreeSpace < 10% of Size"),
        ("CON0001E", "Clients Inactive for 14 Days", inactive, "No client activity in the last 14 days"),
        ("CON0001F", "Hyper-V Virtual Machines", f.firmware_family == "hyperv", "Query: Model = 'Virtual Machine'"),
        ("CON00020", "Remote Desktop Session Hosts", f.role == "RDS", "RDS farm"),
    ]
    members = {cid: np.flatnonzero(mask) for cid, _, mask, _ in rules}
    frame = pl.DataFrame({
        "CollectionID": [r[0] for r in rules],
        "Name": [r[1] for r in rules],
        "MemberCount": pl.Series([int(r[2].sum()) for r in rules], dtype=pl.Int64),
        "Comment": [r[3] for r in rules],
    })
    return frame, members

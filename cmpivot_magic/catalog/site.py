"""A site's own inventory classes as entities (reference §9 decision 17).

CMPivot can query every hardware-inventory class a site collects, custom extensions included. The
site describes them in two WMI classes of the SMS Provider, read through the AdminService ``wmi/``
route: ``SMS_InventoryClass`` (each class: its WMI name, its Resource Explorer name
``SMSGroupName``, its properties with CIM types and units) and ``SMS_InventoryReport`` (which classes
and properties the client settings collect). ``site_catalog`` turns those records into a
``Catalog`` — the documented entities plus the site's classes — by these rules:

* Entity name = ``SMSGroupName`` with every non-alphanumeric character removed, case kept
  (``Client Diagnostics`` → ``ClientDiagnostics``, ``Virtual Machine (64)`` → ``VirtualMachine64``);
  a name that does not begin with a letter is not an entity (``1394 Controller``).
* Only classes enabled in some inventory report count, with only their enabled properties
  (``ReportProperties``), and only properties of a type CMPivot can return: arrays, reals and
  embedded objects are left out (and named in the entity's note).
* A built-in entity wins a name collision. A site class over the same WMI class as a documented
  entity *is* that entity (its documented name and columns stand), so the documented list and the
  site's list never show one class twice (``PC BIOS`` over ``Win32_BIOS`` is ``Bios``).
* ``IsDeletable`` tells a custom extension (kind ``custom``) from a default class (kind ``hinv``).

Whether the console applies exactly these filters is not documented [INF, reference §1.4]; the
site is the judge of a query either way, since it evaluates the query itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from cmpivot_magic.catalog.catalog import Catalog
from cmpivot_magic.catalog.index import DOCUMENTED
from cmpivot_magic.catalog.model import UNITS, Column, Entity, columns
from cmpivot_magic.language.types import ScalarType

# WMI CIMTYPE codes (CIMTYPE_ENUMERATION) CMPivot can return, and the column type each becomes
CIM_TYPES: dict[int, ScalarType] = {
    2: ScalarType.LONG, 3: ScalarType.LONG, 16: ScalarType.LONG, 17: ScalarType.LONG,  # sint16/32, sint8, uint8
    18: ScalarType.LONG, 19: ScalarType.LONG, 20: ScalarType.LONG, 21: ScalarType.LONG,  # uint16/32, s/uint64
    8: ScalarType.STRING, 103: ScalarType.STRING,  # string, char16
    11: ScalarType.BOOL,
    101: ScalarType.DATETIME,
}  # fmt: skip
CIM_ARRAY = 8192
_CIM_NAMES = {2: "sint16", 3: "sint32", 4: "real32", 5: "real64", 8: "string", 11: "boolean", 13: "object",
              16: "sint8", 17: "uint8", 18: "uint16", 19: "uint32", 20: "sint64", 21: "uint64",
              101: "datetime", 102: "reference", 103: "char16"}
_UNITS_BY_LOWER = {unit.lower(): unit for unit in UNITS}


def entity_name(group_name: str) -> str | None:
    """The entity name of a Resource Explorer name, or None where it is not a valid entity name."""
    name = re.sub(r"[^A-Za-z0-9]", "", group_name or "")
    return name if name[:1].isalpha() else None


def _cim_type_name(code: int) -> str:
    base = code & ~CIM_ARRAY
    kind = _CIM_NAMES.get(base, f"CIM type {base}")
    return f"{kind} array" if code & CIM_ARRAY else kind


def _columns(properties: Iterable[Mapping[str, Any]], enabled: set[str] | None) -> tuple[tuple[Column, ...], list[str]]:
    kept: list[Column] = []
    skipped: list[str] = []
    for prop in properties:
        name = str(prop.get("PropertyName") or "")
        if not name or (enabled is not None and name.lower() not in enabled) or name.lower() == "device":
            continue
        code = int(prop.get("Type") or 8)
        scalar = None if code & CIM_ARRAY else CIM_TYPES.get(code)
        if scalar is None:
            skipped.append(f"{name} ({_cim_type_name(code)})")
            continue
        unit = _UNITS_BY_LOWER.get(str(prop.get("Units") or "").replace(" ", "").lower())
        kept.append(Column(name, scalar, unit if scalar == ScalarType.LONG else None))
    return columns(*kept), skipped


def _enabled_properties(reports: Iterable[Mapping[str, Any]]) -> dict[str, set[str] | None]:
    """SMSClassID (upper case) → the enabled property names (lower case), None meaning all."""
    enabled: dict[str, set[str] | None] = {}
    for report in reports:
        for entry in report.get("ReportClasses") or ():
            class_id = str(entry.get("SMSClassID") or "").upper()
            names = entry.get("ReportProperties")
            if names is None:
                enabled[class_id] = None
            elif enabled.get(class_id, set()) is not None:
                enabled[class_id] = (enabled.get(class_id) or set()) | {str(n).lower() for n in names}
    return enabled


def site_entity(record: Mapping[str, Any], enabled: set[str] | None) -> Entity | None:
    """One ``SMS_InventoryClass`` record as an entity; None when it cannot be one."""
    name = entity_name(str(record.get("SMSGroupName") or ""))
    if name is None:
        return None
    cols, skipped = _columns(record.get("Properties") or (), enabled)
    if len(cols) < 2:
        return None  # no property CMPivot could return
    namespace = str(record.get("Namespace") or r"root\cimv2")
    wmi_class = str(record.get("ClassName") or name)
    custom = bool(record.get("IsDeletable"))
    note = f"not queryable: {', '.join(skipped)}" if skipped else None
    return Entity(
        name=name,
        description=str(record.get("SMSGroupName")),
        kind="custom" if custom else "hinv",
        columns=cols,
        source=f"this site's {'custom' if custom else 'default'} hardware inventory class "
        f"{namespace}\\{wmi_class} ({record.get('SMSClassID')})",
        wmi_class=wmi_class,
        inventory_class_id=str(record.get("SMSClassID") or "") or None,
        note=note,
    )


def site_catalog(classes: Iterable[Mapping[str, Any]], reports: Iterable[Mapping[str, Any]],
                 base: Catalog = DOCUMENTED) -> Catalog:
    """The documented entities plus the site's enabled inventory classes (rules in the docstring)."""
    enabled = _enabled_properties(reports)
    # inventory entities first, so a class both a built-in and an inventory entity read links to the latter
    documented_classes = {e.wmi_class.lower(): e for e in sorted(base.entities(), key=lambda e: e.kind == "hinv")
                          if e.wmi_class}
    added: list[Entity] = []
    linked: dict[str, str] = {}  # documented entity name -> the site's class id for it
    for record in classes:
        class_id = str(record.get("SMSClassID") or "").upper()
        if class_id not in enabled:
            continue  # defined but not collected: the clients have no rows for it
        known = documented_classes.get(str(record.get("ClassName") or "").lower())
        if known is not None:
            if known.kind == "hinv":
                linked[known.name] = str(record.get("SMSClassID"))
            continue
        found = site_entity(record, enabled[class_id])
        if found is not None and base.find_entity(found.name) is None and found.name.lower() not in {
            e.name.lower() for e in added
        }:
            added.append(found)
    return base.extended(added, inventory_ids=linked, source="site")

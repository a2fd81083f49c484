"""``%cmpivot help [TOPIC]``: short guides in our own words, built from the language reference,
the entity catalog and the function registry (so the lists never drift from what runs).

A subcommand's options are not written here: ``%cmpivot help connect`` prints the usage its
``magic_arguments`` generate (``subcommands.py`` passes them in as ``commands``)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from .. import catalog
from ..engine.functions import REGISTRY
from ..errors import CMPivotError
from ..language.dialect import CMPIVOT, CMPIVOT_OPERATORS, KQL_OPERATORS, dialect_named

TOPICS = ("operators", "functions", "entities", "permissions", "prerequisites", "samples", "troubleshooting")


def _functions(aggregate: bool, dialect: str) -> list[str]:
    names = {f.name for f in REGISTRY.values() if f.aggregate == aggregate and dialect_named(dialect).offers(f.dialects)
             and f.name.replace("_", "").isalpha()}
    return sorted(names)


def _operators() -> str:
    scalar = sorted({f.name for f in REGISTRY.values() if not f.name.replace("_", "").isalpha() or f.name in
                     ("and", "or", "contains", "startswith", "endswith", "like")}
                    & {k for k, f in REGISTRY.items() if CMPIVOT.offers(f.dialects)})
    return f"""Table operators (each follows a '|'):
  {', '.join(CMPIVOT_OPERATORS)}
  where Name == 'svchost.exe'         keep rows where the condition is true (null is not true)
  project Device, Size = Size / 1024  choose, rename and compute columns
  summarize count() by Name           one row per group; unnamed aggregates are count_, dcount_, sum_ …
  join (OperatingSystem)              always matches rows of the same Device; kind=leftouter etc.
  order by FreeSpace asc              default is descending; 'top 10 by x' is order + take
  render barchart with (title='…')    last operator: barchart, columnchart, piechart, timechart
Scalar operators: {' '.join(scalar)}
  String comparisons ignore case; like is SQL LIKE on the whole string ('%Micro%', '_bc').
The local kql dialect (cmpivot_magic.evaluate(..., dialect='kql')) also has:
  {', '.join(op for op in KQL_OPERATORS if op not in CMPIVOT_OPERATORS)}, let, datatable, print, range,
  and the operators =~ !~ has in !in between matches regex."""


def _functions_text() -> str:
    return f"""Scalar functions CMPivot runs on devices:
  {', '.join(_functions(False, 'cmpivot'))}
Aggregations (inside summarize):
  {', '.join(_functions(True, 'cmpivot'))}
Only in the local kql dialect:
  {', '.join(sorted(set(_functions(False, 'kql')) - set(_functions(False, 'cmpivot'))))}
  {', '.join(sorted(set(_functions(True, 'kql')) - set(_functions(True, 'cmpivot'))))}
Times are UTC; ago(1d) is now() minus a day; bin(LastBootUpTime, 1d) is midnight of that day."""


def _entities_text() -> str:
    items = catalog.entities()
    ps5 = [e.name for e in items if e.requires_powershell5]
    console = [e.name for e in items if e.console_only]
    params = [str(getattr(e, "signature", e.name)) for e in items if e.parameters]
    return f"""{len(items)} entities. Every row has a Device column first.
  %cmpivot entities [PATTERN]   list them (with descriptions)
  %cmpivot schema NAME          columns and types of one entity
Entities that take arguments:
  {chr(10).join('  ' + p for p in params).strip()}
Need PowerShell 5 on the device: {', '.join(ps5)}
Console only (not from the Intune admin center): {', '.join(console)}"""


PERMISSIONS = """Who can run CMPivot (ConfigMgr 2107 and later):
  * 'Run CMPivot' and 'Read' on the collection's device objects, plus 'Read' on Inventory Reports.
    The Security Administrator role has these; 'Run Scripts' includes 'Run CMPivot'.
  * Before 2107 you also needed 'Read' on SMS Scripts (and still do if the AdminService falls back
    to the SMS Provider after an HTTP 503).
From the Intune admin center (tenant attach), additionally:
  * the Intune permission 'Cloud attached devices / Run CMPivot query', and
  * your Entra ID account must map to a ConfigMgr administrative user.
Through the AdminService with an Entra ID token (cloud management gateway):
  * the ConfigMgr server app's scope (<App ID URI>/user_impersonation) consented for your client app,
  * the 'Admin User' role on the Configuration Manager Microservice app for tenant attach."""

PREREQUISITES = """What a device needs to answer:
  * a ConfigMgr client (1810 or later for live results over the fast channel; 1910 or later evaluates
    the query on the device itself, so only the answer travels back);
  * Windows PowerShell 4.0 or later, and PowerShell 5.0 for Administrators, Connection, IPConfig and
    SMBConfig — on older devices those entities fail with a 'not recognized' cmdlet error;
  * to be online: an offline device never receives the query (CMPivot waits up to an hour on-prem,
    ten minutes from the Intune admin center).
Each device returns at most 128 KB of results; beyond that its rows are truncated (status Truncated)."""

SAMPLES = """Queries to start from (all run on demo://):
  OperatingSystem | summarize count() by Caption | render piechart
  Disk | where Description == 'Local Fixed Disk' | where FreeSpace < 10000000000 | project Device, Name, FreeSpace
  Service | where StartMode == 'Auto' and State == 'Stopped' | summarize count() by Name | top 10 by count_
  InstalledSoftware | where ProductName like 'Google Chrome%' | summarize dcount(Device) by ProductVersion
  EventLog('Security') | where EventID == 4673 | summarize count() by Device | order by count_ desc
  CcmLog('LocationServices') | where LogText contains 'boundary group' | project Device, LogText, DateTime
  Device | join kind=leftouter (File('%windir%\\\\system32\\\\notepad.exe')) | where isnull(FileName) | project Device
  OperatingSystem | where LastBootUpTime <= ago(7d) | summarize count() by bin(LastBootUpTime, 1d) | render timechart"""

TROUBLESHOOTING = """Common problems:
  * 'unknown column' / 'unknown entity': the message suggests the closest name; %cmpivot schema NAME lists columns.
  * 'not supported by ConfigMgr's CMPivot': the construct is KQL but not CMPivot; rewrite it (the hint says how)
    or evaluate locally with dialect='kql'.
  * Devices Offline: they were off when the query was sent; result.status lists them. Retry later.
  * Devices Failed: result.status has each device's error — often PowerShell 4 devices and a PowerShell 5 entity.
  * Devices Truncated: the device had more than 128 KB of results; add where/project/summarize to narrow them.
  * Devices Pending: they did not answer before the timeout (--timeout S).
  * HTTP 401: NTLM is rejected since ConfigMgr 2509 — use Kerberos (auth='negotiate') or an Entra ID token.
  * HTTP 403: you lack 'Run CMPivot' or 'Read' on that collection (see %cmpivot help permissions).
  * HTTP 500/503: the SMS_REST_PROVIDER service is down, or a Kerberos double hop is not delegated."""


def help_text(topic: str | None = None, commands: Mapping[str, str] | None = None) -> str:
    """The magic's usage (no topic), a guide (a topic or its first letters), or the help of one of
    ``commands`` (subcommand name → its help); the guides win where a name is both (entities)."""
    if topic is None:
        return ("%%cmpivot [--connection URL|NAME] [--device NAME ...|--collection ID|--devices VAR] [--timeout S]\n"
                "          [--limit N] [--explain] [--no-display] [--on VAR] [-o VAR | VAR <<]\n"
                "  then the query on the following lines. {name} inserts a Python value as a literal.\n"
                "%cmpivot connect URL [--name N] | use SESSION_VAR | connections | devices | collections\n"
                "         entities [PATTERN] | schema ENTITY | history [N] [--actions] | resume OPID | help [TOPIC] | config\n"
                "         favorites | favorite save|delete NAME [--tags T,U]   (run one: %%cmpivot --favorite NAME)\n"
                f"Help topics: {', '.join(TOPICS)}; or a subcommand, for its options")
    key = topic.lower().strip()
    texts = {
        "operators": _operators, "functions": _functions_text, "entities": _entities_text,
        "permissions": lambda: PERMISSIONS, "prerequisites": lambda: PREREQUISITES, "samples": lambda: SAMPLES,
        "troubleshooting": lambda: TROUBLESHOOTING,
    }
    for name, make in texts.items():
        if name.startswith(key):
            return make()
    commands = commands or {}
    if key in commands:
        return commands[key]
    close = difflib.get_close_matches(key, [*TOPICS, *commands], n=1)
    listed = f"topics: {', '.join(TOPICS)}" + (f"; subcommands: {', '.join(commands)}" if commands else "")
    raise CMPivotError(f"no help topic '{topic}'", hint=f"did you mean '{close[0]}'?" if close else listed)

"""Build the tour notebooks from this file, so they are reviewed as code and rebuilt, never hand-edited.

    python notebooks/_build.py              # write every notebook, run it, keep the checked outputs
    python notebooks/_build.py 02 04        # only the notebooks whose names contain 02 or 04
    python notebooks/_build.py --no-execute # write the cells only (checked cells then have no outputs)
    python notebooks/_build.py --check      # exit 1 when a committed notebook differs from this file

Each notebook is a list of cells written below (``md``, ``code``). A cell made with ``checked=True``
has deterministic output (the demo site with a fixed seed and ``clock=virtual``, sorted rows, no
times or ids): it carries nbval's ``# NBVAL_CHECK_OUTPUT`` marker (or the ``nbval-check-output``
tag when its first line must be a cell magic), and its output is stored in the notebook so the
test command compares it. Every other cell is stored without output: nbval (``--nbval-lax``) only
executes it, and outputs of this machine (``local://``) or of the clock stay out of the repository.
Cells tagged ``raises-exception`` show an error on purpose; nbval, nbclient and JupyterLab's
"Run All" carry on past them.

The queries of 04 are read from the sample corpus (``tests/language/samples/<ID>.kql``), which
holds the reference's §10 queries verbatim.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLES_DIR = ROOT / "tests" / "language" / "samples"
DEMO = "demo://?devices=200&seed=7&clock=virtual"
CHECK_MARKER = "# NBVAL_CHECK_OUTPUT"
CHECK_TAG = "nbval-check-output"
RAISES_TAG = "raises-exception"
# settings that would point a notebook at a real site or change the magic's defaults while building
_ISOLATE = ("CMPIVOT_SITE_URL", "CMPIVOT_SITE_TOKEN", "CMPIVOT_SITE_CA", "CMPIVOT_CMG_URL")


@dataclass(frozen=True)
class Cell:
    kind: str  # "markdown" or "code"
    source: str
    checked: bool = False
    raises: bool = False


def md(text: str) -> Cell:
    return Cell("markdown", textwrap.dedent(text).strip("\n"))


def code(text: str, *, checked: bool = False, raises: bool = False) -> Cell:
    source = textwrap.dedent(text).strip("\n")
    if checked and not source.startswith("%%"):
        source = f"{CHECK_MARKER}\n{source}"
    return Cell("code", source, checked, raises)


# ----------------------------------------------------------------------------------------- 01

def quickstart() -> list[Cell]:
    return [
        md("""
        # Quickstart: ask this computer a question

        **CMPivot** is the query tool built into Microsoft Configuration Manager (ConfigMgr): you type a
        short query, ConfigMgr sends it to devices that are online *right now*, and their answers come
        back within seconds. **cmpivot-magic** lets you do the same from a notebook, and gives you the
        answers as tables, charts and pandas DataFrames.

        You don't need a ConfigMgr site for this notebook. The connection `local://` answers from the
        computer the notebook runs on, so every query below works on your laptop, in a container or on
        Binder. The next notebooks move on to a simulated site of 200 devices (`02`) and to a real site
        (`03`).

        Run the cells from top to bottom with **Shift+Enter**.
        """),
        md("""
        ## 1. Load the magic

        One line turns on the `%%cmpivot` cell magic and the `%cmpivot` line magic.
        """),
        code("%load_ext cmpivot_magic"),
        md("""
        ## 2. Your first query

        Write `%%cmpivot` on the first line of a cell and the query below it. A query starts with an
        **entity** (what to read: `OperatingSystem`, `Process`, `Disk` and about 150 more) and then has steps
        joined by `|`, each one narrowing or reshaping the rows.

        The answer shows:

        * a live progress line while devices answer (here there is only one device: this one);
        * the **status line**, worded as in the ConfigMgr console ("Query completed on 1 of 1 client");
        * an **interactive table**: click a header to sort, type in *Search* to filter;
        * **Device status** under the table: click it to see, for each device, whether it answered,
          was offline or failed, and why.
        """),
        code("""
        %%cmpivot
        OperatingSystem
        | project Device, Caption, Version, OSArchitecture, LastBootUpTime
        """),
        md("""
        ## 3. Processes, and a chart

        `summarize count() by Name` counts the rows per process name; `top 10 by count_` keeps the ten
        largest; `render barchart` draws them. The chart is a picture (PNG), so it stays in the notebook
        when you save it, share it or export it to HTML.
        """),
        code("""
        %%cmpivot
        Process
        | summarize count() by Name
        | top 10 by count_
        | render barchart with (title='Most common processes', ytitle='Processes')
        """),
        md("""
        Which processes use the most memory? `WorkingSetSize` is in bytes, so divide it to get megabytes.
        `%cmpivot schema Process` (further down) lists every column and its unit.
        """),
        code("""
        %%cmpivot
        Process
        | project Name, ProcessId, MemoryMB = WorkingSetSize / 1048576
        | top 5 by MemoryMB
        """),
        md("""
        ## 4. Disks

        For `LogicalDisk`, `Size` and `FreeSpace` are in megabytes (as in ConfigMgr's hardware
        inventory), so `/ 1024` gives gigabytes.
        """),
        code("""
        %%cmpivot
        LogicalDisk
        | project Device, Name, FileSystem, SizeGB = Size / 1024, FreeGB = FreeSpace / 1024
        """),
        md("""
        ## 5. The answer as Python: `_cmpivot`, `.df`, `.status`

        After every query, `_cmpivot` holds the result. It is a `QueryResult`:

        | attribute | what it is |
        |---|---|
        | `.df` | every row, as a pandas DataFrame (the table above shows at most 50) |
        | `.status` | one row per device: `Completed`, `Offline`, `Failed`, `Truncated` or `Pending`, and why |
        | `.summary` | the status line as text |
        | `.query` | the parsed query (`str(result.query)` gives its text back) |
        | `.to_csv()`, `.to_parquet(path)` | all rows, to a file |
        """),
        code("""
        disks = _cmpivot
        print(disks.summary)
        disks.df
        """),
        code("disks.status"),
        md("""
        ## 6. Keep a result under a name: `-o NAME` or `NAME <<`

        `_cmpivot` is replaced by the next query. To keep a result, give it a name on the first line.
        Both spellings do the same thing.
        """),
        code("""
        %%cmpivot -o procs --no-display
        Process
        | project Name, ProcessId, ThreadCount, MemoryMB = WorkingSetSize / 1048576
        """),
        md("""
        `--no-display` showed only the status line; the rows are in `procs.df`, ready for pandas:
        """),
        code("""
        procs.df.groupby("Name").agg(Processes=("ProcessId", "count"), MemoryMB=("MemoryMB", "sum")) \\
            .sort_values("MemoryMB", ascending=False).head(5)
        """),
        code("""
        %%cmpivot biggest << --limit 3
        Process
        | top 10 by WorkingSetSize
        | project Name, ProcessId, WorkingSetSize
        """),
        code("len(biggest.df)  # --limit 3 showed three rows; the result keeps all ten"),
        md("""
        ## 7. What can I ask? Entities and their columns

        `%cmpivot entities` lists the entities (add a word to filter them), `%cmpivot schema NAME`
        lists the columns of one. Entities marked `PowerShell5` need PowerShell 5 on the device.
        """),
        code("%cmpivot entities disk"),
        code("%cmpivot schema LogicalDisk"),
        md("""
        ## 8. Python values in a query: `{name}`

        Put a Python variable in braces and it goes into the query as a proper, escaped value — a string
        gets quotes, a list becomes `('a', 'b')` for `in`, a `datetime` becomes `datetime(...)`. Text is
        never pasted in raw, so a quote or a `|` in a value cannot change the query.
        """),
        code("""
        looking_for = "python"
        """),
        code("""
        %%cmpivot
        Process
        | where Name contains {looking_for}
        | project Name, ProcessId, CommandLine
        """),
        md("""
        ## 9. Check a query without running it: `--explain`

        `--explain` shows what would happen and sends nothing. CMPivot splits every query in two: the
        **device part** runs on each device (so devices send back only what is needed), and the
        **global part** combines the answers of all devices. The last line is the exact text each
        device receives. Here you can also see how `{tricky}` was escaped.
        """),
        code("""
        tricky = "it's | not a pipe"
        """),
        code("""
        %%cmpivot --explain
        Process
        | where Name == {tricky} or Name contains 'python'
        | summarize count() by Name
        | top 10 by count_
        """, checked=True),
        md("""
        ## 10. The same thing from plain Python

        The magic is a thin layer over the Python API, which you can use in scripts too.
        """),
        code("""
        import cmpivot_magic as cm

        session = cm.connect("local://")
        result = session.run("Disk | project Device, Name, FileSystem, Size, FreeSpace")
        print(result.summary)
        result.df
        """),
        md("""
        ## 11. Help

        `%cmpivot help` lists the options; `%cmpivot help TOPIC` explains operators, functions, entities,
        permissions, client prerequisites, sample queries and troubleshooting.
        """),
        code("%cmpivot help"),
        code("%cmpivot help operators"),
        md("""
        ## Next

        * **02-fleet-investigation** — a simulated site of 200 devices: patch levels, low disk space,
          stopped services, software, and a pivot to one device.
        * **03-connect-to-your-site** — connect to your own ConfigMgr site.
        * **04-cmpivot-samples** — every official CMPivot sample query, runnable.
        * **05-report** — a report to export as a standalone HTML page.
        * **06-troubleshooting** — permissions, PowerShell versions, timeouts and common mistakes.
        """),
    ]


# ----------------------------------------------------------------------------------------- 02

UBR_KEY = r"Registry('HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion')"


def fleet() -> list[Cell]:
    return [
        md(f"""
        # Investigate a fleet

        You are the ConfigMgr administrator at Contoso. It is the week after Patch Tuesday and you want
        answers *now*, not after the next inventory cycle: which devices are behind on updates, which
        are running out of disk space, where security services have stopped, and what software is out
        there. Then you look closely at one device.

        This notebook uses the **demo site**, `{DEMO}`: 200 simulated workstations and
        servers with realistic data. As on a real site, some devices are offline, a few fail every
        query, and old ones run PowerShell 4. The same seed always gives the same site, and
        `clock=virtual` makes devices answer at once (use `clock=real&speed=20` to watch them answer
        one by one).
        """),
        md("""
        ## Connect

        `%cmpivot connect URL --name NAME` opens a connection and makes it the one every following
        `%%cmpivot` cell uses. It also returns the session, for use from Python.
        """),
        code(f"""
        %load_ext cmpivot_magic
        site = %cmpivot connect {DEMO} --name contoso
        site
        """),
        md("""
        What is on the site? Its collections (groups of devices) and its devices:
        """),
        code("%cmpivot collections", checked=True),
        code("""
        devices = site.devices()
        print(f"{len(devices)} devices, {int(devices.IsOnline.sum())} online")
        devices.groupby("IsServer").size().rename(index={False: "workstations", True: "servers"})
        """, checked=True),
        md("""
        ## 1. Patch levels by OS build

        Windows reports its build in two parts: the **build number** (19045 is Windows 10 22H2, 26100 is
        Windows 11 24H2) and the **update build revision** (UBR), which goes up with every cumulative
        update. The UBR is in the registry, so this query joins the `OperatingSystem` entity with a
        `Registry` lookup (a `join` matches rows of the same device) and counts devices per full build.
        """),
        code(f"""
        %%cmpivot
        OperatingSystem
        | project Device, Caption, BuildNumber
        | join ({UBR_KEY} | where Property == 'UBR' | project Device, UBR = Value)
        | project Device, Build = strcat(BuildNumber, '.', UBR)
        | summarize Devices = count() by Build
        | order by Build asc
        | render columnchart with (title='Devices per Windows build', xtitle='Build', ytitle='Devices')
        """),
        md("""
        Which devices are behind? Ask for one row per device, keep the answer as `patch` and let pandas
        compare each device with the newest revision seen for its build.
        """),
        code(f"""
        %%cmpivot -o patch --no-display
        OperatingSystem
        | project Device, Caption, BuildNumber
        | join ({UBR_KEY} | where Property == 'UBR' | project Device, UBR = Value)
        """),
        code("""
        builds = patch.df.assign(BuildNumber=lambda d: d.BuildNumber.astype(int), UBR=lambda d: d.UBR.astype(int))
        builds["Newest"] = builds.groupby("BuildNumber").UBR.transform("max")
        builds["Behind"] = builds.UBR < builds.Newest
        by_build = (builds.groupby("BuildNumber")
                    .agg(Devices=("Device", "count"), NewestUBR=("Newest", "max"), Behind=("Behind", "sum"))
                    .sort_index())
        by_build
        """, checked=True),
        code("""
        behind = builds[builds.Behind].sort_values(["BuildNumber", "UBR", "Device"], ignore_index=True)
        print(f"{len(behind)} of {len(builds)} devices are behind the newest update of their build")
        behind[["Device", "Caption", "BuildNumber", "UBR", "Newest"]].head(10)
        """, checked=True),
        md("""
        ## 2. Low disk space

        `LogicalDisk` sizes are in megabytes. `DriveType == 3` keeps local fixed disks; the query works
        out the free percentage on each device and keeps disks with less than 10% free.
        """),
        code("""
        %%cmpivot -o lowdisk
        LogicalDisk
        | where DriveType == 3
        | project Device, Drive = Name, SizeGB = Size / 1024, FreeGB = FreeSpace / 1024, PctFree = 100 * FreeSpace / Size
        | where PctFree < 10
        | order by PctFree asc
        """),
        md("""
        Who should you call? Add each device's user and model from the site's device list:
        """),
        code("""
        call_list = (lowdisk.df
                     .merge(devices[["Name", "UserName", "Model"]], left_on="Device", right_on="Name")
                     .drop(columns="Name")
                     .sort_values(["PctFree", "Device"], ignore_index=True))
        call_list.head(10)
        """, checked=True),
        md("""
        ## 3. Stopped services that should be running

        Services set to start automatically (`StartMode == 'Auto'`) but not running. Counting devices
        per service (`dcount(Device)`) shows what is widespread and what is unusual.
        """),
        code("""
        %%cmpivot
        Service
        | where StartMode == 'Auto' and State == 'Stopped'
        | summarize Devices = dcount(Device) by Name, DisplayName
        | order by Devices desc
        """),
        md("""
        The top of the list is normal: update services such as `edgeupdate` and `gupdate` start, do
        their work and stop, and `sppsvc` stops when idle. The security services are another matter.
        Where are Microsoft Defender (`WinDefend`) or Defender for Endpoint (`Sense`) stopped?
        """),
        code("""
        %%cmpivot -o defender
        Service
        | where Name in ('WinDefend', 'Sense') and StartMode == 'Auto' and State != 'Running'
        | project Device, Name, DisplayName, State
        """),
        code("""
        defender.df.groupby("Name").Device.count()
        """, checked=True),
        code("""
        sorted(defender.df.loc[defender.df.Name == "WinDefend", "Device"])
        """, checked=True),
        md("""
        ## 4. Software inventory

        `InstalledSoftware` lists what is installed on each device. The ten products found on the most
        devices:
        """),
        code("""
        %%cmpivot
        InstalledSoftware
        | summarize Devices = dcount(Device) by ProductName
        | top 10 by Devices
        | render barchart with (title='Most installed software', ytitle='Devices')
        """),
        md("""
        Browsers need to stay current. Which versions of Google Chrome are out there?
        """),
        code("""
        %%cmpivot -o chrome
        InstalledSoftware
        | where ProductName == 'Google Chrome'
        | summarize Devices = count() by ProductVersion
        | order by ProductVersion desc
        | render piechart with (title='Google Chrome versions')
        """),
        code("""
        versions = chrome.df.sort_values("ProductVersion", ascending=False, ignore_index=True)
        versions["Share"] = (100 * versions.Devices / versions.Devices.sum()).round(1)
        versions
        """, checked=True),
        md("""
        ## 5. Pivot to one device

        The device with the least free space is first in the call list. `--devices VAR` runs a query on
        the devices named in a Python variable: a name, a list of names, a DataFrame with a `Device`
        column, a result, or a device picker.
        """),
        code("""
        worst = call_list.Device[0]
        worst
        """, checked=True),
        code("""
        %%cmpivot --devices worst -o console_users
        SystemConsoleUser
        | project Device, SystemConsoleUser, NumberOfConsoleLogons, TotalUserConsoleMinutes
        """),
        code("""
        console_users.df.sort_values("TotalUserConsoleMinutes", ascending=False, ignore_index=True)
        """, checked=True),
        md("""
        What is it running? The top processes by memory on that one device:
        """),
        code("""
        %%cmpivot --devices worst -o worst_processes
        Process
        | top 5 by WorkingSetSize
        | project Device, Name, MemoryMB = WorkingSetSize / 1048576
        """),
        code("worst_processes.df", checked=True),
        md("""
        ### Pick devices by hand

        The **device picker** searches the site's devices by name, user, OS or collection; tick devices
        to select them. `picker.selected` holds the names, and `%%cmpivot --devices picker` queries
        exactly those. In this notebook the selection is set in code so that it runs top to bottom on its
        own — try ticking devices yourself.
        """),
        code("""
        from cmpivot_magic.widgets import DevicePicker

        picker = DevicePicker(site)
        picker.selected = call_list.Device.head(3)
        picker
        """),
        code("picker.selected", checked=True),
        code("""
        %%cmpivot --devices picker -o picked
        LogicalDisk
        | where DriveType == 3
        | project Device, Drive = Name, FreeGB = FreeSpace / 1024
        """),
        code('picked.df.sort_values("Device", ignore_index=True)', checked=True),
        md("""
        ## 6. Devices that did not answer

        Every result has a status for each targeted device. On this site about one device in ten is
        offline (ConfigMgr sends a query only to devices that are online at that moment), and a few fail
        every query. `patch.status` covers all 200 devices of the first query:
        """),
        code('patch.status.Status.value_counts()', checked=True),
        code("""
        missing = patch.status[patch.status.Status != "Completed"]
        missing[["Device", "Status", "Error"]].sort_values(["Status", "Device"], ignore_index=True).head(8)
        """, checked=True),
        md("""
        To try them again later, pass the same devices back with `--devices`. On the demo site they are
        still offline or failing, so the answer is the same; on a real site some will have come online.
        """),
        code("""
        retry = missing.Device.tolist()
        """),
        code("""
        %%cmpivot --devices retry -o retried --no-display
        OperatingSystem
        | project Device, Caption
        """),
        code('retried.status.Status.value_counts()', checked=True),
        md("""
        ### The results explorer

        `ResultsExplorer` puts a result's rows, device status, chart and query in tabs. From it you can
        pivot (select devices from the result and run the next query on them) and retry the devices that
        did not answer, with their rows merged into the result.
        """),
        code("""
        from cmpivot_magic.widgets import ResultsExplorer

        ResultsExplorer(patch, site)
        """),
        md("""
        ## Next

        **03-connect-to-your-site** does the same against a ConfigMgr site, **04-cmpivot-samples** runs
        every official sample query, and **06-troubleshooting** explains offline, failed, truncated and
        pending devices in detail.
        """),
    ]


# ----------------------------------------------------------------------------------------- 03

def connect_site() -> list[Cell]:
    return [
        md("""
        # Connect to your site

        cmpivot-magic talks to ConfigMgr through the **AdminService**, the REST API of the SMS Provider.
        The magic starts a CMPivot operation there and collects the answers, as the console does.

        **Without a site, this notebook runs anyway:** it starts the *emulator*, an AdminService
        stand-in with 50 simulated devices, on this computer (HTTPS on 127.0.0.1, its own certificate
        authority, a bearer token). To use your site instead, set the environment variable
        `CMPIVOT_SITE_URL` before starting Jupyter (details below).
        """),
        md("""
        ## What you need

        | | |
        |---|---|
        | **URL** | `https://<SMS Provider>/AdminService` on your network, or through a cloud management gateway: `https://<CMG>/CCM_Proxy_ServerAuth/<site id>/AdminService` |
        | **Permissions** | a ConfigMgr security role with *Read* on the collections you query, *Run CMPivot* on them, and *Read* on *Inventory Reports* (`%cmpivot help permissions`) |
        | **Sign-in** | on-prem: Windows integrated sign-in (Kerberos); through a CMG: an Entra ID token |
        | **Clients** | ConfigMgr clients with PowerShell 4 or later (5 for a few entities) |
        | **TLS** | the provider's certificate must be trusted. Unless your PKI issued one, it is the site's self-signed certificate: export the *SMS Issuing* root from the console (Administration > Security > Certificates) as PEM and pass `verify="sms-root.pem"` |
        """),
        md("""
        ## Choose the site

        | environment variable | meaning |
        |---|---|
        | `CMPIVOT_SITE_URL` | your AdminService URL; unset → the emulator |
        | `CMPIVOT_SITE_TOKEN` | a bearer token (optional; without one, Kerberos is used) |
        | `CMPIVOT_SITE_CA` | a PEM file with your root CA (optional) |
        """),
        code("""
        import os

        import cmpivot_magic as cm

        SITE_URL = os.environ.get("CMPIVOT_SITE_URL")
        emulator = None
        if SITE_URL:
            url, options = SITE_URL, {}
            if os.environ.get("CMPIVOT_SITE_CA"):
                options["verify"] = os.environ["CMPIVOT_SITE_CA"]
            if os.environ.get("CMPIVOT_SITE_TOKEN"):
                options["token"] = os.environ["CMPIVOT_SITE_TOKEN"]
            else:
                options["auth"] = "negotiate"
            print(f"Using your site: {url}")
        else:
            from cmpivot_magic.emulator import Emulator

            emulator = Emulator(devices=50, seed=7, speed=50).start()
            url = emulator.url
            options = {"token": emulator.token, "verify": emulator.ca_path}
            print("No CMPIVOT_SITE_URL: using the emulator at", url)

        session = cm.connect(url, **options)
        session
        """),
        md("""
        The magic connects the same way. `%cmpivot connect` takes the options as `--name value` (Python
        values go in with `{braces}`); the connection is then the default for every `%%cmpivot` cell.
        """),
        code("""
        import shlex

        %load_ext cmpivot_magic
        flags = " ".join(f"--{key} {shlex.quote(str(value))}" for key, value in options.items())
        site = %cmpivot connect {url} --name site {flags}
        %cmpivot connections
        """),
        md("""
        ## Devices and collections

        The site's collections, and its devices with whether their client is online right now
        (from the provider's fast channel):
        """),
        code("%cmpivot collections"),
        code("""
        devices = site.devices()
        devices[["Name", "UserName", "OSCaption", "IsOnline"]].head(10)
        """),
        md("""
        ## Query a collection

        Without `--collection`, a query goes to *All Systems* (`SMS00001`). Choose another collection
        with `--collection ID`. The live line shows devices answering as the provider reports them.
        """),
        code("""
        %%cmpivot --collection SMS00001
        OperatingSystem
        | summarize Devices = count() by Caption
        | order by Devices desc
        | render barchart with (title='Operating systems', ytitle='Devices')
        """),
        code("""
        %%cmpivot --collection SMS00001
        LogicalDisk
        | where DriveType == 3
        | project Device, Drive = Name, FreeGB = FreeSpace / 1024, PctFree = 100 * FreeSpace / Size
        | top 10 by PctFree asc
        """),
        md("""
        ## Query single devices

        `--device NAME` (repeatable) or `--devices VAR` target devices by name. The AdminService runs one
        operation per device, so for more than a handful of devices use a collection.
        """),
        code("""
        online = devices[devices.IsOnline].Name.head(2).tolist()
        online
        """),
        code("""
        %%cmpivot --devices online
        Process
        | top 3 by WorkingSetSize
        | project Device, Name, MemoryMB = WorkingSetSize / 1048576
        """),
        md("""
        ## From Python: follow an operation

        `session.submit(...)` returns the operation at once; `updates()` yields progress as devices
        answer and `result()` waits for the rest. Every operation has the id ConfigMgr gave it.
        """),
        code("""
        operation = session.submit("Device | project Device, UserName, Model", collection="SMS00001")
        for progress in operation.updates():
            print(progress)
        result = operation.result()
        print("operation", result.operation_id, "-", result.summary)
        result.df.head()
        """),
        md("""
        ## On-prem: Windows integrated sign-in (Kerberos)

        On a domain-joined Windows machine, the notebook signs in as you: nothing to type. On Linux or
        macOS, get a Kerberos ticket first (`kinit you@CONTOSO.COM`). Install the extra once:
        `pip install "cmpivot-magic[negotiate]"`.

        ```python
        site = cm.connect("https://cm01.contoso.com/AdminService", auth="negotiate", verify="contoso-root-ca.pem")
        ```

        or in a cell: `%cmpivot connect https://cm01.contoso.com/AdminService --name cm01 --auth negotiate`.

        NTLM is not offered: ConfigMgr 2509 and later refuse it. If you get *401*, check the ticket
        (`klist`) and that the provider's SPN (`HTTP/cm01.contoso.com`) is registered.
        """),
        md("""
        ## Through a cloud management gateway with Entra ID

        Away from the corporate network, the AdminService is reached through the CMG and wants an Entra
        ID token for the ConfigMgr server app (scope `<App ID URI>/user_impersonation`).

        The number after `CCM_Proxy_ServerAuth` identifies your site's AdminService behind the gateway;
        your ConfigMgr administrator can look it up.

        **Today**, pass a token you got elsewhere — from your organisation's tooling, or from the Azure CLI
        where your Entra administrator allows it for the ConfigMgr server app:

        ```python
        import subprocess
        token = subprocess.run(["az", "account", "get-access-token", "--resource", "<App ID URI>",
                                "--query", "accessToken", "-o", "tsv"], capture_output=True, text=True).stdout.strip()
        cmg = cm.connect("https://contoso.cloudapp.net/CCM_Proxy_ServerAuth/72057594037927941/AdminService", token=token)
        ```

        **Coming next**, cmpivot-magic signs you in itself with MSAL: a device-code prompt in the
        notebook (with a copy button), tokens cached securely and refreshed silently:

        ```python
        cmg = cm.connect("https://contoso.cloudapp.net/CCM_Proxy_ServerAuth/72057594037927941/AdminService",
                         auth="msal")
        ```

        Set `CMPIVOT_CMG_URL` to try it from the cell below; until the sign-in is released it explains
        what to do instead.
        """),
        code("""
        CMG_URL = os.environ.get("CMPIVOT_CMG_URL")
        if CMG_URL:
            try:
                cmg = cm.connect(CMG_URL, auth="msal")
                print("Signed in:", cmg)
            except cm.CMPivotError as err:
                print(err)
        else:
            print("Set CMPIVOT_CMG_URL to your CMG's AdminService URL to sign in with Entra ID.")
        """),
        md("""
        ## Tenant attach: the Intune admin center's rules

        CMPivot in the Intune admin center (tenant attach) queries **one device** at a time, has no
        `render`, and lacks a few entities. `profile="tenant-attach"` applies the same rules here, so a
        query you prepare in a notebook also works there:

        ```python
        ta = cm.connect(url, profile="tenant-attach", **options)
        ta.run("Device", devices=["WKS-0001"])
        ```

        ## Clean up

        Stop the emulator when you are done (it also stops when the kernel does).
        """),
        code("""
        if emulator is not None:
            emulator.stop()
        """),
    ]


# ----------------------------------------------------------------------------------------- 04

SAMPLE_SECTIONS: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    ("Official sample scripts",
     "The queries of Microsoft's *CMPivot sample scripts* page (the same for on-prem and tenant attach).",
     [
         ("S01", "Operating system", "All `OperatingSystem` columns, one row per device."),
         ("S02", "Recently used applications", "Applications used in the last two hours."),
         ("S03", "Device start times",
          "Devices per day of their last boot. As written, `<= ago(7d)` keeps boots *older* than seven days."),
         ("S04", "Free disk space", "Every logical disk, sorted by drive letter."),
         ("S05", "Device information", "Manufacturer and model joined with the OS caption (a `join` on Device)."),
         ("S06", "Boot times", "Boot, group policy and update durations, newest boot first."),
         ("S07", "Authentication failures", "Security events 4673 from the last 24 hours (the default window)."),
         ("S08", "Modules loaded by a process", "DLLs loaded by `powershell` processes, most common first."),
         ("S09", "Antimalware scan age", "Devices per number of days since the last quick scan."),
         ("S10", "BIOS manufacturer like Micro", "`like` with `%` wildcards; a comment between the lines."),
         ("S11", "Find a file by its hash",
          "Every device, with `MalwareFound` = Yes when an `.exe` in `system32` has this SHA-256."),
         ("S12", "Scripts in the CCM logs", "`Scripts.log` lines from the last hour."),
         ("S13a", "Registry values", "Values under each certificate key of the enterprise root store."),
         ("S13b", "Registry keys", "The certificate keys themselves (on-prem only: not in tenant attach)."),
         ("S13c", "Registry keys of the ConfigMgr client", "Sub-keys of `HKLM\\SOFTWARE\\Microsoft\\SMS`."),
         ("S13d", "Registry values of the ConfigMgr client", "Values of those sub-keys."),
     ]),
    ("Other queries from the documentation",
     "Queries from the CMPivot overview, the console walkthrough and the release notes.",
     [
         ("D01", "Tabular expression", "Recently used Microsoft applications, five columns."),
         ("D02", "Query by device", "How many devices have each disk."),
         ("D03", "Show devices with", "Devices whose OS version is 10.0.17134 (generated by the console)."),
         ("D04", "Show devices without", "Devices whose OS version is not 10.0.17134."),
         ("D05", "All services", "Every service of every device."),
         ("D06", "Services by device count", "How many devices have each service."),
         ("D07", "Devices with a service", "Devices that have the Computer Browser service."),
         ("D08", "BIOS version", "Devices with BIOS version `LENOVO - 1140`."),
         ("D09", "Free disk space", "Local fixed disks, least free space first."),
         ("D10", "Authentication failures per device", "Security events 4673 counted per device."),
         ("D11", "WinEvent", "Windows Hello for Business errors per device, last day."),
         ("D12", "FileContent", "Each client's SMS unique id, read from `SMSCFG.ini`."),
         ("D13", "Azure AD join, as a pie chart", "Devices joined to Entra ID (Azure AD) or not."),
         ("D14", "Scan age as a bar chart", "S09 sorted and drawn."),
         ("D15", "like", "S10 again, with the comment first."),
         ("D16", "Comments", "Ten devices with the greatest user name."),
         ("D17", "A query link", "OS captions, fewest first, as a bar chart."),
         ("D18", "A large log query",
          "120 days of `ciagent.log`: more than 128 KB per device, so devices answer *Truncated*."),
         ("D19", "Boot times of one device",
          "A stacked bar chart for the device named `MyDevice` (none here; see the variant below)."),
         ("D20", "Recently used applications as a bar chart", "The ten products used on the most devices."),
         ("D21", "A time chart", "S03 drawn over time."),
         ("D22", "A pie chart", "Devices per OS caption."),
         ("D23", "A column chart", "Free space per device, largest first."),
     ]),
    ("Community hub",
     "Queries published on Microsoft's ConfigMgr Community hub (the console's *Community hub* list).",
     [
         ("HUB01", "Average boot times per model", "A bare `join Device`, and `by` on a line of its own."),
         ("HUB02", "Clients without a boundary", "`LocationServices.log` lines saying so."),
         ("HUB03", "Count of an installed software title",
          "Replace `'title'` with a product name; as published it finds nothing."),
         ("HUB04", "Devices missing a file", "Replace `YOURFILEPATH`; as published every device lacks it."),
         ("HUB05", "Last SMSUID change", "`smscfg.ini` lines with a given date."),
         ("HUB06", "Battery charge with the user", "A join whose right side projects only UserName."),
         ("HUB07", "Compatibility appraiser settings", "All values of one registry key."),
         ("HUB08", "Edge update policy", "All values of one policy key."),
         ("HUB09", "Safeguard hold ids", "Feature-update blocks, per target version."),
         ("HUB10", "Feature update block GUIDs", "Non-empty `SdbEntries` values."),
         ("HUB11", "User profiles over 90 days old", "Profiles not used for 90 days."),
         ("HUB12", "Windows cumulative updates", "A pie chart of full build numbers (build.UBR)."),
         ("HUB13", "PXE TFTP settings", "Block and window size on PXE-enabled distribution points."),
         ("HUB14", "Local administrators", "Members of the local Administrators group (needs PowerShell 5)."),
         ("HUB15", "Windows versions", "Captions with their release names, as a bar chart."),
         ("HUB16", "USB audio devices", "Connected USB devices using the `usbaudio` driver."),
         ("HUB17", "Client OS editions", "Workstations per edition, with `case()`."),
         ("HUB18", "Teams versions", "Versions of the classic Teams client, as a column chart."),
         ("HUB19", "strcat()", "Devices per caption and build, as a pie chart."),
     ]),
    ("History and a real-world query",
     "Two queries from early ConfigMgr releases, and one rebuilt from a real CMPivot client run.",
     [
         ("H01", "BIOS version from the registry (1805)", "Devices per BIOSVersion value."),
         ("H02", "Application crashes (1806)", "Crash reports of `sp2wp.exe` from the last seven days."),
         ("R106", "Safeguard holds (a real invocation)",
          "Five registry lookups and four joins: the upgrade blocks per target Windows version."),
     ]),
]
NEGATIVE_SAMPLES = ("S13", "H03", "H04")
BY_DAY = ("S03", "D21", "S09", "D14")  # bucket by calendar day: the buckets move with the clock


def sample_query(sample_id: str) -> str:
    return (SAMPLES_DIR / f"{sample_id}.kql").read_text(encoding="utf-8").rstrip("\n")


def samples() -> list[Cell]:
    ids = [sid for _, _, items in SAMPLE_SECTIONS for sid, _, _ in items]
    cells = [
        md(f"""
        # Every CMPivot sample query

        This notebook runs the sample queries Microsoft publishes for CMPivot — the *sample scripts*
        page, the other documentation pages, and the Community hub — exactly as published, on the demo
        site (`{DEMO}`). Use it as a catalogue: find a query close to what you need, run it, change it.

        Each query keeps its result under its id (`S01`, `D13`, …), so you can look at `S01.df` or
        `S01.status` afterwards. At the end, one table checks every answer; this notebook is also part
        of cmpivot-magic's tests.
        """),
        code(f"""
        %load_ext cmpivot_magic
        site = %cmpivot connect {DEMO} --name demo
        """),
    ]
    for title, intro, items in SAMPLE_SECTIONS:
        cells.append(md(f"## {title}\n\n{intro}"))
        for sid, name, about in items:
            cells.append(md(f"### {sid} — {name}\n\n{about}"))
            cells.append(Cell("code", f"%%cmpivot -o {sid}\n{sample_query(sid)}"))
            if sid == "D19":
                cells.append(md("""
                    The same chart for a device that exists: `{device}` puts the Python value in as a
                    quoted string.
                    """))
                cells.append(code("""
                    device = site.devices().query("IsOnline").Name.iloc[0]
                    device
                    """))
                cells.append(code("""
                    %%cmpivot -o D19_device
                    SystemBootData
                    | where Device == {device}
                    | project SystemStartTime, BootDuration, OSStart=EventLogStart, GPDuration, UpdateDuration
                    | order by SystemStartTime desc
                    | take 10
                    | render barchart with (kind=stacked, title='Boot times', ytitle='Time (ms)')
                    """))
    cells += [
        md("""
        ## Queries that must fail

        Three published queries are wrong, and the right answer is an error that says why — before
        anything is sent to a device. In a `%%cmpivot` cell you would see the message with a caret
        under the problem; here they run from Python inside `try`/`except`, so the notebook carries on.

        * **S13 as one block**: the sample page shows four registry queries in one code block; run
          together they are not one query.
        * **H03**: the 1806 documentation misspells `summarize`.
        * **H04**: a preview used the column `Hash`; the released `File()` entity calls it `SHA256Hash`.
        """),
        code("import cmpivot_magic as cm\n\nwrong = {\n" + "".join(
            f'    "{sid}": r"""{sample_query(sid)}""",\n' for sid in NEGATIVE_SAMPLES) + "}\n" + textwrap.dedent("""
            for sample_id, query in wrong.items():
                try:
                    site.run(query)
                except cm.CMPivotError as err:
                    print(f"{sample_id}: {type(err).__name__}")
                    print(err, end="\\n\\n")
            """), checked=True),
        md("""
        Tenant attach (CMPivot in the Intune admin center) has stricter rules: no `RegistryKey`, no
        `render`, one device at a time. S13b and D13 fail there:
        """),
        code("""
        tenant = cm.connect(site.url, profile="tenant-attach")
        for query in (S13b.query, D13.query):
            try:
                tenant.run(str(query), devices=["WKS-0002"])
            except cm.CMPivotError as err:
                print(f"{type(err).__name__}: {err}", end="\\n\\n")
        """, checked=True),
        md(f"""
        ## Every answer at a glance

        One row per sample: how many rows came back, from how many devices, and a fingerprint of the
        rows (a hash of their sorted values, leaving out date and time columns, which move with the
        clock). {", ".join(BY_DAY)} group devices by calendar day, so their rows shift with the hour
        you run them; for those the check is the total count instead.
        """),
        code(f"""
        import hashlib

        import pandas as pd

        SAMPLES = {ids!r}
        BY_DAY = {BY_DAY!r}


        def fingerprint(result):
            frame = result.df
            columns = [c for c in frame.columns if not pd.api.types.is_datetime64_any_dtype(frame[c])]
            text = frame[columns].astype(str).sort_values(columns).to_csv(index=False) if columns else ""
            return hashlib.sha1(text.encode()).hexdigest()[:10]


        rows = []
        for sample_id in SAMPLES:
            result = globals()[sample_id]
            status = result.status.Status.value_counts()
            by_day = sample_id in BY_DAY
            rows.append({{
                "Sample": sample_id,
                "Rows": "by day" if by_day else len(result.df),
                "Columns": len(result.df.columns),
                "Answered": int(status.get("Completed", 0) + status.get("Truncated", 0)),
                "Truncated": int(status.get("Truncated", 0)),
                "Failed": int(status.get("Failed", 0)),
                "Chart": result.chart_spec.kind if result.chart_spec else "",
                "Check": f"total {{result.df.iloc[:, -1].sum()}}" if by_day else fingerprint(result),
            }})
        pd.set_option("display.max_rows", 100)
        pd.DataFrame(rows).set_index("Sample")
        """, checked=True),
    ]
    return cells


# ----------------------------------------------------------------------------------------- 05

def report() -> list[Cell]:
    return [
        md("""
        # Contoso fleet health

        A one-page report on the demo site, made to be shared as a standalone web page: the tables are
        interactive (search, sort, page) and the charts are pictures, and both work offline, without
        Jupyter. Build it with:

        ```bash
        jupyter nbconvert --to html --execute --no-input notebooks/05-report.ipynb
        ```

        `--no-input` leaves the code out, so readers see only the findings. Point `SITE` at your own
        connection to report on your site.
        """),
        code(f"""
        import datetime as dt

        import matplotlib.pyplot as plt
        import pandas as pd
        from IPython.display import Markdown, display
        from itables import show

        import cmpivot_magic as cm
        from cmpivot_magic.render.tables import ensure_offline_tables

        SITE = "{DEMO}"
        %load_ext cmpivot_magic
        %config CMPivotMagic.show_progress = False
        %config CMPivotMagic.display_limit = 500
        site = %cmpivot connect {{SITE}} --name report
        ensure_offline_tables()  # the table library goes into the page once, so it works offline
        """),
        code("""
        devices = site.devices()
        display(Markdown(
            f"Generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC from `{SITE}`: "
            f"**{len(devices)} devices**, {int(devices.IsOnline.sum())} online when the report ran."))
        """),
        md("""
        ## Operating systems
        """),
        code("""
        %%cmpivot -o os_mix
        OperatingSystem
        | summarize Devices = count() by Caption
        | order by Devices desc
        | render barchart with (title='Operating systems', ytitle='Devices')
        """),
        md("""
        ## Update compliance

        Devices whose update build revision (UBR) is below the newest one seen for their Windows build
        missed at least one cumulative update.
        """),
        code(f"""
        %%cmpivot -o patch --no-display
        OperatingSystem
        | project Device, Caption, BuildNumber
        | join ({UBR_KEY} | where Property == 'UBR' | project Device, UBR = Value)
        """),
        code("""
        builds = patch.df.assign(BuildNumber=lambda d: d.BuildNumber.astype(int), UBR=lambda d: d.UBR.astype(int))
        builds["Current"] = builds.UBR == builds.groupby("BuildNumber").UBR.transform("max")
        compliance = (builds.groupby("BuildNumber")
                      .agg(Devices=("Device", "count"), Current=("Current", "sum"))
                      .assign(Behind=lambda d: d.Devices - d.Current,
                              PctCurrent=lambda d: (100 * d.Current / d.Devices).round(0))
                      .reset_index())
        fig, ax = plt.subplots(figsize=(8, 3.5))
        ax.bar(compliance.BuildNumber.astype(str), compliance.Current, label="current", color="#2b7bd4")
        ax.bar(compliance.BuildNumber.astype(str), compliance.Behind, bottom=compliance.Current, label="behind",
               color="#e8a33d")
        ax.set(title="Devices current on updates, per Windows build", ylabel="Devices")
        ax.legend()
        plt.xticks(rotation=45)
        plt.tight_layout()
        plt.show()
        show(compliance, caption="Update compliance per build", paging=False, showIndex=False)
        """),
        md("""
        ## Low disk space

        Local fixed disks with less than 10% free.
        """),
        code("""
        %%cmpivot -o lowdisk
        LogicalDisk
        | where DriveType == 3
        | project Device, Drive = Name, SizeGB = Size / 1024, FreeGB = FreeSpace / 1024, PctFree = 100 * FreeSpace / Size
        | where PctFree < 10
        | order by PctFree asc
        """),
        md("""
        ## Security services

        Devices where Microsoft Defender Antivirus (`WinDefend`) or Defender for Endpoint (`Sense`) is set
        to start automatically but is not running.
        """),
        code("""
        %%cmpivot -o defender
        Service
        | where Name in ('WinDefend', 'Sense') and StartMode == 'Auto' and State != 'Running'
        | project Device, Name, DisplayName, State
        """),
        md("""
        ## Software

        The products installed on the most devices.
        """),
        code("""
        %%cmpivot -o software
        InstalledSoftware
        | summarize Devices = dcount(Device) by ProductName
        | top 15 by Devices
        | render barchart with (title='Most installed software', ytitle='Devices')
        """),
        md("""
        ## Devices that did not answer

        Offline devices were not reachable when the report ran; failed devices answered with an error.
        """),
        code("""
        missing = patch.status[patch.status.Status != "Completed"][["Device", "Status", "Error"]]
        show(missing.sort_values(["Status", "Device"]), caption="Devices without an answer", showIndex=False)
        """),
    ]


# ----------------------------------------------------------------------------------------- 06

def troubleshooting() -> list[Cell]:
    return [
        md("""
        # Troubleshooting

        What goes wrong with CMPivot, what it looks like here, and what to do about it — each problem
        shown live. The problems come in two kinds:

        * **the query or the connection is wrong**: you get an error before any device is asked, with a
          short message that says what to change;
        * **some devices could not answer**: the query runs, and each device's status (`result.status`)
          says why it has no rows: *Offline*, *Failed*, *Truncated* or *Pending*.
        """),
        code(f"""
        %load_ext cmpivot_magic
        import cmpivot_magic as cm

        site = %cmpivot connect {DEMO} --name demo
        """),
        md("""
        ## 1. Mistakes in the query

        In a `%%cmpivot` cell an error shows as a short message with a caret under the problem, and the
        cell stops, as a failed cell should. (This cell is tagged `raises-exception`, so *Run All* carries
        on past it.)
        """),
        Cell("code", "%%cmpivot\nProcess\n| simmarize count() by Name", raises=True),
        md("""
        From Python the same errors are exceptions: `QuerySyntaxError` for the text, `QuerySemanticError`
        for names and types, both kinds of `CMPivotError`. The most common ones:
        """),
        code("""
        mistakes = {
            "a misspelt operator": "Process | simmarize count() by Name",
            "a misspelt column": "Process | project Name, WorkingSet",
            "a misspelt entity": "Proces | take 5",
            "= instead of ==": "Process | where Name = 'svchost.exe'",
            "a missing quote": "Process | where Name == 'svchost.exe",
            "two entities without a pipe": "Process\\nService",
            "KQL that CMPivot lacks": "Process | summarize arg_max(WorkingSetSize, Name) by Device",
            "text without quotes": "Process | where Name contains svchost",
            "count without ()": "Process | summarize count by Name",
            "count() is then called count_": "Process | summarize count() by Name | where count > 5",
            "a time without a unit": "OperatingSystem | where LastBootUpTime < ago(7)",
        }
        for what, query in mistakes.items():
            try:
                cm.parse(query)
                print(f"--- {what}: no error")
            except cm.CMPivotError as err:
                print(f"--- {what} ({type(err).__name__})\\n{err}\\n")
        """, checked=True),
        md("""
        A `{name}` whose variable does not exist is caught too, before anything is sent:
        """),
        Cell("code", "%%cmpivot\nProcess\n| where Name == {not_defined}", raises=True),
        md("""
        ## 2. Permissions

        CMPivot needs a ConfigMgr security role with **Read** on the collection, **Run CMPivot** on it,
        and **Read** on **Inventory Reports**. Without them the AdminService answers *403 Forbidden*.
        `%cmpivot help permissions` lists the roles, including the Entra ID side for a CMG:
        """),
        code("%cmpivot help permissions"),
        md("""
        To see a refusal live, start the AdminService emulator and give a helpdesk user a role limited to
        the servers collection (`CON00011`): they can see *All Systems* but may only run CMPivot on the
        servers.
        """),
        code("""
        from cmpivot_magic.emulator import Emulator

        emulator = Emulator(devices=50, seed=7, speed=200).start()
        helpdesk_token = emulator.add_token(read=["SMS00001", "CON00011"], run=["CON00011"], name="CONTOSO\\\\helpdesk")
        helpdesk = cm.connect(emulator.url, token=helpdesk_token, verify=emulator.ca_path)
        try:
            helpdesk.run("OperatingSystem | project Device, Caption", collection="SMS00001")
        except cm.PermissionDeniedError as err:
            print(type(err).__name__)
            print(err)
        """, checked=True),
        code("""
        allowed = helpdesk.run("OperatingSystem | project Device, Caption", collection="CON00011")
        print(allowed.summary)
        """, checked=True),
        md("""
        A token the site does not accept — expired, for another app, or for a user who is not a ConfigMgr
        administrative user — gets *401* and an `AuthenticationError`:
        """),
        code("""
        try:
            cm.connect(emulator.url, token="not-a-valid-token", verify=emulator.ca_path).run("Device")
        except cm.AuthenticationError as err:
            print(type(err).__name__)
            print(err)
        emulator.stop()
        """, checked=True),
        md("""
        ## 3. PowerShell 5 entities on PowerShell 4 devices

        Four entities — `Administrators`, `Connection`, `IPConfig` and `SMBConfig` — run PowerShell 5
        commands on the device. Devices with only PowerShell 4 (Windows 8.1 and Server 2012 R2 without
        WMF 5.1) answer with an error and show as **Failed**; the other devices answer normally.
        """),
        code("""
        entities = %cmpivot entities
        entities[entities.PowerShell5][["Entity", "Description"]]
        """, checked=True),
        md("""
        A site where one device in five has PowerShell 4 (`ps4=0.2`):
        """),
        code(f"""
        %%cmpivot --connection {DEMO}&ps4=0.2 -o admins
        Administrators
        | summarize Members = count() by Device
        """),
        code("""
        admins.status.Status.value_counts()
        """, checked=True),
        code("""
        failed = admins.status[admins.status.Status == "Failed"]
        print(failed.Error.value_counts().to_string())
        """, checked=True),
        md("""
        The fix is on the device (install WMF 5.1), or skip those devices: the *Out of support;
        PowerShell 4.0 only* collection (`CON0001C`) lists them on this site.
        """),
        md("""
        ## 4. Timeouts: devices still *Pending*

        ConfigMgr keeps an on-prem CMPivot operation open for an hour (ten minutes in the Intune admin
        center), and devices answer as they get to it. `--timeout S` stops waiting after S seconds: devices
        that had not answered are **Pending** (not Offline — they may still answer). Here the query waits
        2 seconds, and many devices need longer:
        """),
        code("""
        %%cmpivot --timeout 2 -o hurried
        OperatingSystem
        | summarize Devices = count() by Caption
        """),
        code("""
        print(hurried.summary)
        hurried.status.Status.value_counts()
        """),
        md("""
        Pressing **Stop** (interrupt) while a query runs does the same: it cancels the operation and keeps
        what arrived. Set a default for every cell with `%config CMPivotMagic.timeout = 120`.
        """),
        md("""
        ## 5. Too much data: *Truncated*

        Each device sends back at most 128 KB. A device with more sends the first part and is marked
        **Truncated**; its rows are incomplete. 120 days of a busy log is far too much:
        """),
        code("""
        %%cmpivot -o big_log --no-display
        CcmLog('ciagent', 120d)
        """),
        code("""
        big_log.status.Status.value_counts()
        """, checked=True),
        code("""
        print(big_log.status.loc[big_log.status.Status == "Truncated", "Error"].iloc[0])
        """, checked=True),
        md("""
        Narrow the query on the device: `where` and `project` right after the entity run on each device,
        so less comes back. Only errors and warnings (`Type` 2 and 3), three columns:
        """),
        code("""
        %%cmpivot -o narrowed --no-display
        CcmLog('ciagent', 120d)
        | where Type >= 2
        | project Device, DateTime, LogText
        """),
        code("""
        narrowed.status.Status.value_counts()
        """, checked=True),
        md("""
        `--explain` shows which steps run on the device (the *device part*). To see truncation on the demo
        site without a big query, lower its limit: `demo://?max_result_bytes=8000`.
        """),
        md("""
        ## 6. Offline and failed devices

        **Offline** devices were not connected to the site when the query went out; ConfigMgr does not
        queue CMPivot for them. **Failed** devices received the query and answered with an error. Both
        are listed in the status, with the reason:
        """),
        code("""
        %%cmpivot -o os_check --no-display
        OperatingSystem
        | project Device, Caption
        """),
        code("""
        problems = os_check.status[os_check.status.Status.isin(["Offline", "Failed"])]
        problems.groupby(["Status", "Error"]).Device.count()
        """, checked=True),
        md("""
        ## Where to look next

        * `%cmpivot help troubleshooting` — this page in short.
        * `result.status` — why each device has no rows.
        * `%%cmpivot --explain` — what each device runs.
        """),
        code("%cmpivot help troubleshooting"),
    ]


# ----------------------------------------------------------------------------------------- building

NOTEBOOKS: dict[str, Callable[[], list[Cell]]] = {
    "01-quickstart": quickstart,
    "02-fleet-investigation": fleet,
    "03-connect-to-your-site": connect_site,
    "04-cmpivot-samples": samples,
    "05-report": report,
    "06-troubleshooting": troubleshooting,
}
METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python", "pygments_lexer": "ipython3"},
}


def build(name: str) -> NotebookNode:
    """The notebook's cells, without outputs."""
    nb = nbformat.v4.new_notebook(metadata=METADATA)
    for i, cell in enumerate(NOTEBOOKS[name]()):
        cell_id = f"{name[:2]}-{i:03d}"
        if cell.kind == "markdown":
            nb.cells.append(nbformat.v4.new_markdown_cell(cell.source, id=cell_id))
            continue
        new = nbformat.v4.new_code_cell(cell.source, id=cell_id)
        tags = ([CHECK_TAG] if cell.checked and cell.source.startswith("%%") else []) + \
            ([RAISES_TAG] if cell.raises else [])
        if tags:
            new.metadata["tags"] = tags
        nb.cells.append(new)
    return nb


def is_checked(cell: NotebookNode) -> bool:
    return cell.cell_type == "code" and (
        cell.source.startswith(CHECK_MARKER) or CHECK_TAG in cell.metadata.get("tags", []))


def execute(nb: NotebookNode) -> NotebookNode:
    """Run the notebook in its folder and keep only the checked cells' outputs."""
    from nbclient import NotebookClient

    saved = {k: os.environ.pop(k) for k in list(os.environ) if k in _ISOLATE or k.startswith("CMPIVOT_MAGIC_")}
    try:
        NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
    finally:
        os.environ.update(saved)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if not is_checked(cell):
            cell.outputs, cell.execution_count = [], None
    nb.metadata = METADATA
    return nb


def sources(nb: NotebookNode) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source, list(c.metadata.get("tags", []))) for c in nb.cells]


def stale(name: str) -> str | None:
    """Why the committed notebook differs from this file, or None when it does not."""
    path = HERE / f"{name}.ipynb"
    if not path.exists():
        return f"{path.name} is missing"
    committed = nbformat.read(path, as_version=4)
    expected = build(name)
    if sources(committed) != sources(expected):
        for i, (a, b) in enumerate(zip(sources(committed), sources(expected), strict=False)):
            if a != b:
                return f"{path.name}: cell {i} differs from notebooks/_build.py"
        return f"{path.name}: {len(committed.cells)} cells, notebooks/_build.py makes {len(expected.cells)}"
    unrun = [i for i, c in enumerate(committed.cells) if is_checked(c) and c.execution_count is None]
    if unrun:
        return f"{path.name}: checked cells {unrun} have no stored output (run notebooks/_build.py)"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="build only notebooks whose names contain these")
    parser.add_argument("--no-execute", action="store_true", help="write the cells only")
    parser.add_argument("--check", action="store_true", help="exit 1 if a committed notebook is out of date")
    args = parser.parse_args(argv)
    chosen = [n for n in NOTEBOOKS if not args.names or any(part in n for part in args.names)]
    if args.check:
        problems = [p for p in map(stale, chosen) if p]
        print("\n".join(problems) or "notebooks are up to date")
        return 1 if problems else 0
    for name in chosen:
        nb = build(name)
        if not args.no_execute:
            print(f"running {name} …", flush=True)
            nb = execute(nb)
        nbformat.validate(nb)
        nbformat.write(nb, HERE / f"{name}.ipynb")
        print(f"wrote notebooks/{name}.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main())

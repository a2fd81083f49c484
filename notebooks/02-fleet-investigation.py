# %% [markdown]
# # Investigate a fleet
#
# You are the ConfigMgr administrator at Contoso. It is the week after Patch Tuesday and you want
# answers *now*, not after the next inventory cycle: which devices are behind on updates, which
# are running out of disk space, where security services have stopped, and what software is out
# there. Then you look closely at one device.
#
# This notebook uses the **demo site**, `demo://?devices=200&seed=7&clock=virtual`: 200 simulated workstations and
# servers with realistic data. As on a real site, some devices are offline, a few fail every
# query, and old ones run PowerShell 4. The same seed always gives the same site, and
# `clock=virtual` makes devices answer at once (use `clock=real&speed=20` to watch them answer
# one by one).

# %% [markdown]
# ## Connect
#
# `%cmpivot connect URL --name NAME` opens a connection and makes it the one every following
# `%%cmpivot` cell uses. It also returns the session, for use from Python.

# %%
# %load_ext cmpivot_magic
# site = %cmpivot connect demo://?devices=200&seed=7&clock=virtual --name contoso
site

# %% [markdown]
# What is on the site? Its collections (groups of devices) and its devices:

# %%
# NBVAL_CHECK_OUTPUT
# %cmpivot collections

# %%
# NBVAL_CHECK_OUTPUT
devices = site.devices()
print(f"{len(devices)} devices, {int(devices.IsOnline.sum())} online")
devices.groupby("IsServer").size().rename(index={False: "workstations", True: "servers"})

# %% [markdown]
# ## 1. Patch levels by OS build
#
# Windows reports its build in two parts: the **build number** (19045 is Windows 10 22H2, 26100 is
# Windows 11 24H2) and the **update build revision** (UBR), which goes up with every cumulative
# update. The UBR is in the registry, so this query joins the `OperatingSystem` entity with a
# `Registry` lookup (a `join` matches rows of the same device) and counts devices per full build.

# %%
# %%cmpivot
OperatingSystem
| project Device, Caption, BuildNumber
| join (Registry('HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion') | where Property == 'UBR' | project Device, UBR = Value)
| project Device, Build = strcat(BuildNumber, '.', UBR)
| summarize Devices = count() by Build
| order by Build asc
| render columnchart with (title='Devices per Windows build', xtitle='Build', ytitle='Devices')

# %% [markdown]
# Which devices are behind? Ask for one row per device, keep the answer as `patch` and let pandas
# compare each device with the newest revision seen for its build.

# %%
# %%cmpivot -o patch --no-display
OperatingSystem
| project Device, Caption, BuildNumber
| join (Registry('HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion') | where Property == 'UBR' | project Device, UBR = Value)

# %%
# NBVAL_CHECK_OUTPUT
builds = patch.df.assign(BuildNumber=lambda d: d.BuildNumber.astype(int), UBR=lambda d: d.UBR.astype(int))
builds["Newest"] = builds.groupby("BuildNumber").UBR.transform("max")
builds["Behind"] = builds.UBR < builds.Newest
by_build = (builds.groupby("BuildNumber")
            .agg(Devices=("Device", "count"), NewestUBR=("Newest", "max"), Behind=("Behind", "sum"))
            .sort_index())
by_build

# %%
# NBVAL_CHECK_OUTPUT
behind = builds[builds.Behind].sort_values(["BuildNumber", "UBR", "Device"], ignore_index=True)
print(f"{len(behind)} of {len(builds)} devices are behind the newest update of their build")
behind[["Device", "Caption", "BuildNumber", "UBR", "Newest"]].head(10)

# %% [markdown]
# ## 2. Low disk space
#
# `LogicalDisk` sizes are in megabytes. `DriveType == 3` keeps local fixed disks; the query works
# out the free percentage on each device and keeps disks with less than 10% free.

# %%
# %%cmpivot -o lowdisk
LogicalDisk
| where DriveType == 3
| project Device, Drive = Name, SizeGB = Size / 1024, FreeGB = FreeSpace / 1024, PctFree = 100 * FreeSpace / Size
| where PctFree < 10
| order by PctFree asc

# %% [markdown]
# Who should you call? Add each device's user and model from the site's device list:

# %%
# NBVAL_CHECK_OUTPUT
call_list = (lowdisk.df
             .merge(devices[["Name", "UserName", "Model"]], left_on="Device", right_on="Name")
             .drop(columns="Name")
             .sort_values(["PctFree", "Device"], ignore_index=True))
call_list.head(10)

# %% [markdown]
# ## 3. Stopped services that should be running
#
# Services set to start automatically (`StartMode == 'Auto'`) but not running. Counting devices
# per service (`dcount(Device)`) shows what is widespread and what is unusual.

# %%
# %%cmpivot
Service
| where StartMode == 'Auto' and State == 'Stopped'
| summarize Devices = dcount(Device) by Name, DisplayName
| order by Devices desc

# %% [markdown]
# The top of the list is normal: update services such as `edgeupdate` and `gupdate` start, do
# their work and stop, and `sppsvc` stops when idle. The security services are another matter.
# Where are Microsoft Defender (`WinDefend`) or Defender for Endpoint (`Sense`) stopped?

# %%
# %%cmpivot -o defender
Service
| where Name in ('WinDefend', 'Sense') and StartMode == 'Auto' and State != 'Running'
| project Device, Name, DisplayName, State

# %%
# NBVAL_CHECK_OUTPUT
defender.df.groupby("Name").Device.count()

# %%
# NBVAL_CHECK_OUTPUT
sorted(defender.df.loc[defender.df.Name == "WinDefend", "Device"])

# %% [markdown]
# ## 4. Software inventory
#
# `InstalledSoftware` lists what is installed on each device. The ten products found on the most
# devices:

# %%
# %%cmpivot
InstalledSoftware
| summarize Devices = dcount(Device) by ProductName
| top 10 by Devices
| render barchart with (title='Most installed software', ytitle='Devices')

# %% [markdown]
# Browsers need to stay current. Which versions of Google Chrome are out there?

# %%
# %%cmpivot -o chrome
InstalledSoftware
| where ProductName == 'Google Chrome'
| summarize Devices = count() by ProductVersion
| order by ProductVersion desc
| render piechart with (title='Google Chrome versions')

# %%
# NBVAL_CHECK_OUTPUT
versions = chrome.df.sort_values("ProductVersion", ascending=False, ignore_index=True)
versions["Share"] = (100 * versions.Devices / versions.Devices.sum()).round(1)
versions

# %% [markdown]
# ## 5. Pivot to one device
#
# The device with the least free space is first in the call list. `--devices VAR` runs a query on
# the devices named in a Python variable: a name, a list of names, a DataFrame with a `Device`
# column, a result, or a device picker.

# %%
# NBVAL_CHECK_OUTPUT
worst = call_list.Device[0]
worst

# %%
# %%cmpivot --devices worst -o console_users
SystemConsoleUser
| project Device, SystemConsoleUser, NumberOfConsoleLogons, TotalUserConsoleMinutes

# %%
# NBVAL_CHECK_OUTPUT
console_users.df.sort_values("TotalUserConsoleMinutes", ascending=False, ignore_index=True)

# %% [markdown]
# What is it running? The top processes by memory on that one device:

# %%
# %%cmpivot --devices worst -o worst_processes
Process
| top 5 by WorkingSetSize
| project Device, Name, MemoryMB = WorkingSetSize / 1048576

# %%
# NBVAL_CHECK_OUTPUT
worst_processes.df

# %% [markdown]
# ### Pick devices by hand
#
# The **device picker** searches the site's devices by name, user, OS or collection; tick devices
# to select them. `picker.selected` holds the names, and `%%cmpivot --devices picker` queries
# exactly those. In this notebook the selection is set in code so that it runs top to bottom on its
# own — try ticking devices yourself.

# %%
from cmpivot_magic.widgets import DevicePicker

picker = DevicePicker(site)
picker.selected = call_list.Device.head(3)
picker

# %%
# NBVAL_CHECK_OUTPUT
picker.selected

# %%
# %%cmpivot --devices picker -o picked
LogicalDisk
| where DriveType == 3
| project Device, Drive = Name, FreeGB = FreeSpace / 1024

# %%
# NBVAL_CHECK_OUTPUT
picked.df.sort_values("Device", ignore_index=True)

# %% [markdown]
# ## 6. Devices that did not answer
#
# Every result has a status for each targeted device. On this site about one device in ten is
# offline (ConfigMgr sends a query only to devices that are online at that moment), and a few fail
# every query. `patch.status` covers all 200 devices of the first query:

# %%
# NBVAL_CHECK_OUTPUT
patch.status.Status.value_counts()

# %%
# NBVAL_CHECK_OUTPUT
missing = patch.status[patch.status.Status != "Completed"]
missing[["Device", "Status", "Error"]].sort_values(["Status", "Device"], ignore_index=True).head(8)

# %% [markdown]
# To try them again later, pass the same devices back with `--devices`. On the demo site they are
# still offline or failing, so the answer is the same; on a real site some will have come online.

# %%
retry = missing.Device.tolist()

# %%
# %%cmpivot --devices retry -o retried --no-display
OperatingSystem
| project Device, Caption

# %%
# NBVAL_CHECK_OUTPUT
retried.status.Status.value_counts()

# %% [markdown]
# ### The results explorer
#
# `ResultsExplorer` puts a result's rows, device status, chart and query in tabs. From it you can
# pivot (select devices from the result and run the next query on them) and retry the devices that
# did not answer, with their rows merged into the result.

# %%
from cmpivot_magic.widgets import ResultsExplorer

ResultsExplorer(patch, site)

# %% [markdown]
# ## Next
#
# **03-connect-to-your-site** does the same against a ConfigMgr site, **04-cmpivot-samples** runs
# every official sample query, and **06-troubleshooting** explains offline, failed, truncated and
# pending devices in detail.

# %% [markdown]
# # Contoso fleet health
#
# A one-page report on the demo site, made to be shared as a standalone web page: the tables are
# interactive (search, sort, page) and the charts are pictures, and both work offline, without
# Jupyter. Build it with:
#
# ```bash
# jupyter nbconvert --to html --execute --no-input notebooks/05-report.ipynb
# ```
#
# `--no-input` leaves the code out, so readers see only the findings. Point `SITE` at your own
# connection to report on your site.

# %%
import datetime as dt

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display
from itables import show

import cmpivot_magic as cm
from cmpivot_magic.render.tables import ensure_offline_tables

SITE = "demo://?devices=200&seed=7&clock=virtual"
# %load_ext cmpivot_magic
# %config CMPivotMagic.show_progress = False
# %config CMPivotMagic.display_limit = 500
# site = %cmpivot connect {SITE} --name report
ensure_offline_tables()  # the table library goes into the page once, so it works offline

# %%
devices = site.devices()
display(Markdown(
    f"Generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC from `{SITE}`: "
    f"**{len(devices)} devices**, {int(devices.IsOnline.sum())} online when the report ran."))

# %% [markdown]
# ## Operating systems

# %%
# %%cmpivot -o os_mix
OperatingSystem
| summarize Devices = count() by Caption
| order by Devices desc
| render barchart with (title='Operating systems', ytitle='Devices')

# %% [markdown]
# ## Update compliance
#
# Devices whose update build revision (UBR) is below the newest one seen for their Windows build
# missed at least one cumulative update.

# %%
# %%cmpivot -o patch --no-display
OperatingSystem
| project Device, Caption, BuildNumber
| join (Registry('HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion') | where Property == 'UBR' | project Device, UBR = Value)

# %%
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

# %% [markdown]
# ## Low disk space
#
# Local fixed disks with less than 10% free.

# %%
# %%cmpivot -o lowdisk
LogicalDisk
| where DriveType == 3
| project Device, Drive = Name, SizeGB = Size / 1024, FreeGB = FreeSpace / 1024, PctFree = 100 * FreeSpace / Size
| where PctFree < 10
| order by PctFree asc

# %% [markdown]
# ## Security services
#
# Devices where Microsoft Defender Antivirus (`WinDefend`) or Defender for Endpoint (`Sense`) is set
# to start automatically but is not running.

# %%
# %%cmpivot -o defender
Service
| where Name in ('WinDefend', 'Sense') and StartMode == 'Auto' and State != 'Running'
| project Device, Name, DisplayName, State

# %% [markdown]
# ## Software
#
# The products installed on the most devices.

# %%
# %%cmpivot -o software
InstalledSoftware
| summarize Devices = dcount(Device) by ProductName
| top 15 by Devices
| render barchart with (title='Most installed software', ytitle='Devices')

# %% [markdown]
# ## Devices that did not answer
#
# Offline devices were not reachable when the report ran; failed devices answered with an error.

# %%
missing = patch.status[patch.status.Status != "Completed"][["Device", "Status", "Error"]]
show(missing.sort_values(["Status", "Device"]), caption="Devices without an answer", showIndex=False)

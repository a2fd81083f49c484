# %% [markdown]
# # Troubleshooting
#
# What goes wrong with CMPivot, what it looks like here, and what to do about it — each problem
# shown live. The problems come in two kinds:
#
# * **the query or the connection is wrong**: you get an error before any device is asked, with a
#   short message that says what to change;
# * **some devices could not answer**: the query runs, and each device's status (`result.status`)
#   says why it has no rows: *Offline*, *Failed*, *Truncated* or *Pending*.

# %%
# %load_ext cmpivot_magic
import cmpivot_magic as cm

# site = %cmpivot connect demo://?devices=200&seed=7&clock=virtual --name demo

# %% [markdown]
# ## 1. Mistakes in the query
#
# In a `%%cmpivot` cell an error shows as a short message with a caret under the problem, and the
# cell stops, as a failed cell should. (This cell is tagged `raises-exception`, so *Run All* carries
# on past it.)

# %% tags=["raises-exception"]
# %%cmpivot
Process
| simmarize count() by Name

# %% [markdown]
# From Python the same errors are exceptions: `QuerySyntaxError` for the text, `QuerySemanticError`
# for names and types, both kinds of `CMPivotError`. The most common ones:

# %%
# NBVAL_CHECK_OUTPUT
mistakes = {
    "a misspelt operator": "Process | simmarize count() by Name",
    "a misspelt column": "Process | project Name, WorkingSet",
    "a misspelt entity": "Proces | take 5",
    "= instead of ==": "Process | where Name = 'svchost.exe'",
    "a missing quote": "Process | where Name == 'svchost.exe",
    "two entities without a pipe": "Process\nService",
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
        print(f"--- {what} ({type(err).__name__})\n{err}\n")

# %% [markdown]
# A `{name}` whose variable does not exist is caught too, before anything is sent:

# %% tags=["raises-exception"]
# %%cmpivot
Process
| where Name == {not_defined}

# %% [markdown]
# ## 2. Permissions
#
# CMPivot needs a ConfigMgr security role with **Read** on the collection, **Run CMPivot** on it,
# and **Read** on **Inventory Reports**. Without them the AdminService answers *403 Forbidden*.
# `%cmpivot help permissions` lists the roles, including the Entra ID side for a CMG:

# %%
# %cmpivot help permissions

# %% [markdown]
# To see a refusal live, start the AdminService emulator and give a helpdesk user a role limited to
# the servers collection (`CON00011`): they can see *All Systems* but may only run CMPivot on the
# servers.

# %%
# NBVAL_CHECK_OUTPUT
from cmpivot_magic.emulator import Emulator

emulator = Emulator(devices=50, seed=7, speed=200).start()
helpdesk_token = emulator.add_token(read=["SMS00001", "CON00011"], run=["CON00011"], name="CONTOSO\\helpdesk")
helpdesk = cm.connect(emulator.url, token=helpdesk_token, verify=emulator.ca_path)
try:
    helpdesk.run("OperatingSystem | project Device, Caption", collection="SMS00001")
except cm.PermissionDeniedError as err:
    print(type(err).__name__)
    print(err)

# %%
# NBVAL_CHECK_OUTPUT
allowed = helpdesk.run("OperatingSystem | project Device, Caption", collection="CON00011")
print(allowed.summary)

# %% [markdown]
# A token the site does not accept — expired, for another app, or for a user who is not a ConfigMgr
# administrative user — gets *401* and an `AuthenticationError`:

# %%
# NBVAL_CHECK_OUTPUT
try:
    cm.connect(emulator.url, token="not-a-valid-token", verify=emulator.ca_path).run("Device")
except cm.AuthenticationError as err:
    print(type(err).__name__)
    print(err)
emulator.stop()

# %% [markdown]
# ## 3. PowerShell 5 entities on PowerShell 4 devices
#
# Four entities — `Administrators`, `Connection`, `IPConfig` and `SMBConfig` — run PowerShell 5
# commands on the device. Devices with only PowerShell 4 (Windows 8.1 and Server 2012 R2 without
# WMF 5.1) answer with an error and show as **Failed**; the other devices answer normally.

# %%
# NBVAL_CHECK_OUTPUT
# entities = %cmpivot entities
entities[entities.PowerShell5][["Name", "Description"]]

# %% [markdown]
# A site where one device in five has PowerShell 4 (`ps4=0.2`):

# %%
# %%cmpivot --connection demo://?devices=200&seed=7&clock=virtual&ps4=0.2 -o admins
Administrators
| summarize Members = count() by Device

# %%
# NBVAL_CHECK_OUTPUT
admins.status.Status.value_counts()

# %%
# NBVAL_CHECK_OUTPUT
failed = admins.status[admins.status.Status == "Failed"]
print(failed.Error.value_counts().to_string())

# %% [markdown]
# The fix is on the device (install WMF 5.1), or skip those devices: the *Out of support;
# PowerShell 4.0 only* collection (`CON0001C`) lists them on this site.

# %% [markdown]
# ## 4. Timeouts: devices still *Pending*
#
# ConfigMgr keeps an on-prem CMPivot operation open for an hour (ten minutes in the Intune admin
# center), and devices answer as they get to it. `--timeout S` stops waiting after S seconds: devices
# that had not answered are **Pending** (not Offline — they may still answer). Here the query waits
# 2 seconds, and many devices need longer:

# %%
# %%cmpivot --timeout 2 -o hurried
OperatingSystem
| summarize Devices = count() by Caption

# %%
print(hurried.summary)
hurried.status.Status.value_counts()

# %% [markdown]
# Pressing **Stop** (interrupt) while a query runs does the same: it cancels the operation and keeps
# what arrived. Set a default for every cell with `%config CMPivotMagic.timeout = 120`.

# %% [markdown]
# ## 5. Too much data: *Truncated*
#
# Each device sends back at most 128 KB. A device with more sends the first part and is marked
# **Truncated**; its rows are incomplete. 120 days of a busy log is far too much:

# %%
# %%cmpivot -o big_log --no-display
CcmLog('ciagent', 120d)

# %%
# NBVAL_CHECK_OUTPUT
big_log.status.Status.value_counts()

# %%
# NBVAL_CHECK_OUTPUT
print(big_log.status.loc[big_log.status.Status == "Truncated", "Error"].iloc[0])

# %% [markdown]
# Narrow the query on the device: `where` and `project` right after the entity run on each device,
# so less comes back. Only errors and warnings (`Type` 2 and 3), three columns:

# %%
# %%cmpivot -o narrowed --no-display
CcmLog('ciagent', 120d)
| where Type >= 2
| project Device, DateTime, LogText

# %%
# NBVAL_CHECK_OUTPUT
narrowed.status.Status.value_counts()

# %% [markdown]
# `--explain` shows which steps run on the device (the *device part*). To see truncation on the demo
# site without a big query, lower its limit: `demo://?max_result_bytes=8000`.

# %% [markdown]
# ## 6. Offline and failed devices
#
# **Offline** devices were not connected to the site when the query went out; ConfigMgr does not
# queue CMPivot for them. **Failed** devices received the query and answered with an error. Both
# are listed in the status, with the reason:

# %%
# %%cmpivot -o os_check --no-display
OperatingSystem
| project Device, Caption

# %%
# NBVAL_CHECK_OUTPUT
problems = os_check.status[os_check.status.Status.isin(["Offline", "Failed"])]
problems.groupby(["Status", "Error"]).Device.count()

# %% [markdown]
# ## Where to look next
#
# * `%cmpivot help troubleshooting` — this page in short.
# * `result.status` — why each device has no rows.
# * `%%cmpivot --explain` — what each device runs.

# %%
# %cmpivot help troubleshooting

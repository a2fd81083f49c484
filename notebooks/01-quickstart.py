# %% [markdown]
# # Quickstart: ask this computer a question
#
# **CMPivot** is the query tool built into Microsoft Configuration Manager (ConfigMgr): you type a
# short query, ConfigMgr sends it to devices that are online *right now*, and their answers come
# back within seconds. **cmpivot-magic** lets you do the same from a notebook, and gives you the
# answers as tables, charts and pandas DataFrames.
#
# You don't need a ConfigMgr site for this notebook. The connection `local://` answers from the
# computer the notebook runs on, so every query below works on your laptop, in a container or on
# Binder. The next notebooks move on to a simulated site of 200 devices (`02`) and to a real site
# (`03`).
#
# Run the cells from top to bottom with **Shift+Enter**.

# %% [markdown]
# ## 1. Load the magic
#
# One line turns on the `%%cmpivot` cell magic and the `%cmpivot` line magic.

# %%
# %load_ext cmpivot_magic

# %% [markdown]
# ## 2. Your first query
#
# Write `%%cmpivot` on the first line of a cell and the query below it. A query starts with an
# **entity** (what to read: `OperatingSystem`, `Process`, `Disk` and about 150 more) and then has steps
# joined by `|`, each one narrowing or reshaping the rows.
#
# The answer shows:
#
# * a live progress line while devices answer (here there is only one device: this one);
# * the **status line**, worded as in the ConfigMgr console ("Query completed on 1 of 1 client");
# * an **interactive table**: click a header to sort, type in *Search* to filter;
# * **Device status** under the table: click it to see, for each device, whether it answered,
#   was offline or failed, and why.

# %%
# %%cmpivot
OperatingSystem
| project Device, Caption, Version, OSArchitecture, LastBootUpTime

# %% [markdown]
# ## 3. Processes, and a chart
#
# `summarize count() by Name` counts the rows per process name; `top 10 by count_` keeps the ten
# largest; `render barchart` draws them. The chart is a picture (PNG), so it stays in the notebook
# when you save it, share it or export it to HTML.

# %%
# %%cmpivot
Process
| summarize count() by Name
| top 10 by count_
| render barchart with (title='Most common processes', ytitle='Processes')

# %% [markdown]
# Which processes use the most memory? `WorkingSetSize` is in bytes, so divide it to get megabytes.
# `%cmpivot schema Process` (further down) lists every column and its unit.

# %%
# %%cmpivot
Process
| project Name, ProcessId, MemoryMB = WorkingSetSize / 1048576
| top 5 by MemoryMB

# %% [markdown]
# ## 4. Disks
#
# For `LogicalDisk`, `Size` and `FreeSpace` are in megabytes (as in ConfigMgr's hardware
# inventory), so `/ 1024` gives gigabytes.

# %%
# %%cmpivot
LogicalDisk
| project Device, Name, FileSystem, SizeGB = Size / 1024, FreeGB = FreeSpace / 1024

# %% [markdown]
# ## 5. The answer as Python: `_cmpivot`, `.df`, `.status`
#
# After every query, `_cmpivot` holds the result. It is a `QueryResult`:
#
# | attribute | what it is |
# |---|---|
# | `.df` | every row, as a pandas DataFrame (the table above shows at most 50) |
# | `.status` | one row per device: `Completed`, `Offline`, `Failed`, `Truncated` or `Pending`, and why |
# | `.summary` | the status line as text |
# | `.query` | the parsed query (`str(result.query)` gives its text back) |
# | `.to_csv()`, `.to_parquet(path)` | all rows, to a file |

# %%
disks = _cmpivot
print(disks.summary)
disks.df

# %%
disks.status

# %% [markdown]
# ## 6. Keep a result under a name: `-o NAME` or `NAME <<`
#
# `_cmpivot` is replaced by the next query. To keep a result, give it a name on the first line.
# Both spellings do the same thing.

# %%
# %%cmpivot -o procs --no-display
Process
| project Name, ProcessId, ThreadCount, MemoryMB = WorkingSetSize / 1048576

# %% [markdown]
# `--no-display` showed only the status line; the rows are in `procs.df`, ready for pandas:

# %%
procs.df.groupby("Name").agg(Processes=("ProcessId", "count"), MemoryMB=("MemoryMB", "sum")) \
    .sort_values("MemoryMB", ascending=False).head(5)

# %%
# %%cmpivot biggest << --limit 3
Process
| top 10 by WorkingSetSize
| project Name, ProcessId, WorkingSetSize

# %%
len(biggest.df)  # --limit 3 showed three rows; the result keeps all ten

# %% [markdown]
# ## 7. What can I ask? Entities and their columns
#
# `%cmpivot entities` lists the entities (add a word to filter them), `%cmpivot schema NAME`
# lists the columns of one. Entities marked `PowerShell5` need PowerShell 5 on the device.

# %%
# %cmpivot entities disk

# %%
# %cmpivot schema LogicalDisk

# %% [markdown]
# ## 8. Python values in a query: `{name}`
#
# Put a Python variable in braces and it goes into the query as a proper, escaped value — a string
# gets quotes, a list becomes `('a', 'b')` for `in`, a `datetime` becomes `datetime(...)`. Text is
# never pasted in raw, so a quote or a `|` in a value cannot change the query.

# %%
looking_for = "python"

# %%
# %%cmpivot
Process
| where Name contains {looking_for}
| project Name, ProcessId, CommandLine

# %% [markdown]
# ## 9. Check a query without running it: `--explain`
#
# `--explain` shows what would happen and sends nothing. CMPivot splits every query in two: the
# **device part** runs on each device (so devices send back only what is needed), and the
# **global part** combines the answers of all devices. The last line is the exact text each
# device receives. Here you can also see how `{tricky}` was escaped.

# %%
tricky = "it's | not a pipe"

# %% tags=["nbval-check-output"]
# %%cmpivot --explain
Process
| where Name == {tricky} or Name contains 'python'
| summarize count() by Name
| top 10 by count_

# %% [markdown]
# ## 10. The same thing from plain Python
#
# The magic is a thin layer over the Python API, which you can use in scripts too.

# %%
import cmpivot_magic as cm

session = cm.connect("local://")
result = session.run("Disk | project Device, Name, FileSystem, Size, FreeSpace")
print(result.summary)
result.df

# %% [markdown]
# ## 11. Help
#
# `%cmpivot help` lists the options; `%cmpivot help TOPIC` explains operators, functions, entities,
# permissions, client prerequisites, sample queries and troubleshooting.

# %%
# %cmpivot help

# %%
# %cmpivot help operators

# %% [markdown]
# ## Next
#
# * **02-fleet-investigation** — a simulated site of 200 devices: patch levels, low disk space,
#   stopped services, software, and a pivot to one device.
# * **03-connect-to-your-site** — connect to your own ConfigMgr site.
# * **04-cmpivot-samples** — every official CMPivot sample query, runnable.
# * **05-report** — a report to export as a standalone HTML page.
# * **06-troubleshooting** — permissions, PowerShell versions, timeouts and common mistakes.

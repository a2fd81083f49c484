# %% [markdown]
# # Connect to your site
#
# cmpivot-magic talks to ConfigMgr through the **AdminService**, the REST API of the SMS Provider.
# The magic starts a CMPivot operation there and collects the answers, as the console does.
#
# **Without a site, this notebook runs anyway:** it starts the *emulator*, an AdminService
# stand-in with 50 simulated devices, on this computer (HTTPS on 127.0.0.1, its own certificate
# authority, a bearer token). To use your site instead, set the environment variable
# `CMPIVOT_SITE_URL` before starting Jupyter (details below).

# %% [markdown]
# ## What you need
#
# | | |
# |---|---|
# | **URL** | `https://<SMS Provider>/AdminService` on your network, or through a cloud management gateway: `https://<CMG>/CCM_Proxy_ServerAuth/<site id>/AdminService` |
# | **Permissions** | a ConfigMgr security role with *Read* on the collections you query, *Run CMPivot* on them, and *Read* on *Inventory Reports* (`%cmpivot help permissions`) |
# | **Sign-in** | on-prem: Windows integrated sign-in (Kerberos); through a CMG: an Entra ID token |
# | **Clients** | ConfigMgr clients with PowerShell 4 or later (5 for a few entities) |
# | **TLS** | the provider's certificate must be trusted. Unless your PKI issued one, it is the site's self-signed certificate: export the *SMS Issuing* root from the console (Administration > Security > Certificates) as PEM and pass `verify="sms-root.pem"` |

# %% [markdown]
# ## Choose the site
#
# | environment variable | meaning |
# |---|---|
# | `CMPIVOT_SITE_URL` | your AdminService URL; unset → the emulator |
# | `CMPIVOT_SITE_TOKEN` | a bearer token (optional; without one, Kerberos is used) |
# | `CMPIVOT_SITE_CA` | a PEM file with your root CA (optional) |

# %%
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

# %% [markdown]
# The magic connects the same way. `%cmpivot connect` takes the options as `--name value` (Python
# values go in with `{braces}`); the connection is then the default for every `%%cmpivot` cell.

# %%
import shlex

# %load_ext cmpivot_magic
flags = " ".join(f"--{key} {shlex.quote(str(value))}" for key, value in options.items())
# site = %cmpivot connect {url} --name site {flags}
# %cmpivot connections

# %% [markdown]
# ## Devices and collections
#
# The site's collections, and its devices with whether their client is online right now
# (from the provider's fast channel):

# %%
# %cmpivot collections

# %%
devices = site.devices()
devices[["Name", "UserName", "OSCaption", "IsOnline"]].head(10)

# %% [markdown]
# ## Query a collection
#
# Without `--collection`, a query goes to *All Systems* (`SMS00001`). Choose another collection
# with `--collection ID`. The live line shows devices answering as the provider reports them.

# %%
# %%cmpivot --collection SMS00001
OperatingSystem
| summarize Devices = count() by Caption
| order by Devices desc
| render barchart with (title='Operating systems', ytitle='Devices')

# %%
# %%cmpivot --collection SMS00001
LogicalDisk
| where DriveType == 3
| project Device, Drive = Name, FreeGB = FreeSpace / 1024, PctFree = 100 * FreeSpace / Size
| top 10 by PctFree asc

# %% [markdown]
# ## Query single devices
#
# `--device NAME` (repeatable) or `--devices VAR` target devices by name. The AdminService runs one
# operation per device, so for more than a handful of devices use a collection.

# %%
online = devices[devices.IsOnline].Name.head(2).tolist()
online

# %%
# %%cmpivot --devices online
Process
| top 3 by WorkingSetSize
| project Device, Name, MemoryMB = WorkingSetSize / 1048576

# %% [markdown]
# ## From Python: follow an operation
#
# `session.submit(...)` returns the operation at once; `updates()` yields progress as devices
# answer and `result()` waits for the rest. Every operation has the id ConfigMgr gave it.

# %%
operation = session.submit("Device | project Device, UserName, Model", collection="SMS00001")
for progress in operation.updates():
    print(progress)
result = operation.result()
print("operation", result.operation_id, "-", result.summary)
result.df.head()

# %% [markdown]
# ## On-prem: Windows integrated sign-in (Kerberos)
#
# On a domain-joined Windows machine, the notebook signs in as you: nothing to type. On Linux or
# macOS, get a Kerberos ticket first (`kinit you@CONTOSO.COM`). Install the extra once:
# `pip install "cmpivot-magic[negotiate]"`.
#
# ```python
# site = cm.connect("https://cm01.contoso.com/AdminService", auth="negotiate", verify="contoso-root-ca.pem")
# ```
#
# or in a cell: `%cmpivot connect https://cm01.contoso.com/AdminService --name cm01 --auth negotiate`.
#
# NTLM is not offered: ConfigMgr 2509 and later refuse it. If you get *401*, check the ticket
# (`klist`) and that the provider's SPN (`HTTP/cm01.contoso.com`) is registered.

# %% [markdown]
# ## Through a cloud management gateway with Entra ID
#
# Away from the corporate network, the AdminService is reached through the CMG and wants an Entra
# ID token for the ConfigMgr server app (scope `<App ID URI>/user_impersonation`).
#
# The number after `CCM_Proxy_ServerAuth` identifies your site's AdminService behind the gateway;
# your ConfigMgr administrator can look it up.
#
# **Today**, pass a token you got elsewhere — from your organisation's tooling, or from the Azure CLI
# where your Entra administrator allows it for the ConfigMgr server app:
#
# ```python
# import subprocess
# token = subprocess.run(["az", "account", "get-access-token", "--resource", "<App ID URI>",
#                         "--query", "accessToken", "-o", "tsv"], capture_output=True, text=True).stdout.strip()
# cmg = cm.connect("https://contoso.cloudapp.net/CCM_Proxy_ServerAuth/72057594037927941/AdminService", token=token)
# ```
#
# **Coming next**, cmpivot-magic signs you in itself with MSAL: a device-code prompt in the
# notebook (with a copy button), tokens cached securely and refreshed silently:
#
# ```python
# cmg = cm.connect("https://contoso.cloudapp.net/CCM_Proxy_ServerAuth/72057594037927941/AdminService",
#                  auth="msal")
# ```
#
# Set `CMPIVOT_CMG_URL` to try it from the cell below; until the sign-in is released it explains
# what to do instead.

# %%
CMG_URL = os.environ.get("CMPIVOT_CMG_URL")
if CMG_URL:
    try:
        cmg = cm.connect(CMG_URL, auth="msal")
        print("Signed in:", cmg)
    except cm.CMPivotError as err:
        print(err)
else:
    print("Set CMPIVOT_CMG_URL to your CMG's AdminService URL to sign in with Entra ID.")

# %% [markdown]
# ## Tenant attach: the Intune admin center's rules
#
# CMPivot in the Intune admin center (tenant attach) queries **one device** at a time, has no
# `render`, and lacks a few entities. `profile="tenant-attach"` applies the same rules here, so a
# query you prepare in a notebook also works there:
#
# ```python
# ta = cm.connect(url, profile="tenant-attach", **options)
# ta.run("Device", devices=["WKS-0001"])
# ```
#
# ## Clean up
#
# Stop the emulator when you are done (it also stops when the kernel does).

# %%
if emulator is not None:
    emulator.stop()

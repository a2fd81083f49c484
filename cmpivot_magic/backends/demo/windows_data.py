"""What the simulated fleet is made of: Windows releases, hardware models and their firmware, CPUs,
people and ConfigMgr client versions, with the weights a typical enterprise estate shows.

Plain data consumed by ``fleet.py``; nothing here draws random numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

# fmt: off


@dataclass(frozen=True)
class OSRelease:
    caption: str          # without the edition: 'Microsoft Windows 11' + ' Enterprise'
    version: str
    build: str
    display: str          # DisplayVersion / ReleaseId as the registry shows it
    ubrs: tuple[int, ...]  # cumulative-update levels, oldest first
    server: bool
    weight: float
    age_days: int         # how long ago the release shipped (bounds InstallDate)


WORKSTATION_OS: tuple[OSRelease, ...] = (
    OSRelease("Microsoft Windows 11", "10.0.26100", "26100", "24H2", (1742, 2033, 2314, 2605, 2894, 3194), False, 0.14, 420),
    OSRelease("Microsoft Windows 11", "10.0.22631", "22631", "23H2", (3880, 4037, 4169, 4317, 4460, 4602, 4751, 5039), False, 0.33, 760),
    OSRelease("Microsoft Windows 11", "10.0.22621", "22621", "22H2", (3737, 4037, 4317, 4602), False, 0.06, 1130),
    OSRelease("Microsoft Windows 10", "10.0.19045", "19045", "22H2", (4529, 4780, 5011, 5131, 5247, 5371, 5487, 5608, 5737), False, 0.38, 1500),
    OSRelease("Microsoft Windows 10", "10.0.19044", "19044", "21H2", (2965, 3086, 4291, 4651), False, 0.04, 1850),
    OSRelease("Microsoft Windows 10", "10.0.19042", "19042", "20H2", (1706, 2006, 2965), False, 0.015, 2200),
    OSRelease("Microsoft Windows 10", "10.0.18363", "18363", "1909", (1556, 2212), False, 0.01, 2400),
    OSRelease("Microsoft Windows 10", "10.0.17763", "17763", "1809", (5936, 6054, 6189, 6293), False, 0.012, 2500),
    OSRelease("Microsoft Windows 10", "10.0.17134", "17134", "1803", (1967, 2208), False, 0.008, 2700),
)

SERVER_OS: tuple[OSRelease, ...] = (
    OSRelease("Microsoft Windows Server 2022", "10.0.20348", "20348", "21H2", (2527, 2655, 2762, 2849, 2966, 3091), True, 0.45, 1400),
    OSRelease("Microsoft Windows Server 2019", "10.0.17763", "17763", "1809", (5936, 6054, 6189, 6293, 6414), True, 0.37, 2200),
    OSRelease("Microsoft Windows Server 2016", "10.0.14393", "14393", "1607", (6897, 7159, 7259, 7336, 7428, 7515), True, 0.18, 2900),
)

# Devices left on PowerShell 4.0 are the ones still on Windows 8.1 / Server 2012 R2.
LEGACY_WORKSTATION = OSRelease("Microsoft Windows 8.1", "6.3.9600", "9600", "", (21620, 21668), False, 0.0, 3800)
LEGACY_SERVER = OSRelease("Microsoft Windows Server 2012 R2", "6.3.9600", "9600", "", (21620, 21668), True, 0.0, 3800)

# (edition, OperatingSystemSKU, weight)
WORKSTATION_EDITIONS = (("Enterprise", 4, 0.93), ("Pro", 48, 0.05), ("Education", 121, 0.02))
LTSC_EDITION = ("Enterprise LTSC", 125)
SERVER_EDITIONS = (("Standard", 7, 0.6), ("Datacenter", 8, 0.4))

# Server roles: (code in the name, description, weight)
SERVER_ROLES = (
    ("APP", "Application server", 0.22), ("SQL", "SQL Server", 0.16), ("FS", "File server", 0.1),
    ("WEB", "IIS web server", 0.12), ("DC", "Domain controller", 0.08), ("DP", "Distribution point", 0.08),
    ("RDS", "Remote Desktop session host", 0.08), ("HV", "Hyper-V host", 0.06), ("PRN", "Print server", 0.04),
    ("CM", "ConfigMgr site system", 0.03), ("CA", "Certificate authority", 0.03),
)


@dataclass(frozen=True)
class Model:
    manufacturer: str
    model: str            # Win32_ComputerSystem.Model
    product: str          # friendly name (ComputerSystemProduct.Version for Lenovo, else the model)
    form: str             # Laptop, Desktop, VM, Server
    firmware: str         # key into FIRMWARE
    weight: float
    sku: str


MODELS: tuple[Model, ...] = (
    Model("Dell Inc.", "Latitude 5420", "Latitude 5420", "Laptop", "dell-latitude", 0.12, "0A1F"),
    Model("Dell Inc.", "Latitude 5430", "Latitude 5430", "Laptop", "dell-latitude", 0.08, "0B04"),
    Model("Dell Inc.", "Latitude 7440", "Latitude 7440", "Laptop", "dell-latitude", 0.06, "0C0D"),
    Model("HP", "HP EliteBook 840 G8 Notebook PC", "HP EliteBook 840 G8 Notebook PC", "Laptop", "hp", 0.09, "5Z5V8UT#ABA"),
    Model("HP", "HP EliteBook 840 G10 Notebook PC", "HP EliteBook 840 G10 Notebook PC", "Laptop", "hp", 0.05, "81A15UT#ABA"),
    Model("LENOVO", "20W0005QUS", "ThinkPad T14 Gen 2i", "Laptop", "lenovo-t14", 0.09, "LENOVO_MT_20W0_BU_Think_FM_ThinkPad T14 Gen 2i"),
    Model("LENOVO", "21HD0053US", "ThinkPad T14 Gen 4", "Laptop", "lenovo-t14g4", 0.05, "LENOVO_MT_21HD_BU_Think_FM_ThinkPad T14 Gen 4"),
    Model("LENOVO", "20XW00GWUS", "ThinkPad X1 Carbon Gen 9", "Laptop", "lenovo-x1", 0.04, "LENOVO_MT_20XW_BU_Think_FM_ThinkPad X1 Carbon Gen 9"),
    Model("Microsoft Corporation", "Surface Laptop 4", "Surface Laptop 4", "Laptop", "surface", 0.03, "Surface_Laptop_4_1952:1953"),
    Model("Microsoft Corporation", "Surface Pro 8", "Surface Pro 8", "Laptop", "surface", 0.02, "Surface_Pro_8_for_Business_1983"),
    Model("Dell Inc.", "OptiPlex 7090", "OptiPlex 7090", "Desktop", "dell-optiplex", 0.12, "0A68"),
    Model("Dell Inc.", "OptiPlex 7010", "OptiPlex 7010", "Desktop", "dell-optiplex", 0.06, "0BF5"),
    Model("HP", "HP ProDesk 600 G6 Small Form Factor PC", "HP ProDesk 600 G6 Small Form Factor PC", "Desktop", "hp", 0.07, "1D2F2EA#ABA"),
    Model("LENOVO", "11DT0040US", "ThinkCentre M70q", "Desktop", "lenovo-m70q", 0.05, "LENOVO_MT_11DT_BU_Think_FM_ThinkCentre M70q"),
    Model("Microsoft Corporation", "Virtual Machine", "Virtual Machine", "VM", "hyperv", 0.05, "None"),
    Model("VMware, Inc.", "VMware7,1", "VMware7,1", "VM", "vmware", 0.02, "None"),
)

SERVER_MODELS: tuple[Model, ...] = (
    Model("Microsoft Corporation", "Virtual Machine", "Virtual Machine", "VM", "hyperv", 0.42, "None"),
    Model("VMware, Inc.", "VMware7,1", "VMware7,1", "VM", "vmware", 0.28, "None"),
    Model("Dell Inc.", "PowerEdge R740", "PowerEdge R740", "Server", "dell-server", 0.12, "SKU=NotProvided;ModelName=PowerEdge R740"),
    Model("Dell Inc.", "PowerEdge R750", "PowerEdge R750", "Server", "dell-server", 0.1, "SKU=090E;ModelName=PowerEdge R750"),
    Model("HPE", "ProLiant DL380 Gen10", "ProLiant DL380 Gen10", "Server", "hpe", 0.08, "868703-B21"),
)

# Firmware per family: (BIOS manufacturer, [(Win32_BIOS.Version, SMBIOSBIOSVersion, days since release)]),
# newest first; the first entries are the most common.
FIRMWARE: dict[str, tuple[str, tuple[tuple[str, str, int], ...]]] = {
    "dell-latitude": ("Dell Inc.", (("DELL   - 1072009", "1.33.0", 60), ("DELL   - 1072009", "1.31.1", 150), ("DELL   - 1072009", "1.27.0", 330), ("DELL   - 1072009", "1.18.2", 700))),
    "dell-optiplex": ("Dell Inc.", (("DELL   - 1072009", "1.24.0", 90), ("DELL   - 1072009", "1.21.0", 260), ("DELL   - 1072009", "1.13.1", 640))),
    "dell-server": ("Dell Inc.", (("DELL   - 1", "2.21.2", 80), ("DELL   - 1", "2.19.1", 240), ("DELL   - 1", "2.12.2", 800))),
    "hp": ("HP", (("HPQOEM - 0", "T37 Ver. 01.17.00", 70), ("HPQOEM - 0", "T37 Ver. 01.14.00", 220), ("HPQOEM - 0", "S01 Ver. 02.12.00", 500))),
    "hpe": ("HPE", (("HPE    - 1", "U30", 120), ("HPE    - 1", "U30", 400))),
    "lenovo-t14": ("LENOVO", (("LENOVO - 1400", "N34ET62W (1.62 )", 50), ("LENOVO - 1310", "N34ET56W (1.56 )", 200), ("LENOVO - 1140", "N34ET45W (1.45 )", 480))),
    "lenovo-t14g4": ("LENOVO", (("LENOVO - 1260", "R2FET46W (1.26 )", 60), ("LENOVO - 1140", "R2FET34W (1.14 )", 280))),
    "lenovo-x1": ("LENOVO", (("LENOVO - 1510", "N32ET91W (1.67 )", 90), ("LENOVO - 1140", "N32ET75W (1.51 )", 420))),
    "lenovo-m70q": ("LENOVO", (("LENOVO - 1140", "M3AKT4AA", 120), ("LENOVO - 1080", "M3AKT39A", 500))),
    "surface": ("Microsoft Corporation", (("MSFT   - 2", "20.101.143", 100), ("MSFT   - 2", "19.100.143", 380))),
    "hyperv": ("Microsoft Corporation", (("VRTUAL - 12001807", "Hyper-V UEFI Release v4.1", 1500), ("VRTUAL - 5001223", "Hyper-V UEFI Release v4.0", 2400), ("VRTUAL - 5001223", "090008", 3000))),
    "vmware": ("VMware, Inc.", (("INTEL  - 6040000", "VMW71.00V.21805430.B64.2305221830", 600), ("INTEL  - 6040000", "VMW71.00V.18227214.B64.2106252220", 1200))),
}

# (name, manufacturer, cores, logical processors, MHz, forms)
CPUS: tuple[tuple[str, str, int, int, int, str], ...] = (
    ("11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz", "GenuineIntel", 4, 8, 2611, "Laptop"),
    ("11th Gen Intel(R) Core(TM) i7-1185G7 @ 3.00GHz", "GenuineIntel", 4, 8, 2995, "Laptop"),
    ("12th Gen Intel(R) Core(TM) i5-1245U", "GenuineIntel", 10, 12, 1600, "Laptop"),
    ("13th Gen Intel(R) Core(TM) i7-1365U", "GenuineIntel", 10, 12, 1800, "Laptop"),
    ("AMD Ryzen 5 PRO 5650U with Radeon Graphics", "AuthenticAMD", 6, 12, 2301, "Laptop"),
    ("11th Gen Intel(R) Core(TM) i7-11700 @ 2.50GHz", "GenuineIntel", 8, 16, 2496, "Desktop"),
    ("Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz", "GenuineIntel", 6, 12, 3096, "Desktop"),
    ("13th Gen Intel(R) Core(TM) i5-13500", "GenuineIntel", 14, 20, 2500, "Desktop"),
    ("Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz", "GenuineIntel", 4, 4, 2993, "VM"),
    ("Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz", "GenuineIntel", 2, 2, 2195, "VM"),
    ("Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", "GenuineIntel", 28, 56, 1995, "Server"),
    ("Intel(R) Xeon(R) Gold 5218 CPU @ 2.30GHz", "GenuineIntel", 16, 32, 2295, "Server"),
)

FIRST_NAMES = ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Emily", "Paul", "Kimberly", "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie", "Ronald", "Rebecca", "Jason", "Laura", "Edward", "Sharon", "Jeffrey", "Cynthia", "Ryan", "Kathleen", "Jacob", "Amy", "Gary", "Angela", "Nicholas", "Shirley", "Eric", "Anna", "Jonathan", "Brenda", "Stephen", "Pamela", "Larry", "Emma", "Justin", "Nicole", "Scott", "Helen", "Brandon", "Samantha", "Benjamin", "Katherine", "Samuel", "Christine", "Gregory", "Debra", "Alexander", "Rachel", "Patrick", "Carolyn", "Frank", "Janet", "Raymond", "Maria", "Jack", "Olivia", "Dennis", "Heather", "Jerry", "Diane", "Tyler", "Julie", "Aaron", "Joyce", "Jose", "Priya", "Wei", "Hiroshi", "Fatima", "Lars", "Ingrid", "Mateo", "Sofia", "Arjun", "Mei", "Omar", "Leila", "Pierre", "Chloe", "Diego", "Lucia"]

LAST_NAMES = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Fisher", "Vasquez", "Simmons", "Larsen", "Tanaka", "Schmidt", "Novak", "Rossi", "Dubois", "Okafor", "Haddad", "Chen", "Wang", "Singh", "Kowalski", "Yamamoto", "Moreau"]

DEPARTMENTS = (("Finance", 0.12), ("Sales", 0.18), ("Engineering", 0.2), ("IT", 0.08), ("HR", 0.06),
               ("Marketing", 0.1), ("Operations", 0.16), ("Legal", 0.04), ("Executive", 0.02),
               ("Customer Service", 0.04))

# ConfigMgr client versions (2303 ... 2409), oldest first, with their share of the estate.
CLIENT_VERSIONS = (("5.00.9106.1000", 0.04), ("5.00.9122.1000", 0.12), ("5.00.9128.1007", 0.34),
                   ("5.00.9132.1011", 0.5))

DOMAIN = "contoso.com"
NETBIOS_DOMAIN = "CONTOSO"
SITE_CODE = "CON"
TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
TENANT_NAME = "Contoso"
MANAGEMENT_POINT = "CM01.contoso.com"

# Real client failures: the client script's own error, and what WMI/PowerShell say when broken.
FAILURE_MESSAGES = (
    ("Failed to load CMPivotParser", 0.3),
    ("WMI repository is corrupt (0x80041010): Invalid class", 0.2),
    ("Access denied (0x80070005)", 0.15),
    ("Generic failure (0x80041001)", 0.1),
    ("The RPC server is unavailable. (Exception from HRESULT: 0x800706BA)", 0.1),
    ("Script execution failed with error: Exception calling \"Evaluate\" with \"3\" argument(s): "
     "\"Timeout expired\"", 0.05),
    ("Cannot process the command because of a missing parameter. A command must be provided after "
     "-Command. (0x80004005)", 0.05),
    ("Windows PowerShell is not installed or is corrupt (0x80070002)", 0.05),
)

# fmt: on

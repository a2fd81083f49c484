"""Storage, power and device entities: Disk, LogicalDisk, Volume, Partition, PhysicalDisk, BitLocker,
Battery, USB devices, video, and profiles for the rest of the hardware inventory (network adapters
are in ``gen_network.py``).

Drives come from one per-device table (``drives``) so the same C: is low on space in ``Disk``
(bytes), ``LogicalDisk`` and ``Volume`` (megabytes) alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

from .fleet import Fleet
from .generators import DEVICE, Draw, Request, generates
from .generic import F, Seq, W, fact, profile
from .randomness import guids, hex_strings, stream

MB = 1 << 20


def drives(fleet: Fleet) -> pl.DataFrame:
    """Each device's drive letters: C: (and D:) fixed, a DVD drive on some VMs, H: home drive on
    some workstations. Columns: _dev, letter, kind (3 fixed, 5 cd, 4 network), size, free, label,
    serial, provider, volume (GUID)."""
    cached = fleet.memo.get("drives")
    if isinstance(cached, pl.DataFrame):
        return cached
    rng = stream(fleet.seed, "hardware", "drives")
    idx = np.arange(fleet.n)
    has_d = fleet.d_size > 0
    cd_letter = np.where(has_d, "E:", "D:")
    parts = [
        dict(dev=idx, letter=np.full(fleet.n, "C:"), kind=3, size=fleet.c_size, free=fleet.c_free,
             label=np.where(fleet.is_server, "", np.where(rng.random(fleet.n) < 0.5, "Windows", "OS"))),
        dict(dev=idx[has_d], letter=np.full(int(has_d.sum()), "D:"), kind=3, size=fleet.d_size[has_d],
             free=fleet.d_free[has_d], label=np.full(int(has_d.sum()), "Data")),
        dict(dev=idx[fleet.cdrom], letter=cd_letter[fleet.cdrom], kind=5, size=None, free=None, label=None),
    ]
    home = fleet.home_drive
    home_size = np.full(int(home.sum()), 5 * (1 << 40))
    parts.append(dict(dev=idx[home], letter=np.full(int(home.sum()), "H:"), kind=4, size=home_size,
                      free=(home_size * rng.uniform(0.2, 0.5, int(home.sum()))).astype(np.int64), label="Home"))
    frames = []
    for part in parts:
        n = len(part["dev"])
        frames.append(pl.DataFrame({
            DEVICE: np.asarray(part["dev"], dtype=np.int32), "letter": part["letter"],
            "kind": np.full(n, part["kind"], dtype=np.int64),
            "size": pl.Series(part["size"] if part["size"] is not None else [None] * n, dtype=pl.Int64),
            "free": pl.Series(part["free"] if part["free"] is not None else [None] * n, dtype=pl.Int64),
            "label": pl.Series(part["label"] if isinstance(part["label"], np.ndarray) else [part["label"]] * n,
                               dtype=pl.String),
        }))
    frame = pl.concat(frames).sort([DEVICE, "letter"])
    sam = pl.Series(fleet.sam.tolist(), dtype=pl.String).fill_null("administrator")
    frame = frame.with_columns(
        pl.Series("serial", hex_strings(rng, frame.height, 8)),
        pl.Series("volume", guids(rng, frame.height, upper=False)),
        pl.when(pl.col("kind") == 4).then(pl.lit("\\\\fs01.contoso.com\\home$\\") + sam.gather(frame[DEVICE]))
        .otherwise(None).alias("provider"),
    )
    fleet.memo["drives"] = frame
    return frame


_DESCRIPTION = {3: "Local Fixed Disk", 5: "CD-ROM Disc", 4: "Network Connection"}


@generates("Disk")
def disk(request: Request) -> pl.DataFrame:
    d = drives(request.fleet)
    return d.select(
        DEVICE, pl.col("letter").alias("DeviceID"), pl.col("letter").alias("Name"),
        pl.col("kind").replace_strict(_DESCRIPTION, return_dtype=pl.String).alias("Description"),
        pl.col("kind").alias("DriveType"),
        pl.when(pl.col("kind") != 5).then(pl.lit("NTFS")).alias("FileSystem"),
        pl.col("size").alias("Size"), pl.col("free").alias("FreeSpace"), pl.col("label").alias("VolumeName"),
        pl.when(pl.col("kind") != 5).then(pl.col("serial")).alias("VolumeSerialNumber"),
        pl.col("provider").alias("ProviderName"),
    )


@generates("LogicalDisk")
def logical_disk(request: Request) -> pl.DataFrame:
    d = drives(request.fleet)
    names = pl.Series(request.fleet.name.tolist(), dtype=pl.String)
    return d.select(
        DEVICE, pl.col("letter").alias("DeviceID"), pl.col("letter").alias("Name"), pl.col("letter").alias("Caption"),
        pl.col("kind").replace_strict(_DESCRIPTION, return_dtype=pl.String).alias("Description"),
        pl.col("kind").alias("DriveType"), pl.when(pl.col("kind") != 5).then(pl.lit("NTFS")).alias("FileSystem"),
        (pl.col("size") // MB).alias("Size"), (pl.col("free") // MB).alias("FreeSpace"),
        pl.col("label").alias("VolumeName"), pl.when(pl.col("kind") != 5).then(pl.col("serial")).alias("VolumeSerialNumber"),
        pl.lit(False).alias("Compressed"),
        pl.col("kind").replace_strict({3: 12, 5: 11, 4: 0}, return_dtype=pl.Int64).alias("MediaType"),
        pl.col("provider").alias("ProviderName"), pl.lit(None, pl.String).alias("Status"),
        pl.lit(0, pl.Int64).alias("Access"), names.gather(d[DEVICE]).alias("SystemName"),
    )


@generates("Volume")
def volume(request: Request) -> pl.DataFrame:
    d = drives(request.fleet).filter(pl.col("kind") != 4)
    names = pl.Series(request.fleet.name.tolist(), dtype=pl.String)
    path = pl.lit("\\\\?\\Volume{") + pl.col("volume") + pl.lit("}\\")
    lettered = d.select(
        DEVICE, path.alias("DeviceID"), (pl.col("letter") + pl.lit("\\")).alias("Name"),
        (pl.col("letter") + pl.lit("\\")).alias("Caption"), pl.col("label").alias("Label"),
        pl.col("letter").alias("DriveLetter"), pl.col("kind").alias("DriveType"),
        pl.when(pl.col("kind") != 5).then(pl.lit("NTFS")).alias("FileSystem"),
        (pl.col("size") // MB).alias("Capacity"), (pl.col("free") // MB).alias("FreeSpace"),
        pl.lit(4096, pl.Int64).alias("BlockSize"), pl.lit(True).alias("Automount"), pl.lit(False).alias("Compressed"),
        pl.lit(False).alias("DirtyBitSet"), (pl.col("kind") == 3).alias("IndexingEnabled"),
        pl.lit(False).alias("QuotasEnabled"),
        pl.col("serial").str.to_integer(base=16, strict=False).alias("SerialNumber"),
        pl.lit(None, pl.String).alias("PNPDeviceID"), pl.lit(None, pl.String).alias("Status"),
        names.gather(d[DEVICE]).alias("SystemName"), pl.lit(None, pl.String).alias("Description"),
    )
    fixed_c = d.filter(pl.col("letter") == "C:")
    recovery = fixed_c.select(
        DEVICE, path.alias("DeviceID"), path.alias("Name"), path.alias("Caption"), pl.lit("Recovery").alias("Label"),
        pl.lit(None, pl.String).alias("DriveLetter"), pl.lit(3, pl.Int64).alias("DriveType"),
        pl.lit("NTFS").alias("FileSystem"), pl.lit(750, pl.Int64).alias("Capacity"), pl.lit(92, pl.Int64).alias("FreeSpace"),
        pl.lit(4096, pl.Int64).alias("BlockSize"), pl.lit(True).alias("Automount"), pl.lit(False).alias("Compressed"),
        pl.lit(False).alias("DirtyBitSet"), pl.lit(False).alias("IndexingEnabled"), pl.lit(False).alias("QuotasEnabled"),
        pl.lit(None, pl.Int64).alias("SerialNumber"), pl.lit(None, pl.String).alias("PNPDeviceID"),
        pl.lit(None, pl.String).alias("Status"), names.gather(fixed_c[DEVICE]).alias("SystemName"),
        pl.lit(None, pl.String).alias("Description"),
    ).with_columns(pl.col("DeviceID").str.replace(r"\{(.{8})", "{0e5c1a7b", literal=False).alias("DeviceID"))
    return pl.concat([lettered, recovery]).sort(DEVICE, maintain_order=True)


def _partitions(fleet: Fleet, rng: Any) -> np.ndarray:
    return np.where(fleet.uefi, 3, 2) + (fleet.d_size > 0)


def _partition_field(which: str) -> Any:
    def value(d: Draw) -> np.ndarray:
        f = d.fleet
        uefi = d.of(f.uefi)
        last = d.k == d.of(_partitions(f, None)) - 1
        has_d = d.of(f.d_size > 0)
        data = last & has_d
        # UEFI: EFI system (100 MB), Windows, Recovery; BIOS: System Reserved, Windows; plus D: on disk 1.
        windows = np.where(uefi, d.k == 1, d.k == 1)
        if which == "disk":
            return np.where(data, 1, 0)
        if which == "index":
            return np.where(data, 0, d.k)
        if which == "boot":
            return (d.k == 0) & ~data
        if which == "size":
            c_mb = d.of(f.c_size) // MB
            d_mb = d.of(f.d_size) // MB
            return np.select([data, windows, d.k == 0], [d_mb, c_mb, np.where(uefi, 100, 500)], 750)
        if which == "type":
            gpt = np.select([data, windows, d.k == 0], ["GPT: Basic Data", "GPT: Basic Data", "GPT: System"], "GPT: Unknown")
            mbr = np.where(d.k == 0, "Installable File System", "Installable File System")
            return np.where(uefi, gpt, mbr)
        raise ValueError(which)

    return value


profile(
    "Partition", rows=_partitions, DeviceID=lambda d: np.char.add(np.char.add("Disk #", _partition_field("disk")(d).astype(str)), np.char.add(", Partition #", _partition_field("index")(d).astype(str))),
    Name=lambda d: np.char.add(np.char.add("Disk #", _partition_field("disk")(d).astype(str)), np.char.add(", Partition #", _partition_field("index")(d).astype(str))),
    Caption=lambda d: np.char.add(np.char.add("Disk #", _partition_field("disk")(d).astype(str)), np.char.add(", Partition #", _partition_field("index")(d).astype(str))),
    Description=_partition_field("type"), DiskIndex=_partition_field("disk"), Index=_partition_field("index"),
    Bootable=_partition_field("boot"), BootPartition=_partition_field("boot"), PrimaryPartition=True,
    Size=_partition_field("size"), BlockSize=512, NumberOfBlocks=lambda d: _partition_field("size")(d) * 2048,
    StartingOffset=lambda d: np.where(d.k == 0, 1_048_576, d.k * 105_906_176), Type=_partition_field("type"),
    Status=None, SystemName=fact("name"),
)


def _disks(fleet: Fleet, rng: Any) -> np.ndarray:
    return 1 + (fleet.d_size > 0)


def _disk_model(d: Draw) -> np.ndarray:
    family = d.of(d.fleet.firmware_family)
    physical = d.choice(["SAMSUNG MZVL2512HCJQ-00BL7", "KBG50ZNV512G KIOXIA", "SK hynix PC801 HFS512GEJ9X101N",
                         "WDC PC SN730 SDBQNTY-512G-1001"])
    return np.select([family == "hyperv", family == "vmware", d.of(d.fleet.form == "Server")],
                     ["Msft Virtual Disk", "VMware Virtual disk", "DELL PERC H740P Mini"], physical)


profile(
    "PhysicalDisk", rows=_disks, DeviceId=F("{k}"), FriendlyName=_disk_model, Manufacturer=None, Model=_disk_model,
    SerialNumber=F("{hex16}"), FirmwareVersion=W(["1.0", "GXB7801Q", "11100000", "AEGA0102"], [3, 3, 2, 2]),
    BusType=lambda d: np.where(d.of(d.fleet.form == "VM"), 10, 17), MediaType=lambda d: np.where(d.of(d.fleet.form == "VM"), 0, 4),
    HealthStatus=lambda d: np.where(d.chance(0.005), 1, 0),
    Size=lambda d: np.where(d.k == 0, d.of(d.fleet.c_size) + 1_000 * MB, d.of(d.fleet.d_size) + 16 * MB),
    AllocatedSize=lambda d: np.where(d.k == 0, d.of(d.fleet.c_size) + 1_000 * MB, d.of(d.fleet.d_size) + 16 * MB),
    LogicalSectorSize=512, PhysicalSectorSize=4096, SpindleSpeed=0, CanPool=False, Usage=1,
    ObjectId=F("{1}\\\\{name}\\root/Microsoft/Windows/Storage/Providers_v2\\SPACES_PhysicalDisk.ObjectId=\"{{hex8}}\""),
    UniqueId=F("{hex16}"), Description=None, PartNumber=None,
)


@generates("BitLocker")
def bitlocker(request: Request) -> pl.DataFrame:
    f = request.fleet
    d = drives(f).filter(pl.col("kind") == 3)
    on = pl.Series(f.bitlocker).gather(d[DEVICE])
    return d.select(
        DEVICE, (pl.lit("\\\\?\\Volume{") + pl.col("volume") + pl.lit("}\\")).alias("DeviceID"),
        pl.col("letter").alias("DriveLetter"), (pl.lit("{") + pl.col("volume").str.to_uppercase() + pl.lit("}")).alias("PersistentVolumeID"),
        pl.when(on).then(1).otherwise(0).cast(pl.Int64).alias("ProtectionStatus"),
    )


@generates("BitLockerEncryptionDetails")
def bitlocker_details(request: Request) -> pl.DataFrame:
    f = request.fleet
    d = drives(f).filter(pl.col("kind") == 3)
    on = pl.Series(f.bitlocker).gather(d[DEVICE])
    rng = request.rng()
    method = pl.Series(np.where(rng.random(d.height) < 0.7, 7, 6)).alias("EncryptionMethod")
    return d.select(
        DEVICE, (pl.lit("\\\\?\\Volume{") + pl.col("volume") + pl.lit("}\\")).alias("DeviceId"),
        pl.col("letter").alias("DriveLetter"),
        (pl.lit("{") + pl.col("volume").str.to_uppercase() + pl.lit("}")).alias("BitlockerPersistentVolumeId"),
        (pl.lit("{") + pl.col("volume").str.to_uppercase() + pl.lit("}")).alias("MbamPersistentVolumeId"),
        pl.when(pl.col("letter") == "C:").then(0).otherwise(1).cast(pl.Int64).alias("MbamVolumeType"),
        pl.when(on).then(1).otherwise(0).cast(pl.Int64).alias("Compliant"),
        pl.when(on).then(1).otherwise(0).cast(pl.Int64).alias("ConversionStatus"),
        pl.when(on).then(method).otherwise(0).cast(pl.Int64).alias("EncryptionMethod"),
        pl.when(on).then(1).otherwise(0).cast(pl.Int64).alias("ProtectionStatus"),
        (pl.col("letter") != "C:").and_(on).alias("IsAutoUnlockEnabled"),
        pl.lit(None, pl.String).alias("EnforcePolicyDate"), pl.lit(None, pl.String).alias("NoncomplianceDetectedDate"),
    )


# ---------------------------------------------------------------------------------- power


def _laptops(fleet: Fleet) -> np.ndarray:
    return fleet.form == "Laptop"


def _charge(d: Draw) -> np.ndarray:
    return np.clip(np.round(100 - d.rng.gamma(1.3, 18, d.n)), 3, 100).astype(np.int64)


def _battery_status(d: Draw) -> np.ndarray:
    return np.where(d.chance(0.62), 2, 1)


profile(
    "Battery", where=_laptops, DeviceID=W(["12345SMP5B10W13975", "3HWPP1A", "SUNWODAL21M4P71", "M1087529"], [3, 3, 2, 2]),
    Name=W(["5B10W13975", "DELL 3HWPP1A", "L21M4P71", "Surface Battery"], [3, 3, 2, 2]),
    Caption="Internal Battery", Description="Internal Battery",
    Status=W(["OK", "Degraded", "Pred Fail"], [94, 5, 1]), Availability=2, BatteryStatus=_battery_status,
    Chemistry=W([2, 6], [6, 4]), DesignCapacity=None, DesignVoltage=W([11_520, 15_400, 17_100], [4, 4, 2]),
    EstimatedChargeRemaining=_charge,
    EstimatedRunTime=lambda d: np.where(_battery_status(d) == 1, d.ints(30, 540), 71_582_788),
    FullChargeCapacity=None, ExpectedLife=None, TimeOnBattery=None, TimeToFullCharge=None,
    PNPDeviceID="ACPI\\PNP0C0A\\1", SmartBatteryVersion=None, SystemName=fact("name"),
)
profile(
    "PortableBattery", where=_laptops, DeviceID=W(["12345SMP5B10W13975", "3HWPP1A", "SUNWODAL21M4P71"], [4, 4, 2]),
    Name=W(["5B10W13975", "DELL 3HWPP1A", "L21M4P71"], [4, 4, 2]), Caption="Portable Battery",
    Description="Portable Battery", Location="Primary", Manufacturer=W(["SMP", "LGC", "SUNWODA", "BYD"], [3, 3, 2, 2]),
    ManufactureDate=lambda d: np.char.add("2022", np.char.zfill(d.ints(101, 1228).astype(str), 4)),
    Chemistry=6, DesignCapacity=W([52_000, 57_000, 63_000], [4, 4, 2]), DesignVoltage=W([11_520, 15_400], [5, 5]),
    CapacityMultiplier=1, FullChargeCapacity=lambda d: (d.rng.uniform(0.62, 1.0, d.n) * 57_000).astype(np.int64),
    EstimatedChargeRemaining=_charge, EstimatedRunTime=None, MaxBatteryError=0, SmartBatteryVersion=None, Status="OK",
)
profile(
    "PowerCapabilities", PreferredPMProfile=lambda d: np.select([d.of(d.fleet.form == "Laptop"), d.of(d.fleet.is_server)], [2, 4], 1),
    ApmPresent=False, BatteriesAreShortTerm=False, FullWake=True, LidPresent=lambda d: d.of(d.fleet.form == "Laptop"),
    MinDeviceWakeState="4", ProcessorThrottle=True, RtcWake="4", SystemBatteriesPresent=lambda d: d.of(d.fleet.form == "Laptop"),
    SystemS1=False, SystemS2=False, SystemS3=lambda d: ~d.of(d.fleet.form == "VM"), SystemS4=True, SystemS5=True,
    UpsPresent=False, VideoDimPresent=lambda d: d.of(d.fleet.form == "Laptop"),
)

# ------------------------------------------------------------------------- peripherals

profile(
    "USBDevice", rows=(3, 7), DeviceID=F("USB\\VID_{hex4}&PID_{hex4}\\{hex8}"), PNPDeviceID=F("USB\\VID_{hex4}&PID_{hex4}\\{hex8}"),
    Name=Seq(["USB Root Hub (USB 3.0)", "USB Composite Device", "USB Input Device", "Generic USB Hub",
              "Logitech USB Headset", "Jabra Link 380", "Intel(R) Wireless Bluetooth(R)"]),
    Caption=Seq(["USB Root Hub (USB 3.0)", "USB Composite Device", "USB Input Device", "Generic USB Hub",
                 "Logitech USB Headset", "Jabra Link 380", "Intel(R) Wireless Bluetooth(R)"]),
    Description=Seq(["USB Root Hub (USB 3.0)", "USB Composite Device", "USB Input Device", "Generic USB Hub",
                     "USB Audio Device", "USB Audio Device", "Intel(R) Wireless Bluetooth(R)"]),
    Manufacturer=Seq(["(Standard USB HUBs)", "(Standard USB Host Controller)", "(Standard system devices)",
                      "(Generic USB Hub)", "(Generic USB Audio)", "(Generic USB Audio)", "Intel Corporation"]),
    ClassGuid=Seq(["{36fc9e60-c465-11cf-8056-444553540000}", "{36fc9e60-c465-11cf-8056-444553540000}",
                   "{745a17a0-74d3-11d0-b6fe-00a0c90f57da}", "{36fc9e60-c465-11cf-8056-444553540000}",
                   "{4d36e96c-e325-11ce-bfc1-08002be10318}", "{4d36e96c-e325-11ce-bfc1-08002be10318}",
                   "{e0cbf06c-cd8b-4647-bb8a-263b43f0f974}"]),
    Service=Seq(["USBHUB3", "usbccgp", "HidUsb", "USBHUB3", "usbaudio", "usbaudio", "BTHUSB"]),
    Status="OK", Availability=None, ConfigManagerErrorCode=0, CreationClassName="Win32_USBDevice",
    SystemCreationClassName="Win32_ComputerSystem", SystemName=fact("name"),
)
profile("USBController", rows=(1, 2), DeviceID=F("PCI\\VEN_8086&DEV_A0ED&SUBSYS_0A1F1028&REV_20\\3&11583659&0&{num2}"),
        Name=Seq(["Intel(R) USB 3.10 eXtensible Host Controller - 1.20 (Microsoft)", "USB4 Host Router (Microsoft)"]),
        Manufacturer=Seq(["Generic USB xHCI Host Controller", "Generic USB4 Host Router"]), Status="OK", Availability=None,
        ProtocolSupported=16, ConfigManagerErrorCode=0, SystemName=fact("name"))
profile("Keyboard", DeviceID=F("HID\\VID_046D&PID_C31C&MI_00\\7&{hex8}&0&0000"), Name="Enhanced (101- or 102-key)",
        Caption="Enhanced (101- or 102-key)", Description="HID Keyboard Device", Layout="00000409",
        NumberOfFunctionKeys=12, IsLocked=None, Password=None, Status="OK", SystemName=fact("name"))
profile("PointingDevice", rows=(1, 2), Name=Seq(["HID-compliant mouse", "Synaptics SMBus TouchPad"]),
        Manufacturer=Seq(["Microsoft", "Synaptics"]), HardwareType=Seq(["HID-compliant mouse", "Synaptics SMBus TouchPad"]),
        DeviceInterface=Seq([162, 4]), PointingType=2, NumberOfButtons=Seq([5, 2]), Handedness=2,
        InfFileName=Seq(["msmouse.inf", "oem32.inf"]), InfSection=Seq(["HID_Mouse_Inst.NT", "SynTP_Inst"]),
        Status="OK", SystemName=fact("name"))
profile("SoundDevices", rows=(1, 2), Name=Seq(["Realtek(R) Audio", "Intel(R) Display Audio"]),
        Caption=Seq(["Realtek(R) Audio", "Intel(R) Display Audio"]), Manufacturer=Seq(["Realtek", "Intel(R) Corporation"]),
        ProductName=Seq(["Realtek(R) Audio", "Intel(R) Display Audio"]), Status="OK", StatusInfo=3, SystemName=fact("name"),
        where=lambda f: f.form != "VM")
profile(
    "VideoController", DeviceID="VideoController1",
    Name=lambda d: np.where(d.of(d.fleet.form == "VM"), "Microsoft Hyper-V Video", d.choice(["Intel(R) Iris(R) Xe Graphics", "Intel(R) UHD Graphics 630", "AMD Radeon(TM) Graphics"], [6, 3, 1])),
    Description=lambda d: np.where(d.of(d.fleet.form == "VM"), "Microsoft Hyper-V Video", "Intel(R) Iris(R) Xe Graphics"),
    AdapterCompatibility=lambda d: np.where(d.of(d.fleet.form == "VM"), "Microsoft Corporation", "Intel Corporation"),
    AdapterDACType="Internal", AdapterRAM=W([1_073_741_824, 2_147_483_648, 134_217_728], [5, 3, 2]),
    CurrentBitsPerPixel=32, CurrentHorizontalResolution=W([1920, 2560, 1366, 1024], [6, 2, 1, 1]),
    CurrentVerticalResolution=W([1080, 1440, 768, 768], [6, 2, 1, 1]), CurrentRefreshRate=W([60, 59, 144], [7, 2, 1]),
    DriverDate=lambda d: d.ages(60, 700), DriverVersion=W(["31.0.101.5333", "31.0.101.4502", "30.0.101.1404", "10.0.22621.1"], [4, 3, 2, 1]),
    InfFilename="oem67.inf", InstalledDisplayDrivers=None, VideoModeDescription="1920 x 1080 x 4294967296 colors",
    VideoProcessor=W(["Intel(R) Iris(R) Xe Graphics Family", "Intel(R) UHD Graphics Family"], [6, 4]),
    PNPDeviceID=F("PCI\\VEN_8086&DEV_9A49&SUBSYS_0A1F1028&REV_01\\3&11583659&0&{num2}"), Status="OK", Availability=3,
)
profile("DesktopMonitor", rows=(1, 2), DeviceID=F("DesktopMonitor{k1}"), Name=Seq(["Generic PnP Monitor", "Dell P2422H (DisplayPort)"]),
        Caption=Seq(["Generic PnP Monitor", "Dell P2422H (DisplayPort)"]), MonitorManufacturer=Seq(["(Standard monitor types)", "Dell"]),
        MonitorType=Seq(["Generic PnP Monitor", "Dell P2422H (DisplayPort)"]), ScreenHeight=1080, ScreenWidth=1920,
        PixelsPerXLogicalInch=96, PixelsPerYLogicalInch=96, DisplayType=None, IsLocked=None, Status="OK", SystemName=fact("name"))
profile("CDROM", where=lambda f: f.cdrom, DeviceID="SCSI\\CDROM&VEN_MSFT&PROD_VIRTUAL_DVD-ROM\\000001", Name="Microsoft Virtual DVD-ROM",
        Caption="Microsoft Virtual DVD-ROM", Drive=lambda d: np.where(d.of(d.fleet.d_size > 0), "E:", "D:"),
        Manufacturer="(Standard CD-ROM drives)", MediaType="CD-ROM", MediaLoaded=False, Size=None, VolumeName=None,
        VolumeSerialNumber=None, RevisionLevel="1.0", SystemName=fact("name"))
profile("PrinterDevice", rows=(0, 4), DeviceID=Seq(["Microsoft Print to PDF", "OneNote (Desktop)", "\\\\PRN01\\HQ-3F-Color", "Fax"]),
        Name=Seq(["Microsoft Print to PDF", "OneNote (Desktop)", "\\\\PRN01\\HQ-3F-Color", "Fax"]),
        DriverName=Seq(["Microsoft Print To PDF", "Send to Microsoft OneNote 16 Driver", "HP Universal Printing PCL 6", "Microsoft Shared Fax Driver"]),
        PortName=Seq(["PORTPROMPT:", "nul:", "10.10.3.40", "SHRFAX:"]), Location=None, ShareName=None,
        ServerName=Seq([None, None, "\\\\PRN01", None]), PrinterStatus=3, PrinterState=0, DetectedErrorState=0,
        Attributes=Seq([576, 576, 3136, 16960]), DefaultPriority=0, SpoolEnabled=True, PrintProcessor="winprint",
        PrintJobDataType="RAW", Status="Unknown", JobCountSinceLastReset=0, SystemName=fact("name"))
profile("PrintJobs", rows=(0, 1), where=lambda f: ~f.is_server & (stream(f.seed, "printjobs").random(f.n) < 0.05),
        Name=F("\\\\PRN01\\HQ-3F-Color, {num2}"), JobId=lambda d: d.ints(2, 99), Document=W(["Microsoft Word - Q3 Report.docx", "Invoice 20431.pdf"], [1, 1]),
        Owner=lambda d: d.of(d.fleet.sam), DriverName="HP Universal Printing PCL 6", HostPrintQueue="\\\\PRN01",
        JobStatus="Printing", Status="Degraded", TotalPages=lambda d: d.ints(1, 40), PagesPrinted=0,
        TimeSubmitted=lambda d: d.ages(0, 0.02))
def _rarely(name: str) -> Callable[[Fleet], np.ndarray]:
    """One device in a hundred still has this hardware."""
    return lambda f: stream(f.seed, "rare", name).random(f.n) < 0.01


for _rare in ("Modem", "TapeDrive", "ParallelPort", "PCMCIAController", "UninterruptiblePowerSupply", "ConnectedDevice",
              "EmbeddedDeviceInformation"):
    profile(_rare, where=_rarely(_rare))
profile("SerialPorts", where=lambda f: f.form == "Desktop", DeviceID="COM1", Name="Communications Port (COM1)",
        Caption="Communications Port (COM1)", ProviderType="RS232 Serial Port", MaxBaudRate=115200,
        MaximumInputBufferSize=0, MaximumOutputBufferSize=0, Binary=True, OSAutoDiscovered=True, SystemName=fact("name"))
profile("IDEController", rows=(1, 1), where=lambda f: f.form != "Laptop", Name="Standard SATA AHCI Controller",
        Caption="Standard SATA AHCI Controller", Manufacturer="Standard SATA AHCI Controller", Status="OK",
        DeviceID=F("PCI\\VEN_8086&DEV_43D2&SUBSYS_0A1F1028&REV_11\\3&11583659&0&B{num1}"), SystemName=fact("name"))
profile("SCSIController", rows=(1, 2), Name=lambda d: np.where(d.of(d.fleet.form == "VM"), "Microsoft Hyper-V SCSI Controller", "Standard NVM Express Controller"),
        Caption=lambda d: np.where(d.of(d.fleet.form == "VM"), "Microsoft Hyper-V SCSI Controller", "Standard NVM Express Controller"),
        Manufacturer=lambda d: np.where(d.of(d.fleet.form == "VM"), "Microsoft", "Standard NVM Express Controller"),
        DriverName=lambda d: np.where(d.of(d.fleet.form == "VM"), "storvsc", "stornvme"), Status="OK", Index=lambda d: d.k,
        DeviceID=F("PCI\\VEN_144D&DEV_A80A&SUBSYS_0A0E144D&REV_00\\4&{hex8}&0&00E8"), SystemName=fact("name"))
profile("Motherboard", DeviceID="Motherboard", Name="Motherboard", Caption="Motherboard", Description="Motherboard",
        PrimaryBusType="PCI", SecondaryBusType="ISA", RevisionNumber=None, Status="OK", SystemName=fact("name"))
profile("PNPDEVICEDRIVER", rows=(6, 10), Name=Seq(["ACPI x64-based PC", "Microsoft ACPI-Compliant System", "PCI Express Root Complex",
                                                    "High precision event timer", "System CMOS/real time clock", "Trusted Platform Module 2.0",
                                                    "Microsoft Hyper-V Virtualization Infrastructure Driver", "UMBus Root Bus Enumerator",
                                                    "Composite Bus Enumerator", "Remote Desktop Device Redirector Bus"]),
        Manufacturer="(Standard system devices)", Service=Seq([None, "ACPI", "pci", None, None, "TPM", "Vid", "umbus", "CompositeBus", "rdpbus"]),
        ClassGuid="{4d36e97d-e325-11ce-bfc1-08002be10318}", DeviceID=F("ACPI\\PNP0A08\\{k}"), Status="OK", SystemName=fact("name"))
profile("SystemDevices", rows=(6, 10), Name=Seq(["ACPI x64-based PC", "Microsoft ACPI-Compliant System", "PCI Express Root Complex",
                                                  "High precision event timer", "System CMOS/real time clock", "Trusted Platform Module 2.0",
                                                  "Microsoft System Management BIOS Driver", "UMBus Root Bus Enumerator",
                                                  "Composite Bus Enumerator", "Remote Desktop Device Redirector Bus"]),
        DeviceID=F("ACPI\\PNP0A08\\{k}"), IsPnP=True)

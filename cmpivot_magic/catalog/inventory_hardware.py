"""Hardware-inventory entities that describe hardware: boards, disks, ports, devices, power.

Each entity is a class of ConfigMgr's default hardware inventory, named as its display name
without spaces. Columns are the class's inventory properties as listed on Microsoft's "Resource
Explorer default inventory classes" page, trimmed to the useful ones, without the array properties
CMPivot cannot return. Types follow the CIM types (strings, UInt/SInt -> long, Boolean -> bool,
DateTime -> datetime); units follow the inventory class where it reports sizes in KB or MB.
"""

from __future__ import annotations

from cmpivot_magic.catalog.model import Column, Entity
from cmpivot_magic.catalog.model import inventory_entity as _hinv
from cmpivot_magic.language.types import ScalarType

_SMS = r"root\cimv2\sms"

# The properties every PnP device class shares, as Win32 documents them.
_DEVICE = "DeviceID Name Caption Description PNPDeviceID Status Availability:long ConfigManagerErrorCode:long"
_CONTROLLER = f"{_DEVICE} Manufacturer ProtocolSupported:long MaxNumberControlled:long SystemName"

# Data table: one entity per call, its name, description and class on the first line.
# fmt: off
HARDWARE: tuple[Entity, ...] = (
    _hinv(
        "BaseBoard", "BaseBoard", "Win32_BaseBoard",
        "Tag Manufacturer Product Model Version SerialNumber Name Caption Description PartNumber SKU",
        "Status HostingBoard:bool HotSwappable:bool PoweredOn:bool Removable:bool Replaceable:bool",
    ),
    _hinv(
        "Battery", "Battery", "Win32_Battery",
        "DeviceID Name Caption Description Status Availability:long BatteryStatus:long Chemistry:long",
        "DesignCapacity:long DesignVoltage:long",
        Column("EstimatedChargeRemaining", ScalarType.LONG, note="percent"),
        "EstimatedRunTime:long:Minutes FullChargeCapacity:long ExpectedLife:long TimeOnBattery:long",
        "TimeToFullCharge:long PNPDeviceID SmartBatteryVersion SystemName",
    ),
    _hinv(
        "CDROM", "CDROM Drive", "Win32_CDROMDrive",
        f"{_DEVICE} Drive Manufacturer MediaType MediaLoaded:bool SCSIBus:long SCSILogicalUnit:long",
        "SCSIPort:long SCSITargetId:long Size:long:Bytes VolumeName VolumeSerialNumber RevisionLevel",
    ),
    _hinv(
        "ComputerSystem", "Computer System", "Win32_ComputerSystem",
        "Name Domain DomainRole:long Manufacturer Model UserName SystemType NumberOfProcessors:long",
        "TotalPhysicalMemory:long PrimaryOwnerName Status Description Caption CurrentTimeZone:long",
        "DaylightInEffect:bool BootupState PowerState:long ThermalState:long WakeUpType:long",
    ),
    _hinv(
        "ComputerSystemEx", "Computer System Ex", "CCM_ComputerSystemExtended",
        "Name",
        Column("PCSystemType", ScalarType.LONG, note="1 desktop, 2 mobile, 3 workstation, 4 server, ..."),
    ),
    _hinv(
        "ComputerSystemProduct", "Computer System Product", "Win32_ComputerSystemProduct",
        "IdentifyingNumber Name Version Caption Description SKUNumber UUID Vendor",
    ),
    _hinv(
        "ConnectedDevice", "Connected Device", "SMS_ActiveSyncConnectedDevice",
        "DeviceOEMInfo DeviceType OS_Major OS_Minor OS_Platform OS_Build OS_AdditionalInfo",
        "ProcessorArchitecture ProcessorLevel ProcessorRevision InstalledClientID InstalledClientServer",
        "InstalledClientVersion LastSyncTime",
        namespace=r"root\SmsDm",
    ),
    _hinv(
        "Desktop", "Desktop", "Win32_Desktop",
        "Name Caption Description ScreenSaverActive:bool ScreenSaverExecutable ScreenSaverSecure:bool",
        "ScreenSaverTimeout:long:Seconds Wallpaper WallpaperStretched:bool WallpaperTiled:bool Pattern",
        "BorderWidth:long CursorBlinkRate:long DragFullWindows:bool IconSpacing:long IconTitleFaceName",
        "IconTitleSize:long SettingID",
    ),
    _hinv(
        "DesktopMonitor", "Desktop Monitor", "Win32_DesktopMonitor",
        f"{_DEVICE} MonitorManufacturer MonitorType ScreenHeight:long ScreenWidth:long",
        "PixelsPerXLogicalInch:long PixelsPerYLogicalInch:long DisplayType:long IsLocked:bool SystemName",
    ),
    _hinv(
        "DMA", "DMA", "Win32_DeviceMemoryAddress",
        "StartingAddress:long EndingAddress:long Name Caption Description MemoryType Status",
    ),
    _hinv(
        "DMAChannel", "DMA Channel", "Win32_DMAChannel",
        "DMAChannel:long Name Caption Description AddressSize:long Availability:long BurstMode:bool",
        "ByteMode:long ChannelTiming:long MaxTransferSize:long Port:long Status TypeCTiming:long WordMode:long",
    ),
    _hinv(
        "DriverVxD", "Driver - VxD", "Win32_DriverVXD",
        "Name Caption Description Version BuildNumber Manufacturer Control DeviceDescriptorBlock",
        "IdentificationCode SoftwareElementID SoftwareElementState:long TargetOperatingSystem:long Status",
    ),
    _hinv(
        "EmbeddedDeviceInformation", "Embedded Device Information", "CCM_EmbeddedDeviceInformation",
        "DeviceType Model OEMName",
        namespace=_SMS,
    ),
    _hinv(
        "Firmware", "Firmware", "SMS_Firmware",
        "UEFI:bool SecureBoot:bool",
        namespace=_SMS,
    ),
    _hinv("IDEController", "IDE Controller", "Win32_IDEController", _CONTROLLER),
    _hinv(
        "IRQTable", "IRQ Table", "Win32_IRQResource",
        "IRQNumber:long Name Caption Description Availability:long Hardware:bool Shareable:bool Status",
        "TriggerLevel:long TriggerType:long Vector:long",
    ),
    _hinv(
        "Keyboard", "Keyboard", "Win32_Keyboard",
        f"{_DEVICE} Layout NumberOfFunctionKeys:long IsLocked:bool Password:long SystemName",
    ),
    _hinv(
        "LogicalDisk", "Logical Disk", "SMS_LogicalDisk",
        "DeviceID Name Caption Description DriveType:long FileSystem Size:long:MegaBytes",
        "FreeSpace:long:MegaBytes VolumeName VolumeSerialNumber Compressed:bool MediaType:long",
        "ProviderName Status Access:long SystemName",
        namespace=_SMS,
        note="Sizes in MB, as inventory reports them (the Disk entity gives bytes).",
    ),
    _hinv(
        "MDMDevDetail", "Device Information", "MDM_DevDetail_Ext01",
        "InstanceID ParentID DeviceHardwareData WLANMACAddress",
        namespace=r"root\cimv2\mdm\dmmap",
    ),
    _hinv(
        "Memory", "Memory", "CCM_LogicalMemoryConfiguration",
        "Name AvailableVirtualMemory:long:KiloBytes TotalPageFileSpace:long:KiloBytes",
        "TotalPhysicalMemory:long:KiloBytes TotalVirtualMemory:long:KiloBytes",
    ),
    _hinv(
        "Modem", "Modem", "Win32_POTSModem",
        f"{_DEVICE} DeviceType Model ProviderName AttachedTo MaxBaudRateToPhone:long",
        "MaxBaudRateToSerialPort:long Index:long DriverDate:datetime SystemName",
    ),
    _hinv(
        "Motherboard", "Motherboard", "Win32_MotherboardDevice",
        f"{_DEVICE} PrimaryBusType SecondaryBusType RevisionNumber SystemName",
    ),
    _hinv(
        "NetworkAdapter", "Network Adapter", "Win32_NetworkAdapter",
        "DeviceID Index:long Name Caption Description AdapterType MACAddress Manufacturer ProductName",
        "ServiceName Installed:bool MaxSpeed:long Speed:long PNPDeviceID Status Availability:long",
        "TimeOfLastReset:datetime SystemName",
    ),
    _hinv(
        "NetworkAdapterConfiguration", "Network Adapter Configuration", "Win32_NetworkAdapterConfiguration",
        "Index:long Description Caption IPEnabled:bool DHCPEnabled:bool DHCPServer",
        "DHCPLeaseObtained:datetime DHCPLeaseExpires:datetime DNSDomain DNSHostName MACAddress ServiceName",
        "SettingID MTU:long IPConnectionMetric:long TcpipNetbiosOptions:long WINSPrimaryServer",
        "WINSSecondaryServer DomainDNSRegistrationEnabled:bool FullDNSRegistrationEnabled:bool",
        note="IPAddress, IPSubnet and DefaultIPGateway are arrays, which CMPivot cannot return.",
    ),
    _hinv(
        "ParallelPort", "Parallel Port", "Win32_ParallelPort",
        f"{_DEVICE} DMASupport:bool OSAutoDiscovered:bool ProtocolSupported:long MaxNumberControlled:long",
        "SystemName",
    ),
    _hinv(
        "Partition", "Disk Partitions", "Win32_DiskPartition",
        "DeviceID Name Caption Description DiskIndex:long Index:long Bootable:bool BootPartition:bool",
        "PrimaryPartition:bool Size:long:MegaBytes BlockSize:long:Bytes NumberOfBlocks:long",
        "StartingOffset:long:Bytes Type Status SystemName",
    ),
    _hinv("PCMCIAController", "PCMCIA Controller", "Win32_PCMCIAController", _CONTROLLER),
    _hinv(
        "PhysicalDisk", "PhysicalDisk", "MSFT_PhysicalDisk",
        "DeviceId FriendlyName Manufacturer Model SerialNumber FirmwareVersion BusType:long MediaType:long",
        "HealthStatus:long Size:long:Bytes AllocatedSize:long:Bytes LogicalSectorSize:long:Bytes",
        "PhysicalSectorSize:long:Bytes SpindleSpeed:long CanPool:bool Usage:long ObjectId UniqueId",
        "Description PartNumber",
        namespace=r"root\microsoft\windows\storage",
    ),
    _hinv(
        "PhysicalMemory", "Physical Memory", "Win32_PhysicalMemory",
        "Tag BankLabel DeviceLocator Capacity:long:MegaBytes Manufacturer PartNumber SerialNumber",
        "Speed:long FormFactor:long MemoryType:long TypeDetail:long DataWidth:long TotalWidth:long Name",
        "Caption Description Model",
    ),
    _hinv(
        "PNPDEVICEDRIVER", "PNP Device Driver", "Win32_PnpEntity",
        f"{_DEVICE} Manufacturer ClassGuid Service SystemName",
    ),
    _hinv(
        "PointingDevice", "Pointing Device", "Win32_PointingDevice",
        f"{_DEVICE} Manufacturer HardwareType DeviceInterface:long PointingType:long NumberOfButtons:long",
        "Handedness:long InfFileName InfSection SystemName",
    ),
    _hinv(
        "PortableBattery", "Portable Battery", "Win32_PortableBattery",
        "DeviceID Name Caption Description Location Manufacturer ManufactureDate Chemistry:long",
        "DesignCapacity:long DesignVoltage:long CapacityMultiplier:long FullChargeCapacity:long",
        "EstimatedChargeRemaining:long EstimatedRunTime:long:Minutes MaxBatteryError:long",
        "SmartBatteryVersion Status",
    ),
    _hinv(
        "Ports", "Ports", "Win32_PortResource",
        "StartingAddress:long EndingAddress:long Name Caption Description Alias:bool Status",
    ),
    _hinv(
        "PowerCapabilities", "Power Capabilities", "CCM_PwrMgmtSystemPowerCapabilities",
        "PreferredPMProfile:long ApmPresent:bool BatteriesAreShortTerm:bool FullWake:bool LidPresent:bool",
        "MinDeviceWakeState ProcessorThrottle:bool RtcWake SystemBatteriesPresent:bool SystemS1:bool",
        "SystemS2:bool SystemS3:bool SystemS4:bool SystemS5:bool UpsPresent:bool VideoDimPresent:bool",
        namespace=r"root\ccm\powermanagementagent",
    ),
    _hinv(
        "PrinterConfiguration", "Printer Configuration", "Win32_PrinterConfiguration",
        "Name DeviceName DriverVersion:long Color:long Collate:bool Copies:long Duplex:bool Orientation:long",
        "PaperSize PrintQuality:long HorizontalResolution:long VerticalResolution:long XResolution:long",
        "YResolution:long FormName SettingID Description Caption",
    ),
    _hinv(
        "PrinterDevice", "Printer Device", "Win32_Printer",
        "DeviceID Name Caption Description DriverName PortName Location ShareName ServerName",
        "PrinterStatus:long PrinterState:long DetectedErrorState:long Attributes:long DefaultPriority:long",
        "SpoolEnabled:bool PrintProcessor PrintJobDataType Status JobCountSinceLastReset:long SystemName",
    ),
    _hinv(
        "Processor", "Processor", "SMS_Processor",
        "DeviceID Name Manufacturer Architecture:long AddressWidth:long Family:long",
        "MaxClockSpeed:long CurrentClockSpeed:long NumberOfCores:long NumberOfLogicalProcessors:long",
        "Is64Bit:bool IsHyperthreadCapable:bool IsHyperthreadEnabled:bool IsMobile:bool",
        Column("IsVitualizationCapable", ScalarType.BOOL, note="spelled so by the inventory class"),
        "ProcessorId SocketDesignation L2CacheSize:long:KiloBytes L3CacheSize:long:KiloBytes Status",
        namespace=_SMS,
    ),
    _hinv(
        "SCSIController", "SCSI Controller", "Win32_SCSIController",
        f"{_CONTROLLER} DriverName HardwareVersion Index:long",
    ),
    _hinv(
        "SerialPortConfiguration", "Serial Port Configuration", "Win32_SerialPortConfiguration",
        "Name Caption Description BaudRate:long BitsPerByte:long Parity ParityCheckEnabled:bool StopBits",
        "IsBusy:bool DTRFlowControlType RTSFlowControlType CTSOutflowControl:bool DSROutflowControl:bool",
        "DSRSensitivity:bool XOnXOffInFlowControl:long XOnXOffOutFlowControl:long BinaryModeEnabled:bool",
        "AbortReadWriteOnError:bool SettingID",
    ),
    _hinv(
        "SerialPorts", "Serial Ports", "Win32_SerialPort",
        f"{_DEVICE} ProviderType MaxBaudRate:long MaximumInputBufferSize:long MaximumOutputBufferSize:long",
        "Binary:bool OSAutoDiscovered:bool SystemName",
    ),
    _hinv(
        "SoundDevices", "Sound Devices", "Win32_SoundDevice",
        f"{_DEVICE} Manufacturer ProductName StatusInfo:long DMABufferSize:long MPU401Address:long SystemName",
    ),
    _hinv(
        "SystemDevices", "System Devices", "CCM_SystemDevices",
        "Name DeviceID IsPnP:bool",
        namespace=_SMS,
        note="CompatibleIDs and HardwareIDs are arrays, which CMPivot cannot return.",
    ),
    _hinv(
        "SystemEnclosure", "System Enclosure", "Win32_SystemEnclosure",
        "Tag Manufacturer Model Name Caption Description SerialNumber SMBIOSAssetTag SKU PartNumber Version",
        "LockPresent:bool AudibleAlarm:bool VisibleAlarm:bool SecurityStatus:long SecurityBreach:long",
        "HeatGeneration:long NumberOfPowerCords:long Status",
        note="ChassisTypes is an array, which CMPivot cannot return.",
    ),
    _hinv(
        "TapeDrive", "Tape Drive", "Win32_TapeDrive",
        f"{_DEVICE} Manufacturer MediaType Compression:long MaxBlockSize:long MaxMediaSize:long",
        "MaxPartitionCount:long NeedsCleaning:bool SystemName",
    ),
    _hinv(
        "TPM", "TPM", "Win32_Tpm",
        "IsActivated_InitialValue:bool IsEnabled_InitialValue:bool IsOwned_InitialValue:bool",
        "ManufacturerId:long ManufacturerVersion ManufacturerVersionInfo PhysicalPresenceVersionInfo",
        "SpecVersion",
        namespace=r"root\cimv2\Security\MicrosoftTpm",
    ),
    _hinv(
        "TPMStatus", "TPM Status", "SMS_TPM",
        "IsReady:bool Information:long IsApplicable:bool",
        namespace=_SMS,
    ),
    _hinv(
        "UninterruptiblePowerSupply", "Uninterruptible Power Supply", "Win32_UninterruptiblePowerSupply",
        f"{_DEVICE} BatteryInstalled:bool CanTurnOffRemotely:bool EstimatedChargeRemaining:long",
        "EstimatedRunTime:long:Minutes IsSwitchingSupply:bool LowBatterySignal:bool PowerFailSignal:bool",
        "RemainingCapacityStatus:long TimeOnBackup:long:Seconds TotalOutputPower:long UPSPort SystemName",
    ),
    _hinv("USBController", "USB Controller", "Win32_USBController", _CONTROLLER),
    _hinv(
        "USBDevice", "USB Device", "Win32_USBDevice",
        f"{_DEVICE} Manufacturer ClassGuid Service CreationClassName SystemCreationClassName SystemName",
    ),
    _hinv(
        "VideoController", "Video Controller", "Win32_VideoController",
        "DeviceID Name Description AdapterCompatibility AdapterDACType AdapterRAM:long",
        "CurrentBitsPerPixel:long CurrentHorizontalResolution:long CurrentVerticalResolution:long",
        "CurrentRefreshRate:long DriverDate:datetime DriverVersion InfFilename InstalledDisplayDrivers",
        "VideoModeDescription VideoProcessor PNPDeviceID Status Availability:long",
    ),
    _hinv(
        "VirtualMachine", "Virtual Machine", "Win32Reg_SMSGuestVirtualMachine",
        "InstanceKey PhysicalHostName PhysicalHostNameFullyQualified",
    ),
    _hinv(
        "VirtualMachine64", "Virtual Machine (64)", "Win32Reg_SMSGuestVirtualMachine64",
        "InstanceKey PhysicalHostName PhysicalHostNameFullyQualified",
    ),
    _hinv(
        "Volume", "Volume", "Win32_Volume",
        "DeviceID Name Caption Label DriveLetter DriveType:long FileSystem Capacity:long:MegaBytes",
        "FreeSpace:long:MegaBytes BlockSize:long:Bytes Automount:bool Compressed:bool DirtyBitSet:bool",
        "IndexingEnabled:bool QuotasEnabled:bool SerialNumber:long PNPDeviceID Status SystemName Description",
    ),
)
# fmt: on

// The Windows inventory: the registry (CurrentVersion, the processor's name), SMBIOS through
// GetSystemFirmwareTable('RSMB') parsed by core/smbios, GetAdaptersAddresses (the snapshot's
// network section), WTS for the console user, GetLastInputInfo, GlobalMemoryStatusEx,
// GetDiskFreeSpaceExW and GetTickCount64. What Wine returns for each: platform/win32/README.md.
#include <windows.h>
#include <wtsapi32.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include "core/smbios.h"
#include "platform/inventory.h"
#include "platform/win32/win32_snapshot_parts.h"
#include "platform/win32/win32_text.h"

namespace guru::platform {
namespace {

using win32::narrow;

constexpr const wchar_t* kCurrentVersion = L"SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion";

std::optional<DWORD> machineDword(const wchar_t* key, const wchar_t* name) {
    DWORD value = 0, size = sizeof value;
    if (RegGetValueW(HKEY_LOCAL_MACHINE, key, name, RRF_RT_REG_DWORD, nullptr, &value, &size) != ERROR_SUCCESS)
        return std::nullopt;
    return value;
}

std::string hostname() {
    wchar_t name[256];
    DWORD size = 256;
    if (!GetComputerNameExW(ComputerNameDnsHostname, name, &size)) return {};
    return narrow(name);
}

inventory::OsInfo os() {
    inventory::OsInfo out;
    DWORD build = 0;
    out.version = win32::kernelVersion(build);
    out.name = win32::windowsProductName(build);
    if (auto current = win32::machineString(kCurrentVersion, L"CurrentBuild")) out.build = narrow(*current);
    else if (build) out.build = std::to_string(build);
    if (auto installed = machineDword(kCurrentVersion, L"InstallDate"); installed && *installed) out.installDate = *installed;
    return out;
}

// The raw SMBIOS table: ask for the size, then read it (it does not change in between).
std::optional<inventory::Hardware> hardware() {
    constexpr DWORD kRsmb = 0x52534D42;  // 'RSMB', the raw SMBIOS provider
    const UINT size = GetSystemFirmwareTable(kRsmb, 0, nullptr, 0);
    if (size == 0 || size > 1024 * 1024) return std::nullopt;
    std::vector<std::byte> table(size);
    if (GetSystemFirmwareTable(kRsmb, 0, table.data(), size) != size) return std::nullopt;
    auto identity = smbios::parseRawSmbiosData(table);
    if (!identity) return std::nullopt;
    auto h = smbios::hardwareOf(*identity);
    if (h == inventory::Hardware{}) return std::nullopt;
    return h;
}

std::optional<std::uint32_t> physicalCores() {
    DWORD size = 0;
    GetLogicalProcessorInformationEx(RelationProcessorCore, nullptr, &size);
    if (size == 0) return std::nullopt;
    std::vector<std::byte> buffer(size);
    auto* first = reinterpret_cast<SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX*>(buffer.data());
    if (!GetLogicalProcessorInformationEx(RelationProcessorCore, first, &size)) return std::nullopt;
    std::uint32_t cores = 0;
    for (DWORD at = 0; at + sizeof(DWORD) * 2 <= size;) {
        const auto* entry = reinterpret_cast<const SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX*>(buffer.data() + at);
        if (entry->Size == 0) break;
        if (entry->Relationship == RelationProcessorCore) ++cores;
        at += entry->Size;
    }
    if (cores == 0) return std::nullopt;
    return cores;
}

inventory::Cpu cpu() {
    inventory::Cpu out;
    if (auto name = win32::machineString(L"HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0", L"ProcessorNameString"))
        out.model = smbios::meaningful(narrow(*name));
    if (const DWORD threads = GetActiveProcessorCount(ALL_PROCESSOR_GROUPS); threads > 0) out.threads = threads;
    out.cores = physicalCores();
    return out;
}

std::optional<inventory::Memory> memory() {
    MEMORYSTATUSEX m{};
    m.dwLength = sizeof m;
    if (!GlobalMemoryStatusEx(&m)) return std::nullopt;
    return inventory::Memory{m.ullTotalPhys, m.ullAvailPhys};
}

std::vector<inventory::Disk> disks() {
    wchar_t drives[512];
    const DWORD length = GetLogicalDriveStringsW(511, drives);
    if (length == 0 || length > 511) return {};
    std::vector<inventory::Disk> out;
    for (const wchar_t* root = drives; *root; root += wcslen(root) + 1) {
        if (GetDriveTypeW(root) != DRIVE_FIXED) continue;  // never a network drive: it could hang
        ULARGE_INTEGER available{}, total{}, free{};
        if (!GetDiskFreeSpaceExW(root, &available, &total, &free)) continue;
        out.push_back({narrow(root), total.QuadPart, available.QuadPart});
    }
    return out;
}

bool isLoopback(const std::string& address) { return address.rfind("127.", 0) == 0 || address.rfind("::1/", 0) == 0; }

std::vector<inventory::NetworkAdapter> network() {
    auto section = win32::networkSection();
    if (!section) return {};
    std::vector<inventory::NetworkAdapter> out;
    for (auto& i : section->interfaces) {
        // The loopback pseudo-interface says nothing about the machine's place on a network.
        if (!i.mac && std::all_of(i.addresses.begin(), i.addresses.end(), isLoopback)) continue;
        out.push_back({i.name, i.mac.value_or(""), std::move(i.addresses)});
    }
    return out;
}

struct WtsFree {
    void operator()(wchar_t* p) const { WTSFreeMemory(p); }
};

// The console session's user (the service's helper runs in it, so its last input is theirs).
std::optional<inventory::User> user() {
    const DWORD session = WTSGetActiveConsoleSessionId();
    if (session == 0xFFFFFFFF) return std::nullopt;
    wchar_t* raw = nullptr;
    DWORD bytes = 0;
    if (!WTSQuerySessionInformationW(WTS_CURRENT_SERVER_HANDLE, session, WTSUserName, &raw, &bytes)) return std::nullopt;
    std::unique_ptr<wchar_t, WtsFree> name(raw);
    if (!name || !*name) return std::nullopt;
    inventory::User out{narrow(name.get()), std::nullopt};
    LASTINPUTINFO last{};
    last.cbSize = sizeof last;
    // 32-bit ticks on both sides: the unsigned difference is right across the 49.7-day wrap.
    if (GetLastInputInfo(&last)) out.idleSeconds = (GetTickCount() - last.dwTime) / 1000;
    return out;
}

std::int64_t bootTime() {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    return now - static_cast<std::int64_t>(GetTickCount64() / 1000);
}

}  // namespace

inventory::Inventory collectInventory() {
    inventory::Inventory inv;
    inv.hostname = hostname();
    inv.os = os();
    inv.hardware = hardware();
    inv.cpu = cpu();
    inv.memory = memory();
    inv.disks = disks();
    inv.network = network();
    inv.user = user();
    inv.bootTime = bootTime();
    return inv;
}

}  // namespace guru::platform

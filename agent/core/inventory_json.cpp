// The AgentInventory JSON (docs/protocol.md §2.6), in the contract's key order.
#include <nlohmann/json.hpp>

#include "core/diagnostics_report.h"
#include "core/inventory.h"

namespace guru::inventory {
namespace {

using Json = nlohmann::ordered_json;

std::string text(const std::string& s) { return boundedText(s); }

bool reportableDeviceType(const std::string& t) { return t == "workstation" || t == "server" || t == "laptop"; }

template <typename T>
std::vector<T> firstEntries(const std::vector<T>& list) {
    return {list.begin(), list.begin() + static_cast<std::ptrdiff_t>(std::min(list.size(), kMaxListEntries))};
}

Json osJson(const OsInfo& os) {
    Json j = Json::object();
    if (!os.name.empty()) j["name"] = text(os.name);
    if (!os.version.empty()) j["version"] = text(os.version);
    if (!os.build.empty()) j["build"] = text(os.build);
    if (os.installDate) j["installDate"] = *os.installDate;
    return j;
}

Json hardwareJson(const Hardware& h) {
    Json j = Json::object();
    if (!h.manufacturer.empty()) j["manufacturer"] = text(h.manufacturer);
    if (!h.model.empty()) j["model"] = text(h.model);
    if (!h.serial.empty()) j["serial"] = text(h.serial);
    if (!h.serviceTag.empty()) j["serviceTag"] = text(h.serviceTag);
    return j;
}

Json cpuJson(const Cpu& c) {
    Json j = Json::object();
    if (!c.model.empty()) j["model"] = text(c.model);
    if (c.cores) j["cores"] = *c.cores;
    if (c.threads) j["threads"] = *c.threads;
    return j;
}

Json memoryJson(const Memory& m) {
    Json j = {{"totalBytes", m.totalBytes}};
    if (m.availableBytes) j["availableBytes"] = *m.availableBytes;
    return j;
}

Json disksJson(const std::vector<Disk>& disks) {
    Json j = Json::array();
    for (const auto& d : firstEntries(disks))
        j.push_back({{"mount", text(d.mount)}, {"totalBytes", d.totalBytes}, {"freeBytes", d.freeBytes}});
    return j;
}

Json networkJson(const std::vector<NetworkAdapter>& adapters) {
    Json j = Json::array();
    for (const auto& a : firstEntries(adapters)) {
        Json entry = {{"name", text(a.name)}};
        if (!a.mac.empty()) entry["mac"] = text(a.mac);
        Json addresses = Json::array();
        for (const auto& address : firstEntries(a.addresses)) addresses.push_back(text(address));
        entry["addresses"] = std::move(addresses);
        j.push_back(std::move(entry));
    }
    return j;
}

Json userJson(const User& u) {
    Json j = {{"name", text(u.name)}};
    if (u.idleSeconds) j["idleSeconds"] = *u.idleSeconds;
    return j;
}

// Only the fields that are set: the server keeps a stored value for an absent key (so a blank
// field here leaves what the enrolment token's form gave) and would clear it for "".
Json metadataJson(const MachineMetadata& m, std::size_t maxProperties) {
    Json j = Json::object();
    for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"name", &m.name}, {"company", &m.company},
                                     {"site", &m.site}, {"department", &m.department}}) {
        if (!value->empty()) j[key] = text(*value);
    }
    if (reportableDeviceType(m.deviceType)) j["deviceType"] = m.deviceType;
    if (!m.tag.empty()) j["tag"] = text(m.tag);
    if (!m.properties.empty() && maxProperties > 0) {
        Json properties = Json::object();
        std::size_t n = 0;
        for (const auto& [key, value] : m.properties) {
            // A name the server would refuse (and with it the whole report) is left out.
            if (key.empty() || key.size() > kMaxPropertyNameBytes) continue;
            if (n++ == maxProperties) break;
            properties[text(key)] = text(value);
        }
        j["properties"] = std::move(properties);
    }
    return j;
}

// What is left in the JSON after the size trimming of toJson.
struct Kept {
    std::size_t network = kMaxListEntries;
    std::size_t disks = kMaxListEntries;
    std::size_t properties = kMaxListEntries;
};

std::string render(const Inventory& inv, const Kept& kept) {
    Json j = {{"hostname", text(inv.hostname)}};
    if (inv.os) j["os"] = osJson(*inv.os);
    if (inv.hardware) j["hardware"] = hardwareJson(*inv.hardware);
    if (inv.cpu) j["cpu"] = cpuJson(*inv.cpu);
    if (inv.memory) j["memory"] = memoryJson(*inv.memory);
    if (!inv.disks.empty() && kept.disks > 0)
        j["disks"] = disksJson({inv.disks.begin(), inv.disks.begin() + static_cast<std::ptrdiff_t>(std::min(inv.disks.size(), kept.disks))});
    if (!inv.network.empty() && kept.network > 0)
        j["network"] = networkJson({inv.network.begin(), inv.network.begin() + static_cast<std::ptrdiff_t>(std::min(inv.network.size(), kept.network))});
    if (inv.user) j["user"] = userJson(*inv.user);
    if (inv.bootTime) j["bootTime"] = *inv.bootTime;
    if (!inv.agentVersion.empty()) j["agentVersion"] = text(inv.agentVersion);
    if (hasMetadata(inv.metadata)) j["metadata"] = metadataJson(inv.metadata, kept.properties);
    // Every string went through boundedText, so `replace` never fires.
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

bool hasMetadata(const MachineMetadata& m) {
    return !(
m.name.empty() && m.company.empty() && m.site.empty() && m.department.empty() && m.deviceType.empty() &&
             m.tag.empty() && m.properties.empty());
}

std::string boundedText(std::string_view input, std::size_t maxBytes) {
    std::string valid = diagnostics::validUtf8(input);
    if (valid.size() <= maxBytes) return valid;
    std::size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(valid[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    valid.resize(cut);
    return valid;
}

std::string toJson(const Inventory& inventory) {
    Kept kept;
    std::string json = render(inventory, kept);
    // Adapters first: a machine with dozens of virtual interfaces is the usual way to get here.
    // As many at once as their own JSON outweighs the excess (one render per pass, not per adapter).
    while (json.size() > kMaxJsonBytes) {
        if (kept.network > 0 && !inventory.network.empty()) {
            kept.network = std::min(kept.network, inventory.network.size());
            std::size_t freed = 0;
            while (kept.network > 0 && freed < json.size() - kMaxJsonBytes) {
                --kept.network;
                freed += networkJson({inventory.network[kept.network]}).dump(-1, ' ', false, Json::error_handler_t::replace).size() - 1;
            }
        } else if (kept.disks > 0 && !inventory.disks.empty()) {
            kept.disks = std::min(kept.disks, inventory.disks.size()) - 1;
        } else if (kept.properties > 0 && !inventory.metadata.properties.empty()) {
            kept.properties = std::min(kept.properties, inventory.metadata.properties.size()) - 1;
        } else {
            break;  // cannot happen: the rest is bounded well below the cap
        }
        json = render(inventory, kept);
    }
    return json;
}

}  // namespace guru::inventory

// Who is who in the reports: each device row gets the device's vendor and
// what it announced about itself, each remote row the names its device was
// given for the remote and where the remote is. The core knows what the
// capture said (DeviceDirectory, NameHistory); what only Wireshark knows (a
// MAC's vendor, MaxMind's country and AS owner) comes through callbacks.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "heuristics/common/ip_address.hpp"
#include "heuristics/common/packet_facts.hpp"
#include "heuristics/identity/device_directory.hpp"
#include "heuristics/identity/name_history.hpp"

namespace phonehome {

struct DeviceRow;
struct RemoteRow;

// Where an address is and who runs it; empty/0 where unknown.
struct GeoInfo {
    std::string country, country_iso;
    uint32_t asn = 0;
    std::string as_org;
};

struct RowIdentity {
    const DeviceDirectory *devices = nullptr;
    const NameHistory *names = nullptr;
    std::function<std::string(const MacAddress &)> vendor;  // "" when unknown
    std::function<GeoInfo(const IpAddress &)> geo;

    void fill(DeviceRow &row) const;
    void fill(RemoteRow &row) const;
};

}  // namespace phonehome

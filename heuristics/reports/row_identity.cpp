#include "heuristics/reports/row_identity.hpp"

#include "heuristics/reports/device_report.hpp"
#include "heuristics/reports/remote_report.hpp"

namespace phonehome {

void RowIdentity::fill(DeviceRow &row) const {
    if (row.has_mac && vendor) row.vendor = vendor(row.mac);
    if (!devices) return;
    DeviceDirectory::Identity id = devices->identity(row.has_mac ? &row.mac : nullptr, row.address);
    row.name = std::move(id.name);
    row.names = std::move(id.names);
    row.vendor_class = std::move(id.vendor_class);
    row.ssdp_servers = std::move(id.ssdp_servers);
}

void RowIdentity::fill(RemoteRow &row) const {
    // Only what this device was told: a remote it never resolved itself
    // lists no names even when another device's lookup named its packets.
    if (names) row.names = names->names_given(row.device, row.remote);
    if (geo) row.geo = geo(row.remote);
}

}  // namespace phonehome

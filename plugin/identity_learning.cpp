#include "identity_learning.hpp"

#include <string>
#include <vector>

#include "analysis_state.hpp"
#include "heuristics/wire/dhcp_message.hpp"
#include "heuristics/wire/dns_message.hpp"
#include "heuristics/wire/nbns_message.hpp"
#include "heuristics/wire/ssdp_message.hpp"

namespace phonehome::glue {

namespace {

constexpr uint16_t kMdnsPort = 5353, kLlmnrPort = 5355;

// DHCP names the client by its hardware address, in the client's own
// messages (what a server puts in its replies is not the device's word).
void learn_dhcp(DeviceDirectory &dir, const AppPayload &app, uint32_t frame) {
    wire::DhcpMessage m;
    if (!wire::parse_dhcp_message(app.data, app.len, &m) || m.op != wire::kDhcpBootRequest ||
        !m.has_ethernet_chaddr())
        return;
    MacAddress mac;
    std::copy(m.chaddr.begin(), m.chaddr.begin() + 6, mac.begin());
    dir.learn(mac, Announcement::DhcpName, m.host_name, frame);
    dir.learn(mac, Announcement::DhcpVendorClass, m.vendor_class, frame);
}

// An mDNS or LLMNR response the device sends: the owner names of its A/AAAA
// records that give one of the sender's own addresses (a responder also
// answers for others: a proxy, a sleep proxy, a stale cache).
void learn_dns_names(DeviceDirectory &dir, const AppPayload &app, const PacketFacts &f, bool mdns) {
    wire::DnsMessage dns;
    std::vector<wire::DnsRecord> records;
    if (!wire::parse_dns_message(app.data, app.len, &dns, &records, wire::DnsRecordKinds::Addresses) ||
        !dns.response)
        return;
    const MacAddress *mac = f.has_src_mac ? &f.src_mac : nullptr;
    for (const wire::DnsRecord &r : records) {
        if (r.type != wire::kDnsTypeA && r.type != wire::kDnsTypeAaaa) continue;
        if (r.section == wire::DnsSection::Authority || (!mdns && r.section != wire::DnsSection::Answer)) continue;
        const bool own = r.address == f.src || (mac && dir.owns(*mac, r.address, f.frame_number));
        if (!own) continue;
        std::string name = r.owner;
        if (!name.empty() && name.back() == '.') name.pop_back();
        dir.learn(mac, f.src, mdns ? Announcement::MdnsName : Announcement::LlmnrName, name, f.frame_number);
    }
}

// NetBIOS: the unique workstation names (suffix 0x00) a device registers or
// refreshes, or gives in a positive answer to a name query.
void learn_netbios(DeviceDirectory &dir, const AppPayload &app, const PacketFacts &f) {
    wire::NbnsMessage m;
    if (!wire::parse_nbns_message(app.data, app.len, &m)) return;
    wire::DnsSection section;
    if (!m.response && (m.opcode == wire::kNbnsRegistration || m.opcode == wire::kNbnsRefresh ||
                        m.opcode == wire::kNbnsRefreshAlt))
        section = wire::DnsSection::Additional;
    else if (m.response && m.opcode == wire::kNbnsQuery && m.rcode == 0)
        section = wire::DnsSection::Answer;
    else
        return;
    const MacAddress *mac = f.has_src_mac ? &f.src_mac : nullptr;
    for (const wire::NbnsRecord &r : m.records) {
        if (r.section != section || r.type != wire::kNbnsTypeNb || r.name.suffix != wire::kNbWorkstation) continue;
        bool unique = !r.addresses.empty();
        for (const wire::NbAddress &a : r.addresses) unique = unique && !(a.flags & wire::kNbGroup);
        if (unique) dir.learn(mac, f.src, Announcement::NetbiosName, r.name.name, f.frame_number);
    }
}

void learn_ssdp(DeviceDirectory &dir, const AppPayload &app, const PacketFacts &f) {
    wire::SsdpMessage m;
    if (!wire::parse_ssdp_message(app.data, app.len, &m, wire::ssdp_field::kServer) || m.server.empty()) return;
    dir.learn(f.has_src_mac ? &f.src_mac : nullptr, f.src, Announcement::SsdpServer, m.server, f.frame_number);
}

}  // namespace

void learn_identity(const AppPayload &app, const PacketFacts &f, bool sender_local) noexcept {
    try {
        DeviceDirectory &dir = analyzer()->devices();
        // A local device's own frame: its address is its MAC's from here on.
        if (sender_local && f.has_src_mac && !(f.src_mac[0] & 1)) dir.bind(f.src, f.src_mac, f.frame_number);
        if (!app.data || app.len == 0) return;
        if (app.dhcp) learn_dhcp(dir, app, f.frame_number);
        if (app.mdns && f.src_port == kMdnsPort) learn_dns_names(dir, app, f, true);
        if (app.llmnr && f.src_port == kLlmnrPort) learn_dns_names(dir, app, f, false);
        if (app.nbns) learn_netbios(dir, app, f);
        if (app.ssdp) learn_ssdp(dir, app, f);
    } catch (...) {
        // out of memory: the frame teaches nothing
    }
}

}  // namespace phonehome::glue

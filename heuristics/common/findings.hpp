// The findings phonehome can put on a packet. Their short names are user-facing
// (`phonehome.pattern` values, report columns, the `phonehome.<name>` expert
// infos), so they are an interface: never rename one.
#pragma once

#include <cstddef>
#include <cstdint>

namespace phonehome {

enum class Finding : uint8_t {
    Sink,     // UDP datagram / TCP SYN to a "no service" port of an Internet host
    Pinhole,  // a one-way UDP 4-tuple resent after a silence, keeping a NAT mapping open
    P2p,      // a Kalay or PPPP message exchanged with an Internet host
    P2pLan,   // a Kalay or PPPP message that stays on the local network
    P2pDns,   // a DNS query or response for a P2P platform's domain
    Heartbeat,  // a beat of an established periodic series inside a flow
    DeadCloud,  // the 3rd or later unanswered TCP SYN to an Internet service
};

constexpr size_t kFindingCount = 7;

// One bit per Finding.
using FindingSet = uint32_t;

constexpr FindingSet finding_bit(Finding f) { return FindingSet(1) << static_cast<unsigned>(f); }
constexpr bool has_finding(FindingSet set, Finding f) { return (set & finding_bit(f)) != 0; }

struct FindingInfo {
    Finding finding;
    const char *name;   // short name: "sink" (also phonehome.<name>)
    const char *title;  // a few words for column headers and menus
};

constexpr FindingInfo kFindings[kFindingCount] = {
    {Finding::Sink, "sink", "Sink port"},
    {Finding::Pinhole, "pinhole", "NAT pinhole"},
    {Finding::P2p, "p2p", "P2P platform"},
    {Finding::P2pLan, "p2p_lan", "P2P on the LAN"},
    {Finding::P2pDns, "p2p_dns", "P2P platform DNS"},
    {Finding::Heartbeat, "heartbeat", "Heartbeat"},
    {Finding::DeadCloud, "dead_cloud", "Dead cloud"},
};

}  // namespace phonehome

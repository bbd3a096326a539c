// Fills the core's PacketFacts from a finished dissection without a protocol
// tree: Wireshark decides where the packet's own IP header is and what it
// carries (pinfo's addresses, ports and protocol layers), and the core reads
// the few header and payload bytes it needs (heuristics/wire/). Asking for
// fields instead would make tshark build a tree for every packet, which
// costs ~60% on the packet-list pass (bench/README.md).
//
// The packet's own IP header is the innermost one (the real traffic inside
// GTP, GRE, ERSPAN or IP-in-IP tunnels) that is not quoted inside an
// ICMP/ICMPv6 error (there the outer header is the packet; the quoted one is
// an old packet's copy, and pinfo holds the copy).
#pragma once

#include <cstddef>
#include <cstdint>

#include "heuristics/common/packet_facts.hpp"
#include "ws.hpp"

namespace phonehome::glue {

// Looks up the protocol ids; call from the handoff.
void facts_init();

// The transport payload of the frame's own packet and which application
// protocol Wireshark decoded in it, for the core's DNS, TLS and MQTT readers.
// The bytes belong to the dissection and are valid until it ends.
struct AppPayload {
    const uint8_t *data = nullptr;
    size_t len = 0;          // captured payload bytes (at most the stated length)
    bool dns = false;        // DNS, mDNS or LLMNR
    bool dns_over_tcp = false;  // a 2-byte length precedes the message
    bool tls = false;
    bool mqtt = false;
    bool p2p = false;  // Kalay or PPPP claimed the payload (their note is worth looking up)
    // What devices announce about themselves (identity_learning.cpp); mdns
    // and llmnr are also dns.
    bool dhcp = false, mdns = false, llmnr = false, nbns = false, ssdp = false;
    // The decrypted frames of a QUIC Initial packet, when Wireshark could decrypt it.
    const uint8_t *quic_frames = nullptr;
    size_t quic_len = 0;
};

// On the first, in-order pass: the packet's facts from its own headers, else
// (headers that cannot be read) what pinfo alone says. False when the frame
// has no IPv4/IPv6 packet at all. *keep is set when later dissections, which
// have only extract_facts_from_pinfo(), would get other facts (an ICMP error
// quoting a packet), so the caller keeps these.
bool extract_facts(packet_info *pinfo, tvbuff_t *tvb, PacketFacts *out, AppPayload *app, bool *keep);

// From pinfo alone, for later dissections of a frame. pinfo holds the last IP
// and transport headers dissected, so this equals extract_facts() except for
// frames with more headers after the chosen ones (ICMP errors quoting a
// packet): the caller compares the two on the first pass and keeps the
// first-pass facts of such frames.
bool extract_facts_from_pinfo(packet_info *pinfo, PacketFacts *out);

}  // namespace phonehome::glue

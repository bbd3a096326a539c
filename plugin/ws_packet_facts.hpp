// Fills the core's PacketFacts from a finished dissection: the packet's own
// IP header and the transport right above it. That is the innermost IP header
// (the real traffic inside GTP, GRE, ERSPAN or IP-in-IP tunnels) that is not
// quoted inside an ICMP/ICMPv6 error (there the outer header is the packet;
// the quoted one is an old packet's copy). pinfo->src/dst would give the
// quoted copy, so addresses, ports and TCP flags are read from the (primed)
// fields of the chosen layer instances.
#pragma once

#include "heuristics/p2p/p2p_domains.hpp"
#include "heuristics/packet_facts.hpp"
#include "ws.hpp"

namespace phonehome::glue {

// Looks up the protocol and field ids; call from the handoff.
void facts_init();
// The fields the postdissector must have in the tree.
GArray *facts_wanted_hfids();
// From the primed fields of the chosen layers (the first, in-order pass,
// where tshark and Wireshark prime the postdissector's fields). False when
// the frame has no IPv4/IPv6 header or the fields are missing.
bool extract_facts(packet_info *pinfo, proto_tree *tree, PacketFacts *out);

// From pinfo alone, for later dissections of a frame, where the fields are
// not primed. pinfo holds the last IP and transport headers dissected, so
// this equals extract_facts() except for frames with more headers after the
// chosen ones (ICMP errors quoting a packet): the caller compares the two on
// the first pass and keeps the field-derived facts of such frames.
bool extract_facts_from_pinfo(packet_info *pinfo, PacketFacts *out);

// On the first pass: the first DNS name of the frame (question, answer owner
// or CNAME target) under a P2P platform domain, or nullptr; `response` says
// whether the DNS message is a response.
const char *match_dns_names(proto_tree *tree, const P2pDomains &domains, bool *response);

// On the first pass: the names this frame teaches. DNS answers give each A
// and AAAA address the (first) name asked for; a TLS ClientHello's SNI names
// the packet's destination.
struct LearntName {
    IpAddress addr;
    const char *name;  // in the tree's memory, valid for this dissection
};
// Up to `max` DNS answers; returns how many.
size_t dns_answers(proto_tree *tree, LearntName *out, size_t max);
const char *tls_sni(proto_tree *tree);

}  // namespace phonehome::glue

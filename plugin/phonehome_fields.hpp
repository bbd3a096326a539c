// The phonehome protocol's fields, subtree and expert infos: ids shared by
// the tree builder and registration.
#pragma once

#include "heuristics/common/findings.hpp"
#include "ws.hpp"

namespace phonehome::glue {

extern int proto_phonehome;
extern int hf_device, hf_device6, hf_remote, hf_remote6, hf_direction, hf_device_port, hf_remote_port;
extern int hf_transport, hf_pattern;
extern int hf_pinhole_gap, hf_pinhole_open_for, hf_pinhole_datagrams;
extern gint ett_phonehome;
extern int hf_p2p_platform, hf_p2p_message, hf_p2p_uid, hf_dns_name;
extern int hf_device_name, hf_device_vendor, hf_device_vendor_class, hf_device_ssdp_server;
extern int hf_remote_country, hf_remote_asn, hf_remote_as_org;
extern int hf_remote_name, hf_hb_period, hf_hb_jitter, hf_hb_count, hf_hb_keepalive;
extern int hf_dead_attempt, hf_dead_since, hf_allowed;
extern expert_field ei_sink, ei_pinhole, ei_p2p, ei_p2p_lan, ei_p2p_dns;
extern expert_field ei_heartbeat, ei_dead_cloud;
extern expert_field ei_allowed[kFindingCount];

// Registers them on the protocol.
void register_phonehome_fields(int proto);

// The expert field for a finding: its own at Warning, or the Note twin when
// the remote is on the allowlist.
expert_field *ei_for(Finding f, expert_field *warn, bool allowed);

}  // namespace phonehome::glue

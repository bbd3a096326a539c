// Teaches the device directory what a frame's sender announces about itself
// (DHCP, mDNS, LLMNR, NetBIOS, SSDP), on the first, in-order pass. The rules
// are those of heuristics/identity/device_directory.hpp and the captures'
// ground truth (captures/pcapgen/identity_truth.py): a device is its MAC,
// and a name counts only where it names one of that MAC's own addresses.
#pragma once

#include "heuristics/common/packet_facts.hpp"
#include "ws_packet_facts.hpp"

namespace phonehome::glue {

// `sender_local`: the frame's source is a local address (its binding to the
// source MAC is recorded first).
void learn_identity(const AppPayload &app, const PacketFacts &facts, bool sender_local) noexcept;

}  // namespace phonehome::glue

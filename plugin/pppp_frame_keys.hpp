// Which key reads a PPPP datagram, the same on every dissection of a frame.
//
// Plaintext, the vendor keys and the user's keys need no state: they are
// tried on every pass. Keys recovered from the traffic depend on the frames
// before, so the recovery runs once per frame, on the first pass in capture
// order, and what it found for a frame (the key that read it) is kept with
// the frame (p_add_proto_data); later passes and the GUI reuse it, so
// one-pass tshark, two-pass tshark and Wireshark agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "heuristics/detectors/p2p/pppp.hpp"
#include "heuristics/detectors/p2p/pppp_key_recovery.hpp"
#include "ws.hpp"

namespace phonehome::glue {

// What the first pass decided for a recovered-key frame (file memory).
struct PpppFrameKey {
    PpppSeed seed;
    bool confirmed_here;  // the key was confirmed by this datagram
};

// Where the per-frame results are kept (the pppp protocol's id).
void pppp_frame_keys_init(int proto_pppp);

// The preferences' keys (PSKs, or 4 bytes in hex); rebuilds the keyring.
void pppp_set_user_keys(const std::vector<std::string> &keys);
// A new capture or new preferences: recovered keys are forgotten.
void pppp_forget_recovered_keys() noexcept;

// Cheap: false when no key, stored result or recovery can read a datagram
// starting with `first_byte` between these ports.
bool pppp_worth_trying(packet_info *pinfo, uint8_t first_byte) noexcept;

// The stored first-pass result of this frame's datagram, or nullptr (later
// passes only).
const PpppFrameKey *pppp_stored_key(packet_info *pinfo);
void pppp_store_key(packet_info *pinfo, const PpppFrameKey &key);

// Decodes the datagram (no Wireshark calls, no exception leaves). On the
// first pass `first_pass` is true and a key recovery may be run, in which
// case *to_store is set to what pppp_store_key must keep.
std::optional<PpppMessage> pppp_decode(const uint8_t *data, size_t len, bool first_pass,
                                       const PpppEndpoint *src, const PpppEndpoint *dst,
                                       const PpppFrameKey *stored, std::optional<PpppFrameKey> *to_store);

// The datagram's endpoints, when it travels over IPv4 or IPv6.
bool pppp_endpoints(packet_info *pinfo, PpppEndpoint *src, PpppEndpoint *dst);

}  // namespace phonehome::glue

// What a Kalay conversation taught before a frame: which side is the device
// and whether the SDK is 4.x. Messages tell the device's side (a discovery
// goes to it, a discovery reply or device ping comes from it; go2rtc
// pkg/tutk), so does UDP 32761, the SDK's LAN port; a discovery carrying SDK
// 4.x, a 52-byte session request, DTLS in session data or the CC51 framing
// tell the SDK. The first pass learns in capture order and keeps each
// frame's result with the frame; later passes reuse it, so one-pass and
// two-pass tshark and the GUI agree.
#pragma once

#include <cstdint>

#include "heuristics/detectors/p2p/kalay.hpp"
#include "ws.hpp"

namespace phonehome::glue {

struct KalayFrameContext {
    bool sdk4;            // the conversation (this frame included) showed SDK 4.x
    int8_t from_device;   // 1: the sender is the device, 0: the receiver is, -1: not known
};

// Where the per-frame results are kept (the kalay protocol's id).
void kalay_conversation_init(int proto_kalay);

// On the first pass, learns from this message and returns the frame's
// context (and keeps it); on later passes returns the kept one.
KalayFrameContext kalay_frame_context(packet_info *pinfo, bool shows_sdk4, KalaySender sender);

}  // namespace phonehome::glue

#include "heuristics/detectors/p2p/p2p_observation.hpp"

#include <algorithm>
#include <cstring>

#include "heuristics/detectors/p2p/kalay.hpp"

namespace phonehome {

const char *p2p_platform_name(P2pPlatform p) {
    switch (p) {
    case P2pPlatform::Kalay: return "kalay";
    case P2pPlatform::Pppp: return "pppp";
    case P2pPlatform::None: break;
    }
    return "";
}

const char *p2p_platform_title(P2pPlatform p) {
    switch (p) {
    case P2pPlatform::Kalay: return "ThroughTek Kalay (TUTK IOTC)";
    case P2pPlatform::Pppp: return "CS2 Network PPPP";
    case P2pPlatform::None: break;
    }
    return "";
}

P2pRole kalay_role(uint32_t code) {
    if ((code & 0xFFFF0000u) == kKalayCc51CodeBase) return P2pRole::Peer;  // CC51: device and app only
    switch (code) {
    case kKalayLanSearch:
    case kKalaySearchReply:
    case kKalayDataToDevice:
    case kKalayDataToClient:
    case kKalayDevicePing:
    case kKalayPingAck: return P2pRole::Peer;
    default: return P2pRole::Server;  // the connection stages go through the masters
    }
}

P2pRole pppp_role(uint8_t type) {
    switch (type) {
    case 0x30:  // LAN_SEARCH
    case 0x31:  // LAN_NOTIFY
    case 0x32:  // LAN_NOTIFY_ACK
    case 0x41:  // PUNCH_PKT
    case 0x42:  // P2P_RDY
    case 0x43:  // P2P_RDY_ACK
    case 0xD0:  // DRW
    case 0xD1:  // DRW_ACK
    case 0xD8:  // PSR
    case 0xE0:  // ALIVE
    case 0xE1:  // ALIVE_ACK
    case 0xF0:  // CLOSE
        return P2pRole::Peer;
    default: return P2pRole::Server;
    }
}

void P2pObservation::set_uid(std::string_view text) {
    const size_t n = std::min(text.size(), sizeof uid - 1);
    std::memcpy(uid, text.data(), n);
    uid[n] = 0;
}

}  // namespace phonehome

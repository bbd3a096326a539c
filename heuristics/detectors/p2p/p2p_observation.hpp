// What the Kalay and PPPP dissectors tell the phonehome analysis about a
// datagram they claimed: plain data, copied around freely.
#pragma once

#include <cstdint>
#include <string_view>

namespace phonehome {

enum class P2pPlatform : uint8_t { None, Kalay, Pppp };

const char *p2p_platform_name(P2pPlatform p);  // "kalay", "pppp"
const char *p2p_platform_title(P2pPlatform p);  // "ThroughTek Kalay (TUTK IOTC)", ...

// Who a message is exchanged with: the platform's servers (login, address
// lookup, punch brokering, relays) or a peer (LAN search, punch packets,
// session data and keepalives).
enum class P2pRole : uint8_t { Server, Peer };

P2pRole kalay_role(uint32_t code);
P2pRole pppp_role(uint8_t type);

struct P2pObservation {
    P2pPlatform platform = P2pPlatform::None;
    P2pRole role = P2pRole::Server;
    uint32_t code = 0;     // Kalay message code or PPPP type
    const char *name = "";  // message name, a static string
    char uid[32] = {};      // the UID the message carries, or empty

    bool present() const { return platform != P2pPlatform::None; }
    bool has_uid() const { return uid[0] != 0; }
    void set_uid(std::string_view text);
};

}  // namespace phonehome

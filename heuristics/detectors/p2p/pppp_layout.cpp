#include "heuristics/detectors/p2p/pppp_layout.hpp"

#include "heuristics/common/byte_order.hpp"

namespace phonehome {
namespace {

constexpr size_t kUid = 20, kSockaddr = 16;

// Fixed body sizes, after the T_MSG_* structures of pppp.fdesc. Two sizes
// where the type is reused for two messages told apart by length.
struct Fixed {
    uint8_t type;
    uint16_t size, alt;
};
constexpr uint16_t kNone = 0xffff;
constexpr Fixed kFixed[] = {
    {0x00, 0, kNone},                      // HELLO
    {0x01, kSockaddr, kNone},              // HELLO_ACK
    {0x02, 2 * kSockaddr, kNone},          // HELLO_TO
    {0x03, 0, kNone},                      // HELLO_TO_ACK
    {0x10, kUid + 4 + kSockaddr, kNone},   // DEV_LGN
    {0x11, 4, kNone},                      // DEV_LGN_ACK
    {0x12, kUid + 4 + kSockaddr + 4, kNone},  // DEV_LGN_CRC
    {0x13, 8, kNone},                      // DEV_LGN_ACK_CRC
    {0x14, kUid + 4 + kSockaddr + 64, kNone},  // DEV_LGN_KEY
    {0x15, 4, kNone},                      // DEV_LGN_ACK_KEY
    {0x18, kUid, kNone},                   // DEV_ONLINE_REQ
    {0x19, 8, kNone},                      // DEV_ONLINE_REQ_ACK
    {0x20, kUid + kSockaddr, kNone},       // P2P_REQ
    {0x21, 4, kNone},                      // P2P_REQ_ACK
    {0x30, 0, kNone},                      // LAN_SEARCH
    {0x31, kUid, kNone},                   // LAN_NOTIFY
    {0x32, kUid, kNone},                   // LAN_NOTIFY_ACK
    {0x40, kSockaddr, kNone},              // PUNCH_TO
    {0x41, kUid, kUid + 4},                // PUNCH_PKT, PUNCH_PKT_EX
    {0x42, kUid, kUid + 4},                // P2P_RDY, P2P_RDY_EX
    {0x43, 0, kNone},                      // P2P_RDY_ACK
    {0x60, kUid + 8, kNone},               // RS_LGN
    {0x61, 4, kNone},                      // RS_LGN_ACK
    {0x62, kUid + 8 + kSockaddr, kNone},   // RS_LGN1
    {0x63, 4, kNone},                      // RS_LGN1_ACK
    {0x67, kUid, kNone},                   // LIST_REQ1
    {0x68, 0, kNone},                      // LIST_REQ
    {0x70, 0, kNone},                      // RLY_HELLO
    {0x71, 0, kNone},                      // RLY_HELLO_ACK
    {0x72, 0, kNone},                      // RLY_PORT
    {0x73, 8, kNone},                      // RLY_PORT_ACK
    {0x74, kUid + 64, kNone},              // RLY_PORT_KEY
    {0x75, 8, kNone},                      // RLY_PORT_ACK_KEY
    {0x78, 4, kNone},                      // RLY_BYTE_COUNT
    {0x80, kUid + kSockaddr + 4, kNone},   // RLY_REQ
    {0x81, 4, kNone},                      // RLY_REQ_ACK
    {0x82, kSockaddr + 4, kNone},          // RLY_TO
    {0x83, 4 + kUid + 4, kNone},           // RLY_PKT
    {0x84, kUid, kNone},                   // RLY_RDY
    {0x85, 4 + kUid + 4, kNone},           // RLY_TO_ACK
    {0x90, 0, kNone},                      // SDEV_RUN
    {0x91, kUid, kSockaddr},               // SDEV_LGN, SDEV_LGN_ACK
    {0x92, 24, 20},                        // SDEV_LGN_CRC, SDEV_LGN_ACK_CRC
    {0x94, 24 + 24 + 4 + 64, kNone},       // SDEV_REPORT
    {0xA0, 32 + 4 + 4, kNone},             // CONNECT_REPORT
    {0xA1, 4, kNone},                      // REPORT_REQ
    {0xA2, 24 + 6 + 30, kNone},            // REPORT
    {0xE0, 0, kNone},                      // ALIVE
    {0xE1, 0, kNone},                      // ALIVE_ACK
    {0xF0, 0, kNone},                      // CLOSE
    {0xF6, kUid, kNone},                   // MGM_DUMP_LOGIN_DID_1
    {0xF7, 4, kNone},                      // MGM_LOG_CONTROL
};

const Fixed *fixed(uint8_t type) {
    for (const Fixed &f : kFixed)
        if (f.type == type) return &f;
    return nullptr;
}

}  // namespace

bool pppp_type_has_empty_body(uint8_t type) {
    const Fixed *f = fixed(type);
    return f && f->size == 0;
}

size_t pppp_known_body_bytes(uint8_t type, size_t body_len, PpppKnownByte *out) {
    size_t n = 0;
    auto sockaddr_at = [&](size_t body_offset) {
        if (body_offset + kSockaddr > body_len || n + 9 > kPpppMaxKnownBytes) return;
        const uint16_t at = uint16_t(4 + body_offset);
        out[n++] = {at, 0x00};  // family, high byte
        for (uint16_t i = 8; i < kSockaddr; ++i) out[n++] = {uint16_t(at + i), 0x00};
    };
    switch (type) {
    case 0x01: sockaddr_at(0); break;                       // HELLO_ACK
    case 0x02: sockaddr_at(0), sockaddr_at(kSockaddr); break;  // HELLO_TO
    case 0x10:
    case 0x14: sockaddr_at(kUid + 4); break;                 // DEV_LGN, DEV_LGN_KEY
    case 0x20: sockaddr_at(kUid); break;                     // P2P_REQ
    case 0x40:
    case 0x82: sockaddr_at(0); break;                        // PUNCH_TO, RLY_TO
    case 0x62: sockaddr_at(kUid + 8); break;                 // RS_LGN1
    case 0x80: sockaddr_at(kUid); break;                     // RLY_REQ
    case 0x91:
        if (body_len == kSockaddr) sockaddr_at(0);           // SDEV_LGN_ACK
        break;
    case 0xD0:
    case 0xD1:
    case 0xD8:
        if (body_len > 0) out[n++] = {4, 0xD1};
        break;
    default: break;
    }
    return n;
}

bool pppp_body_size_possible(uint8_t type, size_t n) {
    if (const Fixed *f = fixed(type)) return n == f->size || (f->alt != kNone && n == f->alt);
    switch (type) {
    case 0x08:
    case 0x09: return n >= 1 && n <= 64;
    case 0x69: return n >= 4 && (n - 4) % kSockaddr == 0 && (n - 4) / kSockaddr <= 255;
    case 0x87: return n == kUid || (n >= 4 && (n - 4) % 20 == 0 && (n - 4) / 20 <= 255);
    case 0xD0:
    case 0xD8: return n >= 4;
    case 0xD1: return n >= 4 && n % 2 == 0;
    case 0xF8: return n >= 8;
    default: return false;
    }
}

bool pppp_body_fits_layout(uint8_t type, const uint8_t *body, size_t n) {
    if (const Fixed *f = fixed(type)) return n == f->size || (f->alt != kNone && n == f->alt);
    switch (type) {
    case 0x08:  // QUERY_DID: a device name of up to 64 characters
    case 0x09:  // QUERY_DID_ACK: a UID string of up to 64
        return n >= 1 && n <= 64;
    case 0x69:  // LIST_REQ_ACK: relay count, 3 reserved, the relays' addresses
        return n >= 4 && n == 4 + kSockaddr * size_t(body[0]);
    case 0x87:  // RLY_SERVER_REQ (a UID) or its ACK: count, result, 2 reserved, 20-byte relays
        return n == kUid || (n >= 4 && n == 4 + 20 * size_t(body[0]));
    case 0xD0:  // DRW and PSR: D1, channel, u16 index, data
    case 0xD8:
        return n >= 4 && body[0] == 0xD1;
    case 0xD1:  // DRW_ACK: D1, channel, u16 count, count u16 indices
        return n >= 4 && body[0] == 0xD1 && n == 4 + 2 * size_t(be16(body + 2));
    case 0xF8:  // MGM_REMOTE_MANAGEMENT: an 8-byte header, then its payload
        return n >= 8;
    default:  // no published layout (the DSK messages, MGM dumps, SESSION_READY)
        return false;
    }
}

}  // namespace phonehome

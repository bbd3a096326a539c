// Recognises CS2 Network PPPP (also iLnkP2P, Yi, HLP2P) UDP datagrams, plain
// or encrypted with P2P_Proprietary_Encrypt under a known key
// (pppp_keys.hpp).
//
// A datagram is claimed only when its (decrypted) 4-byte header is
// consistent: magic 0xF1, a known message type, and a big-endian length field
// equal to the datagram length - 4. The body is then parsed after the layouts
// of pmarrapese/iot pppp.fdesc; a body too short for its type, or a UID field
// that is not a UID, marks the message malformed but keeps what was read.
// Under a key that is only a guess (a published vendor key tried on every
// datagram, or a recovered one) the body must also be well formed and have
// its type's size (pppp_layout.hpp): fifteen keys tried on every datagram
// would otherwise claim one random datagram in a few million.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "heuristics/detectors/p2p/pppp_keys.hpp"

namespace phonehome {

// Message types (byte 1). Only the ones the parser reads fields of are named
// here; pppp_type_name() knows them all.
inline constexpr uint8_t kPpppHello = 0x00;
inline constexpr uint8_t kPpppHelloAck = 0x01;
inline constexpr uint8_t kPpppHelloTo = 0x02;
inline constexpr uint8_t kPpppDevLgn = 0x10;
inline constexpr uint8_t kPpppDevLgnAck = 0x11;
inline constexpr uint8_t kPpppDevLgnKey = 0x14;
inline constexpr uint8_t kPpppLanSearch = 0x30;
inline constexpr uint8_t kPpppPunchTo = 0x40;
inline constexpr uint8_t kPpppPunchPkt = 0x41;
inline constexpr uint8_t kPpppP2pRdy = 0x42;
inline constexpr uint8_t kPpppDrw = 0xD0;
inline constexpr uint8_t kPpppDrwAck = 0xD1;
inline constexpr uint8_t kPpppPsr = 0xD8;
inline constexpr uint8_t kPpppAlive = 0xE0;
inline constexpr uint8_t kPpppAliveAck = 0xE1;
inline constexpr uint8_t kPpppClose = 0xF0;

// The published vendor PSKs (pppp_vendor_keys()), tried before the user's.
const std::vector<std::string> &pppp_builtin_keys();

// Name of a type, "MSG_..." as in pppp.fdesc; a few types are reused for two
// messages told apart by the body length. nullptr for an unknown type.
const char *pppp_type_name(uint8_t type, uint16_t body_len);

struct PpppSockaddr {
    const char *role = "";  // "local", "wan", "target", "to", "relay"
    uint16_t family = 0;    // 2 = AF_INET; the cam-reverse DEV_LGN sample has 0
    uint16_t port = 0;
    uint32_t ipv4 = 0;  // a.b.c.d as (a << 24) | (b << 16) | (c << 8) | d
    uint16_t offset = 0;  // of the 16-byte sockaddr in the datagram
    bool big_endian = false;  // port and address order (RLY_SERVER_REQ_ACK)
};

struct PpppMessage {
    std::vector<uint8_t> bytes;  // the whole datagram, decrypted
    std::string key;             // the key's label (PpppKey::label); empty = plaintext
    PpppSeed seed{};             // the 4 key bytes that decrypted it (zero for plaintext)
    PpppKeySource key_source = PpppKeySource::Plain;
    uint8_t type = 0;
    const char *name = "";
    uint16_t length = 0;  // body length = datagram length - 4
    bool malformed = false;

    std::optional<std::string> uid;  // PREFIX-NNNNNN-CHECK
    uint16_t uid_offset = 0;         // of the 20-byte UID in the datagram
    std::optional<uint8_t> nat_type;
    std::optional<uint32_t> api_version;  // 24-bit, e.g. 0x000201 = "0.2.1"
    std::optional<int8_t> result;
    std::optional<uint8_t> login_interval;  // DEV_LGN_ACK: seconds between logins
    std::vector<PpppSockaddr> addresses;

    // DRW / PSR data and DRW_ACK.
    std::optional<uint8_t> channel;
    std::optional<uint16_t> index;
    std::vector<uint16_t> acked;

    // ALIVE / ALIVE_ACK: the in-session keepalive pair.
    bool keepalive = false;
};

// Tries plaintext, then the keyring's keys whose F1 gives the datagram's
// first byte, in order.
std::optional<PpppMessage> parse_pppp(const uint8_t *data, size_t len, const PpppKeyring &keys);

// The same with a keyring of the vendor keys and `extra_keys` (user key
// forms, pppp_parse_user_key).
std::optional<PpppMessage> parse_pppp(const uint8_t *data, size_t len,
                                      const std::vector<std::string> &extra_keys = {});

// The datagram under one key: nullopt unless the decrypted header is
// consistent (and, for a strict key source, the body fits its layout).
std::optional<PpppMessage> decode_pppp(const uint8_t *data, size_t len, const PpppKey &key);

// Header checks alone, on 4 decrypted bytes of a datagram of `len` bytes.
bool pppp_header_valid(const uint8_t *header, size_t len);

}  // namespace phonehome

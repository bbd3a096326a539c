// Recognises ThroughTek Kalay (TUTK IOTC) UDP datagrams, plain or scrambled.
//
// A datagram is claimed only when its (descrambled) 16-byte header is
// consistent: magic 04 02, a plausible protocol version, and a length field
// equal to the datagram length - 16. Raw magic alone is never enough: DCE/RPC
// over UDP also starts with 04 02 (rpc_vers 4, ptype 2 = response).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "heuristics/detectors/p2p/kalay_scrambler.hpp"

namespace phonehome {

enum class KalayEncoding {
    Plain,      // sent as is
    Scrambled,  // whole datagram scrambled
    Partial,    // header and body bytes 16..63 scrambled (flags bit 0)
};

const char *kalay_encoding_name(KalayEncoding e);

// Byte 10 of the header. 0x21 and 0x12 are documented (go2rtc); the others
// only appear on the server legs of the connection set-up.
enum class KalayDirection { ClientToDevice, DeviceToClient, ServerExchange, Unknown };

const char *kalay_direction_name(KalayDirection d);

struct KalayPeer {
    uint32_t ipv4 = 0;  // a.b.c.d as (a << 24) | (b << 16) | (c << 8) | d
    uint16_t port = 0;
};

struct KalayMessage {
    std::vector<uint8_t> bytes;  // the whole datagram, descrambled
    KalayEncoding encoding = KalayEncoding::Plain;
    // Which tail variant was used to descramble. The header cannot tell them
    // apart, so `tail_ambiguous` is set when a 2/4/8-byte tail exists in a
    // scrambled region and the other variant would give different bytes; the
    // go2rtc variant (Permuted) is then the one in `bytes`.
    KalayTail tail = KalayTail::Permuted;
    bool tail_ambiguous = false;

    uint8_t version = 0;
    uint8_t flags = 0;
    uint16_t length = 0;  // body length = datagram length - 16
    uint16_t seq = 0;
    uint32_t code = 0;  // bytes 8, 9, 10 read big-endian: "01 06 21" -> 0x010621
    const char *name = "Unknown";
    uint8_t direction_byte = 0;
    KalayDirection direction = KalayDirection::Unknown;

    std::optional<std::string> uid;        // 20 chars [A-Z0-9] at 16..35 of connection messages
    std::optional<uint16_t> channel;       // bytes 14..15 (LE) of session data messages
    std::optional<KalayPeer> peer;         // device address reply: port 38..39 BE, IP 40..43
};

// Message codes (bytes 8..10).
inline constexpr uint32_t kKalayLanSearch = 0x010621;
inline constexpr uint32_t kKalaySearchReply = 0x020612;
inline constexpr uint32_t kKalayGetPublicIp = 0x071018;
inline constexpr uint32_t kKalayDeviceAddressQuery = 0x030234;
inline constexpr uint32_t kKalayDeviceAddressReply = 0x010343;
inline constexpr uint32_t kKalayPunchRequest = 0x010433;
inline constexpr uint32_t kKalayPunchAck = 0x020433;
inline constexpr uint32_t kKalayPunchOk = 0x040433;
inline constexpr uint32_t kKalayDataToDevice = 0x070421;
inline constexpr uint32_t kKalayDataToClient = 0x080412;
inline constexpr uint32_t kKalayDevicePing = 0x280412;
inline constexpr uint32_t kKalayPingAck = 0x270421;

const char *kalay_code_name(uint32_t code);

// True when 16 header bytes (already descrambled) form a valid Kalay header
// for a datagram of `datagram_len` bytes.
bool kalay_header_valid(const uint8_t *header, size_t datagram_len);

std::optional<KalayMessage> parse_kalay(const uint8_t *data, size_t len);

}  // namespace phonehome

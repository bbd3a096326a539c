// The "CC51" framing of ThroughTek Kalay SDK 4.x (seen on Wyze cameras; go2rtc
// pkg/tutk conn_dtls.go): plain, little-endian, starting 51 CC, with a 16-bit
// command at 4 (0x1002 discovery, 0x1202 keepalive, 0x1502 DTLS data), a
// length field at 6 equal to the datagram length - 12, and an HMAC-SHA1 of the
// header over UID and auth key in the last 20 bytes. DTLS records travel
// between the 28-byte header and that tail.
//
// A datagram is taken for CC51 only with the magic, one of the three
// commands, the length field and the command's size (52 bytes for discovery,
// 48 for a keepalive, 28 + 13 + 20 at least for DTLS data): random bytes pass
// with odds of about 2^-46.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace phonehome {

inline constexpr uint16_t kCc51Discovery = 0x1002;
inline constexpr uint16_t kCc51Keepalive = 0x1202;
inline constexpr uint16_t kCc51Dtls = 0x1502;
inline constexpr size_t kCc51HeaderLen = 28;
inline constexpr size_t kCc51HmacLen = 20;

struct KalayCc51 {
    uint16_t command = 0;
    uint16_t length = 0;     // datagram length - 12
    bool response = false;   // bytes 8..9 are FF FF: the device answering a discovery
    uint16_t seq = 0;        // bytes 12..13 (discovery)
    uint8_t channel = 0;     // byte 13 (DTLS data: 0 main, 1 back channel)
    uint16_t ticket = 0;     // bytes 14..15, handed out by the device's discovery reply
    std::array<uint8_t, 8> session{};  // bytes 16..23 (20..27 in a keepalive)
    std::optional<uint32_t> counter;   // keepalive: bytes 16..19
    std::optional<uint32_t> sdk_version;  // discovery: bytes 24..27, see KalayMessage::sdk_version
    uint16_t payload_offset = 0, payload_len = 0;  // DTLS data: the records
    uint16_t hmac_offset = 0;  // the HMAC-SHA1 tail
};

const char *kalay_cc51_command_name(uint16_t command, bool response);

std::optional<KalayCc51> parse_kalay_cc51(const uint8_t *data, size_t len);

}  // namespace phonehome

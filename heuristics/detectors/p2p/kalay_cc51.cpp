#include "heuristics/detectors/p2p/kalay_cc51.hpp"

#include <algorithm>

#include "heuristics/common/byte_order.hpp"
#include "heuristics/wire/dtls_record.hpp"

namespace phonehome {
namespace {

constexpr size_t kDiscoveryLen = 52, kKeepaliveLen = 48;
constexpr size_t kLengthBase = 12;  // the length field counts everything after byte 11

uint32_t le32(const uint8_t *p) { return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24; }

// 4.3.8.0 is sent as 00 08 03 04: build, patch, minor, major.
std::optional<uint32_t> sdk_version_at(const uint8_t *p) {
    if (p[3] == 0 || p[3] > 9) return std::nullopt;
    return uint32_t(p[3]) << 24 | uint32_t(p[2]) << 16 | uint32_t(p[1]) << 8 | p[0];
}

}  // namespace

const char *kalay_cc51_command_name(uint16_t command, bool response) {
    switch (command) {
    case kCc51Discovery: return response ? "Discovery reply (CC51)" : "Discovery (CC51)";
    case kCc51Keepalive: return "Keepalive (CC51)";
    case kCc51Dtls: return "DTLS data (CC51)";
    default: return "Unknown (CC51)";
    }
}

std::optional<KalayCc51> parse_kalay_cc51(const uint8_t *data, size_t len) {
    if (data == nullptr || len < kCc51HeaderLen || data[0] != 0x51 || data[1] != 0xCC) return std::nullopt;
    KalayCc51 m;
    m.command = le16(data + 4);
    m.length = le16(data + 6);
    if (m.length != len - kLengthBase) return std::nullopt;
    switch (m.command) {
    case kCc51Discovery:
        if (len != kDiscoveryLen) return std::nullopt;
        break;
    case kCc51Keepalive:
        if (len != kKeepaliveLen) return std::nullopt;
        break;
    case kCc51Dtls:
        if (len < kCc51HeaderLen + wire::kDtlsRecordHeader + kCc51HmacLen) return std::nullopt;
        break;
    default:
        return std::nullopt;
    }
    m.response = data[8] == 0xFF && data[9] == 0xFF;
    m.seq = le16(data + 12);
    m.channel = data[13];
    m.ticket = le16(data + 14);
    m.hmac_offset = uint16_t(len - kCc51HmacLen);
    if (m.command == kCc51Keepalive) {
        m.counter = le32(data + 16);
        std::copy(data + 20, data + 28, m.session.begin());
    } else {
        std::copy(data + 16, data + 24, m.session.begin());
    }
    if (m.command == kCc51Discovery) m.sdk_version = sdk_version_at(data + 24);
    if (m.command == kCc51Dtls) {
        m.payload_offset = uint16_t(kCc51HeaderLen);
        m.payload_len = uint16_t(len - kCc51HeaderLen - kCc51HmacLen);
    }
    return m;
}

}  // namespace phonehome

#include "heuristics/detectors/p2p/kalay.hpp"

#include <algorithm>

#include "heuristics/common/byte_order.hpp"

namespace phonehome {
namespace {

constexpr size_t kHeaderLen = 16;
constexpr size_t kUidOffset = 16;
constexpr size_t kUidLen = 20;

// Versions seen: 0x12, 0x19, 0x1a (go2rtc: < 25 is the old session layout,
// >= 25 the new one). The window is kept wide enough for unseen SDK releases
// yet excludes most byte values, which is one of the three header checks that
// keep random or DCE/RPC payloads from being claimed.
constexpr uint8_t kMinVersion = 0x10;
constexpr uint8_t kMaxVersion = 0x3f;

bool is_connection_code(uint32_t code) {
    switch (code) {
    case kKalayLanSearch:
    case kKalaySearchReply:
    case kKalayGetPublicIp:
    case kKalayDeviceAddressQuery:
    case kKalayDeviceAddressReply:
    case kKalayPunchRequest:
    case kKalayPunchAck:
    case kKalayPunchOk: return true;
    default: return false;
    }
}

// Kalay UIDs are 20 characters of upper-case letters and digits (the SDK
// rejects others); requiring that keeps garbage out of the report.
std::optional<std::string> read_uid(const std::vector<uint8_t> &b) {
    if (b.size() < kUidOffset + kUidLen) return std::nullopt;
    std::string uid;
    for (size_t i = kUidOffset; i < kUidOffset + kUidLen; ++i) {
        const uint8_t c = b[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return std::nullopt;
        uid.push_back(char(c));
    }
    return uid;
}

KalayDirection direction_of(uint8_t d) {
    switch (d) {
    case 0x21: return KalayDirection::ClientToDevice;
    case 0x12: return KalayDirection::DeviceToClient;
    case 0x18:
    case 0x33:
    case 0x34:
    case 0x43: return KalayDirection::ServerExchange;
    default: return KalayDirection::Unknown;
    }
}

// Length of the short tail at the end of a scrambled region [from, to).
size_t tail_len(size_t from, size_t to) { return (to - from) % 16; }

void fill_fields(KalayMessage &m) {
    const std::vector<uint8_t> &b = m.bytes;
    m.version = b[2];
    m.flags = b[3];
    m.length = le16(&b[4]);
    m.seq = le16(&b[6]);
    m.code = uint32_t(b[8]) << 16 | uint32_t(b[9]) << 8 | b[10];
    m.name = kalay_code_name(m.code);
    m.direction_byte = b[10];
    m.direction = direction_of(b[10]);
    if (is_connection_code(m.code)) m.uid = read_uid(b);
    if (m.code == kKalayDataToDevice || m.code == kKalayDataToClient) m.channel = le16(&b[14]);
    if (m.code == kKalayDeviceAddressReply && b.size() >= 44) {
        KalayPeer peer;
        peer.port = uint16_t(b[38] << 8 | b[39]);
        peer.ipv4 = uint32_t(b[40]) << 24 | uint32_t(b[41]) << 16 | uint32_t(b[42]) << 8 | b[43];
        m.peer = peer;
    }
}

}  // namespace

const char *kalay_encoding_name(KalayEncoding e) {
    switch (e) {
    case KalayEncoding::Plain: return "plain";
    case KalayEncoding::Scrambled: return "scrambled";
    case KalayEncoding::Partial: return "partially scrambled";
    }
    return "?";
}

const char *kalay_direction_name(KalayDirection d) {
    switch (d) {
    case KalayDirection::ClientToDevice: return "client to device";
    case KalayDirection::DeviceToClient: return "device to client";
    case KalayDirection::ServerExchange: return "server exchange";
    case KalayDirection::Unknown: return "unknown";
    }
    return "?";
}

const char *kalay_code_name(uint32_t code) {
    switch (code) {
    case kKalayLanSearch: return "LAN search / connect-by-UID";
    case kKalaySearchReply: return "Search reply";
    case kKalayGetPublicIp: return "Get public IP";
    case kKalayDeviceAddressQuery: return "Device address query";
    case kKalayDeviceAddressReply: return "Device address reply";
    case kKalayPunchRequest: return "Punch request";
    case kKalayPunchAck: return "Punch ack";
    case kKalayPunchOk: return "Punch ok";
    case kKalayDataToDevice: return "Session data client->device";
    case kKalayDataToClient: return "Session data device->client";
    case kKalayDevicePing: return "Device ping";
    case kKalayPingAck: return "Ping ack";
    default: return "Unknown";
    }
}

bool kalay_header_valid(const uint8_t *h, size_t datagram_len) {
    if (datagram_len < kHeaderLen) return false;
    if (h[0] != 0x04 || h[1] != 0x02) return false;
    if (h[2] < kMinVersion || h[2] > kMaxVersion) return false;
    return le16(&h[4]) == datagram_len - kHeaderLen;
}

std::optional<KalayMessage> parse_kalay(const uint8_t *data, size_t len) {
    if (data == nullptr || len < kHeaderLen || len - kHeaderLen > 0xffff) return std::nullopt;

    KalayMessage m;
    if (kalay_header_valid(data, len)) {
        m.bytes.assign(data, data + len);
        m.encoding = KalayEncoding::Plain;
        fill_fields(m);
        return m;
    }

    // The header is always one whole block, so the tail variant and the
    // partial mode only matter for the body: check the header first, cheaply.
    uint8_t header[kHeaderLen];
    kalay_descramble_block(data, header);
    if (!kalay_header_valid(header, len)) return std::nullopt;

    const bool partial = header[3] & kKalayFlagPartial;
    m.encoding = partial ? KalayEncoding::Partial : KalayEncoding::Scrambled;
    m.bytes = kalay_descramble_message(data, len, KalayTail::Permuted);
    m.tail = KalayTail::Permuted;
    const size_t body_end = partial ? std::min<size_t>(len, 64) : len;
    const size_t n = tail_len(kHeaderLen, body_end);
    if (n == 2 || n == 4 || n == 8) {
        m.tail_ambiguous = kalay_descramble_message(data, len, KalayTail::Unpermuted) != m.bytes;
    }
    fill_fields(m);
    return m;
}

}  // namespace phonehome

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

// 4.2.1.1 is sent as 01 01 02 04: build, patch, minor, major.
std::optional<uint32_t> sdk_version_at(const std::vector<uint8_t> &b, size_t off) {
    if (b.size() < off + 4 || b[off + 3] == 0 || b[off + 3] > 9) return std::nullopt;
    return uint32_t(b[off + 3]) << 24 | uint32_t(b[off + 2]) << 16 | uint32_t(b[off + 1]) << 8 | b[off];
}

// go2rtc: discovery (LAN search) carries the SDK release at 52..55, the
// punch request and punch ok of the remote path at 48..51.
std::optional<uint32_t> sdk_version_of(const KalayMessage &m) {
    switch (m.command) {
    case kKalayCmdDiscoveryRequest:
    case kKalayCmdDiscoveryReply: return sdk_version_at(m.bytes, 52);
    case 0x0401:
    case 0x0404: return m.command_flags == 0x0033 ? sdk_version_at(m.bytes, 48) : std::nullopt;
    default: return std::nullopt;
    }
}

constexpr size_t kDataPayload = 28;   // session data: header, rid, channel, marker, 0x0c, session id
constexpr size_t kSessionRequestLen = 52;  // SDK 4.x; the older punch ack is 44 bytes

KalaySender sender_of(const KalayMessage &m) {
    if (m.sdk4) {
        switch (m.command) {
        case kKalayCmdDiscoveryRequest:
        case kKalayCmdSessionRequest:
        case kKalayCmdDataToDevice:
        case kKalayCmdKeepaliveRequest: return KalaySender::Client;
        case kKalayCmdDiscoveryReply:
        case kKalayCmdSessionReply:
        case kKalayCmdDataToClient:
        case kKalayCmdKeepaliveReply: return KalaySender::Device;
        default: return KalaySender::Unknown;
        }
    }
    // Older SDKs: only the LAN search and the ping pair say who sends them
    // (devices send session data both ways in go2rtc's Xiaomi samples).
    switch (m.code) {
    case kKalayLanSearch:
    case kKalayPingAck: return KalaySender::Client;
    case kKalaySearchReply:
    case kKalayDevicePing: return KalaySender::Device;
    default: return KalaySender::Unknown;
    }
}

void fill_fields(KalayMessage &m, const KalayContext &ctx) {
    const std::vector<uint8_t> &b = m.bytes;
    m.version = b[2];
    m.flags = b[3];
    m.length = le16(&b[4]);
    m.seq = le16(&b[6]);
    m.code = uint32_t(b[8]) << 16 | uint32_t(b[9]) << 8 | b[10];
    m.command = le16(&b[8]);
    m.command_flags = le16(&b[10]);
    m.direction_byte = b[10];
    m.direction = direction_of(b[10]);
    if (is_connection_code(m.code)) m.uid = read_uid(b);
    m.sdk_version = sdk_version_of(m);
    const bool data = m.code == kKalayDataToDevice || m.code == kKalayDataToClient;
    if (data && b.size() > kDataPayload)
        wire::read_dtls_records(b.data() + kDataPayload, b.size() - kDataPayload, m.dtls, &m.n_dtls);
    for (size_t i = 0; i < m.n_dtls; ++i) m.dtls[i].offset = uint16_t(m.dtls[i].offset + kDataPayload);
    m.shows_sdk4 = (m.sdk_version && *m.sdk_version >> 24 >= 4 &&
                    (m.command == kKalayCmdDiscoveryRequest || m.command == kKalayCmdDiscoveryReply)) ||
                   (m.command == kKalayCmdSessionRequest && m.command_flags == 0x0033 && b.size() == kSessionRequestLen) ||
                   m.n_dtls > 0;
    m.sdk4 = kalay_sdk4_command_name(m.command) && (m.shows_sdk4 || ctx.sdk4);
    m.name = m.sdk4 ? kalay_sdk4_command_name(m.command) : kalay_code_name(m.code);
    // SDK 4.x data: channel at 14, a 01 marker at 15; older SDKs a 16-bit channel.
    if (data) m.channel = m.sdk4 ? b[14] : le16(&b[14]);
    if (m.code == kKalayDeviceAddressReply && b.size() >= 44) {
        KalayPeer peer;
        peer.port = uint16_t(b[38] << 8 | b[39]);
        peer.ipv4 = uint32_t(b[40]) << 24 | uint32_t(b[41]) << 16 | uint32_t(b[42]) << 8 | b[43];
        m.peer = peer;
    }
    m.sender = sender_of(m);
}

std::optional<KalayMessage> parse_cc51(const uint8_t *data, size_t len) {
    auto c = parse_kalay_cc51(data, len);
    if (!c) return std::nullopt;
    KalayMessage m;
    m.bytes.assign(data, data + len);
    m.framing = KalayFraming::Cc51;
    m.encoding = KalayEncoding::Plain;
    m.command = c->command;
    m.length = c->length;
    m.code = kKalayCc51CodeBase | c->command;
    m.name = kalay_cc51_command_name(c->command, c->response);
    m.sdk4 = m.shows_sdk4 = true;
    m.sdk_version = c->sdk_version;
    if (c->command == kCc51Discovery) m.sender = c->response ? KalaySender::Device : KalaySender::Client;
    if (c->command == kCc51Dtls) {
        m.channel = c->channel;
        wire::read_dtls_records(data + c->payload_offset, c->payload_len, m.dtls, &m.n_dtls);
        for (size_t i = 0; i < m.n_dtls; ++i) m.dtls[i].offset = uint16_t(m.dtls[i].offset + c->payload_offset);
    }
    m.cc51 = c;
    return m;
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
    case kKalayPublicIpReply: return "Get public IP reply";
    default: return "Unknown";
    }
}

const char *kalay_sdk4_command_name(uint16_t command) {
    switch (command) {
    case kKalayCmdDiscoveryRequest: return "Discovery request";
    case kKalayCmdDiscoveryReply: return "Discovery reply";
    case kKalayCmdSessionRequest: return "Session request";
    case kKalayCmdSessionReply: return "Session reply";
    case kKalayCmdDataToDevice: return "Session data to device";
    case kKalayCmdDataToClient: return "Session data to client";
    case kKalayCmdKeepaliveRequest: return "Keepalive request";
    case kKalayCmdKeepaliveReply: return "Keepalive reply";
    default: return nullptr;
    }
}

bool kalay_may_be(const uint8_t *data, size_t len) {
    if (data == nullptr || len < kHeaderLen || len - kHeaderLen > 0xffff) return false;
    if ((data[0] == 0x04 && data[1] == 0x02) || (data[0] == 0x51 && data[1] == 0xCC)) return true;
    return kalay_descrambled_magic(data) == 0x0204;
}

bool kalay_header_valid(const uint8_t *h, size_t datagram_len) {
    if (datagram_len < kHeaderLen) return false;
    if (h[0] != 0x04 || h[1] != 0x02) return false;
    if (h[2] < kMinVersion || h[2] > kMaxVersion) return false;
    return le16(&h[4]) == datagram_len - kHeaderLen;
}

std::optional<KalayMessage> parse_kalay(const uint8_t *data, size_t len, const KalayContext &ctx) {
    if (data == nullptr || len < kHeaderLen || len - kHeaderLen > 0xffff) return std::nullopt;
    if (data[0] == 0x51 && data[1] == 0xCC) return parse_cc51(data, len);

    KalayMessage m;
    if (kalay_header_valid(data, len)) {
        m.bytes.assign(data, data + len);
        m.encoding = KalayEncoding::Plain;
        fill_fields(m, ctx);
        return m;
    }

    // The header is always one whole block, so the tail variant and the
    // partial mode only matter for the body: check the header first, and its
    // magic before the whole block, cheaply.
    if (kalay_descrambled_magic(data) != 0x0204) return std::nullopt;
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
    fill_fields(m, ctx);
    return m;
}

}  // namespace phonehome

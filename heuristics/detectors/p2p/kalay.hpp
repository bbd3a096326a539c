// Recognises ThroughTek Kalay (TUTK IOTC) UDP datagrams, plain or scrambled,
// and the CC51 framing of SDK 4.x (kalay_cc51.hpp).
//
// A datagram is claimed only when its (descrambled) 16-byte header is
// consistent: magic 04 02, a plausible protocol version, and a length field
// equal to the datagram length - 16. Raw magic alone is never enough: DCE/RPC
// over UDP also starts with 04 02 (rpc_vers 4, ptype 2 = response).
//
// Naming. Older SDKs are known by the 3-byte code at 8..10 (protocols.md).
// SDK 4.x reads the same bytes as a 16-bit command and 16-bit flags
// (go2rtc pkg/tutk conn_dtls.go: 0x0601 discovery request with flags 0x21,
// 0x0402 session request with flags 0x33, 0x0427 keepalive request, ...),
// under which some old codes mean something else (02 04 33 is the old "punch
// ack" but SDK 4.x's session request). A message is named after SDK 4.x when
// it shows that SDK itself (a discovery carrying an SDK version of 4 or more,
// a 52-byte session request, DTLS records in a data message, CC51) or when
// the conversation did before (KalayContext).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "heuristics/detectors/p2p/kalay_cc51.hpp"
#include "heuristics/detectors/p2p/kalay_scrambler.hpp"
#include "heuristics/wire/dtls_record.hpp"

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

enum class KalayFraming : uint8_t { Iotc, Cc51 };

// Who sent a message, as far as the message itself tells: a request that
// only clients send, a reply or keepalive that only devices send.
enum class KalaySender : uint8_t { Unknown, Client, Device };

// What earlier messages of the same conversation showed.
struct KalayContext {
    bool sdk4 = false;  // a message of the conversation showed SDK 4.x
};

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

    KalayFraming framing = KalayFraming::Iotc;
    uint16_t command = 0;        // IOTC bytes 8..9 (LE), CC51 bytes 4..5 (LE)
    uint16_t command_flags = 0;  // IOTC bytes 10..11 (LE)
    bool sdk4 = false;           // named after SDK 4.x
    bool shows_sdk4 = false;     // the message itself shows SDK 4.x (see the header comment)
    // The SDK release a discovery or punch message carries, major << 24 |
    // minor << 16 | patch << 8 | build (sent as build, patch, minor, major).
    std::optional<uint32_t> sdk_version;
    KalaySender sender = KalaySender::Unknown;
    // DTLS records carried by a data message (SDK 4.x), offsets in the datagram.
    size_t n_dtls = 0;
    wire::DtlsRecord dtls[wire::kMaxDtlsRecords];
    std::optional<KalayCc51> cc51;
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
inline constexpr uint32_t kKalayPublicIpReply = 0x081018;
// CC51 messages have no 3-byte code: KalayMessage::code is this | command.
inline constexpr uint32_t kKalayCc51CodeBase = 0xCC510000;

// SDK 4.x commands (bytes 8..9, little-endian; go2rtc conn_dtls.go).
inline constexpr uint16_t kKalayCmdDiscoveryRequest = 0x0601;
inline constexpr uint16_t kKalayCmdDiscoveryReply = 0x0602;
inline constexpr uint16_t kKalayCmdSessionRequest = 0x0402;
inline constexpr uint16_t kKalayCmdSessionReply = 0x0404;
inline constexpr uint16_t kKalayCmdDataToDevice = 0x0407;
inline constexpr uint16_t kKalayCmdDataToClient = 0x0408;
inline constexpr uint16_t kKalayCmdKeepaliveRequest = 0x0427;
inline constexpr uint16_t kKalayCmdKeepaliveReply = 0x0428;

const char *kalay_code_name(uint32_t code);
// The SDK 4.x name of a command, or nullptr.
const char *kalay_sdk4_command_name(uint16_t command);

// The cheap first test of every UDP datagram: false when the datagram cannot
// be Kalay (no 04 02 in the clear, no 51 CC, and a header that does not
// descramble to 04 02); a few dozen instructions, no descrambling.
bool kalay_may_be(const uint8_t *data, size_t len);

// True when 16 header bytes (already descrambled) form a valid Kalay header
// for a datagram of `datagram_len` bytes.
bool kalay_header_valid(const uint8_t *header, size_t datagram_len);

std::optional<KalayMessage> parse_kalay(const uint8_t *data, size_t len, const KalayContext &ctx = {});

}  // namespace phonehome

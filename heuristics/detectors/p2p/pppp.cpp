#include "heuristics/detectors/p2p/pppp.hpp"

#include "heuristics/detectors/p2p/pppp_body.hpp"
#include "heuristics/detectors/p2p/pppp_cipher.hpp"
#include "heuristics/detectors/p2p/pppp_layout.hpp"

namespace phonehome {
namespace {

constexpr size_t kHeaderLen = 4;
constexpr uint8_t kMagic = 0xF1;

// Types reused for two messages, told apart by the body length (pppp.fdesc).
struct SizedName {
    uint8_t type;
    uint16_t body_len;
    const char *name_if_len;
    const char *name_otherwise;
};
constexpr SizedName kSizedNames[] = {
    {0x41, 24, "MSG_PUNCH_PKT_EX", "MSG_PUNCH_PKT"},
    {0x42, 24, "MSG_P2P_RDY_EX", "MSG_P2P_RDY"},
    {0x87, 20, "MSG_RLY_SERVER_REQ", "MSG_RLY_SERVER_REQ_ACK"},
    {0x91, 20, "MSG_SDEV_LGN", "MSG_SDEV_LGN_ACK"},
    {0x92, 24, "MSG_SDEV_LGN_CRC", "MSG_SDEV_LGN_ACK_CRC"},
};

// Types of pppp.fdesc, plus DEV_LGN_DSK, P2P_REQ_DSK, LIST_REQ_DSK and
// REPORT_SESSION_READY from magicus/pppp-dissector. Unknown types are not
// claimed: a known type is one of the three header checks.
const char *fixed_name(uint8_t type) {
    switch (type) {
    case 0x00: return "MSG_HELLO";
    case 0x01: return "MSG_HELLO_ACK";
    case 0x02: return "MSG_HELLO_TO";
    case 0x03: return "MSG_HELLO_TO_ACK";
    case 0x08: return "MSG_QUERY_DID";
    case 0x09: return "MSG_QUERY_DID_ACK";
    case 0x10: return "MSG_DEV_LGN";
    case 0x11: return "MSG_DEV_LGN_ACK";
    case 0x12: return "MSG_DEV_LGN_CRC";
    case 0x13: return "MSG_DEV_LGN_ACK_CRC";
    case 0x14: return "MSG_DEV_LGN_KEY";
    case 0x15: return "MSG_DEV_LGN_ACK_KEY";
    case 0x16: return "MSG_DEV_LGN_DSK";
    case 0x18: return "MSG_DEV_ONLINE_REQ";
    case 0x19: return "MSG_DEV_ONLINE_REQ_ACK";
    case 0x20: return "MSG_P2P_REQ";
    case 0x21: return "MSG_P2P_REQ_ACK";
    case 0x26: return "MSG_P2P_REQ_DSK";
    case 0x30: return "MSG_LAN_SEARCH";
    case 0x31: return "MSG_LAN_NOTIFY";
    case 0x32: return "MSG_LAN_NOTIFY_ACK";
    case 0x40: return "MSG_PUNCH_TO";
    case 0x43: return "MSG_P2P_RDY_ACK";
    case 0x60: return "MSG_RS_LGN";
    case 0x61: return "MSG_RS_LGN_ACK";
    case 0x62: return "MSG_RS_LGN1";
    case 0x63: return "MSG_RS_LGN1_ACK";
    case 0x67: return "MSG_LIST_REQ1";
    case 0x68: return "MSG_LIST_REQ";
    case 0x69: return "MSG_LIST_REQ_ACK";
    case 0x6A: return "MSG_LIST_REQ_DSK";
    case 0x70: return "MSG_RLY_HELLO";
    case 0x71: return "MSG_RLY_HELLO_ACK";
    case 0x72: return "MSG_RLY_PORT";
    case 0x73: return "MSG_RLY_PORT_ACK";
    case 0x74: return "MSG_RLY_PORT_KEY";
    case 0x75: return "MSG_RLY_PORT_ACK_KEY";
    case 0x78: return "MSG_RLY_BYTE_COUNT";
    case 0x80: return "MSG_RLY_REQ";
    case 0x81: return "MSG_RLY_REQ_ACK";
    case 0x82: return "MSG_RLY_TO";
    case 0x83: return "MSG_RLY_PKT";
    case 0x84: return "MSG_RLY_RDY";
    case 0x85: return "MSG_RLY_TO_ACK";
    case 0x90: return "MSG_SDEV_RUN";
    case 0x94: return "MSG_SDEV_REPORT";
    case 0xA0: return "MSG_CONNECT_REPORT";
    case 0xA1: return "MSG_REPORT_REQ";
    case 0xA2: return "MSG_REPORT";
    case 0xD0: return "MSG_DRW";
    case 0xD1: return "MSG_DRW_ACK";
    case 0xD8: return "MSG_PSR";
    case 0xE0: return "MSG_ALIVE";
    case 0xE1: return "MSG_ALIVE_ACK";
    case 0xF0: return "MSG_CLOSE";
    case 0xF4: return "MSG_MGM_DUMP_LOGIN_DID";
    case 0xF5: return "MSG_MGM_DUMP_LOGIN_DID_DETAIL";
    case 0xF6: return "MSG_MGM_DUMP_LOGIN_DID_1";
    case 0xF7: return "MSG_MGM_LOG_CONTROL";
    case 0xF8: return "MSG_MGM_REMOTE_MANAGEMENT";
    case 0xF9: return "MSG_REPORT_SESSION_READY";
    default: return nullptr;
    }
}

PpppMessage make_message(std::vector<uint8_t> bytes, const PpppKey *key) {
    PpppMessage m;
    m.bytes = std::move(bytes);
    if (key) {
        m.key = key->label;
        m.seed = key->seed;
        m.key_source = key->source;
    }
    m.type = m.bytes[1];
    m.length = uint16_t(m.bytes[2] << 8 | m.bytes[3]);
    m.name = pppp_type_name(m.type, m.length);
    pppp_parse_body(m);
    return m;
}

// Decrypts only the header first: almost every wrong key fails there, so the
// full decryption runs once per claimed datagram.
std::optional<PpppMessage> try_key(const uint8_t *data, size_t len, const PpppKey &key) {
    uint8_t header[kHeaderLen];
    pppp_decrypt(key.seed, data, header, kHeaderLen);
    if (!pppp_header_valid(header, len)) return std::nullopt;
    std::vector<uint8_t> plain(len);
    pppp_decrypt(key.seed, data, plain.data(), len);
    if (PpppKeyring::strict(key.source) && !pppp_body_fits_layout(plain[1], plain.data() + kHeaderLen, len - kHeaderLen))
        return std::nullopt;
    PpppMessage m = make_message(std::move(plain), &key);
    if (PpppKeyring::strict(key.source) && m.malformed) return std::nullopt;
    return m;
}

bool length_ok(const uint8_t *data, size_t len) { return data != nullptr && len >= kHeaderLen && len - kHeaderLen <= 0xffff; }

}  // namespace

const std::vector<std::string> &pppp_builtin_keys() {
    static const std::vector<std::string> keys = [] {
        std::vector<std::string> k;
        for (const PpppVendorKey &v : pppp_vendor_keys()) k.emplace_back(v.psk);
        return k;
    }();
    return keys;
}

const char *pppp_type_name(uint8_t type, uint16_t body_len) {
    for (const SizedName &s : kSizedNames)
        if (s.type == type) return body_len == s.body_len ? s.name_if_len : s.name_otherwise;
    return fixed_name(type);
}

bool pppp_header_valid(const uint8_t *h, size_t len) {
    return h[0] == kMagic && pppp_type_name(h[1], 0) != nullptr && size_t(h[2] << 8 | h[3]) == len - kHeaderLen;
}

std::optional<PpppMessage> decode_pppp(const uint8_t *data, size_t len, const PpppKey &key) {
    if (!length_ok(data, len)) return std::nullopt;
    if (key.source == PpppKeySource::Plain) {
        if (!pppp_header_valid(data, len)) return std::nullopt;
        return make_message(std::vector<uint8_t>(data, data + len), nullptr);
    }
    return try_key(data, len, key);
}

std::optional<PpppMessage> parse_pppp(const uint8_t *data, size_t len, const PpppKeyring &keys) {
    if (!length_ok(data, len)) return std::nullopt;
    if (pppp_header_valid(data, len)) return make_message(std::vector<uint8_t>(data, data + len), nullptr);
    for (uint16_t i : keys.for_first_byte(data[0]))
        if (auto m = try_key(data, len, keys.key(i))) return m;
    return std::nullopt;
}

std::optional<PpppMessage> parse_pppp(const uint8_t *data, size_t len, const std::vector<std::string> &extra_keys) {
    if (extra_keys.empty()) {
        static const PpppKeyring vendor_keys;
        return parse_pppp(data, len, vendor_keys);
    }
    return parse_pppp(data, len, PpppKeyring(extra_keys));
}

}  // namespace phonehome

#include "heuristics/detectors/p2p/pppp_body.hpp"

#include <cstdio>

#include "heuristics/common/byte_order.hpp"

namespace phonehome {
namespace {

constexpr size_t kUidLen = 20;
constexpr size_t kSockaddrLen = 16;

// A bounds-checked view of the body: every read says whether it fitted, so a
// short body yields the fields before the cut and a malformed flag.
class Body {
public:
    explicit Body(PpppMessage &m) : m_(m), p_(m.bytes.data() + 4), n_(m.bytes.size() - 4) {}

    bool has(size_t off, size_t len) {
        if (off + len <= n_) return true;
        m_.malformed = true;
        return false;
    }
    const uint8_t *at(size_t off) const { return p_ + off; }
    size_t size() const { return n_; }

    void uid(size_t off) {
        if (!has(off, kUidLen)) return;
        m_.uid = pppp_read_uid(p_ + off);
        m_.uid_offset = uint16_t(4 + off);
        if (!m_.uid) m_.malformed = true;
    }

    // The common sockaddr of PPPP: family u16 BE, port u16 LE, IPv4 with its
    // bytes reversed, 8 bytes of padding. (In the cam-reverse DEV_LGN capture
    // `6c 7d 65 28 a8 c0` is port 32108 and 192.168.40.101.)
    void sockaddr_le(size_t off, const char *role) {
        if (!has(off, kSockaddrLen)) return;
        const uint8_t *s = p_ + off;
        PpppSockaddr a;
        a.role = role;
        a.offset = uint16_t(4 + off);
        a.family = be16(s);
        a.port = uint16_t(s[2] | s[3] << 8);
        a.ipv4 = uint32_t(s[7]) << 24 | uint32_t(s[6]) << 16 | uint32_t(s[5]) << 8 | s[4];
        m_.addresses.push_back(a);
    }

    // RLY_SERVER_REQ_ACK uses the other order: family LE, port and IPv4 BE.
    void sockaddr_be(size_t off, const char *role) {
        if (!has(off, kSockaddrLen)) return;
        const uint8_t *s = p_ + off;
        PpppSockaddr a;
        a.role = role;
        a.offset = uint16_t(4 + off);
        a.big_endian = true;
        a.family = uint16_t(s[0] | s[1] << 8);
        a.port = be16(s + 2);
        a.ipv4 = uint32_t(s[4]) << 24 | uint32_t(s[5]) << 16 | uint32_t(s[6]) << 8 | s[7];
        m_.addresses.push_back(a);
    }

    void result(size_t off) {
        if (has(off, 1)) m_.result = int8_t(p_[off]);
    }
    void api_version(size_t off) {
        if (has(off, 3)) m_.api_version = be24(p_ + off);
    }

private:
    PpppMessage &m_;
    const uint8_t *p_;
    size_t n_;
};

bool valid_uid_string(const uint8_t *s) {
    size_t n = 0;
    while (n < 8 && s[n] >= 'A' && s[n] <= 'Z') ++n;
    if (n == 0) return false;
    for (size_t i = n; i < 8; ++i)
        if (s[i] != 0) return false;
    return true;
}

// DRW and PSR carry `D1, channel, u16 BE index` before the data.
void parse_drw(PpppMessage &m, Body &b) {
    if (!b.has(0, 4)) return;
    if (b.at(0)[0] != 0xD1) m.malformed = true;
    m.channel = b.at(0)[1];
    m.index = be16(b.at(2));
}

// DRW_ACK: `D1, channel, u16 BE count`, then count u16 BE indices.
void parse_drw_ack(PpppMessage &m, Body &b) {
    if (!b.has(0, 4)) return;
    if (b.at(0)[0] != 0xD1) m.malformed = true;
    m.channel = b.at(0)[1];
    const size_t count = be16(b.at(2));
    for (size_t i = 0; i < count && b.has(4 + 2 * i, 2); ++i) m.acked.push_back(be16(b.at(4 + 2 * i)));
}

}  // namespace

bool pppp_uid_valid(const uint8_t *p) { return valid_uid_string(p) && valid_uid_string(p + 12); }

bool pppp_uid_at_body_start(uint8_t type, size_t body_len) {
    switch (type) {
    case 0x10: case 0x14: case 0x18: case 0x20: case 0x31: case 0x32: case 0x41: case 0x42:
    case 0x60: case 0x62: case 0x67: case 0x74: case 0x80: case 0x84: case 0xF6:
        return true;
    case 0x87:  // RLY_SERVER_REQ; its ACK has relays instead
    case 0x91:  // SDEV_LGN; its ACK has an address instead
        return body_len == kUidLen;
    default:
        return false;
    }
}

std::optional<std::string> pppp_read_uid(const uint8_t *p) {
    if (!pppp_uid_valid(p)) return std::nullopt;
    char serial[16];
    std::snprintf(serial, sizeof serial, "%06lu",
                  static_cast<unsigned long>(uint32_t(p[8]) << 24 | uint32_t(p[9]) << 16 | uint32_t(p[10]) << 8 | p[11]));
    std::string uid(reinterpret_cast<const char *>(p), 8);
    uid.resize(uid.find('\0') == std::string::npos ? 8 : uid.find('\0'));
    std::string check(reinterpret_cast<const char *>(p + 12), 8);
    check.resize(check.find('\0') == std::string::npos ? 8 : check.find('\0'));
    return uid + "-" + serial + "-" + check;
}

void pppp_parse_body(PpppMessage &m) {
    Body b(m);
    const size_t n = b.size();
    switch (m.type) {
    case 0x01:  // HELLO_ACK: the sender's address as the server saw it
        b.sockaddr_le(0, "wan");
        break;
    case 0x02:  // HELLO_TO: two candidate addresses of the peer
        b.sockaddr_le(0, "target");
        b.sockaddr_le(16, "target");
        break;
    case 0x10:  // DEV_LGN: uid, nat type, api version, local address
    case 0x14:  // DEV_LGN_KEY: the same, then a nonce and a signature
        b.uid(0);
        if (b.has(20, 1)) m.nat_type = b.at(20)[0];
        b.api_version(21);
        b.sockaddr_le(24, "local");
        break;
    case 0x11:  // DEV_LGN_ACK
    case 0x15:  // DEV_LGN_ACK_KEY
        b.result(0);
        if (b.has(1, 1)) m.login_interval = b.at(1)[0];
        break;
    case 0x18:  // DEV_ONLINE_REQ
    case 0x31:  // LAN_NOTIFY
    case 0x32:  // LAN_NOTIFY_ACK
    case 0x67:  // LIST_REQ1
    case 0x74:  // RLY_PORT_KEY (then nonce and signature)
    case 0x84:  // RLY_RDY
    case 0xF6:  // MGM_DUMP_LOGIN_DID_1
        b.uid(0);
        break;
    case 0x20:  // P2P_REQ: a client asks for a device, with its local address
        b.uid(0);
        b.sockaddr_le(20, "local");
        break;
    case 0x21:  // P2P_REQ_ACK
        b.result(0);
        b.api_version(1);
        break;
    case 0x40:  // PUNCH_TO: where to punch
    case 0x82:  // RLY_TO
        b.sockaddr_le(0, m.type == 0x40 ? "to" : "relay");
        break;
    case 0x41:  // PUNCH_PKT, or PUNCH_PKT_EX when 24 bytes
    case 0x42:  // P2P_RDY, or P2P_RDY_EX when 24 bytes
        b.uid(0);
        if (n == 24) b.api_version(20);
        break;
    case 0x60:  // RS_LGN: a relay server's uid
        b.uid(0);
        break;
    case 0x62:  // RS_LGN1: the same with the relay's address
        b.uid(0);
        b.sockaddr_le(28, "relay");
        break;
    case 0x61:  // RS_LGN_ACK
    case 0x63:  // RS_LGN1_ACK
    case 0x81:  // RLY_REQ_ACK
        b.result(0);
        break;
    case 0x69:  // LIST_REQ_ACK: relay count, then the relays' addresses
        if (b.has(0, 1))
            for (size_t i = 0; i < b.at(0)[0] && b.has(4 + kSockaddrLen * i, kSockaddrLen); ++i)
                b.sockaddr_le(4 + kSockaddrLen * i, "relay");
        break;
    case 0x80:  // RLY_REQ
        b.uid(0);
        b.sockaddr_le(20, "relay");
        break;
    case 0x83:  // RLY_PKT
    case 0x85:  // RLY_TO_ACK
        b.uid(4);
        break;
    case 0x87:  // RLY_SERVER_REQ (20 bytes) or its ACK: count, result, relays
        if (n == kUidLen) {
            b.uid(0);
        } else if (b.has(0, 4)) {
            m.result = int8_t(b.at(1)[0]);
            for (size_t i = 0; i < b.at(0)[0] && b.has(4 + 20 * i, 20); ++i) b.sockaddr_be(4 + 20 * i, "relay");
        }
        break;
    case 0x91:  // SDEV_LGN (20 bytes) or SDEV_LGN_ACK with the wan address
        if (n == kUidLen)
            b.uid(0);
        else
            b.sockaddr_le(0, "wan");
        break;
    case 0xD0:  // DRW
    case 0xD8:  // PSR
        parse_drw(m, b);
        break;
    case 0xD1:  // DRW_ACK
        parse_drw_ack(m, b);
        break;
    case 0xE0:  // ALIVE
    case 0xE1:  // ALIVE_ACK
        m.keepalive = true;
        break;
    default:  // empty messages, or layouts with nothing worth reporting
        break;
    }
}

}  // namespace phonehome

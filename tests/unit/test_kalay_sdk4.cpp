// Kalay as SDK 4.x speaks it (go2rtc pkg/tutk conn_dtls.go, MIT, read as a
// specification): messages named by command and flags, the CC51 framing,
// DTLS records inside sessions, who sent a message, the replies of
// documented requests, and the cheap test of a scrambled header's magic.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "heuristics/detectors/p2p/kalay.hpp"
#include "heuristics/detectors/p2p/kalay_cc51.hpp"
#include "heuristics/detectors/p2p/kalay_scrambler.hpp"
#include "test_helpers.hpp"

namespace phonehome {
namespace {

const std::string kUid = "WYZEC1JZABCDEFGH1234";
const uint8_t kSid[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};

// An IOTC message as go2rtc's DTLS connection builds it: 04 02 1a, mode,
// body length, sequence, command and flags (LE), then the body.
std::vector<uint8_t> iotc(uint8_t mode, uint16_t command, uint16_t flags, const std::vector<uint8_t> &body,
                          uint16_t seq = 0) {
    std::vector<uint8_t> m = {0x04, 0x02, 0x1a, mode, uint8_t(body.size()), uint8_t(body.size() >> 8),
                              uint8_t(seq), uint8_t(seq >> 8), uint8_t(command), uint8_t(command >> 8),
                              uint8_t(flags), uint8_t(flags >> 8), 0, 0, 0, 0};
    m.insert(m.end(), body.begin(), body.end());
    return m;
}

// msgDisco: UID, SDK 4.2.1.1 (01 01 02 04) at body 36, session id at 40, stage at 48.
std::vector<uint8_t> discovery(uint16_t command, uint8_t stage) {
    std::vector<uint8_t> body(72, 0);
    std::copy(kUid.begin(), kUid.end(), body.begin());
    body[36] = 0x01, body[37] = 0x01, body[38] = 0x02, body[39] = 0x04;
    std::copy(kSid, kSid + 8, body.begin() + 40);
    body[48] = stage;
    return iotc(0x02, command, command == kKalayCmdDiscoveryRequest ? 0x0021 : 0x0012, body);
}

// msgSession: UID, session id, a time stamp; 52 bytes in all.
std::vector<uint8_t> session_request() {
    std::vector<uint8_t> body(36, 0);
    std::copy(kUid.begin(), kUid.end(), body.begin());
    std::copy(kSid, kSid + 8, body.begin() + 20);
    body[32] = 0x5e, body[33] = 0x60, body[34] = 0x31, body[35] = 0x67;
    return iotc(0x02, kKalayCmdSessionRequest, 0x0033, body);
}

// A DTLS 1.2 handshake record carrying the first bytes of a ClientHello.
std::vector<uint8_t> dtls_client_hello() {
    std::vector<uint8_t> r = {22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12};
    const uint8_t hello[12] = {1, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0, 0x40};
    r.insert(r.end(), hello, hello + 12);
    return r;
}

// msgTxData: rid, channel, 01 marker, 0x0c, session id, then the DTLS records.
std::vector<uint8_t> data(uint16_t command, uint8_t channel, const std::vector<uint8_t> &payload) {
    std::vector<uint8_t> body = {kSid[0], kSid[1], channel, 0x01};  // bytes 12..15 of the header, see below
    std::vector<uint8_t> rest = {0x0c, 0, 0, 0};
    rest.insert(rest.end(), kSid, kSid + 8);
    rest.insert(rest.end(), payload.begin(), payload.end());
    auto m = iotc(0x0b, command, command == kKalayCmdDataToDevice ? 0x0021 : 0x0012, rest, 7);
    std::copy(body.begin(), body.end(), m.begin() + 12);
    return m;
}

// A CC51 frame: magic, command, length (total - 12), direction word, then
// the command's fields and an HMAC tail (its value does not matter here).
std::vector<uint8_t> cc51(uint16_t command, size_t len, bool response = false) {
    std::vector<uint8_t> m(len, 0);
    m[0] = 0x51, m[1] = 0xCC;
    m[4] = uint8_t(command), m[5] = uint8_t(command >> 8);
    m[6] = uint8_t(len - 12), m[7] = uint8_t((len - 12) >> 8);
    if (response) m[8] = m[9] = 0xFF;
    std::copy(kSid, kSid + 8, m.begin() + 16);
    for (size_t i = len - 20; i < len; ++i) m[i] = uint8_t(0xA0 + i);
    return m;
}

TEST(KalaySdk4, DiscoveryIsNamedAndShowsItsSdk) {
    for (bool scramble : {false, true}) {
        auto plain = discovery(kKalayCmdDiscoveryRequest, 1);
        const auto wire = scramble ? kalay_scramble_message(plain.data(), plain.size()) : plain;
        const auto m = parse_kalay(wire.data(), wire.size());
        ASSERT_TRUE(m.has_value());
        EXPECT_STREQ(m->name, "Discovery request");
        EXPECT_EQ(m->command, kKalayCmdDiscoveryRequest);
        EXPECT_EQ(m->command_flags, 0x0021);
        EXPECT_EQ(m->sdk_version.value_or(0), 0x04020101u);
        EXPECT_TRUE(m->sdk4 && m->shows_sdk4);
        EXPECT_EQ(m->sender, KalaySender::Client);
        EXPECT_EQ(m->uid.value_or(""), kUid);
    }
    const auto reply = discovery(kKalayCmdDiscoveryReply, 1);
    const auto r = parse_kalay(reply.data(), reply.size());
    ASSERT_TRUE(r.has_value());
    EXPECT_STREQ(r->name, "Discovery reply");
    EXPECT_EQ(r->sender, KalaySender::Device);
}

// An older SDK's LAN search (3.3.0.6) keeps its old name.
TEST(KalaySdk4, OlderSdkKeepsTheCodeNames) {
    auto plain = discovery(kKalayCmdDiscoveryRequest, 1);
    plain.resize(68);
    plain[4] = 52;
    plain[52] = 0x06, plain[53] = 0x00, plain[54] = 0x03, plain[55] = 0x03;
    const auto m = parse_kalay(plain.data(), plain.size());
    ASSERT_TRUE(m.has_value());
    EXPECT_STREQ(m->name, "LAN search / connect-by-UID");
    EXPECT_EQ(m->sdk_version.value_or(0), 0x03030006u);
    EXPECT_FALSE(m->sdk4);
}

// The example: go2rtc's session request read "Punch ack".
TEST(KalaySdk4, SessionRequestIsNotAPunchAck) {
    const auto plain = session_request();
    ASSERT_EQ(plain.size(), 52u);
    const auto wire = kalay_scramble_message(plain.data(), plain.size());
    const auto m = parse_kalay(wire.data(), wire.size());
    ASSERT_TRUE(m.has_value());
    EXPECT_STREQ(m->name, "Session request");
    EXPECT_EQ(m->code, kKalayPunchAck);  // the same bytes 8..10
    EXPECT_EQ(m->sender, KalaySender::Client);
    EXPECT_EQ(m->uid.value_or(""), kUid);
    // The 44-byte punch ack of the older remote path is still one.
    auto old = session_request();
    old.resize(44);
    old[4] = 28;
    EXPECT_STREQ(parse_kalay(old.data(), old.size())->name, "Punch ack");
}

// A keepalive names itself only inside a conversation known to be SDK 4.x:
// the same 24 bytes are the older SDKs' ping ack.
TEST(KalaySdk4, KeepaliveNamedByTheConversationsSdk) {
    const auto plain = iotc(0x0a, kKalayCmdKeepaliveRequest, 0x0021, {1, 2, 3, 4, 5, 6, 7, 8});
    EXPECT_STREQ(parse_kalay(plain.data(), plain.size())->name, "Ping ack");
    KalayContext sdk4;
    sdk4.sdk4 = true;
    const auto m = parse_kalay(plain.data(), plain.size(), sdk4);
    EXPECT_STREQ(m->name, "Keepalive request");
    EXPECT_EQ(m->sender, KalaySender::Client);
    const auto reply = iotc(0x0a, kKalayCmdKeepaliveReply, 0x0012, {1, 2, 3, 4, 5, 6, 7, 8});
    EXPECT_STREQ(parse_kalay(reply.data(), reply.size(), sdk4)->name, "Keepalive reply");
    EXPECT_EQ(parse_kalay(reply.data(), reply.size(), sdk4)->sender, KalaySender::Device);
}

TEST(KalaySdk4, DtlsInsideSessionData) {
    const auto plain = data(kKalayCmdDataToDevice, 0, dtls_client_hello());
    // go2rtc sends data with mode 0x0b: bit 0 set, only bytes 16..63 scrambled.
    const auto wire = kalay_scramble_message(plain.data(), plain.size());
    const auto m = parse_kalay(wire.data(), wire.size());
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->encoding, KalayEncoding::Partial);
    EXPECT_STREQ(m->name, "Session data to device");
    EXPECT_TRUE(m->shows_sdk4);
    ASSERT_EQ(m->n_dtls, 1u);
    EXPECT_EQ(m->dtls[0].offset, 28u);
    EXPECT_EQ(m->dtls[0].content_type, 22);
    EXPECT_EQ(m->dtls[0].version, 0xFEFD);
    EXPECT_EQ(m->dtls[0].handshake_type, 1);
    EXPECT_EQ(m->channel.value_or(99), 0u);
    // Not DTLS: a length that overruns, an unknown content type.
    auto bad = dtls_client_hello();
    bad[12] = 40;
    const auto b = data(kKalayCmdDataToDevice, 0, bad);
    EXPECT_EQ(parse_kalay(b.data(), b.size())->n_dtls, 0u);
    bad = dtls_client_hello();
    bad[0] = 0x30;
    const auto c = data(kKalayCmdDataToDevice, 0, bad);
    EXPECT_EQ(parse_kalay(c.data(), c.size())->n_dtls, 0u);
}

TEST(KalaySdk4, Cc51Framing) {
    auto disco = cc51(kCc51Discovery, 52);
    disco[24] = 0x00, disco[25] = 0x08, disco[26] = 0x03, disco[27] = 0x04;  // 4.3.8.0
    auto m = parse_kalay(disco.data(), disco.size());
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->framing, KalayFraming::Cc51);
    EXPECT_STREQ(m->name, "Discovery (CC51)");
    EXPECT_EQ(m->sdk_version.value_or(0), 0x04030800u);
    EXPECT_EQ(m->sender, KalaySender::Client);
    const auto reply = cc51(kCc51Discovery, 52, true);
    EXPECT_STREQ(parse_kalay(reply.data(), reply.size())->name, "Discovery reply (CC51)");
    EXPECT_EQ(parse_kalay(reply.data(), reply.size())->sender, KalaySender::Device);

    const auto ka = cc51(kCc51Keepalive, 48);
    m = parse_kalay(ka.data(), ka.size());
    ASSERT_TRUE(m.has_value());
    EXPECT_STREQ(m->name, "Keepalive (CC51)");
    ASSERT_TRUE(m->cc51.has_value());
    EXPECT_TRUE(m->cc51->counter.has_value());

    auto dtls = cc51(kCc51Dtls, 28 + 25 + 20);
    const auto rec = dtls_client_hello();
    std::copy(rec.begin(), rec.end(), dtls.begin() + 28);
    dtls[13] = 1;  // back channel
    m = parse_kalay(dtls.data(), dtls.size());
    ASSERT_TRUE(m.has_value());
    EXPECT_STREQ(m->name, "DTLS data (CC51)");
    ASSERT_EQ(m->n_dtls, 1u);
    EXPECT_EQ(m->dtls[0].offset, 28u);
    EXPECT_EQ(m->channel.value_or(9), 1u);
    EXPECT_EQ(m->cc51->hmac_offset, dtls.size() - 20);

    // Each of the checks on its own rejects.
    auto wrong_len = disco;
    wrong_len[6] ^= 1;
    EXPECT_FALSE(parse_kalay(wrong_len.data(), wrong_len.size()));
    auto wrong_cmd = disco;
    wrong_cmd[5] = 0x11;
    EXPECT_FALSE(parse_kalay(wrong_cmd.data(), wrong_cmd.size()));
    const auto wrong_size = cc51(kCc51Discovery, 56);
    EXPECT_FALSE(parse_kalay(wrong_size.data(), wrong_size.size()));
}

// 51 CC followed by random bytes, a million times: nothing claimed.
TEST(KalaySdk4, RandomBytesAfterTheCc51MagicAreNotClaimed) {
    std::mt19937_64 rng(0xCC51);
    std::vector<uint8_t> buf(1500);
    size_t claims = 0;
    for (int i = 0; i < 1000000; ++i) {
        const size_t n = 28 + rng() % 200;
        test::fill_random(rng, buf, n);
        buf[0] = 0x51, buf[1] = 0xCC;
        claims += parse_kalay(buf.data(), n).has_value();
    }
    EXPECT_EQ(claims, 0u);
}

TEST(KalaySdk4, RepliesOfDocumentedRequestsAreNamed) {
    std::vector<uint8_t> reply = {0x04, 0x02, 0x19, 0x02, 8, 0, 0, 0, 0x08, 0x10, 0x18, 0, 0, 0, 0, 0};
    reply.resize(24, 0);
    EXPECT_STREQ(parse_kalay(reply.data(), reply.size())->name, "Get public IP reply");
}

// The cheap magic test agrees with the full descrambling, on random blocks
// and on scrambled headers.
TEST(KalaySdk4, DescrambledMagicMatchesTheBlockDescrambler) {
    std::mt19937_64 rng(16);
    std::vector<uint8_t> buf(16);
    for (int i = 0; i < 200000; ++i) {
        test::fill_random(rng, buf, 16);
        if (i % 2) {  // a real header, scrambled
            buf[0] = 0x04, buf[1] = 0x02;
            kalay_scramble_block(buf.data(), buf.data());
        }
        uint8_t out[16];
        kalay_descramble_block(buf.data(), out);
        ASSERT_EQ(kalay_descrambled_magic(buf.data()), uint16_t(out[0] | out[1] << 8)) << i;
    }
}

}  // namespace
}  // namespace phonehome

// QUIC Initial CRYPTO frames (RFC 9000 19.6) put back in order and read as a
// ClientHello, on hand-built frames.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "heuristics/wire/quic_initial.hpp"
#include "heuristics/wire/tls_client_hello.hpp"

using namespace phonehome::wire;

namespace {

// A minimal TLS 1.3 ClientHello handshake message asking for `name`.
std::vector<uint8_t> client_hello(const std::string &name) {
    std::vector<uint8_t> sni_ext = {0x00, 0x00};  // server_name
    const size_t n = name.size();
    const std::vector<uint8_t> list = [&] {
        std::vector<uint8_t> l = {uint8_t((n + 3) >> 8), uint8_t(n + 3), 0x00, uint8_t(n >> 8), uint8_t(n)};
        l.insert(l.end(), name.begin(), name.end());
        return l;
    }();
    sni_ext.push_back(uint8_t(list.size() >> 8));
    sni_ext.push_back(uint8_t(list.size()));
    sni_ext.insert(sni_ext.end(), list.begin(), list.end());
    const std::vector<uint8_t> versions = {0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04};  // supported_versions
    std::vector<uint8_t> exts = versions;
    exts.insert(exts.end(), sni_ext.begin(), sni_ext.end());

    std::vector<uint8_t> body = {0x03, 0x03};
    body.resize(2 + 32, 0x5a);                            // random
    body.push_back(0);                                    // session id
    body.insert(body.end(), {0x00, 0x02, 0x13, 0x01});    // cipher suites
    body.insert(body.end(), {0x01, 0x00});                // compression
    body.push_back(uint8_t(exts.size() >> 8));
    body.push_back(uint8_t(exts.size()));
    body.insert(body.end(), exts.begin(), exts.end());
    std::vector<uint8_t> msg = {0x01, uint8_t(body.size() >> 16), uint8_t(body.size() >> 8), uint8_t(body.size())};
    msg.insert(msg.end(), body.begin(), body.end());
    return msg;
}

// A CRYPTO frame with two-byte varints for offset and length.
void crypto(std::vector<uint8_t> *out, const std::vector<uint8_t> &data, size_t from, size_t to) {
    out->insert(out->end(), {0x06, uint8_t(0x40 | from >> 8), uint8_t(from), uint8_t(0x40 | (to - from) >> 8),
                             uint8_t(to - from)});
    out->insert(out->end(), data.begin() + long(from), data.begin() + long(to));
}

}  // namespace

TEST(WireQuic, BareHandshakeClientHello) {
    const auto hello = client_hello("iot.example.net");
    std::string sni;
    ASSERT_TRUE(tls_handshake_client_hello_sni(hello.data(), hello.size(), &sni));
    EXPECT_EQ(sni, "iot.example.net");
    EXPECT_FALSE(tls_handshake_client_hello_sni(hello.data(), hello.size() - 3, &sni));  // name cut short
}

TEST(WireQuic, OneCryptoFrameAfterAckAndPadding) {
    const auto hello = client_hello("news.example.com");
    std::vector<uint8_t> frames = {0x02, 0x05, 0x40, 0x10, 0x00, 0x00, 0x01};  // ACK 5, delay, 0 ranges, first 0; PING
    crypto(&frames, hello, 0, hello.size());
    frames.resize(frames.size() + 300, 0x00);  // PADDING
    std::string sni;
    ASSERT_TRUE(quic_initial_sni(frames.data(), frames.size(), &sni));
    EXPECT_EQ(sni, "news.example.com");
}

TEST(WireQuic, SplitAndReorderedCryptoFrames) {
    // As Chrome sends them: pieces of the ClientHello in shuffled order,
    // with PING and PADDING between, and one piece repeated.
    const auto hello = client_hello("www.example.org");
    const size_t a = 20, b = 60;
    std::vector<uint8_t> frames;
    crypto(&frames, hello, b, hello.size());
    frames.insert(frames.end(), {0x01, 0x00, 0x00});
    crypto(&frames, hello, 0, a);
    crypto(&frames, hello, a, b);
    crypto(&frames, hello, 0, a);
    std::string sni;
    ASSERT_TRUE(quic_initial_sni(frames.data(), frames.size(), &sni));
    EXPECT_EQ(sni, "www.example.org");
}

TEST(WireQuic, AGapLeavesOnlyThePrefix) {
    // The middle piece is in another packet: the name, past the gap, is not read.
    const auto hello = client_hello("www.example.org");
    std::vector<uint8_t> frames;
    crypto(&frames, hello, 0, 20);
    crypto(&frames, hello, 60, hello.size());
    std::string sni;
    EXPECT_FALSE(quic_initial_sni(frames.data(), frames.size(), &sni));
}

TEST(WireQuic, StopsAtFramesAnInitialCannotCarry) {
    const auto hello = client_hello("a.example");
    std::vector<uint8_t> frames = {0x08};  // STREAM: not in an Initial, so nothing after it is read
    crypto(&frames, hello, 0, hello.size());
    std::string sni;
    EXPECT_FALSE(quic_initial_sni(frames.data(), frames.size(), &sni));
    // A ServerHello (type 2) names nothing.
    std::vector<uint8_t> server = {};
    auto sh = hello;
    sh[0] = 0x02;
    crypto(&server, sh, 0, sh.size());
    EXPECT_FALSE(quic_initial_sni(server.data(), server.size(), &sni));
}

TEST(WireQuic, EveryTruncationIsSafe) {
    const auto hello = client_hello("truncated.example.com");
    std::vector<uint8_t> frames = {0x02, 0x05, 0x40, 0x10, 0x01, 0x00, 0x02, 0x03};  // ACK with one range
    crypto(&frames, hello, 0, hello.size());
    std::string sni;
    ASSERT_TRUE(quic_initial_sni(frames.data(), frames.size(), &sni));
    for (size_t n = 0; n < frames.size(); ++n) {
        std::vector<uint8_t> cut(frames.begin(), frames.begin() + long(n));
        std::string got;
        EXPECT_FALSE(quic_initial_sni(cut.data(), cut.size(), &got)) << n;
    }
}

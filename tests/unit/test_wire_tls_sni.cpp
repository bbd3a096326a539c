// tls_client_hello_sni: the server name read from ClientHello bytes, on
// ClientHellos laid out from RFC 5246 / RFC 8446 / RFC 6066, every truncation,
// malformed lengths, and real ClientHellos from the public captures compared
// with tshark's tls.handshake.extensions_server_name.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "heuristics/wire/tls_client_hello.hpp"
#include "test_helpers.hpp"

namespace phonehome::wire {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes cat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const Bytes &p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

Bytes u8(size_t v) { return {uint8_t(v)}; }
Bytes u16(size_t v) { return {uint8_t(v >> 8), uint8_t(v)}; }
Bytes u24(size_t v) { return {uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)}; }
Bytes text(const std::string &s) { return Bytes(s.begin(), s.end()); }
Bytes filled(size_t n, uint8_t b) { return Bytes(n, b); }
Bytes vec8(const Bytes &b) { return cat({u8(b.size()), b}); }
Bytes vec16(const Bytes &b) { return cat({u16(b.size()), b}); }

// Extension { ExtensionType extension_type; opaque extension_data<0..2^16-1>; }
Bytes extension(uint16_t type, const Bytes &data) { return cat({u16(type), vec16(data)}); }

// RFC 6066 ServerNameList with one entry of the given name type.
Bytes server_name(const std::string &host, uint8_t name_type = 0) {
    return extension(0, vec16(cat({u8(name_type), vec16(text(host))})));
}

struct Hello {
    std::vector<Bytes> extensions;
    size_t session_id_len = 32;
    Bytes cipher_suites = {0x13, 0x01, 0x13, 0x02, 0x13, 0x03};
    uint8_t handshake_type = 1;
    uint8_t content_type = 22;
    uint8_t record_major = 3;
};

// ClientHello body (legacy_version 3,3; random; session id; suites; null
// compression; extensions) in a Handshake, in a TLSPlaintext record.
Bytes client_hello(const Hello &h) {
    Bytes exts;
    for (const Bytes &e : h.extensions) exts.insert(exts.end(), e.begin(), e.end());
    const Bytes body = cat({u16(0x0303), filled(32, 0x5a), vec8(filled(h.session_id_len, 0xe7)), vec16(h.cipher_suites),
                            vec8({0x00}), vec16(exts)});
    const Bytes handshake = cat({u8(h.handshake_type), u24(body.size()), body});
    return cat({u8(h.content_type), u8(h.record_major), u8(0x01), u16(handshake.size()), handshake});
}

// A TLS 1.3 ClientHello (supported_versions 1.3 and 1.2, an X25519 key share)
// with the server name last.
Bytes tls13_hello(const std::string &host) {
    Hello h;
    h.extensions = {
        extension(0x002b, vec8(cat({u16(0x0304), u16(0x0303)}))),                   // supported_versions
        extension(0x000a, vec16(cat({u16(0x001d), u16(0x0017)}))),                  // supported_groups
        extension(0x0033, vec16(cat({u16(0x001d), vec16(filled(32, 0x42))}))),     // key_share
        extension(0x000d, vec16(cat({u16(0x0403), u16(0x0804)}))),                  // signature_algorithms
        extension(0x002d, vec8({0x01})),                                            // psk_key_exchange_modes
        server_name(host),
    };
    return client_hello(h);
}

// A TLS 1.2 ClientHello: renegotiation_info, ec_point_formats, an empty
// session ticket, then the server name, then ALPN.
Bytes tls12_hello(const std::string &host) {
    Hello h;
    h.session_id_len = 0;
    h.cipher_suites = {0xc0, 0x2b, 0xc0, 0x2f, 0x00, 0x9c, 0x00, 0xff};
    h.extensions = {
        extension(0xff01, {0x00}),
        extension(0x000b, vec8({0x00})),
        extension(0x0023, {}),
        server_name(host),
        extension(0x0010, vec16(vec8(text("h2")))),
    };
    return client_hello(h);
}

bool sni_of(const Bytes &b, std::string *sni, size_t len = SIZE_MAX) {
    return tls_client_hello_sni(b.data(), std::min(len, b.size()), sni);
}

size_t find_text(const Bytes &b, const std::string &s) {
    return size_t(std::search(b.begin(), b.end(), s.begin(), s.end()) - b.begin());
}

TEST(WireTlsSni, Tls13ServerNameAfterOtherExtensions) {
    std::string sni;
    ASSERT_TRUE(sni_of(tls13_hello("api.example.com"), &sni));
    EXPECT_EQ(sni, "api.example.com");
}

TEST(WireTlsSni, Tls12ServerNameBetweenOtherExtensions) {
    std::string sni;
    ASSERT_TRUE(sni_of(tls12_hello("api.example.com"), &sni));
    EXPECT_EQ(sni, "api.example.com");
}

TEST(WireTlsSni, HandWrittenBytesMatchTheLayout) {
    // The smallest useful ClientHello, written out byte by byte, so the
    // builder above cannot hide a layout mistake.
    const Bytes b = test::hex(
        "16" "0301" "0035"            // handshake record, 53 bytes
        "01" "000031"                 // ClientHello, 49 bytes
        "0303"                        // legacy_version
        "0000000000000000000000000000000000000000000000000000000000000000"  // random
        "00"                          // no session id
        "0002" "1301"                 // one cipher suite
        "01" "00"                     // null compression
        "0006"                        // extensions: 6 bytes
        "0000" "0002" "0000");        // server_name with an empty list
    ASSERT_EQ(b.size(), 58u);
    std::string sni = "untouched";
    EXPECT_FALSE(sni_of(b, &sni));
    EXPECT_EQ(sni, "untouched");

    const Bytes good = test::hex(
        "16" "0301" "0039" "01" "000035" "0303"
        "0000000000000000000000000000000000000000000000000000000000000000"
        "00" "0002" "1301" "01" "00"
        "000a" "0000" "0006" "0004" "00" "0001" "78");  // server_name: host_name "x"
    ASSERT_EQ(good.size(), 62u);
    ASSERT_TRUE(sni_of(good, &sni));
    EXPECT_EQ(sni, "x");
}

TEST(WireTlsSni, NoServerNameExtension) {
    Hello h;
    h.extensions = {extension(0x002b, vec8(u16(0x0304))), extension(0x000a, vec16(u16(0x001d)))};
    std::string sni = "untouched";
    EXPECT_FALSE(sni_of(client_hello(h), &sni));
    EXPECT_EQ(sni, "untouched");
    h.extensions.clear();
    EXPECT_FALSE(sni_of(client_hello(h), &sni));
}

TEST(WireTlsSni, EveryPrefixFindsTheNameExactlyWhenItIsAllThere) {
    for (const Bytes &b : {tls13_hello("api.example.com"), tls12_hello("api.example.com")}) {
        const size_t name_end = find_text(b, "api.example.com") + 15;
        ASSERT_LE(name_end, b.size());
        for (size_t k = 0; k <= b.size(); ++k) {
            std::string sni;
            const bool ok = sni_of(b, &sni, k);
            ASSERT_EQ(ok, k >= name_end) << "prefix length " << k;
            if (ok) {
                EXPECT_EQ(sni, "api.example.com");
            }
        }
    }
}

TEST(WireTlsSni, OnlyAClientHelloInAHandshakeRecordCounts) {
    std::string sni;
    Hello h;
    h.extensions = {server_name("api.example.com")};
    ASSERT_TRUE(sni_of(client_hello(h), &sni));

    Hello other = h;
    other.content_type = 23;  // application data
    EXPECT_FALSE(sni_of(client_hello(other), &sni));
    other = h;
    other.record_major = 2;
    EXPECT_FALSE(sni_of(client_hello(other), &sni));
    other = h;
    other.handshake_type = 2;  // ServerHello
    EXPECT_FALSE(sni_of(client_hello(other), &sni));
    other = h;
    other.session_id_len = 33;  // longer than the RFC allows
    EXPECT_FALSE(sni_of(client_hello(other), &sni));
}

TEST(WireTlsSni, HostNameMustBePrintableAndAtMost255Bytes) {
    std::string sni;
    for (const std::string &bad : {std::string("api example.com"), std::string("api\x01.com"), std::string("caf\xc3\xa9"),
                                   std::string(""), std::string(256, 'a')}) {
        Hello h;
        h.extensions = {server_name(bad)};
        EXPECT_FALSE(sni_of(client_hello(h), &sni)) << bad;
    }
    Hello h;
    h.extensions = {server_name(std::string(255, 'a'))};
    ASSERT_TRUE(sni_of(client_hello(h), &sni));
    EXPECT_EQ(sni, std::string(255, 'a'));
}

TEST(WireTlsSni, FirstHostNameEntryIsTaken) {
    // An entry of an unknown name type, then two host names.
    const Bytes list = cat({u8(7), vec16(text("opaque")), u8(0), vec16(text("first.example")), u8(0),
                            vec16(text("second.example"))});
    Hello h;
    h.extensions = {extension(0x0017, {}), extension(0, vec16(list))};
    std::string sni;
    ASSERT_TRUE(sni_of(client_hello(h), &sni));
    EXPECT_EQ(sni, "first.example");
}

TEST(WireTlsSni, LengthsThatOverrunTheirContainerAreRefused) {
    std::string sni;
    // The extension claims more bytes than the extensions block holds.
    Hello h;
    h.extensions = {cat({u16(0x000b), u16(50), vec8({0x00})}), server_name("api.example.com")};
    EXPECT_FALSE(sni_of(client_hello(h), &sni));

    // The name claims more than its list.
    h.extensions = {extension(0, cat({u16(4), u8(0), u16(15), text("api.example.com")}))};
    EXPECT_FALSE(sni_of(client_hello(h), &sni));

    // The ClientHello claims fewer bytes than its extensions need.
    Bytes b = tls13_hello("api.example.com");
    const size_t body_len = (size_t(b[6]) << 16 | size_t(b[7]) << 8 | b[8]) - 20;
    b[6] = uint8_t(body_len >> 16), b[7] = uint8_t(body_len >> 8), b[8] = uint8_t(body_len);
    EXPECT_FALSE(sni_of(b, &sni));
}

TEST(WireTlsSni, OnlyTheFirstRecordIsRead) {
    std::string sni;
    Bytes b = tls12_hello("api.example.com");
    const size_t name_end = find_text(b, "api.example.com") + 15;
    const size_t record_len = size_t(b[3]) << 8 | b[4];

    // Bytes after the record (the next record, or anything) do not matter.
    Bytes more = cat({b, test::hex("1503030002022800")});
    ASSERT_TRUE(sni_of(more, &sni));
    EXPECT_EQ(sni, "api.example.com");

    // The record ends (the handshake continues in a second record) right
    // after the name: still found.
    Bytes split = b;
    const size_t first = name_end - 5;
    split[3] = uint8_t(first >> 8), split[4] = uint8_t(first);
    ASSERT_TRUE(sni_of(split, &sni));
    EXPECT_EQ(sni, "api.example.com");

    // ... one byte earlier: the name is not in the first record, even though
    // the bytes are there (they would belong to the next record's header).
    split[3] = uint8_t((first - 1) >> 8), split[4] = uint8_t(first - 1);
    EXPECT_FALSE(sni_of(split, &sni));
    EXPECT_LT(first, record_len);
}

TEST(WireTlsSni, RandomAndMutatedBytesKeepTheInvariants) {
    std::mt19937_64 rng(11);
    const Bytes seed = tls13_hello("api.example.com");
    std::vector<uint8_t> buf(512);
    for (int i = 0; i < 20000; ++i) {
        size_t n = 0;
        if (i & 1) {
            buf.assign(seed.begin(), seed.end());
            for (int f = 0; f < 4; ++f) buf[rng() % buf.size()] ^= uint8_t(1u << (rng() % 8));
            n = size_t(rng() % (buf.size() + 1));
        } else {
            buf.resize(512);
            n = size_t(rng() % buf.size());
            test::fill_random(rng, buf, n);
            if (n > 6) buf[0] = 22, buf[1] = 3, buf[5] = 1;
        }
        std::string sni;
        if (!tls_client_hello_sni(buf.data(), n, &sni)) continue;
        ASSERT_FALSE(sni.empty());
        ASSERT_LE(sni.size(), kTlsMaxHostName);
        for (char c : sni) ASSERT_TRUE(c >= 0x21 && c <= 0x7e);
    }
}

// --- real captures ------------------------------------------------------------
// TCP payloads copied from /work/shared/captures/public/ndpi-alexa-app.pcapng with
//   tshark -r FILE -Y frame.number==N -T fields -e tcp.payload
// expected names from -e tls.handshake.extensions_server_name.

TEST(WireTlsSni, RealClientHelloAmazonAgreesWithTshark) {
    // Frame 67: TLS 1.2 ClientHello, server_name is the first extension.
    const Bytes b = test::hex(
        "16030100d8010000d4030353d8a07426b1d8e5d6f06ae2cb1c584ed15651c2d3c7f4029494e91c56c3879c00002cc02bc02cc02fc030"
        "009e009fc009c00ac013c0140033003900320038c007c011009c009d002f0035000500ff0100007f00000013001100000e7777772e61"
        "6d617a6f6e2e636f6d000b000403000102000a00340032000e000d0019000b000c00180009000a001600170008000600070014001500"
        "04000500120013000100020003000f0010001100230000000d0020001e06010602060305010502050304010402040303010302030302"
        "0102020203");
    std::string sni;
    ASSERT_TRUE(sni_of(b, &sni));
    EXPECT_EQ(sni, "www.amazon.com");
}

TEST(WireTlsSni, RealClientHelloWithGreaseAgreesWithTshark) {
    // Frame 161: Chrome-style ClientHello, server_name after a GREASE
    // extension (0xcaca) and renegotiation_info.
    const Bytes b = test::hex(
        "16030100df010000db0303fbdccd6cc48d87911807f15d412f7792530585fa536f07194341fb655c662b7e000020fafacca9cca8cc14"
        "cc13c02bc02fc02cc030c013c014009c009d002f0035000a01000092caca0000ff010001000000002d002b000028636f676e69746f2d"
        "6964656e746974792e75732d656173742d312e616d617a6f6e6177732e636f6d0017000000230000000d001400120403080404010503"
        "08050501080606010201000500050100000000001200000010000e000c02683208687474702f312e31000b00020100000a000a0008da"
        "da001d001700186a6a000100");
    std::string sni;
    ASSERT_TRUE(sni_of(b, &sni));
    EXPECT_EQ(sni, "cognito-identity.us-east-1.amazonaws.com");

    const size_t name_end = find_text(b, "cognito-identity.us-east-1.amazonaws.com") + 40;
    for (size_t k = 0; k <= b.size(); ++k) EXPECT_EQ(sni_of(b, &sni, k), k >= name_end) << k;
}

}  // namespace
}  // namespace phonehome::wire

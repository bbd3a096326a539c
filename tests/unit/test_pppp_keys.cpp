// The PPPP keyring: the published vendor keys, user keys as PSKs or as the
// 4 seed bytes in hex, and the first-byte index that rejects datagrams no
// key can have produced.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "heuristics/detectors/p2p/pppp.hpp"
#include "heuristics/detectors/p2p/pppp_keys.hpp"
#include "heuristics/detectors/p2p/pppp_layout.hpp"
#include "test_helpers.hpp"

namespace phonehome {
namespace {

using test::hex;

// A real Aqara camera's PUNCH_PKT under "aqarager19kn", as absent42/Aqara-LANLink
// pins it in its framing tests (captured with Frida from the vendor app).
const std::vector<uint8_t> kAqaraPunch = hex("ed1590f366335c1390a313d122d7a89cfbc36e25b8a356bf");

TEST(PpppKeys, AqaraKeyIsBuiltIn) {
    const auto m = parse_pppp(kAqaraPunch.data(), kAqaraPunch.size());
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->key, "aqarager19kn");
    EXPECT_EQ(m->key_source, PpppKeySource::BuiltIn);
    EXPECT_STREQ(m->name, "MSG_PUNCH_PKT");
    EXPECT_EQ(m->uid.value_or(""), "AQARADE-359455-ZUXDL");
    EXPECT_FALSE(m->malformed);
}

TEST(PpppKeys, VendorKeysOfThePublishedTables) {
    std::set<std::string> psks;
    for (const PpppVendorKey &v : pppp_vendor_keys()) {
        psks.insert(v.psk);
        EXPECT_NE(std::string(v.vendors), "") << v.psk;
    }
    for (const char *k : {"camera", "SHIX", "SSD@cs2-network.", "vstarcam2019", "aqarager19kn", "@@@@....", "VMSV",
                          "FERRY@88", "mycamera", "Deng123abc", "Duncom", "JX20130716", "hyWHzyhtzH", "JYDGAOZHANP2P",
                          "SZGMBESTER"})
        EXPECT_EQ(psks.count(k), 1u) << k;
    EXPECT_EQ(pppp_builtin_keys().size(), pppp_vendor_keys().size());
}

TEST(PpppKeys, EveryVendorKeyDecryptsALogin) {
    const std::vector<uint8_t> login = hex(
        "f1100028424154430000000000094d2c48564443530000000800020100006c7d"
        "6528a8c00000000000000000");
    for (const std::string &psk : pppp_builtin_keys()) {
        const auto wire = pppp_encrypt(psk, login.data(), login.size());
        const auto m = parse_pppp(wire.data(), wire.size());
        ASSERT_TRUE(m.has_value()) << psk;
        EXPECT_EQ(m->key, psk);
        EXPECT_EQ(m->seed, pppp_fold_key(psk));
        EXPECT_EQ(m->bytes, login);
    }
}

TEST(PpppKeys, UserKeyForms) {
    const auto hex_key = pppp_parse_user_key("0x6997CC19");
    ASSERT_TRUE(hex_key.has_value());
    EXPECT_EQ(hex_key->seed, (PpppSeed{0x69, 0x97, 0xcc, 0x19}));
    EXPECT_EQ(hex_key->label, "69:97:cc:19");
    EXPECT_EQ(hex_key->source, PpppKeySource::User);

    const auto colons = pppp_parse_user_key("69:97:CC:19");
    ASSERT_TRUE(colons.has_value());
    EXPECT_EQ(colons->seed, hex_key->seed);

    // Not hex: a PSK string like any other.
    for (const char *psk : {"0x6997cc1g", "69:97:cc", "6997cc19", "camera"}) {
        const auto k = pppp_parse_user_key(psk);
        ASSERT_TRUE(k.has_value()) << psk;
        EXPECT_EQ(k->label, psk);
        EXPECT_EQ(k->seed, pppp_fold_key(psk)) << psk;
    }
    EXPECT_FALSE(pppp_parse_user_key("").has_value());
    EXPECT_EQ(pppp_seed_text({0x00, 0x0a, 0xff, 0x10}), "00:0a:ff:10");
}

TEST(PpppKeys, KeyringIndexesKeysByTheirFirstCipherByte) {
    const PpppKeyring ring({"myvendorkey"});
    EXPECT_EQ(ring.size(), pppp_vendor_keys().size() + 1);
    size_t indexed = 0;
    for (int b = 0; b < 256; ++b) {
        for (uint16_t i : ring.for_first_byte(uint8_t(b))) {
            EXPECT_EQ(pppp_first_cipher_byte(ring.key(i).seed), b);
            ++indexed;
        }
    }
    EXPECT_EQ(indexed, ring.size());
    // The published check values (magicus PPPP.md): F1 under "camera" is 2C.
    ASSERT_EQ(ring.for_first_byte(0x2C).size(), 1u);
    EXPECT_EQ(ring.key(ring.for_first_byte(0x2C)[0]).label, "camera");
}

// The layouts the strict keys must fit: every type the parser names has one
// size or a rule, and the constant control messages are empty.
TEST(PpppKeys, LayoutSizes) {
    for (uint8_t t : {0x00, 0x30, 0xE0, 0xE1, 0xF0}) {
        EXPECT_TRUE(pppp_type_has_empty_body(t)) << int(t);
        EXPECT_TRUE(pppp_body_size_possible(t, 0));
        EXPECT_FALSE(pppp_body_size_possible(t, 4));
    }
    EXPECT_FALSE(pppp_type_has_empty_body(0x41));
    EXPECT_TRUE(pppp_body_size_possible(0x41, 20));
    EXPECT_TRUE(pppp_body_size_possible(0x41, 24));
    EXPECT_FALSE(pppp_body_size_possible(0x41, 21));
    const uint8_t drw[] = {0xD1, 0x00, 0x00, 0x07, 0x42};
    EXPECT_TRUE(pppp_body_fits_layout(0xD0, drw, sizeof drw));
    const uint8_t not_drw[] = {0xD2, 0x00, 0x00, 0x07, 0x42};
    EXPECT_FALSE(pppp_body_fits_layout(0xD0, not_drw, sizeof not_drw));
    const uint8_t ack[] = {0xD1, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00, 0x02};
    EXPECT_TRUE(pppp_body_fits_layout(0xD1, ack, sizeof ack));
    EXPECT_FALSE(pppp_body_fits_layout(0xD1, ack, sizeof ack - 2));
}

}  // namespace
}  // namespace phonehome

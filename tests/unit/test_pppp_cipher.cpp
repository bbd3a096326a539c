// P2P_Proprietary_Encrypt, pinned to the published check values
// (/work/shared/protocols.md section 2, magicus/pppp-dissector) and round trips.
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "heuristics/detectors/p2p/pppp_cipher.hpp"

namespace phonehome {
namespace {

TEST(PpppCipher, TableIsAPermutation) {
    // A typo in the 256 transcribed bytes would almost surely break this.
    std::array<int, 256> seen{};
    for (int i = 0; i < 256; ++i) ++seen[pppp_table()[i]];
    for (int v = 0; v < 256; ++v) EXPECT_EQ(seen[v], 1) << "value " << v;
}

TEST(PpppCipher, KeyFoldingOfCamera) {
    // magicus hard-codes this seed for "camera": 69 97 cc 19.
    EXPECT_EQ(pppp_fold_key("camera"), (PpppSeed{0x69, 0x97, 0xcc, 0x19}));
}

TEST(PpppCipher, KeyFoldingTreatsBytesAsUnsigned) {
    // 0xff / 3 = 85; a signed char would give 0.
    EXPECT_EQ(pppp_fold_key(std::string(1, '\xff')), (PpppSeed{0xff, 0x01, 85, 0xff}));
    EXPECT_EQ(pppp_fold_key(""), (PpppSeed{0, 0, 0, 0}));
}

TEST(PpppCipher, MagicByteUnderTheKnownKeys) {
    const std::pair<const char *, uint8_t> cases[] = {
        {"camera", 0x2C}, {"SHIX", 0x9F}, {"SSD@cs2-network.", 0xB1}, {"vstarcam2019", 0xE4}};
    const uint8_t magic = 0xF1;
    for (const auto &[key, expected] : cases) {
        const std::vector<uint8_t> c = pppp_encrypt(key, &magic, 1);
        ASSERT_EQ(c.size(), 1u);
        EXPECT_EQ(c[0], expected) << key;
    }
}

TEST(PpppCipher, LanSearchUnderCamera) {
    const uint8_t lan_search[4] = {0xf1, 0x30, 0x00, 0x00};
    EXPECT_EQ(pppp_encrypt("camera", lan_search, 4), (std::vector<uint8_t>{0x2c, 0xba, 0x5f, 0x5d}));
    const uint8_t wire[4] = {0x2c, 0xba, 0x5f, 0x5d};
    EXPECT_EQ(pppp_decrypt("camera", wire, 4), (std::vector<uint8_t>(lan_search, lan_search + 4)));
}

TEST(PpppCipher, RoundTripsForManyKeysAndLengths) {
    std::mt19937 rng(3);
    const char *keys[] = {"camera", "SHIX", "SSD@cs2-network.", "vstarcam2019", "", "x"};
    for (const char *key : keys) {
        for (size_t n : {0, 1, 2, 4, 5, 100, 1500}) {
            std::vector<uint8_t> plain(n);
            for (auto &b : plain) b = uint8_t(rng());
            const std::vector<uint8_t> c = pppp_encrypt(key, plain.data(), n);
            EXPECT_EQ(pppp_decrypt(key, c.data(), n), plain) << key << " " << n;
            if (n >= 16) {
                EXPECT_NE(c, plain);
            }
        }
    }
}

TEST(PpppCipher, InPlaceMatchesOutOfPlace) {
    const PpppSeed seed = pppp_fold_key("SHIX");
    std::vector<uint8_t> buf(64);
    for (size_t i = 0; i < buf.size(); ++i) buf[i] = uint8_t(i * 13);
    const std::vector<uint8_t> plain = buf;
    std::vector<uint8_t> out(buf.size());
    pppp_encrypt(seed, buf.data(), out.data(), buf.size());
    pppp_encrypt(seed, buf.data(), buf.data(), buf.size());
    EXPECT_EQ(buf, out);
    pppp_decrypt(seed, buf.data(), buf.data(), buf.size());
    EXPECT_EQ(buf, plain);
}

TEST(PpppCipher, ChainingPropagatesFromThePreviousCiphertextByte) {
    // Changing one plaintext byte changes that ciphertext byte and, through
    // the chaining, the next one (values from the independent Python port in
    // captures/pcapgen/p2p_pppp.py).
    const uint8_t a[3] = {0xf1, 0x30, 0x00}, b[3] = {0xf1, 0x31, 0x00};
    EXPECT_EQ(pppp_encrypt("camera", a, 3), (std::vector<uint8_t>{0x2c, 0xba, 0x5f}));
    EXPECT_EQ(pppp_encrypt("camera", b, 3), (std::vector<uint8_t>{0x2c, 0xbb, 0xbf}));
}

}  // namespace
}  // namespace phonehome

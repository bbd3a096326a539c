// The Charlie scrambler, pinned to the published check values
// (/work/shared/protocols.md section 1, go2rtc pkg/tutk) and to round trips.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "heuristics/detectors/p2p/kalay_scrambler.hpp"
#include "test_helpers.hpp"

namespace phonehome {
namespace {

using test::hex;
using test::to_hex;

// The 24-byte device ping of go2rtc's conn.go.
const std::vector<uint8_t> kPing = hex("0402120a0800000028041200000000005b0d4202070aa8c0");

TEST(KalayScrambler, ZeroBlockMatchesPublishedValue) {
    uint8_t zero[16] = {}, out[16];
    kalay_scramble_block(zero, out);
    EXPECT_EQ(to_hex(out, 16), "6e2e8d8c40d040ca2d6d280c40e4cad8");
}

TEST(KalayScrambler, PingHeaderMatchesPublishedValue) {
    std::vector<uint8_t> wire(kPing.size());
    kalay_scramble(kPing.data(), wire.data(), wire.size());
    EXPECT_EQ(to_hex(wire.data(), 16), "4c6f8d0c40d040ca2d2d082dc0eecad8");
}

TEST(KalayScrambler, DescrambleRecoversPublishedPlaintext) {
    const std::vector<uint8_t> wire = hex("4c6f8d0c40d040ca2d2d082dc0eecad8");
    uint8_t out[16];
    kalay_descramble_block(wire.data(), out);
    EXPECT_EQ(to_hex(out, 16), "0402120a080000002804120000000000");
}

TEST(KalayScrambler, BlockRoundTripsAndWorksInPlace) {
    std::mt19937 rng(7);
    for (int i = 0; i < 1000; ++i) {
        uint8_t in[16], mid[16], back[16];
        for (auto &b : in) b = uint8_t(rng());
        kalay_scramble_block(in, mid);
        kalay_descramble_block(mid, back);
        ASSERT_EQ(to_hex(in, 16), to_hex(back, 16));
        kalay_descramble_block(mid, mid);  // in place
        ASSERT_EQ(to_hex(in, 16), to_hex(mid, 16));
    }
}

TEST(KalayScrambler, BuffersOfEveryLengthRoundTripInBothTailVariants) {
    std::mt19937 rng(11);
    for (KalayTail tail : {KalayTail::Permuted, KalayTail::Unpermuted}) {
        for (size_t n = 0; n <= 80; ++n) {
            std::vector<uint8_t> in(n), mid(n), back(n);
            for (auto &b : in) b = uint8_t(rng());
            kalay_scramble(in.data(), mid.data(), n, tail);
            kalay_descramble(mid.data(), back.data(), n, tail);
            ASSERT_EQ(in, back) << "length " << n;
        }
    }
}

TEST(KalayScrambler, TailVariantsDifferOnlyFor2_4_8ByteTails) {
    // 16 + tail: the block is the same in both variants; the tail differs
    // exactly when it is permuted, i.e. 2, 4 or 8 bytes long.
    std::vector<uint8_t> in(16 + 15);
    for (size_t i = 0; i < in.size(); ++i) in[i] = uint8_t(i * 29 + 3);
    for (size_t tail = 1; tail < 16; ++tail) {
        const size_t n = 16 + tail;
        std::vector<uint8_t> a(n), b(n);
        kalay_scramble(in.data(), a.data(), n, KalayTail::Permuted);
        kalay_scramble(in.data(), b.data(), n, KalayTail::Unpermuted);
        EXPECT_EQ(to_hex(a.data(), 16), to_hex(b.data(), 16));
        const bool permuted = tail == 2 || tail == 4 || tail == 8;
        EXPECT_EQ(a != b, permuted) << "tail " << tail;
    }
}

TEST(KalayScrambler, UnpermutedTailIsPlainXorWithKey) {
    const uint8_t in[3] = {0, 0, 0};
    uint8_t out[3];
    kalay_scramble(in, out, 3, KalayTail::Unpermuted);
    EXPECT_EQ(std::string(reinterpret_cast<char *>(out), 3), "Cha");
}

TEST(KalayScrambler, PermutedEightByteTailPinned) {
    // Zero tail XOR key = "Charlie ", then out[j] = in[P8[j]] with
    // P8 = 7 4 3 2 1 6 5 0, which gives " lraheiC".
    const uint8_t in[8] = {};
    uint8_t out[8];
    kalay_scramble(in, out, 8, KalayTail::Permuted);
    EXPECT_EQ(std::string(reinterpret_cast<char *>(out), 8), " lraheiC");
}

TEST(KalayScrambler, PartialModeLeavesBytesFrom64Plain) {
    std::vector<uint8_t> plain(100);
    for (size_t i = 0; i < plain.size(); ++i) plain[i] = uint8_t(i);
    const std::vector<uint8_t> head = hex("0402190b540001000704210000000100");
    std::copy(head.begin(), head.end(), plain.begin());
    const std::vector<uint8_t> wire = kalay_scramble_message(plain.data(), plain.size());
    EXPECT_TRUE(std::equal(wire.begin() + 64, wire.end(), plain.begin() + 64));
    EXPECT_FALSE(std::equal(wire.begin() + 16, wire.begin() + 64, plain.begin() + 16));
    EXPECT_EQ(kalay_descramble_message(wire.data(), wire.size()), plain);
}

TEST(KalayScrambler, FullModeScramblesTheWholeBody) {
    std::vector<uint8_t> plain(100);
    const std::vector<uint8_t> head = hex("0402190a540001000704210000000100");
    std::copy(head.begin(), head.end(), plain.begin());
    const std::vector<uint8_t> wire = kalay_scramble_message(plain.data(), plain.size());
    // All-zero plaintext blocks become the zero-block constant everywhere.
    EXPECT_EQ(to_hex(wire.data() + 80, 16), "6e2e8d8c40d040ca2d6d280c40e4cad8");
    EXPECT_EQ(kalay_descramble_message(wire.data(), wire.size()), plain);
}

TEST(KalayScrambler, PartialMessageShorterThan64RoundTrips) {
    std::vector<uint8_t> plain = hex("0402190b0a00010007042100000001000102030405060708090a");
    for (KalayTail tail : {KalayTail::Permuted, KalayTail::Unpermuted}) {
        const std::vector<uint8_t> wire = kalay_scramble_message(plain.data(), plain.size(), tail);
        EXPECT_EQ(kalay_descramble_message(wire.data(), wire.size(), tail), plain);
    }
}

}  // namespace
}  // namespace phonehome

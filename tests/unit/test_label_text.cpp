#include "heuristics/common/label_text.hpp"

#include <gtest/gtest.h>

#include <clocale>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

namespace phonehome {
namespace {

std::string printf_tenths(double v) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string tenths(double v) { return LabelText().put_tenths(v).c_str(); }

// The tree's labels said their times with printf's "%.1f"; LabelText must
// write the same characters, ties and all.
TEST(LabelText, TenthsMatchPrintf) {
    std::setlocale(LC_NUMERIC, "C");
    const double cases[] = {0.0,   -0.0,  0.04,   0.05,  0.15,  0.25,   0.35,    0.45,       1.25,
                            2.5,   9.95,  9.96,   59.95, 60.0,  99.99,  1e-300, 123456.75, 3600.05,
                            -1.25, -0.05, 1e15,   1e22,  1e29,  1e30,   1e300,  std::numeric_limits<double>::max(),
                            std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
    for (double v : cases) EXPECT_EQ(tenths(v), printf_tenths(v).substr(0, LabelText::kCapacity - 1)) << v;
    EXPECT_EQ(tenths(std::nan("")), printf_tenths(std::nan("")));
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> seconds(0.0, 700000.0);
    for (int i = 0; i < 200000; ++i) {
        // Whole milliseconds (what the heartbeat reports) and arbitrary doubles.
        const double ms = std::round(seconds(rng) * 1000.0) / 1000.0, any = seconds(rng);
        ASSERT_EQ(tenths(ms), printf_tenths(ms)) << ms;
        ASSERT_EQ(tenths(any), printf_tenths(any)) << any;
        ASSERT_EQ(tenths(any / 1e6), printf_tenths(any / 1e6)) << any / 1e6;
    }
}

TEST(LabelText, PutsTextAndNumbers) {
    LabelText t;
    EXPECT_STREQ(t.c_str(), "");
    t.put("beat ").put(uint64_t(0)).put(", ").put(uint64_t(4294967295u)).put(" / ").put(UINT64_MAX);
    EXPECT_STREQ(t.c_str(), "beat 0, 4294967295 / 18446744073709551615");
}

// Wireshark's labels hold 239 characters: a longer text is cut there, as
// printf into a label cuts it, and the text stays terminated.
TEST(LabelText, CutsAtTheLabelLength) {
    LabelText t;
    const std::string long_name(300, 'a');
    t.put("name ").put(long_name.c_str()).put(" more").put_tenths(1.5).put(uint64_t(7));
    EXPECT_EQ(t.size(), LabelText::kCapacity - 1);
    EXPECT_EQ(std::string(t.c_str()), ("name " + long_name).substr(0, LabelText::kCapacity - 1));
    LabelText big;
    big.put(std::string(230, 'b').c_str()).put_tenths(1e300);
    EXPECT_EQ(big.size(), LabelText::kCapacity - 1);
    EXPECT_EQ(std::string(big.c_str()), (std::string(230, 'b') + printf_tenths(1e300)).substr(0, 239));
}

}  // namespace
}  // namespace phonehome

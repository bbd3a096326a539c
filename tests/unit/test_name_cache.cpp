#include <gtest/gtest.h>

#include <string>

#include "heuristics/identity/name_cache.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

TEST(NameCache, LearntNamesAreFoundFromThenOn) {
    NameCache c;
    const IpAddress a = ip("52.28.0.10");
    EXPECT_EQ(c.lookup(a, 0), nullptr);
    c.learn(a, "m1.tuyaus.com", 10 * kSec);
    EXPECT_EQ(c.lookup(a, 9 * kSec), nullptr);  // not before it was learnt
    ASSERT_NE(c.lookup(a, 10 * kSec), nullptr);  // the same time stamp counts
    EXPECT_EQ(*c.lookup(a, 10 * kSec), "m1.tuyaus.com");
    EXPECT_EQ(*c.lookup(a, 1000 * kSec), "m1.tuyaus.com");
    EXPECT_EQ(c.lookup(ip("52.28.0.11"), 1000 * kSec), nullptr);
    EXPECT_EQ(c.lookup(ip("2600::1"), 1000 * kSec), nullptr);
}

TEST(NameCache, TheMostRecentNameBeforeTheTimeWins) {
    NameCache c;
    const IpAddress a = ip("2600:1f18::7");
    c.learn(a, "a.example.com", 10 * kSec);
    c.learn(a, "b.example.com", 20 * kSec);
    c.learn(a, "a.example.com", 30 * kSec);
    EXPECT_EQ(*c.lookup(a, 15 * kSec), "a.example.com");
    EXPECT_EQ(*c.lookup(a, 25 * kSec), "b.example.com");
    EXPECT_EQ(*c.lookup(a, 35 * kSec), "a.example.com");
}

TEST(NameCache, TheSameNameAgainKeepsItsFirstTime) {
    NameCache c;
    const IpAddress a = ip("52.28.0.10");
    c.learn(a, "cloud.example.com", 10 * kSec);
    c.learn(a, "CLOUD.example.com.", 20 * kSec);
    ASSERT_NE(c.lookup(a, 15 * kSec), nullptr);
    EXPECT_EQ(*c.lookup(a, 15 * kSec), "cloud.example.com");
}

TEST(NameCache, OnlyTheLastFewNamesAreKeptAndOlderLookupsFindNothing) {
    NameCache c;
    const IpAddress a = ip("23.1.2.3");
    for (int i = 0; i < 10; ++i) c.learn(a, "n" + std::to_string(i) + ".cdn.net", i * kSec);
    EXPECT_EQ(*c.lookup(a, 9 * kSec), "n9.cdn.net");
    EXPECT_EQ(*c.lookup(a, 6 * kSec), "n6.cdn.net");
    EXPECT_EQ(c.lookup(a, 5 * kSec), nullptr);  // n5 was pushed out: nothing rather than a wrong name
}

TEST(NameCache, NamesAreNormalisedAndCut) {
    EXPECT_EQ(normalise_name("Api.Example.COM."), "api.example.com");
    EXPECT_EQ(normalise_name(""), "");
    EXPECT_EQ(normalise_name("."), "");
    NameCache c;
    const IpAddress a = ip("52.28.0.10");
    c.learn(a, "", 0);
    c.learn(a, ".", 0);
    EXPECT_EQ(c.lookup(a, kSec), nullptr);
    EXPECT_EQ(c.addresses(), 0u);
    c.learn(a, std::string(1000, 'x'), 0);
    ASSERT_NE(c.lookup(a, kSec), nullptr);
    EXPECT_EQ(c.lookup(a, kSec)->size(), NameCache::kMaxName);
}

TEST(NameCache, BoundedWithEvictionOfTheLeastRecentlyLearnt) {
    NameCache c(64);
    const IpAddress busy = ip("52.28.0.10");
    for (int i = 0; i < 3000; ++i) {
        c.learn(IpAddress::v4(34, 0, uint8_t(i >> 8), uint8_t(i)), "host" + std::to_string(i) + ".example", i * kSec);
        if (i % 20 == 0) c.learn(busy, "mqtt.example.com", i * kSec);
    }
    EXPECT_LE(c.addresses(), 64u);
    EXPECT_GT(c.evicted(), 2900u);
    ASSERT_NE(c.lookup(busy, 4000 * kSec), nullptr);
    EXPECT_EQ(*c.lookup(busy, 4000 * kSec), "mqtt.example.com");
    EXPECT_EQ(c.lookup(IpAddress::v4(34, 0, 0, 0), 4000 * kSec), nullptr);  // the first one is long gone
    c.clear();
    EXPECT_EQ(c.addresses(), 0u);
    EXPECT_EQ(c.lookup(busy, 4000 * kSec), nullptr);
}

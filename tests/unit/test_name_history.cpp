#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "heuristics/identity/name_history.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {

const IpAddress kPlug = ip("192.168.1.94");
const IpAddress kCamera = ip("192.168.1.52");

}  // namespace

TEST(NameHistory, LearntNamesAreFoundFromTheirFrameOn) {
    NameHistory h;
    const IpAddress a = ip("52.28.0.10");
    EXPECT_EQ(h.remote_name(a, 100), nullptr);
    h.learn(a, "m1.tuyaus.com", NameSource::Dns, kPlug, 10);
    EXPECT_EQ(h.remote_name(a, 9), nullptr);  // not before it was learnt
    ASSERT_NE(h.remote_name(a, 10), nullptr);  // the frame itself counts
    EXPECT_EQ(*h.remote_name(a, 10), "m1.tuyaus.com");
    EXPECT_EQ(*h.remote_name(a, 100000), "m1.tuyaus.com");
    EXPECT_EQ(h.remote_name(ip("52.28.0.11"), 100000), nullptr);
    EXPECT_EQ(h.remote_name(ip("2600::1"), 100000), nullptr);
}

TEST(NameHistory, EveryFrameGetsTheNameOfItsOwnMomentHoweverManyCameLater) {
    // A CDN address named five times over a capture (the remotes report of
    // the doorbell capture's 142.250.185.99): a second pass, or the GUI
    // selecting an early packet after the whole file was read, must find the
    // name the first pass found, not nothing and not a later one.
    NameHistory h;
    const IpAddress cdn = ip("142.250.185.99");
    const std::vector<std::string> names = {"fonts.gstatic.com", "www.example.org", "ssl.gstatic.com",
                                            "www.google.com", "fonts.gstatic.com", "apis.google.com"};
    for (size_t i = 0; i < names.size(); ++i) h.learn(cdn, names[i], NameSource::Dns, kPlug, uint32_t(10 * (i + 1)));
    for (size_t i = 0; i < names.size(); ++i)
        for (uint32_t f = uint32_t(10 * (i + 1)); f < uint32_t(10 * (i + 2)); ++f) {
            ASSERT_NE(h.remote_name(cdn, f), nullptr) << f;
            EXPECT_EQ(*h.remote_name(cdn, f), names[i]) << f;
        }
    EXPECT_EQ(h.remote_name(cdn, 9), nullptr);
}

TEST(NameHistory, AskedForNamesWinOverSniAndAliasesAreNeverThePacketsName) {
    NameHistory h;
    const IpAddress a = ip("3.69.220.71");
    h.learn(a, "api-eu.roborock.com", NameSource::Sni, kPlug, 10);
    EXPECT_EQ(*h.remote_name(a, 20), "api-eu.roborock.com");
    h.learn(a, "edge-7.elb.amazonaws.com", NameSource::DnsAlias, kPlug, 25);
    EXPECT_EQ(*h.remote_name(a, 26), "api-eu.roborock.com");
    h.learn(a, "cloud.example.net", NameSource::Dns, kPlug, 30);
    EXPECT_EQ(*h.remote_name(a, 40), "cloud.example.net");
    EXPECT_EQ(*h.remote_name(a, 20), "api-eu.roborock.com");
}

TEST(NameHistory, NamesGivenArePerDeviceWithAliasesAndSniDeduplicated) {
    NameHistory h;
    const IpAddress cdn = ip("23.1.2.3");
    h.learn(cdn, "Iot.Vendor.COM.", NameSource::Dns, kPlug, 1);
    h.learn(cdn, "iot.vendor.com.cdn.net", NameSource::DnsAlias, kPlug, 1);
    h.learn(cdn, "e123.cdn.net", NameSource::DnsAlias, kPlug, 1);
    h.learn(cdn, "iot.vendor.com", NameSource::Dns, kPlug, 50);  // answered again: nothing new
    h.learn(cdn, "iot.vendor.com", NameSource::Sni, kPlug, 51);  // the same name from SNI: listed once
    h.learn(cdn, "updates.vendor.com", NameSource::Sni, kPlug, 52);
    h.learn(cdn, "video.other.com", NameSource::Dns, kCamera, 60);
    EXPECT_EQ(h.names_given(kPlug, cdn), (std::vector<std::string>{"iot.vendor.com", "iot.vendor.com.cdn.net",
                                                                  "e123.cdn.net", "updates.vendor.com"}));
    EXPECT_EQ(h.names_given(kCamera, cdn), std::vector<std::string>{"video.other.com"});
    EXPECT_TRUE(h.names_given(ip("192.168.1.7"), cdn).empty());
    EXPECT_TRUE(h.names_given(kPlug, ip("23.1.2.4")).empty());
}

TEST(NameHistory, RepeatedAnswersCostNoRecords) {
    NameHistory h;
    const IpAddress a = ip("52.28.0.10");
    for (uint32_t f = 1; f <= 10000; ++f) h.learn(a, "mqtt.example.com", NameSource::Dns, kPlug, f);
    EXPECT_EQ(h.records(), 2u);  // one timeline change, one name given
}

TEST(NameHistory, NamesAreNormalisedAndCut) {
    EXPECT_EQ(normalise_name("Api.Example.COM."), "api.example.com");
    EXPECT_EQ(normalise_name(""), "");
    EXPECT_EQ(normalise_name("."), "");
    NameHistory h;
    const IpAddress a = ip("52.28.0.10");
    h.learn(a, "", NameSource::Dns, kPlug, 1);
    h.learn(a, ".", NameSource::Dns, kPlug, 1);
    EXPECT_EQ(h.remote_name(a, 2), nullptr);
    EXPECT_EQ(h.records(), 0u);
    h.learn(a, std::string(1000, 'x'), NameSource::Dns, kPlug, 3);
    ASSERT_NE(h.remote_name(a, 3), nullptr);
    EXPECT_EQ(h.remote_name(a, 3)->size(), NameHistory::kMaxName);
}

TEST(NameHistory, BoundedWithoutForgettingWhatEarlierFramesWereTold) {
    NameHistory h(64);
    const IpAddress busy = ip("52.28.0.10");
    h.learn(busy, "mqtt.example.com", NameSource::Dns, kPlug, 1);
    for (uint32_t i = 0; i < 3000; ++i)
        h.learn(IpAddress::v4(34, 0, uint8_t(i >> 8), uint8_t(i)), "host" + std::to_string(i) + ".example",
                NameSource::Dns, kPlug, 2 + i);
    EXPECT_LE(h.records(), 64u);
    EXPECT_GT(h.dropped(), 2900u);
    // What was learnt stays: a later pass over frame 5 still finds it.
    ASSERT_NE(h.remote_name(busy, 5), nullptr);
    EXPECT_EQ(*h.remote_name(busy, 5), "mqtt.example.com");
    ASSERT_NE(h.remote_name(IpAddress::v4(34, 0, 0, 0), 5), nullptr);
    EXPECT_EQ(h.remote_name(IpAddress::v4(34, 0, 11, 0), 5000), nullptr);  // past the bound: not learnt
    h.clear();
    EXPECT_EQ(h.records(), 0u);
    EXPECT_EQ(h.dropped(), 0u);
    EXPECT_EQ(h.remote_name(busy, 5), nullptr);
}

TEST(NameHistory, FramesFedOutOfOrderNeverBreakLookups) {
    NameHistory h;
    const IpAddress a = ip("52.28.0.10");
    h.learn(a, "a.example.com", NameSource::Dns, kPlug, 100);
    h.learn(a, "b.example.com", NameSource::Dns, kPlug, 50);  // taken as learnt at frame 100
    EXPECT_EQ(h.remote_name(a, 99), nullptr);
    EXPECT_EQ(*h.remote_name(a, 100), "b.example.com");
}

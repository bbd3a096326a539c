#include <gtest/gtest.h>

#include "heuristics/analyzer.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {
PacketFacts mqtt(const std::string &src, uint16_t sport, const std::string &dst, uint16_t dport, uint8_t type,
                 int64_t t) {
    PacketFacts p = tcp(src, sport, dst, dport, tcp_flag::kAck | tcp_flag::kPsh, t, 56);
    p.payload_len = 2;
    p.has_mqtt_type = true;
    p.mqtt_type = type;
    return p;
}
}  // namespace

TEST(AnalyzerHeartbeat, MqttPingsFromTheFourthOnWithTheConnectKeepalive) {
    Analyzer a;
    PacketFacts connect = mqtt("10.0.1.4", 40000, "198.41.30.241", 1883, 1, 0);
    connect.payload_len = 20;
    connect.has_mqtt_keepalive = true;
    connect.mqtt_keepalive_s = 5;
    a.analyze(connect);
    const double times[] = {5.7, 11.4, 16.7, 22.1, 27.4};
    for (int i = 0; i < 5; ++i) {
        const Verdict req = a.analyze(mqtt("10.0.1.4", 40000, "198.41.30.241", 1883, 12, int64_t(times[i] * 1e9)));
        const Verdict rsp =
            a.analyze(mqtt("198.41.30.241", 1883, "10.0.1.4", 40000, 13, int64_t((times[i] + 0.3) * 1e9)));
        EXPECT_EQ(has_finding(req.findings, Finding::Heartbeat), i >= 3) << i;
        EXPECT_EQ(has_finding(rsp.findings, Finding::Heartbeat), i >= 3) << i;
        if (i >= 3) {
            EXPECT_NEAR(req.heartbeat.period_s, 5.4, 0.27);
            EXPECT_EQ(req.mqtt_keepalive_s, 5);
            EXPECT_EQ(req.heartbeat.count, uint32_t(i + 1));
        }
    }
}

TEST(AnalyzerHeartbeat, NotForLanNtpDnsOrEmptySegments) {
    Analyzer a;
    for (int i = 0; i < 10; ++i) {
        const int64_t t = i * 30 * kSec;
        PacketFacts lan = udp("192.168.1.5", 6667, "192.168.1.9", 6667, t);
        lan.payload_len = 100;
        PacketFacts ntp = udp("192.168.1.5", 123, "162.159.200.1", 123, t);
        ntp.payload_len = 48;
        PacketFacts ack = tcp("192.168.1.5", 40000, "52.28.1.2", 443, tcp_flag::kAck, t);
        EXPECT_FALSE(has_finding(a.analyze(lan).findings, Finding::Heartbeat));
        EXPECT_FALSE(has_finding(a.analyze(ntp).findings, Finding::Heartbeat));
        EXPECT_FALSE(has_finding(a.analyze(ack).findings, Finding::Heartbeat));
    }
}

TEST(AnalyzerHeartbeat, BusyFlowsSameSizePacketsAreNotBeats) {
    // A chatty device: packets of many sizes on one flow; one size recurs
    // every 30 s exactly, but with lots of other traffic in between.
    Analyzer a;
    bool any = false;
    for (int i = 0; i < 12; ++i) {
        PacketFacts beat = tcp("192.168.1.95", 40000, "99.84.211.17", 443, tcp_flag::kAck, i * 30 * kSec);
        beat.payload_len = 64;
        any |= has_finding(a.analyze(beat).findings, Finding::Heartbeat);
        for (int j = 1; j <= 6; ++j) {
            PacketFacts other = tcp("192.168.1.95", 40000, "99.84.211.17", 443, tcp_flag::kAck, i * 30 * kSec + j * kSec);
            other.payload_len = uint32_t(100 + 10 * j);
            a.analyze(other);
        }
    }
    EXPECT_FALSE(any);
}

TEST(AnalyzerDeadCloud, ThirdUnansweredSynWithTheLookedUpName) {
    Analyzer a;
    a.learn_name(ip("47.254.152.20"), "MQTT.SmartPlug-Cloud.com.", NameSource::Dns, ip("192.168.1.94"), 1);
    const int64_t retries[] = {0, 1, 3, 7, 30, 31};
    for (int i = 0; i < 6; ++i) {
        const Verdict v = a.analyze(tcp("192.168.1.94", uint16_t(40000 + i / 4), "47.254.152.20", 8883, tcp_flag::kSyn,
                                        (10 + retries[i]) * kSec));
        EXPECT_EQ(has_finding(v.findings, Finding::DeadCloud), i >= 2) << i;
    }
    const std::string *name = a.remote_name(ip("47.254.152.20"), 50);
    ASSERT_NE(name, nullptr);
    EXPECT_EQ(*name, "mqtt.smartplug-cloud.com");
    EXPECT_EQ(a.remote_name(ip("47.254.152.20"), 0), nullptr);  // not before it was learnt
}

TEST(AnalyzerNames, DnsWinsOverSni) {
    Analyzer a;
    const IpAddress vacuum = ip("192.168.1.40");
    a.learn_name(ip("3.69.220.71"), "api-eu.roborock.com", NameSource::Sni, vacuum, 10);
    EXPECT_EQ(*a.remote_name(ip("3.69.220.71"), 20), "api-eu.roborock.com");
    a.learn_name(ip("3.69.220.71"), "cloud.example.net", NameSource::Dns, vacuum, 30);
    EXPECT_EQ(*a.remote_name(ip("3.69.220.71"), 40), "cloud.example.net");
    EXPECT_EQ(*a.remote_name(ip("3.69.220.71"), 20), "api-eu.roborock.com");
}

TEST(AnalyzerHeartbeat, OpaquePacketsAboveTheLimitAreNeverBeats) {
    // The same exact 30-s schedule: records of kMaxOpaqueBeat bytes form a
    // series, records one byte longer do not (a keepalive is a small message;
    // a 383-byte SIP CANCEL retried at its timer, or the 392..447-byte
    // responses of a browsing session every 15.8 s, are not).
    for (uint32_t size : {kMaxOpaqueBeat, kMaxOpaqueBeat + 1}) {
        Analyzer a;
        bool any = false;
        for (int i = 0; i < 8; ++i) {
            PacketFacts p = tcp("192.168.1.30", 50000, "52.1.2.3", 443, tcp_flag::kAck | tcp_flag::kPsh,
                                int64_t(i) * 30 * kSec, 60 + size);
            p.payload_len = size;
            any |= has_finding(a.analyze(p).findings, Finding::Heartbeat);
        }
        EXPECT_EQ(any, size <= kMaxOpaqueBeat) << size;
    }
}

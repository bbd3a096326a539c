// The dead-cloud rule as the analyzer applies it to whole packets: which
// segments show that a service is alive.
#include <gtest/gtest.h>

#include "heuristics/analyzer.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {
constexpr const char *kPhone = "192.168.1.40";
constexpr const char *kServer = "157.240.20.52";

PacketFacts out(uint16_t sport, uint16_t flags, int64_t t, uint32_t payload = 0, uint32_t seq = 1) {
    PacketFacts p = tcp(kPhone, sport, kServer, 443, flags, t);
    p.payload_len = payload;
    p.has_tcp_seq = true;
    p.tcp_seq = seq;
    return p;
}

PacketFacts in(uint16_t dport, uint16_t flags, int64_t t, uint32_t payload = 0) {
    PacketFacts p = tcp(kServer, 443, kPhone, dport, flags, t);
    p.payload_len = payload;
    return p;
}

bool dead(Analyzer &a, const PacketFacts &p) { return has_finding(a.analyze(p).findings, Finding::DeadCloud); }

// Three connects to the service, each a SYN and two retransmissions a second
// apart: the third SYN on would be a dead cloud if nothing showed the
// service alive.
int dead_syns(Analyzer &a, int64_t start) {
    int n = 0;
    for (int c = 0; c < 3; ++c)
        for (int r = 0; r < 3; ++r) n += dead(a, out(uint16_t(41000 + c), tcp_flag::kSyn, start + (10 * c + r) * kSec));
    return n;
}
}  // namespace

TEST(AnalyzerDeadCloud, NothingAnsweredIsDeadFromTheThirdSyn) {
    Analyzer a;
    EXPECT_EQ(dead_syns(a, 0), 7);
}

TEST(AnalyzerDeadCloud, TheDevicesOwnSegmentsShowTheHandshakeCompleted) {
    // A one-direction capture: the SYN-ACKs are not in it, but the device's
    // ACK, data and FIN on the connection are.
    const uint16_t flag_sets[] = {tcp_flag::kAck, tcp_flag::kAck | tcp_flag::kPsh, tcp_flag::kAck | tcp_flag::kFin};
    for (uint16_t flags : flag_sets) {
        Analyzer a;
        EXPECT_FALSE(dead(a, out(40000, tcp_flag::kSyn, 0)));
        a.analyze(out(40000, flags, kSec / 10, flags & tcp_flag::kPsh ? 300 : 0, 1));
        EXPECT_EQ(dead_syns(a, 10 * kSec), 0) << flags;
    }
}

TEST(AnalyzerDeadCloud, DataBeforeAnySynShowsTheServiceAlive) {
    // The capture starts in the middle of a connection.
    Analyzer a;
    a.analyze(out(40000, tcp_flag::kAck | tcp_flag::kPsh, 0, 200, 5000));
    EXPECT_EQ(dead_syns(a, 10 * kSec), 0);
}

TEST(AnalyzerDeadCloud, ABareAckFromTheRemoteAnswers) {
    // The remote answers a SYN with a bare ACK (no SYN-ACK).
    Analyzer a;
    a.analyze(out(40000, tcp_flag::kSyn, 0));
    a.analyze(in(40000, tcp_flag::kAck, kSec / 20));
    EXPECT_EQ(dead_syns(a, 10 * kSec), 0);
}

TEST(AnalyzerDeadCloud, ALaterAnswerIsReportedOnce) {
    Analyzer a;
    EXPECT_EQ(dead_syns(a, 0), 7);
    const Verdict late = a.analyze(in(41002, tcp_flag::kSyn | tcp_flag::kAck, 30 * kSec));
    EXPECT_TRUE(late.dead_cloud_answered);
    EXPECT_FALSE(a.analyze(in(41002, tcp_flag::kAck, 31 * kSec, 100)).dead_cloud_answered);
    EXPECT_FALSE(a.analyze(out(41002, tcp_flag::kAck, 32 * kSec)).dead_cloud_answered);
}

TEST(AnalyzerDeadCloud, ICMPErrorsAndOtherServicesAreNoAnswer) {
    Analyzer a;
    // The same host's other port answers, and so does this port to another device.
    PacketFacts other_port = tcp(kServer, 80, kPhone, 40000, tcp_flag::kSyn | tcp_flag::kAck, kSec);
    a.analyze(other_port);
    a.analyze(tcp(kServer, 443, "192.168.1.41", 40000, tcp_flag::kSyn | tcp_flag::kAck, kSec));
    PacketFacts unreachable = tcp(kServer, 0, kPhone, 0, 0, 2 * kSec);
    unreachable.transport = Transport::Icmp;
    a.analyze(unreachable);
    EXPECT_EQ(dead_syns(a, 10 * kSec), 7);
}

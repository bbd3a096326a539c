// What is not a heartbeat, from the definition: a heartbeat is a small
// message whose job is to keep a channel open, sent on a timer, carrying no
// growing data and answered, if at all, by small replies. Each case takes
// its timing and sizes from a real capture of the public corpora, and has a
// counterpart that differs only in what the rule looks at and is a heartbeat,
// so the case fails if the rule does not hold.
#include <gtest/gtest.h>

#include <vector>

#include "heuristics/analyzer.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {
constexpr const char *kDev = "192.168.1.117";
constexpr const char *kSrv = "172.217.21.72";

int64_t at(double s) { return int64_t(s * 1e9); }

PacketFacts segment(bool outbound, double t, uint32_t payload, uint32_t seq) {
    PacketFacts p = outbound ? tcp(kDev, 54854, kSrv, 443, tcp_flag::kAck | tcp_flag::kPsh, at(t))
                             : tcp(kSrv, 443, kDev, 54854, tcp_flag::kAck | tcp_flag::kPsh, at(t));
    p.payload_len = payload;
    p.has_tcp_seq = true;
    p.tcp_seq = seq;
    return p;
}

PacketFacts datagram(bool outbound, double t, uint32_t payload) {
    PacketFacts p = outbound ? udp(kDev, 59956, "162.249.72.1", 7194, at(t)) : udp("162.249.72.1", 7194, kDev, 59956, at(t));
    p.payload_len = payload;
    return p;
}

bool beat(Analyzer &a, const PacketFacts &p) { return has_finding(a.analyze(p).findings, Finding::Heartbeat); }

// How many of the packets are heartbeats.
int beats(const std::vector<PacketFacts> &packets) {
    Analyzer a;
    int n = 0;
    for (const PacketFacts &p : packets) n += beat(a, p);
    return n;
}
}  // namespace

TEST(NotAKeepalive, TcpRetransmissions) {
    // ndpi/zoom.pcap: a 199-byte ClientHello sent again 2.1 s apart, never
    // answered: the same bytes (one sequence number) are no new message.
    const double times[] = {0, 2.127, 4.269, 6.456, 8.6};
    std::vector<PacketFacts> resent, fresh;
    for (int i = 0; i < 5; ++i) {
        resent.push_back(segment(true, times[i], 199, 1));
        fresh.push_back(segment(true, times[i], 199, 1 + 199 * uint32_t(i)));
    }
    EXPECT_EQ(beats(resent), 0);
    EXPECT_EQ(beats(fresh), 2);  // the 4th and 5th
}

TEST(NotAKeepalive, ButTcpKeepAliveProbesAre) {
    // ndpi/avast.pcap: one byte at the next sequence number - 1 every ~187 s,
    // each acknowledged: the TCP keep-alive, a keepalive by definition.
    std::vector<PacketFacts> probes;
    probes.push_back(segment(true, 0, 96, 1));
    probes.push_back(segment(false, 0.03, 16, 1));
    for (int i = 1; i <= 5; ++i) probes.push_back(segment(true, 187.3 * i, 1, 96));
    EXPECT_EQ(beats(probes), 2);
}

TEST(NotAKeepalive, RequestsRetriedAtAFixedOneSecondTimer) {
    // ndpi/riotgames.pcap: one 53-byte request every ~1.0 s until answered.
    const double times[] = {0, 1.028, 2.061, 3.064, 4.068, 5.070};
    std::vector<PacketFacts> retries, two_s;
    for (double t : times) {
        retries.push_back(datagram(true, t, 53));
        two_s.push_back(datagram(true, 2 * t, 53));  // Tailscale's 2 s keepalive
    }
    EXPECT_EQ(beats(retries), 0);
    EXPECT_EQ(beats(two_s), 3);
}

TEST(NotAKeepalive, RequestsRetriedWithBackoff) {
    // A retry timer that doubles to its cap (SIP's T1 of 0.5 s to T2, 4 s, as
    // the CANCEL of ndpi/sip.pcap; STUN's RTO), here a 28-byte request: its
    // plateau at the cap is the retry timer, not a keepalive's.
    const double gaps[] = {0.5, 1.0, 2.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0};
    std::vector<PacketFacts> backoff, steady;
    double t = 0, u = 0;
    backoff.push_back(datagram(true, t, 28));
    steady.push_back(datagram(true, u, 28));
    for (double g : gaps) {
        backoff.push_back(datagram(true, t += g, 28));
        steady.push_back(datagram(true, u += 4.0, 28));
    }
    EXPECT_EQ(beats(backoff), 0);
    EXPECT_EQ(beats(steady), 8);
}

TEST(NotAKeepalive, RequestsAnsweredByLargeResponses) {
    // ndpi/quickplay.pcap: an HLS player asks for the next video segment
    // every ~3.4 s; a sampled capture shows one segment of each ~800 KB
    // response, but the server's sequence numbers say what went by. Small
    // answers on the same schedule are a keepalive's.
    std::vector<PacketFacts> streaming, polling;
    uint32_t big = 1, small = 1;
    for (int i = 0; i < 8; ++i) {
        const double t = 3.39 * i;
        streaming.push_back(segment(true, t, 200, 1 + 200 * uint32_t(i)));
        streaming.push_back(segment(false, t + 0.2, 1400, big));
        big += 800'000;
        polling.push_back(segment(true, t, 200, 1 + 200 * uint32_t(i)));
        polling.push_back(segment(false, t + 0.2, 40, small));
        small += 40;
    }
    EXPECT_EQ(beats(streaming), 0);
    EXPECT_EQ(beats(polling), 10);  // requests and replies, from the 4th of each on
}

TEST(NotAKeepalive, AcknowledgementsOfUploads) {
    // schlage-lock-01 (iot-dataset): 1786 bytes of data every 2.3 s, each
    // acknowledged by a 69-byte record 0.09 s later; the same 69-byte record
    // answering the lock's 69-byte MQTT ping is a keepalive's reply.
    std::vector<PacketFacts> uploads, pings;
    uint32_t seq = 1;
    for (int i = 0; i < 8; ++i) {
        const double t = 2.29 * i;
        uploads.push_back(segment(true, t, 1445, seq));
        uploads.push_back(segment(true, t + 0.005, 341, seq + 1445));
        seq += 1786;
        uploads.push_back(segment(false, t + 0.09, 69, 1 + 69 * uint32_t(i)));
        pings.push_back(segment(true, t, 69, 1 + 69 * uint32_t(i)));
        pings.push_back(segment(false, t + 0.09, 69, 1 + 69 * uint32_t(i)));
    }
    EXPECT_EQ(beats(uploads), 0);
    EXPECT_EQ(beats(pings), 10);
}

TEST(NotAKeepalive, RepliesQueuedOnASecondTick) {
    // suricata-verify irc: a server sends queued 114-byte error replies on a
    // 1 s tick, some ticks empty: every other reply lands on a 2 s grid, the
    // ones between are no strays of a 2 s timer.
    const double times[] = {2.971346, 3.968341, 5.986306, 7.970346, 8.995268, 9.976353, 10.965268, 11.962238,
                            12.977182};
    std::vector<PacketFacts> queued, timer;
    for (int i = 0; i < 9; ++i) {
        queued.push_back(segment(false, times[i], 114, uint32_t(1 + 114 * i)));
        timer.push_back(segment(false, 2.97 + 2.0 * i, 114, uint32_t(1 + 114 * i)));
    }
    EXPECT_EQ(beats(queued), 0);
    EXPECT_EQ(beats(timer), 6);
}

TEST(NotAKeepalive, IrregularSeriesHeldTogetherByStraysAndMissedBeats) {
    // The responses of a browsing session (the tracking pixels of
    // suricata-verify's http-sticky capture, 26, 26, 11, 67, 13, 21, 26 s
    // apart, here 200 bytes): two intervals agree, then a stray and two
    // missed beats keep the candidate alive, then a stray and a late one. A
    // keepalive with one stray is still a keepalive.
    const double irregular[] = {0.16, 26.23, 52.58, 63.83, 131.26, 144.08, 165.56, 191.87, 218.1};
    const double one_stray[] = {0.16, 26.23, 52.58, 63.83, 78.8, 105.1, 131.3, 157.5, 183.8};
    std::vector<PacketFacts> a, b;
    for (int i = 0; i < 9; ++i) {
        a.push_back(datagram(false, irregular[i], 200));
        b.push_back(datagram(false, one_stray[i], 200));
    }
    EXPECT_EQ(beats(a), 0);
    EXPECT_EQ(beats(b), 5);
}

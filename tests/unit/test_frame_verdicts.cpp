// The per-frame verdict store must give every later dissection exactly what
// the first pass decided: checked against a std::map of the records under
// random findings, in a pass over the file, in random order (the GUI's
// clicks), with frames added out of order and replaced, and after clear();
// and it must stay as compact as its header promises.
#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>
#include <string>

#include "heuristics/frame_verdicts.hpp"

using namespace phonehome;

namespace {

struct Expected {
    FrameRecord record;
    bool has_facts = false;
    PacketFacts facts;
    std::string dns_name;
    bool has_dns_name = false;
};

// A random verdict; its facts and name live in `scratch` only until the
// next call (the store must have copied them).
FrameRecord random_record(std::mt19937 &rng, PacketFacts *scratch_facts, std::string *scratch_name, Expected *e) {
    FrameRecord r;
    do {
        r.findings = FindingSet(rng() % (1u << kFindingCount));
        if (rng() % 4 == 0) r.findings = 0;
        if (rng() % 3 == 0) {
            scratch_facts->frame_number = rng();
            scratch_facts->src = IpAddress::v4(10, 0, uint8_t(rng()), uint8_t(rng()));
            scratch_facts->dst_port = uint16_t(rng());
            scratch_facts->dns_response = rng() % 2;
            std::strcpy(scratch_facts->p2p.uid, "ABCD-123456-WXYZ");
            r.facts = scratch_facts;
        }
        if (rng() % 5 == 0) {
            *scratch_name = "p2p" + std::to_string(rng()) + ".iotcplatform.com";
            r.dns_name = scratch_name->c_str();
        }
        r.dead_cloud_answered = rng() % 7 == 0;
    } while (!r.worth_keeping());
    if (has_finding(r.findings, Finding::Pinhole))
        r.pinhole = PinholeTracker::Outbound{true, rng() % 2 == 0, int64_t(rng()) * 1000, int64_t(rng()) * 7,
                                             uint64_t(rng()) << 20 | rng()};
    if (has_finding(r.findings, Finding::Heartbeat))
        r.heartbeat = FrameRecord::Beat{double(rng() % 100000) / 1000, double(rng() % 1000) / 1000,
                                        uint32_t(rng()), uint16_t(rng())};
    if (has_finding(r.findings, Finding::DeadCloud))
        r.syn = DeadCloudTracker::Syn{uint32_t(rng() % 100), rng() % 2 == 0, int64_t(rng()) * 3};
    e->record = r;
    e->has_facts = r.facts != nullptr;
    if (r.facts) e->facts = *r.facts;
    e->has_dns_name = r.dns_name != nullptr;
    if (r.dns_name) e->dns_name = r.dns_name;
    return r;
}

void expect_same(const Expected &e, const FrameRecord &got, uint32_t frame) {
    SCOPED_TRACE("frame " + std::to_string(frame));
    const FrameRecord &want = e.record;
    ASSERT_EQ(got.findings, want.findings);
    EXPECT_EQ(got.dead_cloud_answered, want.dead_cloud_answered);
    if (has_finding(want.findings, Finding::Pinhole)) {
        EXPECT_EQ(got.pinhole.pinhole, want.pinhole.pinhole);
        EXPECT_EQ(got.pinhole.after_silence, want.pinhole.after_silence);
        EXPECT_EQ(got.pinhole.gap_ns, want.pinhole.gap_ns);
        EXPECT_EQ(got.pinhole.since_open_ns, want.pinhole.since_open_ns);
        EXPECT_EQ(got.pinhole.datagrams, want.pinhole.datagrams);
    }
    if (has_finding(want.findings, Finding::Heartbeat)) {
        EXPECT_EQ(got.heartbeat.period_s, want.heartbeat.period_s);
        EXPECT_EQ(got.heartbeat.jitter_s, want.heartbeat.jitter_s);
        EXPECT_EQ(got.heartbeat.count, want.heartbeat.count);
        EXPECT_EQ(got.heartbeat.mqtt_keepalive_s, want.heartbeat.mqtt_keepalive_s);
    }
    if (has_finding(want.findings, Finding::DeadCloud)) {
        EXPECT_EQ(got.syn.attempt, want.syn.attempt);
        EXPECT_EQ(got.syn.dead, want.syn.dead);
        EXPECT_EQ(got.syn.since_first_ns, want.syn.since_first_ns);
    }
    ASSERT_EQ(got.facts != nullptr, e.has_facts);
    if (e.has_facts) {
        EXPECT_EQ(got.facts->frame_number, e.facts.frame_number);
        EXPECT_EQ(got.facts->src, e.facts.src);
        EXPECT_EQ(got.facts->dst_port, e.facts.dst_port);
        EXPECT_EQ(got.facts->dns_response, e.facts.dns_response);
        EXPECT_STREQ(got.facts->p2p.uid, e.facts.p2p.uid);
    }
    ASSERT_EQ(got.dns_name != nullptr, e.has_dns_name);
    if (e.has_dns_name) {
        EXPECT_EQ(std::string(got.dns_name), e.dns_name);
    }
}

// Every frame number from 1 to `last` looked up in `order`: the stored ones
// give their record, the others nothing.
void expect_all(const FrameVerdicts &store, const std::map<uint32_t, Expected> &ref, const std::vector<uint32_t> &order) {
    for (uint32_t frame : order) {
        FrameRecord got;
        const auto it = ref.find(frame);
        ASSERT_EQ(store.find(frame, &got), it != ref.end()) << "frame " << frame;
        if (it != ref.end()) {
            expect_same(it->second, got, frame);
        }
    }
}

// A store and the map it must agree with, filled with random verdicts.
struct StoreAndReference {
    FrameVerdicts store;
    std::map<uint32_t, Expected> ref;
    PacketFacts scratch;
    std::string name;

    void add_random(std::mt19937 &rng, uint32_t frame) {
        Expected e;
        store.add(frame, random_record(rng, &scratch, &name, &e));
        ref[frame] = e;
        scratch = PacketFacts{};  // the caller's copies die with the packet
        name.assign(40, 'x');
    }
};

// Frame numbers 0 to `last`, in order: a pass over the file.
std::vector<uint32_t> frames_up_to(uint32_t last) {
    std::vector<uint32_t> order;
    for (uint32_t f = 0; f <= last; ++f) order.push_back(f);
    return order;
}

}  // namespace

TEST(FrameVerdicts, GivesBackWhatTheFirstPassStoredInEveryOrder) {
    std::mt19937 rng(11);
    StoreAndReference s;
    const uint32_t last = 60000;
    for (uint32_t frame = 1; frame <= last; ++frame)
        if (rng() % 3 == 0) s.add_random(rng, frame);  // most frames have no verdict
    ASSERT_EQ(s.store.size(), s.ref.size());

    std::vector<uint32_t> order = frames_up_to(last + 2);
    expect_all(s.store, s.ref, order);  // a second pass over the file
    expect_all(s.store, s.ref, order);  // and another, from the start again
    std::vector<uint32_t> backwards(order.rbegin(), order.rend());
    expect_all(s.store, s.ref, backwards);
    std::shuffle(order.begin(), order.end(), rng);
    expect_all(s.store, s.ref, order);  // the GUI's clicks
}

TEST(FrameVerdicts, FramesOutOfOrderAreInsertedAndRepeatsReplaced) {
    std::mt19937 rng(5);
    StoreAndReference s;
    for (int i = 0; i < 5000; ++i) s.add_random(rng, rng() % 3000 + 1);
    ASSERT_EQ(s.store.size(), s.ref.size());
    expect_all(s.store, s.ref, frames_up_to(3001));
}

TEST(FrameVerdicts, ClearForgetsEverything) {
    FrameVerdicts store;
    FrameRecord r;
    r.findings = finding_bit(Finding::P2p);
    store.add(7, r);
    FrameRecord got;
    ASSERT_TRUE(store.find(7, &got));
    EXPECT_EQ(got.findings, finding_bit(Finding::P2p));
    store.clear();
    EXPECT_FALSE(store.find(7, &got));
    EXPECT_EQ(store.size(), 0u);
    EXPECT_EQ(store.bytes(), 0u);
    store.add(3, r);  // usable again, for the next file
    EXPECT_TRUE(store.find(3, &got));
}

// The header's figures: a P2P message keeps 16 bytes, a heartbeat beat 16 +
// 24 (the 64 KiB blocks fill before a new one is taken).
TEST(FrameVerdicts, StaysCompact) {
    FrameVerdicts p2p, beats;
    FrameRecord r;
    r.findings = finding_bit(Finding::P2p);
    const uint32_t n = 200000;
    for (uint32_t f = 1; f <= n; ++f) p2p.add(f, r);
    EXPECT_LE(p2p.bytes(), size_t(n) * 16);
    r.findings = finding_bit(Finding::Heartbeat);
    r.heartbeat = FrameRecord::Beat{30.0, 0.2, 5, 60};
    for (uint32_t f = 1; f <= n; ++f) beats.add(f, r);
    EXPECT_LE(beats.bytes(), size_t(n) * (16 + 24) + (size_t(64) << 10));
    FrameRecord got;
    ASSERT_TRUE(beats.find(n / 2, &got));
    EXPECT_EQ(got.heartbeat.count, 5u);
    EXPECT_EQ(got.heartbeat.mqtt_keepalive_s, 60);
}

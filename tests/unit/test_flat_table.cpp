// The flat table behind the heartbeat engine's per-packet lookups must behave
// exactly like the std::unordered_map it replaced: checked against one under
// random insertions, lookups, clears and evictions, with a good hash and with
// one that sends every key to the same slot.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "heuristics/common/bounded_table.hpp"
#include "heuristics/common/flat_table.hpp"
#include "heuristics/detectors/heartbeat/series_key.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {

struct IdentityHash {
    size_t operator()(uint32_t k) const noexcept { return k; }
};
struct ConstantHash {
    size_t operator()(uint32_t) const noexcept { return 42; }
};

template <typename Hash>
void agrees_with_unordered_map(uint32_t key_range, int steps) {
    FlatTable<uint32_t, int64_t, Hash> flat;
    std::unordered_map<uint32_t, int64_t> ref;
    std::mt19937 rng(7);
    for (int step = 0; step < steps; ++step) {
        const uint32_t key = rng() % key_range;
        const int op = int(rng() % 100);
        if (op < 45) {
            const auto [it, inserted] = flat.emplace(key, step);
            const auto [rit, rinserted] = ref.emplace(key, step);
            ASSERT_EQ(inserted, rinserted);
            ASSERT_EQ(it->first, key);
            ASSERT_EQ(it->second, rit->second);
        } else if (op < 90) {
            auto it = flat.find(key);
            auto rit = ref.find(key);
            ASSERT_EQ(it == flat.end(), rit == ref.end()) << "key " << key;
            if (rit != ref.end()) {
                ASSERT_EQ(it->second, rit->second);
                it->second += 1;  // found entries are writable in place
                rit->second += 1;
            }
        } else if (op < 98) {
            // Erase the entries whose value is below a random cut.
            const int64_t cut = int64_t(rng() % uint32_t(step + 1));
            const size_t erased = flat.erase_if([&](int64_t v) { return v < cut; });
            size_t ref_erased = 0;
            for (auto it = ref.begin(); it != ref.end();)
                if (it->second < cut) {
                    it = ref.erase(it);
                    ++ref_erased;
                } else {
                    ++it;
                }
            ASSERT_EQ(erased, ref_erased);
        } else {
            // Half the clears keep the memory (bounded tables refilled at once).
            if (op & 1)
                flat.forget_all();
            else
                flat.clear();
            ref.clear();
            ASSERT_TRUE(flat.find(key) == flat.end());
        }
        ASSERT_EQ(flat.size(), ref.size());
    }
    // Every entry is there once, with its value, and iteration sees them all.
    size_t seen = 0;
    for (const auto &e : flat) {
        ASSERT_EQ(ref.at(e.first), e.second);
        ++seen;
    }
    EXPECT_EQ(seen, ref.size());
}

}  // namespace

TEST(FlatTable, AgreesWithUnorderedMap) { agrees_with_unordered_map<IdentityHash>(5000, 200000); }

TEST(FlatTable, AgreesWithUnorderedMapWhenEveryKeyCollides) { agrees_with_unordered_map<ConstantHash>(300, 20000); }

TEST(FlatTable, ForgetAllKeepsNothingButTheMemory) {
    FlatTable<uint32_t, int64_t, IdentityHash> t;
    for (uint32_t k = 0; k < 3000; ++k) t.emplace(k, k);
    t.forget_all();
    EXPECT_EQ(t.size(), 0u);
    EXPECT_TRUE(t.begin() == t.end());
    for (uint32_t k = 0; k < 3000; ++k) ASSERT_TRUE(t.find(k) == t.end());
    // Refilled with other keys (old entries are overwritten, not found).
    for (uint32_t k = 5000; k < 6000; ++k) ASSERT_TRUE(t.emplace(k, -int64_t(k)).second);
    EXPECT_EQ(t.size(), 1000u);
    for (uint32_t k = 0; k < 3000; ++k) ASSERT_TRUE(t.find(k) == t.end());
    for (uint32_t k = 5000; k < 6000; ++k) ASSERT_EQ(t.find(k)->second, -int64_t(k));
    // Past the old size, new chunks come as before.
    for (uint32_t k = 10000; k < 14000; ++k) t.emplace(k, 1);
    EXPECT_EQ(t.size(), 5000u);
    EXPECT_EQ(t.erase_if([](int64_t v) { return v == 1; }), 4000u);
    for (uint32_t k = 5000; k < 6000; ++k) ASSERT_EQ(t.find(k)->second, -int64_t(k));
}

TEST(FlatTable, LookupsWithTheFlowsHashFindWhatPlainLookupsStored) {
    // The analyzer hashes a packet's addresses once and derives each table's
    // key hash from that (flow_key.hpp); entries stored either way must be
    // found the other way, in every table kind it feeds.
    FlatTable<SeriesKey, int, SeriesKeyHash> series;
    FlatTable<FlowKey, int, FlowKeyHash> flows;
    std::mt19937 rng(99);
    std::vector<FlowKey> keys;
    for (int i = 0; i < 2000; ++i) {
        const IpAddress dev = i % 3 ? ip("192.168.1." + std::to_string(i % 250)) : ip("fd00::" + std::to_string(i));
        const IpAddress rem = ip("203.0." + std::to_string(rng() % 250) + "." + std::to_string(rng() % 250));
        keys.push_back(FlowKey{dev, rem, uint16_t(rng()), uint16_t(rng())});
    }
    for (size_t i = 0; i < keys.size(); ++i) {
        const FlowKey &k = keys[i];
        const FlowHash h{FlowKeyHash::from_pair(address_pair_hash(k.device, k.remote), k.device_port, k.remote_port)};
        const SeriesKey s = SeriesKey::by_size(k, Transport::Udp, Direction::Inbound, uint32_t(i % 300));
        if (i % 2) {
            flows.emplace(k, int(i), h.value);
            series.emplace(s, int(i), SeriesKeyHash::from_flow(h, s));
        } else {
            flows.emplace(k, int(i));
            series.emplace(s, int(i));
        }
    }
    for (size_t i = 0; i < keys.size(); ++i) {
        const FlowKey &k = keys[i];
        const FlowHash h{FlowKeyHash::from_pair(address_pair_hash(k.device, k.remote), k.device_port, k.remote_port)};
        const SeriesKey s = SeriesKey::by_size(k, Transport::Udp, Direction::Inbound, uint32_t(i % 300));
        ASSERT_EQ(flows.find(k)->second, flows.find(k, h.value)->second);
        ASSERT_EQ(series.find(s)->second, int(i));
        ASSERT_EQ(series.find(s, SeriesKeyHash::from_flow(h, s))->second, int(i));
    }
}

TEST(FlatTable, OperatorBracketInsertsADefaultValue) {
    FlatTable<uint32_t, int64_t, IdentityHash> t;
    EXPECT_EQ(t[3], 0);
    t[3] = 9;
    EXPECT_EQ(t[3], 9);
    EXPECT_EQ(t.size(), 1u);
}

TEST(FlatTable, SeriesKeysOfOneFlowStayApart) {
    // Keys that differ only in direction or kind (a flow's series) are
    // distinct entries: the table compares whole keys, not only hashes.
    FlatTable<SeriesKey, int, SeriesKeyHash> t;
    const FlowKey flow{ip("192.168.1.20"), ip("106.13.0.0"), 51506, 1};
    int n = 0;
    for (Direction d : {Direction::Outbound, Direction::Inbound})
        for (uint32_t len = 0; len < 400; ++len) t.emplace(SeriesKey::by_size(flow, Transport::Udp, d, len), n++);
    // 257 exact classes (0..256) and the classes of 257..399 bytes per direction.
    const size_t per_direction = size_t(size_class(399)) + 1;
    EXPECT_EQ(t.size(), 2 * per_direction);
    EXPECT_EQ(t.find(SeriesKey::by_size(flow, Transport::Udp, Direction::Inbound, 172))->second, 400 + 172);
    EXPECT_EQ(t.find(SeriesKey::by_size(flow, Transport::Tcp, Direction::Inbound, 172)), t.end());
}

TEST(FlatTable, EvictionForgetsTheLowestQuarter) {
    FlatTable<uint32_t, int64_t, IdentityHash> t;
    for (uint32_t k = 0; k < 1000; ++k) t.emplace(k, int64_t(k));
    EXPECT_EQ(evict_lowest_quarter(t, [](int64_t v) { return v; }), 251u);  // 0..250: at or below the quartile
    EXPECT_EQ(t.size(), 749u);
    EXPECT_EQ(t.find(250), t.end());
    ASSERT_NE(t.find(251), t.end());
    EXPECT_EQ(t.find(251)->second, 251);
    EXPECT_EQ(t.find(999)->second, 999);
}

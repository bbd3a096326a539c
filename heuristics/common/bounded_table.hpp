// Eviction shared by the bounded per-flow tables (pinholes, heartbeat
// series, dead-cloud services, resolved names): when a table is full, forget
// the quarter of its entries with the lowest keep score, each table deciding
// what the score means (last activity, the next beat due, ...).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "heuristics/common/flat_table.hpp"

namespace phonehome {

// The lower quartile of the table's scores (the table is not empty).
template <typename Map, typename Score>
int64_t lowest_quarter_threshold(const Map &table, Score score) {
    std::vector<int64_t> scores;
    scores.reserve(table.size());
    for (const auto &kv : table) scores.push_back(score(kv.second));
    auto cut = scores.begin() + std::ptrdiff_t(scores.size() / 4);
    std::nth_element(scores.begin(), cut, scores.end());
    return *cut;
}

// Erases every entry whose score is at or below the table's lower quartile;
// returns how many went. `score(value)` maps an entry's value to an int64_t.
template <typename Map, typename Score>
uint64_t evict_lowest_quarter(Map &table, Score score) {
    if (table.empty()) return 0;
    const int64_t threshold = lowest_quarter_threshold(table, score);
    uint64_t erased = 0;
    for (auto it = table.begin(); it != table.end();) {
        if (score(it->second) <= threshold) {
            it = table.erase(it);
            ++erased;
        } else {
            ++it;
        }
    }
    return erased;
}

// The same for a FlatTable, which erases by compacting once.
template <typename Key, typename Value, typename Hash, typename Score>
uint64_t evict_lowest_quarter(FlatTable<Key, Value, Hash> &table, Score score) {
    if (table.empty()) return 0;
    const int64_t threshold = lowest_quarter_threshold(table, score);
    return table.erase_if([&](const Value &v) { return score(v) <= threshold; });
}

}  // namespace phonehome

// A hash table for the per-packet state tables (heartbeat series, flow
// activity): entries in one dense array, found through an open-addressed
// index of (hash, position) words. std::unordered_map keeps every entry in a
// node of its own and, for a hash it deems fast, stores no hash codes, so one
// lookup walks a bucket array, a node and, to tell where a bucket ends, the
// key of the next node, hashing it again: several cache misses per packet on
// a table of thousands of flows. Here a lookup reads one index word (8 bytes,
// linear probing at a load of at most one half) and, only when the stored
// hash matches, the entry itself.
//
// What it offers is what those tables need: find, insert, size, clear,
// iteration (the eviction scores) and erase_if (eviction: it compacts the
// entries and rebuilds the index). Pointers to entries stay valid until the
// next insertion or erase_if. Memory per entry: the key and value, plus 16
// bytes of index (two words per entry at the highest load).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace phonehome {

template <typename Key, typename Value, typename Hash>
class FlatTable {
public:
    struct Entry {
        Key first;
        Value second;
    };
    using iterator = Entry *;
    using const_iterator = const Entry *;

    iterator begin() { return entries_.data(); }
    iterator end() { return entries_.data() + entries_.size(); }
    const_iterator begin() const { return entries_.data(); }
    const_iterator end() const { return entries_.data() + entries_.size(); }
    size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }

    void clear() {
        entries_.clear();
        slots_.clear();
    }

    iterator find(const Key &key) { return entries_.data() + position(key); }
    const_iterator find(const Key &key) const { return entries_.data() + position(key); }

    // Inserts (key, value) unless the key is there; like std::unordered_map.
    // The key is hashed once: a new flow's packet inserts on every lookup.
    std::pair<iterator, bool> emplace(const Key &key, const Value &value) {
        if ((entries_.size() + 1) * 2 > slots_.size()) grow();
        const uint32_t h = hash32(key);
        const size_t mask = slots_.size() - 1;
        size_t i = h & mask;
        for (; slots_[i] != 0; i = (i + 1) & mask) {
            const uint64_t slot = slots_[i];
            if (uint32_t(slot >> 32) == h && entries_[uint32_t(slot) - 1].first == key)
                return {&entries_[uint32_t(slot) - 1], false};
        }
        entries_.push_back(Entry{key, value});
        slots_[i] = uint64_t(h) << 32 | uint32_t(entries_.size());
        return {&entries_.back(), true};
    }

    Value &operator[](const Key &key) { return emplace(key, Value{}).first->second; }

    // Removes the entries whose value satisfies pred; returns how many.
    template <typename Pred>
    size_t erase_if(Pred pred) {
        size_t kept = 0;
        for (size_t i = 0; i < entries_.size(); ++i) {
            if (pred(entries_[i].second)) continue;
            if (kept != i) entries_[kept] = std::move(entries_[i]);
            ++kept;
        }
        const size_t erased = entries_.size() - kept;
        entries_.resize(kept);
        std::fill(slots_.begin(), slots_.end(), uint64_t(0));
        for (size_t i = 0; i < entries_.size(); ++i) place(hash32(entries_[i].first), uint32_t(i + 1));
        return erased;
    }

private:
    // The key's entry's position in entries_, or size() if it has none.
    size_t position(const Key &key) const {
        if (slots_.empty()) return entries_.size();
        const uint32_t h = hash32(key);
        const size_t mask = slots_.size() - 1;
        for (size_t i = h & mask;; i = (i + 1) & mask) {
            const uint64_t slot = slots_[i];
            if (slot == 0) return entries_.size();
            if (uint32_t(slot >> 32) == h && entries_[uint32_t(slot) - 1].first == key) return uint32_t(slot) - 1;
        }
    }

    // The index is addressed by the high bits of a multiplicative mix of the
    // key's hash, so weak low bits of a hash cannot cluster the probes; the
    // top bit set keeps a stored word from ever being 0 (an empty slot).
    static uint32_t hash32(const Key &key) {
        const uint64_t h = uint64_t(Hash()(key)) * 0x9E3779B97F4A7C15ULL;
        return uint32_t(h >> 32) | 0x80000000u;
    }

    void place(uint32_t h, uint32_t position) {
        const size_t mask = slots_.size() - 1;
        size_t i = h & mask;
        while (slots_[i] != 0) i = (i + 1) & mask;
        slots_[i] = uint64_t(h) << 32 | position;
    }

    void grow() {
        std::vector<uint64_t> old;
        old.swap(slots_);
        slots_.assign(old.empty() ? 16 : old.size() * 2, 0);
        for (uint64_t slot : old)
            if (slot != 0) place(uint32_t(slot >> 32), uint32_t(slot));
    }

    std::vector<Entry> entries_;
    std::vector<uint64_t> slots_;
};

}  // namespace phonehome

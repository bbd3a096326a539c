// A hash table for the per-packet state tables (heartbeat series, flow
// activity, pinholes, dead-cloud services, names): entries stored densely,
// found through an open-addressed index of (hash, position) words.
// std::unordered_map keeps every entry in a node of its own and, for a hash it
// deems fast, stores no hash codes, so one lookup walks a bucket array, a node
// and, to tell where a bucket ends, the key of the next node, hashing it
// again: several cache misses per packet on a table of thousands of flows.
// Here a lookup reads one index word (8 bytes, linear probing at a load of at
// most one half) and, only when the stored hash matches, the entry itself.
//
// Entries live in chunks of kChunk, not in one growing array: an array that
// doubles holds up to twice the entries it needs and, while it moves, both
// copies at once, which would show in tshark's peak memory on the very
// captures (floods) that fill the tables.
//
// What it offers is what those tables need: find, insert, size, clear,
// iteration (the eviction scores) and erase_if (eviction: it compacts the
// entries and rebuilds the index). Pointers to entries stay valid until the
// next erase_if or clear. Memory per entry: the key and value, plus 16 to 32
// bytes of index (two to four words per entry), plus at most one partly
// used chunk per table.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace phonehome {

// The index's bytes per entry at most: one word per slot, at a load between a
// quarter and a half (for the per-flow memory bounds).
inline constexpr size_t kFlatTableIndexBytesPerEntry = 4 * sizeof(uint64_t);

template <typename Key, typename Value, typename Hash>
class FlatTable {
public:
    struct Entry {
        Key first;
        Value second;
    };

    template <typename Table, typename E>
    class Iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Entry;
        using difference_type = std::ptrdiff_t;
        using pointer = E *;
        using reference = E &;

        Iterator(Table *table, size_t at) : table_(table), at_(at) {}
        E &operator*() const { return table_->at(at_); }
        E *operator->() const { return &table_->at(at_); }
        Iterator &operator++() {
            ++at_;
            return *this;
        }
        bool operator==(const Iterator &o) const { return at_ == o.at_; }
        bool operator!=(const Iterator &o) const { return at_ != o.at_; }

    private:
        Table *table_;
        size_t at_;
    };
    using iterator = Iterator<FlatTable, Entry>;
    using const_iterator = Iterator<const FlatTable, const Entry>;

    iterator begin() { return iterator(this, 0); }
    iterator end() { return iterator(this, size_); }
    const_iterator begin() const { return const_iterator(this, 0); }
    const_iterator end() const { return const_iterator(this, size_); }
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

    void clear() {
        chunks_.clear();
        slots_.clear();
        size_ = 0;
    }

    // Forgets every entry but keeps the memory, for a bounded table cleared
    // when full and refilled at once (clear() would rebuild its index by
    // doubling from 16 slots, rehashing everything each time, and allocate
    // its chunks again). Entries are overwritten, never destroyed, so only
    // for trivially destructible ones.
    void forget_all() {
        static_assert(std::is_trivially_destructible_v<Entry>, "forget_all leaves old entries in place");
        size_ = 0;
        std::fill(slots_.begin(), slots_.end(), uint64_t(0));
    }

    iterator find(const Key &key) { return find(key, Hash()(key)); }
    const_iterator find(const Key &key) const { return const_iterator(this, position(key, Hash()(key))); }
    // The same with the key's Hash() value already computed (`hash` must be
    // Hash()(key)): keys derived from one packet's flow share most of their
    // hashing (flow_key.hpp).
    iterator find(const Key &key, size_t hash) { return iterator(this, position(key, hash)); }

    // Inserts (key, value) unless the key is there; like std::unordered_map.
    // The key is hashed once: a new flow's packet inserts on every lookup.
    std::pair<iterator, bool> emplace(const Key &key, const Value &value) { return emplace(key, value, Hash()(key)); }
    // The same with `hash` = Hash()(key).
    std::pair<iterator, bool> emplace(const Key &key, const Value &value, size_t hash) {
        if ((size_ + 1) * 2 > slots_.size()) grow();
        const uint32_t h = mix(hash);
        const size_t i = probe(key, h);
        if (slots_[i] != 0) return {iterator(this, uint32_t(slots_[i]) - 1), false};
        if (size_ == chunks_.size() * kChunk) chunks_.emplace_back(new Entry[kChunk]);
        at(size_) = Entry{key, value};
        slots_[i] = uint64_t(h) << 32 | uint32_t(++size_);
        return {iterator(this, size_ - 1), true};
    }

    Value &operator[](const Key &key) { return emplace(key, Value{}).first->second; }

    // Removes the entries whose value satisfies pred; returns how many.
    template <typename Pred>
    size_t erase_if(Pred pred) {
        size_t kept = 0;
        for (size_t i = 0; i < size_; ++i) {
            if (pred(at(i).second)) continue;
            if (kept != i) at(kept) = std::move(at(i));
            ++kept;
        }
        const size_t erased = size_ - kept;
        for (size_t i = kept; i < size_; ++i) at(i) = Entry{};  // release what the gone entries held
        size_ = kept;
        chunks_.resize((size_ + kChunk - 1) / kChunk);
        std::fill(slots_.begin(), slots_.end(), uint64_t(0));
        for (size_t i = 0; i < size_; ++i) place(mix(Hash()(at(i).first)), uint32_t(i + 1));
        return erased;
    }

private:
    static constexpr size_t kChunk = 256;

    Entry &at(size_t i) { return chunks_[i / kChunk][i % kChunk]; }
    const Entry &at(size_t i) const { return chunks_[i / kChunk][i % kChunk]; }

    // The index slot holding the key (hashed to h), or the empty slot that
    // ends its probe sequence; the index must not be empty.
    size_t probe(const Key &key, uint32_t h) const {
        const size_t mask = slots_.size() - 1;
        size_t i = h & mask;
        for (; slots_[i] != 0; i = (i + 1) & mask) {
            const uint64_t slot = slots_[i];
            if (uint32_t(slot >> 32) == h && at(uint32_t(slot) - 1).first == key) break;
        }
        return i;
    }

    // The key's entry's position, or size() if it has none.
    size_t position(const Key &key, size_t hash) const {
        if (slots_.empty()) return size_;
        const uint64_t slot = slots_[probe(key, mix(hash))];
        return slot == 0 ? size_ : uint32_t(slot) - 1;
    }

    // The index is addressed by the high bits of a multiplicative mix of the
    // key's hash, so weak low bits of a hash cannot cluster the probes; the
    // top bit set keeps a stored word from ever being 0 (an empty slot).
    static uint32_t mix(size_t hash) {
        const uint64_t h = uint64_t(hash) * 0x9E3779B97F4A7C15ULL;
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

    std::vector<std::unique_ptr<Entry[]>> chunks_;
    size_t size_ = 0;
    std::vector<uint64_t> slots_;
};

}  // namespace phonehome

// Which DNS name a device knew an Internet address by: from DNS answers (the
// caller picks the A/AAAA owner or the queried name) and from the TLS SNI of a
// connection to that address. Lets findings say "calls home to
// m1.tuyaus.com" rather than print a bare address.
//
// Causal: lookup(addr, t) answers with the most recent name learnt at or
// before t, so a name that only shows up later in the capture never labels an
// earlier packet. Names are lower-cased (DNS is case-insensitive and resolvers
// randomise the case of queries), lose one trailing dot, and are cut to 255
// characters; empty names are ignored. Per address the last kHistory distinct
// names are kept (a CDN address serves many names over a capture); a lookup
// older than all of them finds nothing rather than a wrong name.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "heuristics/common/ip_address.hpp"

namespace phonehome {

class NameCache {
public:
    static constexpr size_t kMaxName = 255;
    static constexpr size_t kHistory = 4;
    static constexpr size_t kDefaultMaxAddresses = size_t(1) << 16;

    explicit NameCache(size_t max_addresses = kDefaultMaxAddresses);

    // Feed in capture order (time stamps going backwards are taken as given).
    void learn(const IpAddress &addr, std::string_view name, int64_t time_ns);
    // The pointer stays valid until the next learn() or clear().
    const std::string *lookup(const IpAddress &addr, int64_t time_ns) const;

    size_t addresses() const { return entries_.size(); }
    // Addresses forgotten to stay under max_addresses (least recently learnt first).
    uint64_t evicted() const { return evicted_; }
    void clear();

private:
    struct Learnt {
        int64_t time_ns = 0;
        std::string name;
    };
    struct Entry {
        std::array<Learnt, kHistory> names;  // oldest first
        uint8_t count = 0;
        int64_t last_learnt_ns = 0;
    };

    void evict_stale();

    size_t max_addresses_;
    uint64_t evicted_ = 0;
    std::unordered_map<IpAddress, Entry, IpAddressHash> entries_;
};

// The normal form names are stored in (exposed for tests and callers that
// compare names).
std::string normalise_name(std::string_view name);

}  // namespace phonehome

// A transport 4-tuple seen from the local device's side.
#pragma once

#include <cstddef>
#include <cstdint>

#include "heuristics/common/ip_address.hpp"

namespace phonehome {

struct FlowKey {
    IpAddress device;
    IpAddress remote;
    uint16_t device_port = 0;
    uint16_t remote_port = 0;

    bool operator==(const FlowKey &o) const {
        return device_port == o.device_port && remote_port == o.remote_port && device == o.device && remote == o.remote;
    }
};

// Every per-flow key's hash (flow, heartbeat series, TCP service) starts from
// the hash of its (device, remote) address pair. A packet is looked up in
// several of those tables; Analyzer::analyze hashes its two addresses once
// and hands each table its key's hash (FlatTable's hashed lookups), instead
// of each table hashing them again.
// The two hashes are distinct types, so that one cannot be passed for the
// other.
struct PairHash {
    size_t value = 0;
};

inline PairHash address_pair_hash(const IpAddress &device, const IpAddress &remote) {
    const IpAddressHash h;
    return PairHash{h(device) * 31 + h(remote)};
}

// A flow's FlowKeyHash, computed once per packet for all its lookups.
struct FlowHash {
    size_t value = 0;
};

struct FlowKeyHash {
    static size_t from_pair(PairHash pair, uint16_t device_port, uint16_t remote_port) {
        return pair.value ^ (size_t(device_port) << 16 | remote_port) * 0x9E3779B97F4A7C15ULL;
    }
    size_t operator()(const FlowKey &k) const noexcept {
        return from_pair(address_pair_hash(k.device, k.remote), k.device_port, k.remote_port);
    }
};

}  // namespace phonehome

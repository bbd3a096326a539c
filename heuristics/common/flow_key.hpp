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

struct FlowKeyHash {
    size_t operator()(const FlowKey &k) const noexcept {
        IpAddressHash h;
        size_t v = h(k.device) * 31 + h(k.remote);
        return v ^ (size_t(k.device_port) << 16 | k.remote_port) * 0x9E3779B97F4A7C15ULL;
    }
};

}  // namespace phonehome

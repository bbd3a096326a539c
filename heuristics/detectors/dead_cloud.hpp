// The dead-cloud rule. A local device that keeps sending TCP SYNs to a
// globally routable remote that never answers is calling a cloud that is gone
// (a vendor that shut down, a blocked or parked host): the device still phones
// home, and nothing listens.
//
// Feed, in capture order, every TCP SYN (ACK clear) from a local device to a
// globally routable remote (Roles.phonehome && outbound), and every TCP packet
// from a remote to a device. Attempts are counted per (device, remote address,
// remote port): retransmissions and new source ports both count, since both
// are the device trying the same service again.
//
// An answer is any TCP packet from that remote address and port to that
// device (a SYN-ACK, a RST, data): the service is there, or its host says no,
// either way it is not a silent dead end. A packet from another port of the
// remote answers only that port. ICMP errors are not answers: a router saying
// "unreachable" confirms that the cloud is gone. A service that has answered
// once is never a dead cloud (the rule is about remotes that never answered):
// its later SYNs count from attempt 1 again and are never `dead`.
//
// A SYN is `dead` from the third unanswered attempt on (attempts 1 and 2 are
// not: a first SYN and one retransmission are still an ordinary connect), once
// the attempts span at least kMinRetryNs (1 s, the shortest SYN retransmission
// timeout): apps open several connections to one host at once, and three SYNs
// within milliseconds, answered a moment later, are not a dead cloud.
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "heuristics/common/ip_address.hpp"

namespace phonehome {

struct ServiceKey {
    IpAddress device;
    IpAddress remote;
    uint16_t remote_port = 0;

    bool operator==(const ServiceKey &o) const {
        return remote_port == o.remote_port && device == o.device && remote == o.remote;
    }
};

struct ServiceKeyHash {
    size_t operator()(const ServiceKey &k) const noexcept;
};

class DeadCloudTracker {
public:
    struct Syn {
        uint32_t attempt = 0;    // unanswered SYNs to the service so far, this one included
        bool dead = false;       // attempt >= kDeadAttempt and since_first_ns >= kMinRetryNs
        int64_t since_first_ns = 0;  // since the first of these attempts
    };

    static constexpr uint32_t kDeadAttempt = 3;
    static constexpr int64_t kMinRetryNs = 1'000'000'000;
    static constexpr size_t kDefaultMaxServices = size_t(1) << 16;
    // How much longer a dead service is kept than its last SYN would earn it.
    static constexpr int64_t kDeadGraceNs = 3600'000'000'000;

    explicit DeadCloudTracker(size_t max_services = kDefaultMaxServices);

    Syn on_syn(const IpAddress &device, uint16_t device_port, const IpAddress &remote, uint16_t remote_port,
               int64_t time_ns);
    // A TCP packet from remote:remote_port to the device.
    void on_answer(const IpAddress &remote, uint16_t remote_port, const IpAddress &device, int64_t time_ns);

    size_t services() const { return services_.size(); }
    // Services forgotten to stay under max_services (the least recently active
    // first, dead ones counting as active kDeadGraceNs longer).
    uint64_t evicted() const { return evicted_; }
    void clear();

    struct State {
        bool answered = false;  // the service answered at least once
        int64_t first_ns = 0;
        int64_t last_activity_ns = 0;
        uint32_t attempts = 0;
    };

private:
    static int64_t keep_score(const State &s);
    void evict_idle();

    size_t max_services_;
    uint64_t evicted_ = 0;
    std::unordered_map<ServiceKey, State, ServiceKeyHash> services_;
};

}  // namespace phonehome

// The dead-cloud rule. A local device that keeps sending TCP SYNs to a
// globally routable remote that never answers is calling a cloud that is gone
// (a vendor that shut down, a blocked or parked host): the device still phones
// home, and nothing listens.
//
// Feed, in capture order, every TCP SYN (ACK clear) from a local device to a
// globally routable remote (Roles.phonehome && outbound), and the evidence
// that a service is alive. Attempts are counted per (device, remote address,
// remote port): retransmissions and new source ports both count, since both
// are the device trying the same service again.
//
// A service is alive once the capture shows any TCP segment from that remote
// address and port to that device (a SYN-ACK, a RST, a bare ACK, data), or
// any segment other than a SYN from the device to it: the device's ACKs,
// data and FINs prove the handshake completed even where the SYN-ACK is not
// in the capture (one-direction captures, tunnels showing one side). The
// service is there, or its host says no; either way it is not a silent dead
// end. A packet from another port of the remote answers only that port. ICMP
// errors are not answers: a router saying "unreachable" confirms that the
// cloud is gone. A live service is never a dead cloud (the rule is about
// remotes that never answered): its later SYNs count from attempt 1 again and
// are never `dead`. When a service already flagged dead shows it is alive,
// on_alive says so, for the remotes report ("answered later").
//
// Cost. The caller reports segments that are not SYNs in three ways: SYN-ACKs,
// RSTs and FINs (a few per connection) and the first segment with data of
// each flow direction (the caller's per-flow state tells which) always
// (on_alive, which remembers the service even if no SYN was seen yet); other
// segments (pure ACKs, later data) only through on_alive_if_waiting, which
// costs a table lookup only when some service with the same remote-side hash
// has unanswered SYNs, and otherwise a few instructions.
// A SYN is `dead` from the third unanswered attempt on (attempts 1 and 2 are
// not: a first SYN and one retransmission are still an ordinary connect), once
// the attempts span at least kMinRetryNs (1 s, the shortest SYN retransmission
// timeout): apps open several connections to one host at once, and three SYNs
// within milliseconds, answered a moment later, are not a dead cloud.
#pragma once

#include <cstddef>
#include <cstdint>

#include "heuristics/common/flat_table.hpp"
#include "heuristics/common/flow_key.hpp"
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
    // The hash of a service from its address_pair_hash (flow_key.hpp).
    static size_t from_pair(PairHash pair, uint16_t remote_port) {
        return pair.value ^ size_t(remote_port) * 0x9E3779B97F4A7C15ULL;
    }
    size_t operator()(const ServiceKey &k) const noexcept {
        return from_pair(address_pair_hash(k.device, k.remote), k.remote_port);
    }
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
               int64_t time_ns) {
        return on_syn(device, device_port, remote, remote_port, time_ns, address_pair_hash(device, remote));
    }
    // The same with pair_hash = address_pair_hash(device, remote), as each
    // of these calls takes last (flow_key.hpp).
    Syn on_syn(const IpAddress &device, uint16_t device_port, const IpAddress &remote, uint16_t remote_port,
               int64_t time_ns, PairHash pair_hash);
    // Evidence that the device's service remote:remote_port is alive (see
    // above). True when the service had been flagged dead: it answered later.
    bool on_alive(const IpAddress &device, const IpAddress &remote, uint16_t remote_port, int64_t time_ns) {
        return on_alive(device, remote, remote_port, time_ns, address_pair_hash(device, remote));
    }
    bool on_alive(const IpAddress &device, const IpAddress &remote, uint16_t remote_port, int64_t time_ns,
                  PairHash pair_hash);
    // The same for a segment that does not need remembering on its own: only
    // a service waiting for an answer (unanswered SYNs) is looked up.
    bool on_alive_if_waiting(const IpAddress &device, const IpAddress &remote, uint16_t remote_port,
                             int64_t time_ns) {
        if (waiting_[bucket(remote, remote_port)] == 0) return false;
        return on_alive(device, remote, remote_port, time_ns);
    }
    bool on_alive_if_waiting(const IpAddress &device, const IpAddress &remote, uint16_t remote_port, int64_t time_ns,
                             PairHash pair_hash) {
        if (waiting_[bucket(remote, remote_port)] == 0) return false;
        return on_alive(device, remote, remote_port, time_ns, pair_hash);
    }

    size_t services() const { return services_.size(); }
    // Services forgotten to stay under max_services (the least recently active
    // first, dead ones counting as active kDeadGraceNs longer).
    uint64_t evicted() const { return evicted_; }
    void clear();

    struct State {
        bool alive = false;    // the service showed it is alive (see above)
        bool flagged = false;  // one of its SYNs was `dead`
        int64_t first_ns = 0;
        int64_t last_activity_ns = 0;
        uint32_t attempts = 0;
        bool waiting() const { return !alive && attempts > 0; }
    };

private:
    // Services waiting for an answer, counted by a hash of the remote side
    // only (the device adds nothing to the spread of busy captures).
    static constexpr size_t kBuckets = 256;
    static size_t bucket(const IpAddress &remote, uint16_t port) {
        return (size_t(remote.bytes[remote.size() - 1]) * 31u + port) % kBuckets;
    }
    State *find_or_add(const ServiceKey &key, size_t hash);
    static int64_t keep_score(const State &s);
    void evict_idle();

    size_t max_services_;
    uint64_t evicted_ = 0;
    FlatTable<ServiceKey, State, ServiceKeyHash> services_;
    uint32_t waiting_[kBuckets] = {};
};

}  // namespace phonehome

#include "heuristics/detectors/dead_cloud.hpp"

#include <algorithm>
#include <iterator>
#include <limits>

#include "heuristics/common/bounded_table.hpp"

namespace phonehome {

static_assert(sizeof(ServiceKey) + sizeof(DeadCloudTracker::State) + 2 * sizeof(void *) <= 256,
              "keep the per-service state small");

DeadCloudTracker::DeadCloudTracker(size_t max_services) : max_services_(std::max<size_t>(max_services, 16)) {}

void DeadCloudTracker::clear() {
    services_.clear();
    evicted_ = 0;
    std::fill(std::begin(waiting_), std::end(waiting_), 0u);
}

DeadCloudTracker::State *DeadCloudTracker::find_or_add(const ServiceKey &key, size_t hash) {
    auto it = services_.find(key, hash);
    if (it == services_.end()) {
        if (services_.size() >= max_services_) evict_idle();
        it = services_.emplace(key, State{}, hash).first;
    }
    return &it->second;
}

DeadCloudTracker::Syn DeadCloudTracker::on_syn(const IpAddress &device, uint16_t, const IpAddress &remote,
                                               uint16_t remote_port, int64_t time_ns, PairHash pair_hash) {
    State &s = *find_or_add(ServiceKey{device, remote, remote_port}, ServiceKeyHash::from_pair(pair_hash, remote_port));
    if (!s.alive && s.attempts == 0) waiting_[bucket(remote, remote_port)]++;  // starts waiting
    if (s.attempts == 0) s.first_ns = time_ns;
    if (s.attempts < std::numeric_limits<uint32_t>::max()) s.attempts++;
    s.last_activity_ns = std::max(s.last_activity_ns, time_ns);
    Syn r;
    r.attempt = s.attempts;
    // Time stamps going backwards (merged captures) count as no time.
    if (__builtin_sub_overflow(time_ns, s.first_ns, &r.since_first_ns) || r.since_first_ns < 0) r.since_first_ns = 0;
    r.dead = !s.alive && s.attempts >= kDeadAttempt && r.since_first_ns >= kMinRetryNs;
    s.flagged |= r.dead;
    return r;
}

bool DeadCloudTracker::on_alive(const IpAddress &device, const IpAddress &remote, uint16_t remote_port,
                                int64_t time_ns, PairHash pair_hash) {
    // A service that has shown it is alive is not a dead cloud, whatever
    // comes later: remember it (the next SYN starts again from attempt 1).
    State &s = *find_or_add(ServiceKey{device, remote, remote_port}, ServiceKeyHash::from_pair(pair_hash, remote_port));
    if (s.waiting()) waiting_[bucket(remote, remote_port)]--;
    const bool revived = !s.alive && s.flagged;
    s.alive = true;
    s.attempts = 0;
    s.last_activity_ns = std::max(s.last_activity_ns, time_ns);
    return revived;
}

int64_t DeadCloudTracker::keep_score(const State &s) {
    int64_t score;
    if (s.alive || s.attempts < kDeadAttempt || __builtin_add_overflow(s.last_activity_ns, kDeadGraceNs, &score))
        score = s.last_activity_ns;
    return score;
}

// Forget the quarter of the table least worth keeping: the least recently
// active, where a dead service counts as active for an hour longer than it
// was. What goes is one-off connects (scans, browsing) rather than the dead
// cloud a device retries every few minutes.
void DeadCloudTracker::evict_idle() {
    evicted_ += evict_lowest_quarter(services_, [](const State &s) { return keep_score(s); });
    // Recount the waiting services (the pass above is as long).
    std::fill(std::begin(waiting_), std::end(waiting_), 0u);
    for (const auto &[key, s] : services_)
        if (s.waiting()) waiting_[bucket(key.remote, key.remote_port)]++;
}

}  // namespace phonehome

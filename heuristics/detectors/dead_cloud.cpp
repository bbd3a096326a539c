#include "heuristics/detectors/dead_cloud.hpp"

#include <algorithm>
#include <limits>

#include "heuristics/common/bounded_table.hpp"

namespace phonehome {

static_assert(sizeof(ServiceKey) + sizeof(DeadCloudTracker::State) + 2 * sizeof(void *) <= 256,
              "keep the per-service state small");

size_t ServiceKeyHash::operator()(const ServiceKey &k) const noexcept {
    IpAddressHash h;
    size_t v = h(k.device) * 31 + h(k.remote);
    return v ^ size_t(k.remote_port) * 0x9E3779B97F4A7C15ULL;
}

DeadCloudTracker::DeadCloudTracker(size_t max_services) : max_services_(std::max<size_t>(max_services, 16)) {}

void DeadCloudTracker::clear() {
    services_.clear();
    evicted_ = 0;
}

DeadCloudTracker::Syn DeadCloudTracker::on_syn(const IpAddress &device, uint16_t, const IpAddress &remote,
                                               uint16_t remote_port, int64_t time_ns) {
    const ServiceKey key{device, remote, remote_port};
    auto it = services_.find(key);
    if (it == services_.end()) {
        if (services_.size() >= max_services_) evict_idle();
        it = services_.emplace(key, State{}).first;
    }
    State &s = it->second;
    if (s.attempts == 0) s.first_ns = time_ns;
    if (s.attempts < std::numeric_limits<uint32_t>::max()) s.attempts++;
    s.last_activity_ns = std::max(s.last_activity_ns, time_ns);
    Syn r;
    r.attempt = s.attempts;
    // Time stamps going backwards (merged captures) count as no time.
    if (__builtin_sub_overflow(time_ns, s.first_ns, &r.since_first_ns) || r.since_first_ns < 0) r.since_first_ns = 0;
    r.dead = !s.answered && s.attempts >= kDeadAttempt && r.since_first_ns >= kMinRetryNs;
    return r;
}

void DeadCloudTracker::on_answer(const IpAddress &remote, uint16_t remote_port, const IpAddress &device,
                                 int64_t time_ns) {
    // A service that has answered once is not a dead cloud, whatever comes
    // later: remember it (the next SYN starts again from attempt 1).
    const ServiceKey key{device, remote, remote_port};
    auto it = services_.find(key);
    if (it == services_.end()) {
        if (services_.size() >= max_services_) evict_idle();
        it = services_.emplace(key, State{}).first;
    }
    it->second.answered = true;
    it->second.attempts = 0;
    it->second.last_activity_ns = std::max(it->second.last_activity_ns, time_ns);
}

int64_t DeadCloudTracker::keep_score(const State &s) {
    int64_t score;
    if (s.answered || s.attempts < kDeadAttempt || __builtin_add_overflow(s.last_activity_ns, kDeadGraceNs, &score))
        score = s.last_activity_ns;
    return score;
}

// Forget the quarter of the table least worth keeping: the least recently
// active, where a dead service counts as active for an hour longer than it
// was. What goes is one-off connects (scans, browsing) rather than the dead
// cloud a device retries every few minutes.
void DeadCloudTracker::evict_idle() {
    evicted_ += evict_lowest_quarter(services_, [](const State &s) { return keep_score(s); });
}

}  // namespace phonehome

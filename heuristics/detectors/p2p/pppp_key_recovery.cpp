#include "heuristics/detectors/p2p/pppp_key_recovery.hpp"

#include <utility>

#include "heuristics/common/bounded_table.hpp"

namespace phonehome {
namespace {

constexpr size_t kFilterBits = 1 << 16;
// Endpoints with a key outlive any number of endpoints without one when the
// table is full: a flood of random datagrams cannot push a camera's key out.
constexpr int64_t kKeyedBonus = int64_t(1) << 40;

}  // namespace

size_t PpppEndpointHash::operator()(const PpppEndpoint &e) const noexcept {
    return IpAddressHash()(e.addr) ^ (size_t(e.port) * 0x9E3779B97F4A7C15ULL);
}

PpppKeyRecovery::PpppKeyRecovery(size_t max_endpoints)
    : max_endpoints_(max_endpoints < 4 ? 4 : max_endpoints), filter_(kFilterBits / 64, 0) {
    // Per-endpoint state within the project's 256-byte-per-flow goal, hash
    // node (key, value, cached hash, next pointer) included.
    static_assert(sizeof(std::pair<const PpppEndpoint, State>) + 2 * sizeof(void *) <= 256,
                  "PPPP key-recovery state per endpoint over 256 bytes");
}

size_t PpppKeyRecovery::filter_bit(const PpppEndpoint &e) {
    uint64_t h = (uint64_t(IpAddressHash()(e.addr)) ^ e.port) * 0x9E3779B97F4A7C15ULL;
    return size_t(h >> 48);  // 16 bits
}

bool PpppKeyRecovery::can_hold_state(const PpppEndpoint &e) {
    if (e.port == 0) return false;
    const auto &b = e.addr.bytes;
    if (e.addr.is_v4()) return b[0] < 224 && b[3] != 255;  // not multicast, limited or (/24) subnet broadcast
    return b[0] != 0xFF;                                   // not IPv6 multicast
}

void PpppKeyRecovery::reset() {
    table_.clear();
    std::fill(filter_.begin(), filter_.end(), 0);
    ports_.fill(0);
    has_state_ = false;
    clock_ = evicted_ = recovered_ = 0;
}

PpppKeyRecovery::State *PpppKeyRecovery::find(const PpppEndpoint &e) {
    if (!maybe_known(e)) return nullptr;
    auto it = table_.find(e);
    return it == table_.end() ? nullptr : &it->second;
}

PpppKeyRecovery::State *PpppKeyRecovery::find_or_add(const PpppEndpoint &e) {
    auto [it, added] = table_.try_emplace(e);
    if (added) {
        const size_t b = filter_bit(e);
        filter_[b >> 6] |= uint64_t(1) << (b & 63);
        ports_[e.port >> 6] |= uint64_t(1) << (e.port & 63);
        has_state_ = true;
    }
    it->second.last_seen = clock_;
    return &it->second;
}

std::optional<PpppSeed> PpppKeyRecovery::key_of(const PpppEndpoint &e) const {
    auto it = table_.find(e);
    if (it == table_.end() || !it->second.has_key) return std::nullopt;
    return it->second.key;
}

std::optional<PpppMessage> PpppKeyRecovery::decode_with(const PpppSeed &seed, const uint8_t *data, size_t len) const {
    auto m = decode_pppp(data, len, PpppKey{seed, std::string(), PpppKeySource::Recovered});
    if (m) m->key = "recovered " + pppp_seed_text(seed);
    return m;
}

// Servers on the PPPP server port answer many devices, each with its own
// key: they never take one on.
void PpppKeyRecovery::learn(const PpppEndpoint &e, const PpppSeed &seed) {
    if (!can_hold_state(e) || e.port == kPpppServerPort) return;
    State *s = find_or_add(e);
    if (s->has_key) return;
    s->has_key = true;
    s->key = seed;
    s->n_candidates = 0;
}

std::optional<PpppMessage> PpppKeyRecovery::try_candidates(State *s, const uint8_t *data, size_t len,
                                                           bool *consistent) {
    for (uint8_t i = 0; i < s->n_candidates; ++i) {
        std::optional<PpppMessage> m;
        switch (s->candidates[i].add(data, len, &m)) {
        case PpppKeyCandidate::Outcome::Inconsistent:
            s->candidates[i].miss();
            if (s->candidates[i].spent()) {  // drop it: the last one takes its slot
                s->candidates[i] = s->candidates[--s->n_candidates];
                --i;
            }
            break;
        case PpppKeyCandidate::Outcome::Consistent: *consistent = true; break;
        case PpppKeyCandidate::Outcome::Confirmed:
            s->has_key = true;
            s->key = s->candidates[i].seed();
            s->n_candidates = 0;
            ++recovered_;
            m->key = "recovered " + pppp_seed_text(s->key);
            return m;
        }
    }
    return std::nullopt;
}

void PpppKeyRecovery::add_candidate(State *s, const PpppKeyCandidate &c) {
    if (s->n_candidates < kCandidatesPerEndpoint) {
        s->candidates[s->n_candidates++] = c;
        return;
    }
    // Replace in turn, sparing the best-supported hypothesis so that noise
    // between a device's messages cannot wash it out.
    size_t best = 0;
    for (size_t i = 1; i < kCandidatesPerEndpoint; ++i)
        if (s->candidates[i].evidence_bits() > s->candidates[best].evidence_bits()) best = i;
    size_t slot = s->next_slot % kCandidatesPerEndpoint;
    if (slot == best) slot = (slot + 1) % kCandidatesPerEndpoint;
    s->candidates[slot] = c;
    s->next_slot = uint8_t((slot + 1) % kCandidatesPerEndpoint);
}

std::optional<PpppMessage> PpppKeyRecovery::observe(const PpppEndpoint &src, const PpppEndpoint &dst,
                                                    const uint8_t *data, size_t len) {
    if (data == nullptr || len < 4 || len - 4 > 0xFFFF || !interested(src, dst)) return std::nullopt;
    ++clock_;
    // Room for the (at most two) endpoints this datagram may add, made before
    // any pointer into the table is taken.
    if (table_.size() + 2 > max_endpoints_)
        evicted_ += evict_lowest_quarter(table_, [](const State &s) {
            return int64_t(s.last_seen) + (s.has_key ? kKeyedBonus : 0);
        });

    State *s = find(src);
    State *d = find(dst);
    if (s) s->last_seen = clock_;
    if (d) d->last_seen = clock_;

    // A key either end already uses.
    for (const auto &[state, other] : {std::pair{s, &dst}, std::pair{d, &src}}) {
        if (!state || !state->has_key) continue;
        if (auto m = decode_with(state->key, data, len)) {
            learn(*other, state->key);
            return m;
        }
    }

    // The hypotheses of the ends without a key.
    bool consistent = false;
    for (const auto &[state, other] : {std::pair{s, &dst}, std::pair{d, &src}}) {
        if (!state || state->has_key) continue;
        if (auto m = try_candidates(state, data, len, &consistent)) {
            learn(*other, state->key);
            return m;
        }
    }
    if (consistent) return std::nullopt;

    // A new hypothesis for the endpoint whose key this datagram is.
    const PpppEndpoint &owner = src.port == kPpppServerPort ? dst : src;
    if (!can_hold_state(owner)) return std::nullopt;
    const auto candidate = PpppKeyCandidate::from_datagram(data, len);
    if (!candidate) return std::nullopt;
    State *o = find_or_add(owner);
    if (!o->has_key) add_candidate(o, *candidate);
    return std::nullopt;
}

}  // namespace phonehome

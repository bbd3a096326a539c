// Recovers PPPP keys nobody published from the traffic itself, causally and
// per endpoint (address and UDP port: a device or an app uses one socket, and
// one key, for its servers and its peers).
//
// Each endpoint keeps up to four key hypotheses (PpppKeyCandidate), fed by
// the datagrams it sends or receives that no known key decodes. A hypothesis
// is confirmed only with all four key bytes, evidence from at least two
// datagrams and 32 bits of it; then the endpoint's key is known and decodes
// its later traffic, and a peer that exchanges a decodable datagram with it
// learns the key too (the app that punched to a camera uses the camera's
// vendor key). Nothing is ever claimed on the strength of one datagram.
//
// Who holds hypotheses: the sender of a datagram, except a server on the
// PPPP server port (32100), which speaks many devices' keys: its replies
// teach the device they go to. Hypotheses are only started on the PPPP ports
// (32100, 32108) or at endpoints that already hold state, so ordinary UDP
// costs a port comparison and a bit test. State is bounded: at most
// `max_endpoints` endpoints (each under 256 bytes), the least recently seen
// quarter of those without a key forgotten first when full.
#pragma once

#include <cstddef>
#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "heuristics/common/ip_address.hpp"
#include "heuristics/detectors/p2p/pppp.hpp"
#include "heuristics/detectors/p2p/pppp_key_candidate.hpp"

namespace phonehome {

inline constexpr uint16_t kPpppServerPort = 32100;
inline constexpr uint16_t kPpppLanPort = 32108;

struct PpppEndpoint {
    IpAddress addr;
    uint16_t port = 0;
    bool operator==(const PpppEndpoint &o) const { return port == o.port && addr == o.addr; }
};

struct PpppEndpointHash {
    size_t operator()(const PpppEndpoint &e) const noexcept;
};

class PpppKeyRecovery {
public:
    static constexpr size_t kDefaultMaxEndpoints = 32768;
    static constexpr size_t kCandidatesPerEndpoint = 4;

    explicit PpppKeyRecovery(size_t max_endpoints = kDefaultMaxEndpoints);

    // Cheapest: whether a datagram between these ports could be observed at
    // all (a PPPP port, or any state).
    bool might_observe(uint16_t src_port, uint16_t dst_port) const {
        // Every UDP datagram of a capture asks this once recovery has state:
        // the ports of the endpoints ever tracked answer for nearly all.
        return is_pppp_port(src_port) || is_pppp_port(dst_port) ||
               (has_state_ && (port_tracked(src_port) || port_tracked(dst_port)));
    }
    // Cheap: whether observe() could do anything with a datagram between
    // these endpoints (a PPPP port, or state at either end).
    bool interested(const PpppEndpoint &src, const PpppEndpoint &dst) const {
        return is_pppp_port(src.port) || is_pppp_port(dst.port) || (has_state_ && (maybe_known(src) || maybe_known(dst)));
    }

    // A datagram no plaintext or configured key decoded, in capture order.
    // Returns it decoded when a recovered key of either endpoint (or one
    // confirmed by this very datagram) decodes it.
    std::optional<PpppMessage> observe(const PpppEndpoint &src, const PpppEndpoint &dst, const uint8_t *data,
                                       size_t len);

    // The key an endpoint is known to use, if any.
    std::optional<PpppSeed> key_of(const PpppEndpoint &e) const;

    void reset();
    size_t endpoints() const { return table_.size(); }
    uint64_t evicted() const { return evicted_; }
    uint64_t keys_recovered() const { return recovered_; }

private:
    struct State {
        PpppKeyCandidate candidates[kCandidatesPerEndpoint];
        uint64_t last_seen = 0;
        PpppSeed key{};
        bool has_key = false;
        uint8_t n_candidates = 0;
        uint8_t next_slot = 0;  // round-robin replacement when all slots are taken
    };

    static bool is_pppp_port(uint16_t p) { return p == kPpppServerPort || p == kPpppLanPort; }
    static size_t filter_bit(const PpppEndpoint &e);
    bool port_tracked(uint16_t port) const { return (ports_[port >> 6] >> (port & 63)) & 1; }
    bool maybe_known(const PpppEndpoint &e) const {
        const size_t b = filter_bit(e);
        return (filter_[b >> 6] >> (b & 63)) & 1;
    }
    // Endpoints that may hold a key: not broadcast or multicast targets.
    static bool can_hold_state(const PpppEndpoint &e);

    State *find(const PpppEndpoint &e);
    State *find_or_add(const PpppEndpoint &e);
    std::optional<PpppMessage> decode_with(const PpppSeed &seed, const uint8_t *data, size_t len) const;
    void learn(const PpppEndpoint &e, const PpppSeed &seed);
    std::optional<PpppMessage> try_candidates(State *s, const uint8_t *data, size_t len, bool *consistent);
    void add_candidate(State *s, const PpppKeyCandidate &c);

    size_t max_endpoints_;
    std::unordered_map<PpppEndpoint, State, PpppEndpointHash> table_;
    std::vector<uint64_t> filter_;  // a bit per hash bucket of endpoints with state (never cleared but by reset)
    // The ports of every endpoint that ever had state (never cleared before
    // reset: a prefilter may say yes wrongly, never no wrongly).
    std::array<uint64_t, 65536 / 64> ports_{};
    bool has_state_ = false;
    uint64_t clock_ = 0;
    uint64_t evicted_ = 0;
    uint64_t recovered_ = 0;
};

}  // namespace phonehome

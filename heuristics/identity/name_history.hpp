// Which names the capture gave each Internet address, and to which device:
// from DNS answers (the name a device asked for, and the CNAMEs and owner
// names on the way to the address) and from the TLS or QUIC SNI of a
// connection a device opened. Lets findings say "calls home to
// m1.tuyaus.com" rather than print a bare address, and lets the remotes
// report list every name a device had for a remote.
//
// Keyed by frame number, not time: a lookup for frame F answers with what
// frames up to F taught, whatever else was learnt since. The first pass feeds
// frames in capture order; later passes (tshark -2, the GUI re-dissecting a
// frame when it is selected) look frames up in any order and get exactly the
// answer the first pass gave. So nothing is ever forgotten: when kMaxRecords
// records are kept, further names are not learnt (counted in dropped(), and
// the reports say so) rather than older ones evicted.
//
// Names are lower-cased (DNS is case-insensitive and resolvers randomise the
// case of queries), lose one trailing dot, and are cut to kMaxName
// characters; empty names are ignored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "heuristics/common/flat_table.hpp"
#include "heuristics/common/ip_address.hpp"
#include "heuristics/common/string_pool.hpp"

namespace phonehome {

enum class NameSource : uint8_t {
    Dns,       // the name the device asked for, answered with this address
    DnsAlias,  // a CNAME or owner name on the way from that name to the address
    Sni,       // the server name of a TLS or QUIC connection to the address
};

class NameHistory {
public:
    static constexpr size_t kMaxName = 255;
    static constexpr size_t kDefaultMaxRecords = size_t(1) << 20;

    explicit NameHistory(size_t max_records = kDefaultMaxRecords) : max_records_(max_records) {}

    // Feed in capture order: `frame` never decreases. `device` is who was
    // given the name (the DNS querier, the TLS/QUIC client).
    void learn(const IpAddress &addr, std::string_view name, NameSource source, const IpAddress &device,
               uint32_t frame);

    // The name for a packet's remote at `frame`: the latest name a device
    // asked DNS for and got this address (any device), learnt at or before
    // the frame; else the latest SNI. nullptr when the capture resolved none
    // by then. Valid until the next learn() or clear().
    const std::string *remote_name(const IpAddress &addr, uint32_t frame) const;

    // Every distinct name `device` was given for `addr` (DNS answers to it,
    // SNI it sent), asked-for names first, then aliases, then SNI, each in
    // the order first learnt.
    std::vector<std::string> names_given(const IpAddress &device, const IpAddress &addr) const;

    // Records kept (timeline changes and given names), and names not learnt
    // because the bounds were reached.
    size_t records() const { return records_; }
    uint64_t dropped() const { return dropped_; }
    void clear();

private:
    // A change of an address's latest name of one source, from `frame` on.
    struct Change {
        uint32_t frame;
        uint32_t name;  // id in names_
        NameSource source;
    };
    struct Given {
        uint32_t name;
        NameSource source;
    };
    struct PairHash {
        size_t operator()(const std::pair<IpAddress, IpAddress> &p) const noexcept;
    };

    void record_change(const IpAddress &addr, uint32_t id, NameSource source, uint32_t frame);
    void add_given(const IpAddress &device, const IpAddress &addr, uint32_t id, NameSource source);
    const Change *latest(const std::vector<Change> &timeline, uint32_t frame, NameSource source) const;

    size_t max_records_;
    size_t records_ = 0;
    uint64_t dropped_ = 0;
    FlatTable<IpAddress, std::vector<Change>, IpAddressHash> timelines_;
    // (device, address) -> the names that device was given for it.
    FlatTable<std::pair<IpAddress, IpAddress>, std::vector<Given>, PairHash> given_;
    StringPool names_;
};

// At most this many names per (device, address) pair are listed.
inline constexpr size_t kMaxNamesGiven = 64;

// The normal form names are stored in (exposed for tests and callers that
// compare names).
std::string normalise_name(std::string_view name);

}  // namespace phonehome

// Which side of the Internet an address is on, after the IANA IPv4 and IPv6
// special-purpose address registries (RFC 6890 and its updates).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "heuristics/common/ip_address.hpp"

namespace phonehome {

enum class AddressClass {
    // A unicast address that is not globally reachable and can name a host on
    // the user's own networks: RFC 1918, RFC 6598 shared space, loopback,
    // link-local, ULA, benchmarking, or a network the user listed.
    Local,
    // A globally routable unicast address: a remote on the Internet.
    Global,
    // Neither a local device nor an Internet remote: documentation ranges,
    // multicast, broadcast, unspecified, reserved and discard-only space.
    NonRoutable,
};

const char *address_class_name(AddressClass c);

// The user's extra local networks (a preference), e.g. the global IPv6 /64 of
// the home LAN. They take precedence over the registries.
class LocalNetworks {
public:
    // Parses a list separated by commas, semicolons or white space. Returns
    // false (and keeps the previous list) when any entry is malformed, and
    // puts the offending entry in `error`.
    bool set(std::string_view text, std::string *error = nullptr);
    bool contains(const IpAddress &addr) const;
    bool empty() const { return prefixes_.empty(); }
    const std::vector<IpPrefix> &prefixes() const { return prefixes_; }

private:
    std::vector<IpPrefix> prefixes_;
};

// A list of CIDR blocks in general (the allowlist uses one too).
using NetworkList = LocalNetworks;

// The registries alone.
AddressClass classify_builtin(const IpAddress &addr);
// The same from the block table itself (the reference the fast path of
// classify_builtin is tested against).
AddressClass classify_builtin_table(const IpAddress &addr);

// The IPv4 registries, decided on the first octet (a leaf function: no
// registers saved, no table walked).
AddressClass classify_v4_fast(uint32_t v);
inline AddressClass classify_v4(const IpAddress &v4) { return classify_v4_fast(v4.v4_value()); }
// classify() for the rest: IPv6, or a user list to check first.
AddressClass classify_with_list_or_v6(const IpAddress &addr, const LocalNetworks &extra);

// The registries plus the user's local networks. Twice per packet: an IPv4
// address with no user list (nearly every packet) goes straight to
// classify_v4_fast, without the frame that the list walk and the IPv6 table
// need.
inline AddressClass classify(const IpAddress &addr, const LocalNetworks &extra) {
    if (addr.is_v4() && extra.empty()) return classify_v4(addr);
    return classify_with_list_or_v6(addr, extra);
}

}  // namespace phonehome

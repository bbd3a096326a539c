// The text parsers behind the preferences: addresses, CIDR lists, port
// ranges and P2P domain lists. Checks round trips where they must hold.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "heuristics/identity/address_class.hpp"
#include "heuristics/detectors/p2p/p2p_domains.hpp"
#include "heuristics/common/port_set.hpp"

using namespace phonehome;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const std::string text(reinterpret_cast<const char *>(data), size);

    if (auto a = IpAddress::parse(text)) {
        // Formatting and parsing again gives the same address.
        auto again = IpAddress::parse(a->to_string());
        if (!again || *again != *a) __builtin_trap();
        (void)classify_builtin(*a);
    }
    if (auto p = IpPrefix::parse(text)) {
        if (!p->contains(p->base)) __builtin_trap();
        auto again = IpPrefix::parse(p->to_string());
        if (!again || again->base != p->base || again->prefix_len != p->prefix_len) __builtin_trap();
    }
    LocalNetworks nets;
    if (nets.set(text))
        for (const IpPrefix &p : nets.prefixes())
            if (!nets.contains(p.base)) __builtin_trap();

    PortSet ports;
    (void)ports.set(text);

    P2pDomains domains;
    domains.set_extra(text);
    (void)domains.match(text);
    for (const std::string &d : domains.domains())
        if (!d.empty() && !domains.match(d)) __builtin_trap();
    return 0;
}

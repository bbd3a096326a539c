#include "heuristics/identity/address_class.hpp"

#include <cctype>

namespace phonehome {

const char *address_class_name(AddressClass c) {
    switch (c) {
    case AddressClass::Local: return "local";
    case AddressClass::Global: return "global";
    case AddressClass::NonRoutable: return "non-routable";
    }
    return "?";
}

namespace {

struct Block {
    const char *prefix;
    AddressClass cls;
};

// Ordered most specific first: the first block that contains the address wins.
// "Globally Reachable" in the IANA registries decides Global; of the rest,
// blocks that hold real hosts of a site are Local, the others NonRoutable.
const Block kV4Blocks[] = {
    {"192.0.0.9/32", AddressClass::Global},       // PCP anycast
    {"192.0.0.10/32", AddressClass::Global},      // TURN anycast
    {"255.255.255.255/32", AddressClass::NonRoutable},  // limited broadcast
    {"0.0.0.0/8", AddressClass::NonRoutable},     // "this network"
    {"10.0.0.0/8", AddressClass::Local},          // RFC 1918
    {"100.64.0.0/10", AddressClass::Local},       // RFC 6598 shared (CGN) space
    {"127.0.0.0/8", AddressClass::Local},         // loopback
    {"169.254.0.0/16", AddressClass::Local},      // link-local
    {"172.16.0.0/12", AddressClass::Local},       // RFC 1918
    {"192.0.0.0/24", AddressClass::Local},        // IETF protocol assignments (DS-Lite B4 ...)
    {"192.0.2.0/24", AddressClass::NonRoutable},  // TEST-NET-1 (documentation)
    {"192.168.0.0/16", AddressClass::Local},      // RFC 1918
    {"198.18.0.0/15", AddressClass::Local},       // benchmarking labs
    {"198.51.100.0/24", AddressClass::NonRoutable},  // TEST-NET-2
    {"203.0.113.0/24", AddressClass::NonRoutable},   // TEST-NET-3
    {"224.0.0.0/4", AddressClass::NonRoutable},   // multicast
    {"240.0.0.0/4", AddressClass::NonRoutable},   // reserved
};

const Block kV6Blocks[] = {
    {"::/128", AddressClass::NonRoutable},        // unspecified
    {"::1/128", AddressClass::Local},             // loopback
    {"::ffff:0:0/96", AddressClass::NonRoutable}, // IPv4-mapped, never on the wire
    {"64:ff9b::/96", AddressClass::Global},       // NAT64 well-known prefix
    {"64:ff9b:1::/48", AddressClass::Local},      // local-use IPv4/IPv6 translation
    {"100::/64", AddressClass::NonRoutable},      // discard-only
    // Inside 2001::/23 (IETF protocol assignments) a few blocks are global.
    {"2001:1::1/128", AddressClass::Global},      // PCP anycast
    {"2001:1::2/128", AddressClass::Global},      // TURN anycast
    {"2001:2::/48", AddressClass::Local},         // benchmarking
    {"2001:3::/32", AddressClass::Global},        // AMT
    {"2001:4:112::/48", AddressClass::Global},    // AS112-v6
    {"2001:20::/28", AddressClass::Global},       // ORCHIDv2
    {"2001:30::/28", AddressClass::Global},       // drone remote ID
    {"2001::/32", AddressClass::Global},          // Teredo
    {"2001::/23", AddressClass::NonRoutable},
    {"2001:db8::/32", AddressClass::NonRoutable}, // documentation
    {"3fff::/20", AddressClass::NonRoutable},     // documentation (RFC 9637)
    {"2000::/3", AddressClass::Global},           // global unicast
    {"fc00::/7", AddressClass::Local},            // unique local
    {"fe80::/10", AddressClass::Local},           // link-local
    {"fec0::/10", AddressClass::Local},           // deprecated site-local
    {"ff00::/8", AddressClass::NonRoutable},      // multicast
    {"::/0", AddressClass::NonRoutable},          // everything else is reserved by the IETF
};

struct ParsedBlock {
    IpPrefix prefix;
    AddressClass cls;
};

template <size_t N>
std::vector<ParsedBlock> parse_blocks(const Block (&blocks)[N]) {
    std::vector<ParsedBlock> out;
    out.reserve(N);
    for (const Block &b : blocks) out.push_back({*IpPrefix::parse(b.prefix), b.cls});
    return out;
}

const std::vector<ParsedBlock> &v4_blocks() {
    static const std::vector<ParsedBlock> blocks = parse_blocks(kV4Blocks);
    return blocks;
}

const std::vector<ParsedBlock> &v6_blocks() {
    static const std::vector<ParsedBlock> blocks = parse_blocks(kV6Blocks);
    return blocks;
}

}  // namespace

// The IPv4 table above, decided on the first octet (every packet needs two
// classifications; a unit test checks classify_builtin against the table).
AddressClass classify_v4_fast(uint32_t v) {
    auto in = [v](uint32_t net, unsigned len) { return (v >> (32 - len)) == (net >> (32 - len)); };
    switch (v >> 24) {
    case 0: return AddressClass::NonRoutable;
    case 10:
    case 127: return AddressClass::Local;
    case 100: return in(0x64400000, 10) ? AddressClass::Local : AddressClass::Global;
    case 169: return in(0xA9FE0000, 16) ? AddressClass::Local : AddressClass::Global;
    case 172: return in(0xAC100000, 12) ? AddressClass::Local : AddressClass::Global;
    case 192:
        if (v == 0xC0000009 || v == 0xC000000A) return AddressClass::Global;
        if (in(0xC0000000, 24) || in(0xC0A80000, 16)) return AddressClass::Local;
        if (in(0xC0000200, 24)) return AddressClass::NonRoutable;
        return AddressClass::Global;
    case 198:
        if (in(0xC6120000, 15)) return AddressClass::Local;
        return in(0xC6336400, 24) ? AddressClass::NonRoutable : AddressClass::Global;
    case 203: return in(0xCB007100, 24) ? AddressClass::NonRoutable : AddressClass::Global;
    default: return (v >> 24) >= 224 ? AddressClass::NonRoutable : AddressClass::Global;
    }
}

AddressClass classify_builtin_table(const IpAddress &addr) {
    const auto &blocks = addr.is_v4() ? v4_blocks() : v6_blocks();
    for (const ParsedBlock &b : blocks)
        if (b.prefix.contains(addr)) return b.cls;
    return AddressClass::Global;  // IPv4 outside every special block
}

// The IPv6 blocks nearly every packet falls in, without the table walk;
// the rest (2001::/23 and 3fff::/20 inside 2000::/3, every other block) go
// to the table.
AddressClass classify_v6_fast(const IpAddress &addr) {
    const uint8_t b0 = addr.bytes[0], b1 = addr.bytes[1];
    if ((b0 & 0xE0) == 0x20 && !(b0 == 0x20 && b1 == 0x01) && !(b0 == 0x3F && b1 == 0xFF)) return AddressClass::Global;
    if (b0 == 0xFE && (b1 & 0xC0) == 0x80) return AddressClass::Local;  // fe80::/10
    if ((b0 & 0xFE) == 0xFC) return AddressClass::Local;                // fc00::/7
    if (b0 == 0xFF) return AddressClass::NonRoutable;                   // multicast
    return classify_builtin_table(addr);
}

AddressClass classify_builtin(const IpAddress &addr) {
    return addr.is_v4() ? classify_v4(addr) : classify_v6_fast(addr);
}

AddressClass classify_with_list_or_v6(const IpAddress &addr, const LocalNetworks &extra) {
    if (extra.contains(addr)) return AddressClass::Local;
    return classify_builtin(addr);
}

bool LocalNetworks::set(std::string_view text, std::string *error) {
    std::vector<IpPrefix> parsed;
    size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ',' || text[i] == ';' || std::isspace(static_cast<unsigned char>(text[i])))) ++i;
        size_t start = i;
        while (i < text.size() && !(text[i] == ',' || text[i] == ';' || std::isspace(static_cast<unsigned char>(text[i])))) ++i;
        if (start == i) break;
        std::string_view entry = text.substr(start, i - start);
        auto prefix = IpPrefix::parse(entry);
        if (!prefix) {
            if (error) *error = std::string(entry);
            return false;
        }
        parsed.push_back(*prefix);
    }
    prefixes_ = std::move(parsed);
    return true;
}

bool LocalNetworks::contains(const IpAddress &addr) const {
    for (const IpPrefix &p : prefixes_)
        if (p.contains(addr)) return true;
    return false;
}

}  // namespace phonehome

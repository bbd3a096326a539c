// Reads the facts the core needs from a DNS message's bytes: whether it is a
// response, the names it mentions and the addresses it answers with. The
// plugin hands the UDP payload (or a TCP DNS message without its length
// prefix) here instead of walking Wireshark's protocol tree.
//
// Every read is bounds-checked against `len`; malformed or truncated input
// ends the parse early but never reads out of bounds, and nothing throws
// except std::bad_alloc.
//
// Names are written the way Wireshark writes ordinary names (labels joined by
// '.', the root as "<Root>"). Label bytes outside printable ASCII
// (0x21..0x7e), and '.' and '\' inside a label, are written RFC 1035 style as
// \ddd (three decimal digits). Wireshark escapes such odd names differently,
// so only they may not compare equal to Wireshark's text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "heuristics/common/ip_address.hpp"
#include "heuristics/wire/dns_name.hpp"

namespace phonehome::wire {

struct DnsMessage {
    bool response = false;  // QR bit
    std::string query_name;  // first question's name ("" when there is no question)
    // Every name of the message in order, for matching against a domain list:
    // the question names, then for each answer-section record its owner name
    // and, for a CNAME, the target name. At most kDnsMaxNames entries.
    std::vector<std::string> names;
    // rdata of the answer section's A (4 bytes) and AAAA (16 bytes) records of
    // class IN (the mDNS cache-flush bit is ignored). At most kDnsMaxAddresses.
    // The authority and additional sections are never read, so glue records
    // and EDNS OPT do not count.
    std::vector<IpAddress> addresses;
};

inline constexpr size_t kDnsMaxNames = 64;
inline constexpr size_t kDnsMaxAddresses = 64;
// Longer names are malformed (kDnsMaxPointerJumps, the other limit that keeps
// hostile compression cheap, is in dns_name.hpp).
inline constexpr size_t kDnsMaxNameText = 1024;

// `data` is the DNS message (UDP payload, or a TCP DNS message without its
// 2-byte length prefix). Resets *out (keeping its capacity, so a reused
// message does not allocate again) and fills it.
//
// Returns false when not even the 12-byte header and the first question
// parse (*out is then left empty; a message with QDCOUNT 0 needs only the
// header). Otherwise fills what it could parse before
// the first malformed or truncated part and returns true: a question or
// answer record counts only when it is whole, so a prefix of a message yields
// a prefix of the full message's names and addresses.
//
// Compression pointers are followed only backwards, to before the start of
// the label run that contains them (which also rules out every loop), at most
// kDnsMaxPointerJumps times per name.
bool parse_dns_message(const uint8_t *data, size_t len, DnsMessage *out);

}  // namespace phonehome::wire

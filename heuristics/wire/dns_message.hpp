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
// Compression pointers are followed as walk_dns_name (dns_name.hpp) says:
// only backwards, at most kDnsMaxPointerJumps times per name.
bool parse_dns_message(const uint8_t *data, size_t len, DnsMessage *out);

// --- the records, for mDNS and LLMNR ------------------------------------------
// mDNS (RFC 6762, UDP 5353) and LLMNR (RFC 4795, UDP 5355) are DNS messages
// in which devices announce who they are. Reading their records is opt-in
// (the four-argument parse_dns_message below), so the plain DNS path above
// does no more work than it needs for `names` and `addresses`.
//
// What a caller should take as a device's announced host name:
// - mDNS: in a response (QR set) sent by the device, the owner of an A or AAAA
//   record, in the answer or the additional section (responders put their
//   addresses in the additional section when answering for a service), whose
//   address is the packet's source address: "Living-Room-TV.local". The
//   target of an SRV record in the same response names the same host. A
//   response whose A/AAAA records hold none of the sender's addresses (a
//   sleep proxy answering for a sleeping host, an IPv6 packet announcing only
//   IPv4 addresses) still names hosts, but not surely the sender: prefer a
//   record whose address is the sender's.
//   Records in the authority section of a query (QR clear) are a probe
//   (RFC 6762 section 8.2): the names the sender is about to claim.
//   The friendlier name is the instance label of a service: the PTR record
//   "_googlecast._tcp.local -> Living Room._googlecast._tcp.local" names the
//   instance "Living Room"; TXT records of the instance often carry the model
//   and vendor ("md=Chromecast", "model=J42dAP" for _device-info._tcp).
// - LLMNR: in a response sent by the device, the owner of an A or AAAA answer
//   whose address is the sender's; LLMNR names are single labels ("DESKTOP-1").
//   A query names what some host is looking for, not the sender.
enum class DnsSection : uint8_t { Answer, Authority, Additional };

inline constexpr uint16_t kDnsTypeA = 1, kDnsTypeCname = 5, kDnsTypePtr = 12, kDnsTypeTxt = 16,
                          kDnsTypeAaaa = 28, kDnsTypeSrv = 33;

// One resource record of class IN (with or without the mDNS cache-flush bit)
// and of one of the types above; other types and classes are skipped.
struct DnsRecord {
    DnsSection section = DnsSection::Answer;
    uint16_t type = 0;         // one of the kDnsType* above
    bool cache_flush = false;  // mDNS: the top bit of CLASS (the record replaces older ones)
    uint32_t ttl = 0;          // 0 in an mDNS response is a goodbye: the record is withdrawn
    std::string owner;         // the record's name, written as DnsMessage names are
    IpAddress address;         // A, AAAA
    std::string target;        // CNAME and PTR: the name pointed at; SRV: the target host
    uint16_t port = 0;         // SRV
    // TXT: the character-strings, made printable by the free-text rule of
    // printable_text.hpp, at most kDnsMaxTxtStrings of them.
    std::vector<std::string> txt;
};

inline constexpr size_t kDnsMaxRecords = 64;
inline constexpr size_t kDnsMaxTxtStrings = 32;

// The same parse, and also, when `records` is not null, the records of the
// answer, authority and additional sections in order, into *records (cleared
// first; at most kDnsMaxRecords). *out gets exactly what the three-argument
// form gives it. A record counts only when it is whole; one whose rdata does
// not fit its type (an A record of 5 bytes, a PTR target or a TXT string that
// runs out of its rdata) is skipped and the parse goes on. The parse ends,
// as the three-argument form's does, at the first record that is cut short or
// whose owner name is malformed, and at an answer-section CNAME whose target
// is; so a prefix of a message yields a prefix of the full message's records.
// With DnsRecordKinds::Addresses only the A and AAAA records go to *records:
// exactly those of the full list, in its order (the others still count towards
// kDnsMaxRecords), without building the other records' names and strings
// (what a device's mDNS announcement of its services mostly holds).
enum class DnsRecordKinds : uint8_t { All, Addresses };
bool parse_dns_message(const uint8_t *data, size_t len, DnsMessage *out, std::vector<DnsRecord> *records,
                       DnsRecordKinds kinds = DnsRecordKinds::All);

}  // namespace phonehome::wire

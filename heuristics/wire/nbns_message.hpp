// Reads the names a Windows or Samba host (and many NAS boxes, printers and
// cameras) announces over the NetBIOS Name Service (RFC 1001/1002, UDP 137):
// the header, the questions, and the records with their NetBIOS names, the
// addresses of NB records and the name table and unit ID (MAC) of a node
// status (NBSTAT) response. The plugin hands the UDP payload here.
//
// Every read is bounds-checked against `len`; nothing throws except
// std::bad_alloc; counts from the wire never size an allocation: every list
// is capped.
//
// What a caller should take as the device's name: the workstation name, an
// NbName with suffix kNbWorkstation that is not a group name, from
// - a registration, refresh or release the device sends (opcode
//   kNbnsRegistration, kNbnsRefresh, kNbnsRefreshAlt, kNbnsRelease,
//   kNbnsMultiHomed): the NB record in the additional section names it, and
//   its address is the device's;
// - a positive name query response it sends (response, opcode kNbnsQuery,
//   an NB answer): the answer's name, when an address in it is the sender's;
// - a node status response it sends (an NBSTAT answer): the node_names
//   entry with suffix 0x00 that is not a group, and unit_id is the MAC of its
//   adapter (all zero on some Samba versions).
// A query names what some host is looking for, not the sender. Suffix 0x20
// (file server) usually repeats the workstation name; 0x00 group names and
// 0x1b/0x1c/0x1e are the workgroup or domain.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "heuristics/common/ip_address.hpp"
#include "heuristics/wire/dns_message.hpp"

namespace phonehome::wire {

inline constexpr uint8_t kNbnsQuery = 0, kNbnsRegistration = 5, kNbnsRelease = 6, kNbnsWack = 7, kNbnsRefresh = 8,
                         kNbnsRefreshAlt = 9, kNbnsMultiHomed = 15;
inline constexpr uint16_t kNbnsTypeNb = 0x20, kNbnsTypeNbstat = 0x21;
inline constexpr uint8_t kNbWorkstation = 0x00, kNbServer = 0x20, kNbDomainMaster = 0x1b, kNbDomainControllers = 0x1c;
// NB_FLAGS / NAME_FLAGS: the group bit.
inline constexpr uint16_t kNbGroup = 0x8000;

// A NetBIOS name: 15 bytes padded with spaces, then the suffix byte.
struct NbName {
    // The 15 name bytes without the trailing spaces that pad them, written by
    // the free-text rule of printable_text.hpp (so at most 60 characters).
    // The wildcard "*" of a node status query comes out as "*" followed by
    // fourteen \000.
    std::string name;
    uint8_t suffix = 0;  // the 16th byte: kNbWorkstation, kNbServer, 0x1b, 0x1c, 0x1d, 0x1e ...
    // The NetBIOS scope: the DNS-style labels after the encoded name, joined
    // with '.' and written by the DNS label rule; "" for none (the usual case).
    std::string scope;
};

struct NbnsQuestion {
    NbName name;
    uint16_t type = 0;  // kNbnsTypeNb or kNbnsTypeNbstat
};

// One entry of an NB record's rdata: NB_FLAGS (group bit, owner node type in
// bits 13-14) and the owner's IPv4 address.
struct NbAddress {
    uint16_t flags = 0;
    IpAddress address;
};

// One entry of a node status response's name table.
struct NbNodeName {
    NbName name;         // the raw 15 bytes + suffix of the table (scope is "")
    uint16_t flags = 0;  // NAME_FLAGS: group bit, node type, deregistering, conflict, active, permanent
};

struct NbnsRecord {
    DnsSection section = DnsSection::Answer;
    NbName name;
    uint16_t type = 0;  // kNbnsTypeNb, kNbnsTypeNbstat, or another type (then only the name is read)
    uint32_t ttl = 0;
    std::vector<NbAddress> addresses;  // NB: the 6-byte entries, at most kNbnsMaxEntries
    std::vector<NbNodeName> node_names;  // NBSTAT: the name table, at most kNbnsMaxEntries
    bool has_unit_id = false;            // NBSTAT: the statistics follow the table
    std::array<uint8_t, 6> unit_id{};    // NBSTAT: the adapter's MAC
};

struct NbnsMessage {
    uint16_t transaction_id = 0;
    bool response = false;   // R bit
    uint8_t opcode = 0;      // kNbnsQuery, kNbnsRegistration ...
    bool broadcast = false;  // B bit
    uint8_t rcode = 0;
    std::vector<NbnsQuestion> questions;  // at most kNbnsMaxQuestions
    std::vector<NbnsRecord> records;      // answer, authority, additional, at most kNbnsMaxRecords
};

inline constexpr size_t kNbnsMaxQuestions = 8;
inline constexpr size_t kNbnsMaxRecords = 16;
inline constexpr size_t kNbnsMaxEntries = 64;

// `data` is the NBNS message (UDP payload). Resets *out and fills it.
//
// False when the 12-byte header is not there, or the message has a question
// and the first does not parse (*out is then left reset). Otherwise true,
// with the questions and records read before the first malformed or
// truncated one: each counts only when it is whole, so a prefix of a message
// yields a prefix of the full message's questions and records.
//
// A name is malformed unless its first label is the 32-byte first-level
// encoding of 16 bytes (each half-byte as 'A' + value, so only 'A'..'P'),
// the scope labels after it are DNS labels, and its compression pointers
// follow walk_dns_name's rules (dns_name.hpp). An NB record's rdata must be
// whole 6-byte entries; an NBSTAT record's must hold the name table it
// counts. A record whose rdata does not fit its type is kept with its name
// but without the entries; the parse goes on after it.
bool parse_nbns_message(const uint8_t *data, size_t len, NbnsMessage *out);

}  // namespace phonehome::wire

// Reads who a device says it is from a DHCP (BOOTP) message (RFC 2131,
// options RFC 2132): its hardware address, addresses, and the options in
// which clients name themselves (host name, vendor class, client identifier,
// client FQDN). The plugin hands the UDP payload (ports 67/68) here.
//
// Every read is bounds-checked against `len`; nothing throws except
// std::bad_alloc, and every string is bounded by its option's length (at
// most 255 bytes, so at most printable_max_text(255) characters).
//
// What a caller should take as the device's identity: the device is the
// client, named by chaddr when htype is 1 (Ethernet) and hlen 6. In its own
// messages (op kDhcpBootRequest: DISCOVER, REQUEST, INFORM) host_name is the
// name it gives itself, fqdn the fully qualified one, and vendor_class names
// its DHCP client and often the OS or vendor ("MSFT 5.0",
// "android-dhcp-13", "udhcp 1.36.1", "dhcpcd-9.4.1:Linux-6.1:armv7l:Raspberry
// Pi"). In a server's reply (kDhcpBootReply) the same options, if any, are
// what the server assigns, not what the device announced; yiaddr is the
// address the device gets.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "heuristics/common/ip_address.hpp"

namespace phonehome::wire {

inline constexpr uint8_t kDhcpBootRequest = 1, kDhcpBootReply = 2;
// Option 53 values.
inline constexpr uint8_t kDhcpDiscover = 1, kDhcpOffer = 2, kDhcpRequest = 3, kDhcpDecline = 4, kDhcpAck = 5,
                         kDhcpNak = 6, kDhcpRelease = 7, kDhcpInform = 8;

struct DhcpMessage {
    uint8_t op = 0;     // kDhcpBootRequest or kDhcpBootReply (other values are returned as they are)
    uint8_t htype = 0;  // hardware type, 1 = Ethernet
    uint8_t hlen = 0;   // hardware address length, 6 for Ethernet
    // The 16-byte chaddr field as on the wire; the first min(hlen, 16) bytes
    // are the client's hardware address (the MAC: chaddr[0..5] when
    // has_ethernet_chaddr()).
    std::array<uint8_t, 16> chaddr{};
    IpAddress ciaddr;  // the client's current address (0.0.0.0 when it has none)
    IpAddress yiaddr;  // "your" address: what the server gives the client
    bool has_magic_cookie = false;  // 99.130.83.99 after the fixed fields: options follow

    // Options; each is taken from its first whole occurrence of a valid
    // length (RFC 3396 long options, split over several occurrences, are not
    // joined: clients do not split these).
    uint8_t message_type = 0;  // 53, one of kDhcpDiscover..kDhcpInform and later values; 0 when absent
    // 12, 60: the bytes made printable by the free-text rule of
    // printable_text.hpp, after dropping trailing NUL bytes (some clients
    // count a C string's terminator); "" when absent.
    std::string host_name;
    std::string vendor_class;
    bool has_requested_ip = false;  // 50
    IpAddress requested_ip;
    std::vector<uint8_t> client_id;  // 61, raw: the type byte (1 = Ethernet, then the MAC; 255 = RFC 4361 IAID + DUID) and the id
    // 81 (RFC 4702): the name; with the E flag (canonical wire format) its
    // labels joined with '.' and written by the DNS label rule, else the
    // bytes by the free-text rule (trailing NULs dropped). "" when absent or
    // when wire format is malformed.
    std::string fqdn;
    std::vector<uint8_t> parameter_request_list;  // 55, the option codes the client asks for, in its order

    // Option 52 (overload): 1 the file field holds options, 2 the sname
    // field, 3 both; 0 when absent. The overloaded fields are read (file
    // first, then sname, RFC 2131 4.1) only when the options field itself
    // ended with an End option.
    uint8_t overload = 0;
    bool options_ended = false;  // the options field ended with End (255)

    bool has_ethernet_chaddr() const { return htype == 1 && hlen == 6; }
};

// `data` is the BOOTP message (a UDP payload), `len` bytes captured. Resets
// *out and fills it.
//
// False when the 236 bytes of fixed fields are not all there (*out is then
// left reset). Otherwise true: a message without the magic cookie is plain
// BOOTP and has no options; with it, options are read up to the End option,
// the end of the field, or the first option cut short, whichever comes first.
// A truncated message gives a prefix of what the whole message gives: every
// field it fills has the whole message's value, and the overloaded fields
// are not read unless the options field ended.
bool parse_dhcp_message(const uint8_t *data, size_t len, DhcpMessage *out);

}  // namespace phonehome::wire

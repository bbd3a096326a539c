#include "heuristics/wire/dhcp_message.hpp"

#include <bitset>

#include "heuristics/common/byte_order.hpp"
#include "heuristics/wire/printable_text.hpp"

namespace phonehome::wire {

namespace {

// RFC 2131 figure 1: op htype hlen hops, xid, secs flags, ciaddr yiaddr
// siaddr giaddr, chaddr (16), sname (64), file (128), then the options.
constexpr size_t kFixedLen = 236;
constexpr size_t kCiaddrAt = 12, kYiaddrAt = 16, kChaddrAt = 28;
constexpr size_t kSnameAt = 44, kSnameLen = 64, kFileAt = 108, kFileLen = 128;
constexpr size_t kOptionsAt = kFixedLen + 4;  // after the magic cookie
constexpr uint8_t kMagicCookie[4] = {99, 130, 83, 99};

constexpr uint8_t kOptPad = 0, kOptEnd = 255, kOptHostName = 12, kOptRequestedIp = 50, kOptOverload = 52,
                  kOptMessageType = 53, kOptParameterList = 55, kOptVendorClass = 60, kOptClientId = 61,
                  kOptClientFqdn = 81;
constexpr uint8_t kFqdnWireFormat = 0x04;  // the E flag of option 81

// The option codes already taken, so each field keeps its first occurrence.
using Taken = std::bitset<256>;

// Free text of an option, without the trailing NULs some clients count.
void take_text(const uint8_t *v, size_t n, std::string *out) {
    while (n > 0 && v[n - 1] == 0) --n;
    append_printable(out, v, n);
}

// Option 81's name in canonical wire format: labels up to a zero-length one
// or the end of the option (a partial name has no root label). Compression
// is not allowed there (RFC 4702 2.3.1), so a pointer makes it malformed.
bool take_wire_name(const uint8_t *v, size_t n, std::string *out) {
    std::string name;
    for (size_t at = 0; at < n;) {
        const size_t label_len = v[at];
        if (label_len == 0) break;
        if (label_len > 63 || n - at - 1 < label_len) return false;
        if (!name.empty()) name.push_back('.');
        append_dns_label(&name, v + at + 1, label_len);
        at += 1 + label_len;
    }
    *out = std::move(name);
    return true;
}

// One whole option of `code` with its `n` value bytes at `v`.
void take_option(uint8_t code, const uint8_t *v, size_t n, DhcpMessage *out, Taken *taken) {
    if (taken->test(code)) return;
    bool valid = true;
    switch (code) {
        case kOptMessageType:
            if ((valid = n == 1)) out->message_type = v[0];
            break;
        case kOptHostName:
            if ((valid = n >= 1)) take_text(v, n, &out->host_name);
            break;
        case kOptVendorClass:
            if ((valid = n >= 1)) take_text(v, n, &out->vendor_class);
            break;
        case kOptRequestedIp:
            if ((valid = n == 4)) {
                out->has_requested_ip = true;
                out->requested_ip = IpAddress::v4(v);
            }
            break;
        case kOptClientId:
            if ((valid = n >= 2)) out->client_id.assign(v, v + n);
            break;
        case kOptParameterList:
            if ((valid = n >= 1)) out->parameter_request_list.assign(v, v + n);
            break;
        case kOptClientFqdn:  // flags, RCODE1, RCODE2, name
            if ((valid = n >= 3)) {
                if (v[0] & kFqdnWireFormat)
                    take_wire_name(v + 3, n - 3, &out->fqdn);
                else
                    take_text(v + 3, n - 3, &out->fqdn);
            }
            break;
        case kOptOverload:
            // The overloaded fields are read only after a valid overload
            // option was taken from the options field, so one inside them is
            // a second occurrence and never read: they cannot overload
            // themselves.
            if ((valid = n == 1 && v[0] >= 1 && v[0] <= 3)) out->overload = v[0];
            break;
        default:
            return;
    }
    if (valid) taken->set(code);
}

// The options in msg[at, end). True when an End option ended them.
bool read_options(const uint8_t *msg, size_t at, size_t end, DhcpMessage *out, Taken *taken) {
    while (at < end) {
        const uint8_t code = msg[at];
        if (code == kOptPad) {
            ++at;
            continue;
        }
        if (code == kOptEnd) return true;
        if (end - at < 2) return false;
        const size_t n = msg[at + 1];
        if (end - at - 2 < n) return false;  // cut short: the rest is not read
        take_option(code, msg + at + 2, n, out, taken);
        at += 2 + n;
    }
    return false;
}

}  // namespace

bool parse_dhcp_message(const uint8_t *data, size_t len, DhcpMessage *out) {
    *out = DhcpMessage();
    if (!data || len < kFixedLen) return false;
    out->op = data[0];
    out->htype = data[1];
    out->hlen = data[2];
    for (size_t i = 0; i < out->chaddr.size(); ++i) out->chaddr[i] = data[kChaddrAt + i];
    out->ciaddr = IpAddress::v4(data + kCiaddrAt);
    out->yiaddr = IpAddress::v4(data + kYiaddrAt);
    if (len < kOptionsAt) return true;
    for (size_t i = 0; i < 4; ++i)
        if (data[kFixedLen + i] != kMagicCookie[i]) return true;
    out->has_magic_cookie = true;

    Taken taken;
    out->options_ended = read_options(data, kOptionsAt, len, out, &taken);
    // The overloaded fields lie before the options, so they are whole in any
    // message that has them; reading them only after the options field ended
    // keeps a truncated message's result a prefix of the whole one's.
    if (out->options_ended && (out->overload & 1)) read_options(data, kFileAt, kFileAt + kFileLen, out, &taken);
    if (out->options_ended && (out->overload & 2))
        read_options(data, kSnameAt, kSnameAt + kSnameLen, out, &taken);
    return true;
}

}  // namespace phonehome::wire

// How the wire readers write bytes they take from the wire as text: names and
// strings a device announces (DHCP host names and vendor classes, NetBIOS
// names, SSDP header values, DNS TXT strings) end up in fields and reports,
// so they must be printable, and the bytes must be recoverable from the text.
//
// Both rules write an odd byte RFC 1035 style as \ddd, a backslash and three
// decimal digits (0x00 -> \000, 0xff -> \255), the way dns_message writes odd
// bytes of DNS labels; the backslash itself is always escaped, so the text
// reads back to exactly the bytes. They differ only in which bytes are odd:
// - free text (`append_printable`): everything but printable ASCII
//   0x20..0x7e, so spaces and dots stay as they are ("MSFT 5.0");
// - DNS labels (`dns_label_byte_plain`): also the space, and the dot, which
//   would read as a label separator.
// UTF-8 is not decoded: a multi-byte character comes out as its bytes'
// escapes ("J\195\182rg"), where Wireshark would show the character.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace phonehome::wire {

// Longest text the free-text rule writes for `n` bytes.
constexpr size_t printable_max_text(size_t n) { return 4 * n; }

inline bool text_byte_plain(uint8_t b) { return b >= 0x20 && b <= 0x7e && b != '\\'; }
inline bool dns_label_byte_plain(uint8_t b) { return b >= 0x21 && b <= 0x7e && b != '.' && b != '\\'; }

// Writes \ddd for `b` into out[0..3].
inline void decimal_escape(uint8_t b, char out[4]) {
    out[0] = '\\';
    out[1] = char('0' + b / 100);
    out[2] = char('0' + b / 10 % 10);
    out[3] = char('0' + b % 10);
}

// Appends the `n` bytes at `p` to *out by the free-text rule.
void append_printable(std::string *out, const uint8_t *p, size_t n);

// Appends the `n` bytes of a DNS label at `p` to *out by the label rule.
void append_dns_label(std::string *out, const uint8_t *p, size_t n);

}  // namespace phonehome::wire

// Walks a (possibly compressed) domain name in a DNS-shaped message (DNS,
// mDNS, LLMNR, NetBIOS Name Service), handing each label to the caller, who
// decides how to write it. One copy of the rules that keep hostile
// compression safe and cheap, shared by dns_message and nbns_message.
//
// Compression pointers are followed only backwards, to before the start of
// the label run that contains them: a target before the current run can
// never lead back to this pointer, so a name cannot loop (real encoders only
// ever point at an earlier name anyway). At most kDnsMaxPointerJumps jumps.
#pragma once

#include <cstddef>
#include <cstdint>

namespace phonehome::wire {

inline constexpr int kDnsMaxPointerJumps = 32;

// Reads the name at `pos` of the message's first `len` bytes, calling
// `on_label(const uint8_t *label, size_t label_len)` for each label in order;
// it returns false to give up. On success sets *next to the offset just after
// the name where it was written (after its first pointer, if any). False when
// the name is malformed, cut short, compressed in a way that could loop, or
// `on_label` gave up.
template <typename OnLabel>
inline bool walk_dns_name(const uint8_t *msg, size_t len, size_t pos, size_t *next, OnLabel &&on_label) {
    size_t run_start = pos;  // where the labels now being read began
    bool jumped = false;
    int jumps = 0;
    for (;;) {
        if (pos >= len) return false;
        const uint8_t b = msg[pos];
        if (b == 0) {
            if (!jumped) *next = pos + 1;
            return true;
        }
        if ((b & 0xc0) == 0xc0) {
            if (len - pos < 2) return false;
            const size_t target = size_t(b & 0x3f) << 8 | msg[pos + 1];
            if (target >= run_start || ++jumps > kDnsMaxPointerJumps) return false;
            if (!jumped) *next = pos + 2;
            jumped = true;
            pos = run_start = target;
            continue;
        }
        // 0x40 (extended label types, RFC 6891) and 0x80 are not in use.
        if (b & 0xc0) return false;
        const size_t label_len = b;
        if (len - pos - 1 < label_len) return false;
        if (!on_label(msg + pos + 1, label_len)) return false;
        pos += 1 + label_len;
    }
}

}  // namespace phonehome::wire

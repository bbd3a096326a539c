// A line of text built in a fixed buffer, for the labels of the plugin's tree
// items: the plugin hands the finished text to Wireshark in one call
// (proto_tree_add_*_format_value, proto_item_set_text). proto_item_append_text
// would first render the item's default label and then run printf over the
// numbers, and glibc's "%.1f" alone costs about a thousand instructions; a
// flagged keepalive, a fifth of a busy IoT capture's packets, has two of them.
// Trivially destructible, so it may live across Wireshark's longjmp.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>

namespace phonehome {

class LabelText {
public:
    // Wireshark's label length (ITEM_LABEL_LENGTH): a longer line is cut.
    static constexpr size_t kCapacity = 240;

    LabelText() { text_[0] = '\0'; }

    LabelText &put(const char *s) {
        while (*s && at_ + 1 < kCapacity) text_[at_++] = *s++;
        text_[at_] = '\0';
        return *this;
    }

    LabelText &put(uint64_t value) {
        char digits[24];
        const auto r = std::to_chars(digits, digits + sizeof digits, value);
        *r.ptr = '\0';
        return put(digits);
    }

    // The value as printf's "%.1f" writes it in the C locale (the C++
    // standard defines to_chars with a precision so), without printf.
    LabelText &put_tenths(double value) {
        char digits[32];
        const auto r = std::to_chars(digits, digits + sizeof digits - 1, value, std::chars_format::fixed, 1);
        if (r.ec == std::errc()) {
            *r.ptr = '\0';
            return put(digits);
        }
        // Over 30 characters (beyond 1e29 s, never a time here): printf's
        // own, cut at the capacity like the rest.
        const int n = std::snprintf(text_ + at_, kCapacity - at_, "%.1f", value);
        if (n > 0) at_ = at_ + size_t(n) < kCapacity ? at_ + size_t(n) : kCapacity - 1;
        return *this;
    }

    const char *c_str() const { return text_; }
    size_t size() const { return at_; }

private:
    char text_[kCapacity];
    size_t at_ = 0;
};

}  // namespace phonehome

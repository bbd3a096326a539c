#include "heuristics/wire/printable_text.hpp"

namespace phonehome::wire {

namespace {

// Plain bytes go in runs, one append each (names and announcements are
// almost all plain: a byte at a time cost a capacity check per byte). `plain`
// is a lambda, so the test inlines (a function pointer was a call per byte).
template <typename Plain>
void append_escaped(std::string *out, const uint8_t *p, size_t n, Plain plain) {
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && plain(p[run])) ++run;
        out->append(reinterpret_cast<const char *>(p + i), run - i);
        if (run == n) break;
        char esc[4];
        decimal_escape(p[run], esc);
        out->append(esc, sizeof esc);
        i = run + 1;
    }
}

}  // namespace

void append_printable(std::string *out, const uint8_t *p, size_t n) {
    append_escaped(out, p, n, [](uint8_t b) { return text_byte_plain(b); });
}

void append_dns_label(std::string *out, const uint8_t *p, size_t n) {
    append_escaped(out, p, n, [](uint8_t b) { return dns_label_byte_plain(b); });
}

}  // namespace phonehome::wire

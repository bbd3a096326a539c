#include "heuristics/wire/printable_text.hpp"

namespace phonehome::wire {

namespace {

template <typename Plain>
void append_escaped(std::string *out, const uint8_t *p, size_t n, Plain plain) {
    for (size_t i = 0; i < n; ++i) {
        if (plain(p[i])) {
            out->push_back(char(p[i]));
            continue;
        }
        char esc[4];
        decimal_escape(p[i], esc);
        out->append(esc, sizeof esc);
    }
}

}  // namespace

void append_printable(std::string *out, const uint8_t *p, size_t n) { append_escaped(out, p, n, text_byte_plain); }

void append_dns_label(std::string *out, const uint8_t *p, size_t n) {
    append_escaped(out, p, n, dns_label_byte_plain);
}

}  // namespace phonehome::wire

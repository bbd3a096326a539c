#include "heuristics/wire/ssdp_message.hpp"

#include <cstring>
#include <string_view>

#include "heuristics/wire/printable_text.hpp"

namespace phonehome::wire {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The line starting at *pos without its LF and the CR before it; moves *pos
// past the LF. False when no LF ends it within `len`.
bool next_line(const uint8_t *data, size_t len, size_t *pos, std::string_view *line) {
    if (*pos >= len) return false;
    const void *lf = std::memchr(data + *pos, '\n', len - *pos);
    if (!lf) return false;
    const size_t end = size_t(static_cast<const uint8_t *>(lf) - data);
    size_t n = end - *pos;
    if (n > 0 && data[*pos + n - 1] == '\r') --n;
    *line = std::string_view(reinterpret_cast<const char *>(data + *pos), n);
    *pos = end + 1;
    return true;
}

// "HTTP/d.d" at the start of `s`.
bool http_version(std::string_view s) {
    return s.size() >= 8 && s.substr(0, 5) == "HTTP/" && is_digit(s[5]) && s[6] == '.' && is_digit(s[7]);
}

bool read_start_line(std::string_view line, SsdpMessage *out) {
    if (http_version(line)) {
        // HTTP/d.d SP ddd [SP reason]
        if (line.size() < 12 || line[8] != ' ' || !is_digit(line[9]) || !is_digit(line[10]) || !is_digit(line[11]))
            return false;
        if (line.size() > 12 && line[12] != ' ') return false;
        out->kind = SsdpKind::Response;
        out->status = uint16_t((line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0'));
        return true;
    }
    // method SP target SP HTTP/d.d
    const size_t sp1 = line.find(' ');
    const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return false;
    const std::string_view method = line.substr(0, sp1), version = line.substr(sp2 + 1);
    if (version.size() != 8 || !http_version(version)) return false;
    if (method == "NOTIFY") {
        out->kind = SsdpKind::Notify;
        return true;
    }
    if (method == "M-SEARCH") {
        out->kind = SsdpKind::MSearch;
        return true;
    }
    return false;
}

bool name_is(std::string_view name, std::string_view upper) {
    if (name.size() != upper.size()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i] >= 'a' && name[i] <= 'z' ? char(name[i] - 'a' + 'A') : name[i];
        if (c != upper[i]) return false;
    }
    return true;
}

struct Header {
    const char *name;  // upper case
    std::string SsdpMessage::*field;
};
// In the order of the ssdp_field bits.
constexpr Header kHeaders[] = {
    {"SERVER", &SsdpMessage::server}, {"USER-AGENT", &SsdpMessage::user_agent}, {"NT", &SsdpMessage::nt},
    {"ST", &SsdpMessage::st},         {"NTS", &SsdpMessage::nts},               {"USN", &SsdpMessage::usn},
    {"LOCATION", &SsdpMessage::location}};
static_assert(sizeof kHeaders / sizeof kHeaders[0] == 7 && ssdp_field::kAll == (1u << 7) - 1);

// One header line; `*seen` has a bit per kHeaders entry already read, so each
// keeps its first occurrence (an empty value counts as one). Only the
// entries in `fields` are read.
void read_header(std::string_view line, SsdpMessage *out, uint32_t fields, uint32_t *seen) {
    // A continuation line (obsolete folding) starts with a blank, so its
    // "name" keeps that blank and matches no header.
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return;
    std::string_view name = line.substr(0, colon), value = line.substr(colon + 1);
    while (!name.empty() && is_blank(name.back())) name.remove_suffix(1);
    while (!value.empty() && is_blank(value.front())) value.remove_prefix(1);
    while (!value.empty() && is_blank(value.back())) value.remove_suffix(1);
    for (size_t i = 0; i < sizeof kHeaders / sizeof kHeaders[0]; ++i) {
        if (!(fields & (1u << i)) || !name_is(name, kHeaders[i].name)) continue;
        if (*seen & (1u << i)) return;
        *seen |= 1u << i;
        if (value.size() > kSsdpMaxValue) value = value.substr(0, kSsdpMaxValue);
        append_printable(&(out->*kHeaders[i].field), reinterpret_cast<const uint8_t *>(value.data()), value.size());
        return;
    }
}

}  // namespace

bool parse_ssdp_message(const uint8_t *data, size_t len, SsdpMessage *out, uint32_t fields) {
    *out = SsdpMessage();
    size_t pos = 0;
    std::string_view line;
    if (!data || !next_line(data, len, &pos, &line) || !read_start_line(line, out)) {
        *out = SsdpMessage();  // read_start_line may have set the kind
        return false;
    }
    fields &= ssdp_field::kAll;
    uint32_t seen = 0;
    for (size_t i = 0; i < kSsdpMaxHeaderLines && seen != fields && next_line(data, len, &pos, &line) && !line.empty();
         ++i)
        read_header(line, out, fields, &seen);
    return true;
}

}  // namespace phonehome::wire

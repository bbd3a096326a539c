#include "heuristics/detectors/p2p/p2p_domains.hpp"

#include <cctype>

namespace phonehome {

namespace {
// DNS names compare case-insensitively in ASCII only (RFC 4343), whatever
// the locale says of other bytes.
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

std::string_view trim_dots(std::string_view name) {
    while (!name.empty() && name.back() == '.') name.remove_suffix(1);
    while (!name.empty() && name.front() == '.') name.remove_prefix(1);
    return name;
}

std::string normalise(std::string_view name) {
    std::string out(trim_dots(name));
    for (char &c : out) c = ascii_lower(c);
    return out;
}
}  // namespace

const std::vector<std::string> &P2pDomains::builtin() {
    static const std::vector<std::string> list = {
        "iotcplatform.com",  // ThroughTek Kalay masters m1..m5, push.iotcplatform.com
        "kalayservice.com",  // ThroughTek Kalay services
        "kalay.net.cn",      // ThroughTek Kalay, China (low confidence)
    };
    return list;
}

P2pDomains::P2pDomains() : domains_(builtin()) {}

void P2pDomains::set_extra(std::string_view text) {
    domains_ = builtin();
    size_t i = 0;
    auto sep = [](char c) { return c == ',' || c == ';' || std::isspace(static_cast<unsigned char>(c)); };
    while (i < text.size()) {
        while (i < text.size() && sep(text[i])) ++i;
        const size_t start = i;
        while (i < text.size() && !sep(text[i])) ++i;
        if (start == i) break;
        std::string d = normalise(text.substr(start, i - start));
        if (!d.empty()) domains_.push_back(d);
    }
}

// Every DNS name of every DNS packet comes here: compared in place, with no
// lower-cased copy (the domains are stored normalised).
const char *P2pDomains::match(std::string_view name) const {
    const std::string_view n = trim_dots(name);
    for (const std::string &d : domains_) {
        if (n.size() < d.size()) continue;
        const size_t at = n.size() - d.size();
        if (at != 0 && n[at - 1] != '.') continue;
        size_t i = 0;
        while (i < d.size() && ascii_lower(n[at + i]) == d[i]) ++i;
        if (i == d.size()) return d.c_str();
    }
    return nullptr;
}

}  // namespace phonehome

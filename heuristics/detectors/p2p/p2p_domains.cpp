#include "heuristics/detectors/p2p/p2p_domains.hpp"

#include <cctype>

namespace phonehome {

namespace {
std::string normalise(std::string_view name) {
    while (!name.empty() && name.back() == '.') name.remove_suffix(1);
    while (!name.empty() && name.front() == '.') name.remove_prefix(1);
    std::string out(name);
    for (char &c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
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

const char *P2pDomains::match(std::string_view name) const {
    const std::string n = normalise(name);
    for (const std::string &d : domains_) {
        if (n.size() < d.size()) continue;
        if (n.compare(n.size() - d.size(), d.size(), d) != 0) continue;
        if (n.size() == d.size() || n[n.size() - d.size() - 1] == '.') return d.c_str();
    }
    return nullptr;
}

}  // namespace phonehome

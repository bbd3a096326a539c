// The DNS names of P2P platforms: a device that resolves one of them is about
// to log in to that platform's servers. The built-in list comes from
// ../shared/protocols.md (ThroughTek's masters m1..m5.iotcplatform.com, push
// servers, *.kalayservice.com, kalay.net.cn); users add more in preferences.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace phonehome {

class P2pDomains {
public:
    P2pDomains();  // the built-in list

    static const std::vector<std::string> &builtin();

    // Adds the user's domains (separated by commas, semicolons or white
    // space) to the built-in ones; replaces any earlier user list.
    void set_extra(std::string_view text);

    // The listed domain `name` equals or lies under (case-insensitive,
    // trailing dot ignored), or nullptr.
    const char *match(std::string_view name) const;

    const std::vector<std::string> &domains() const { return domains_; }

private:
    std::vector<std::string> domains_;
};

}  // namespace phonehome

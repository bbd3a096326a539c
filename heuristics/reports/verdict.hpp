// A device's verdict in one line of plain words, from its findings and the
// conversations that carry them: what it does, to whom, how often, and what
// that means ("sends 172-byte UDP to port 1 of 106.13.0.0 (China, AS38365
// Beijing Baidu Netcom) in 9 bursts minutes to hours apart, never answered,
// keeping a NAT mapping open").
#pragma once

#include <string>
#include <vector>

#include "heuristics/reports/device_report.hpp"
#include "heuristics/reports/remote_report.hpp"

namespace phonehome {

// `remotes`: the device's conversations with Internet remotes (identity
// filled in, any order).
std::string device_verdict(const DeviceRow &device, const std::vector<const RemoteRow *> &remotes);

// "seconds", "minutes", "minutes to hours": how far apart, in words.
std::string spacing_words(int64_t min_ns, int64_t max_ns);

}  // namespace phonehome

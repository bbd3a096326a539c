// Machine-readable forms of the two reports, for other tools:
// `-z phonehome,devices.csv`, `phonehome,devices.json`, `phonehome,remotes.csv`,
// `phonehome,remotes.json`. Same rows and order as the text reports; times
// in seconds from the start of the capture.
#pragma once

#include <string>
#include <vector>

#include "heuristics/reports/device_report.hpp"
#include "heuristics/reports/remote_report.hpp"

namespace phonehome {

std::string devices_csv(const std::vector<DeviceRow> &rows);
std::string devices_json(const std::vector<DeviceRow> &rows);
std::string remotes_csv(const std::vector<RemoteRow> &rows);
std::string remotes_json(const std::vector<RemoteRow> &rows);

// RFC 8259 string escaping, with the quotes.
std::string json_string(const std::string &s);
// RFC 4180 field quoting where needed.
std::string csv_field(const std::string &s);

}  // namespace phonehome

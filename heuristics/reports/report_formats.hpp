// Machine-readable forms of the two reports, for other tools:
// `-z phonehome,devices.csv`, `phonehome,devices.json`, `phonehome,remotes.csv`,
// `phonehome,remotes.json`. Same rows and order as the text reports; times
// in seconds from the start of the capture.
#pragma once

#include <string>
#include <vector>

#include "heuristics/reports/device_report.hpp"
#include "heuristics/reports/remote_report.hpp"
#include "heuristics/reports/report_context.hpp"

namespace phonehome {

// CSV and JSON rows with relative times (seconds from the capture's first
// packet) and absolute ones (ISO 8601, UTC); the JSON also says which capture
// (file, first and last packet), which filters and which versions.
std::string devices_csv(const std::vector<DeviceRow> &rows, const ReportContext &ctx);
std::string devices_json(const std::vector<DeviceRow> &rows, const ReportContext &ctx);
std::string remotes_csv(const std::vector<RemoteRow> &rows, const ReportContext &ctx);
std::string remotes_json(const std::vector<RemoteRow> &rows, const ReportContext &ctx);

// RFC 8259 string escaping, with the quotes.
std::string json_string(const std::string &s);
// RFC 4180 field quoting where needed.
std::string csv_field(const std::string &s);

}  // namespace phonehome

// The text forms of the reports, for people. The default ones fit a
// terminal: under 120 columns where the content allows and never over 160
// (long names are cut, columns that say nothing for any row are left out),
// with each device's identity and a one-line verdict. The full forms are
// every column of the rows, as the CSV and JSON forms give them.
#pragma once

#include <string>
#include <vector>

#include "heuristics/reports/device_report.hpp"
#include "heuristics/reports/remote_report.hpp"
#include "heuristics/reports/report_context.hpp"

namespace phonehome {

inline constexpr size_t kReportWidth = 120;  // what the default forms aim for
inline constexpr size_t kReportMaxWidth = 160;  // what they never pass

// `notes`: lines about bounds that were hit, printed at the end.
std::string devices_text(const std::vector<DeviceRow> &devices, const std::vector<RemoteRow> &remotes,
                         const ReportContext &ctx, const std::string &notes);
std::string devices_full_text(const std::vector<DeviceRow> &devices, const ReportContext &ctx, const std::string &notes);
std::string remotes_text(const std::vector<RemoteRow> &remotes, const std::vector<DeviceRow> &devices,
                         const ReportContext &ctx, const std::string &notes);
std::string remotes_full_text(const std::vector<RemoteRow> &remotes, const ReportContext &ctx, const std::string &notes);

// "name (vendor)", the vendor, the name, or "-".
std::string identity_text(const DeviceRow &d);

}  // namespace phonehome

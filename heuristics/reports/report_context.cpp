#include "heuristics/reports/report_context.hpp"

#include <cstdio>
#include <ctime>

#include "heuristics/reports/text_table.hpp"

namespace phonehome {

namespace {

constexpr int64_t kSec = 1'000'000'000;

// Floor division, so times before 1970 still split into seconds and a
// non-negative fraction.
void split(int64_t ns, int64_t *secs, int64_t *frac_ns) {
    *secs = ns / kSec;
    *frac_ns = ns % kSec;
    if (*frac_ns < 0) {
        *frac_ns += kSec;
        --*secs;
    }
}

// Whole seconds: the reports' first/last seen need no more.
std::string broken_down(int64_t abs_ns, bool utc, bool date) {
    int64_t secs, frac;
    split(abs_ns, &secs, &frac);
    const time_t t = time_t(secs);
    struct tm tm {};
    if (utc ? !gmtime_r(&t, &tm) : !localtime_r(&t, &tm)) return format_fixed(double(abs_ns) / 1e9, 0);
    char buf[64];
    std::strftime(buf, sizeof buf, date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
    return buf;
}

}  // namespace

std::string iso8601_utc(int64_t abs_ns) {
    int64_t secs, frac;
    split(abs_ns, &secs, &frac);
    const time_t t = time_t(secs);
    struct tm tm {};
    if (!gmtime_r(&t, &tm)) return "";
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[96];
    std::snprintf(out, sizeof out, "%s.%06lldZ", buf, static_cast<long long>(frac / 1000));
    return out;
}

std::string human_duration(int64_t ns) {
    const int64_t s = ns / kSec;
    char buf[48];
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%lld s", static_cast<long long>(s));
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%lld min", static_cast<long long>(s / 60));
    else if (s < 86400)
        std::snprintf(buf, sizeof buf, "%lld h %lld min", static_cast<long long>(s / 3600),
                      static_cast<long long>(s % 3600 / 60));
    else
        std::snprintf(buf, sizeof buf, "%lld d %lld h", static_cast<long long>(s / 86400),
                      static_cast<long long>(s % 86400 / 3600));
    return buf;
}

std::string ReportContext::time(int64_t rel_ns) const {
    const int64_t abs_ns = capture_start_ns + rel_ns;
    switch (time_style) {
    case TimeStyle::Relative: return format_fixed(double(rel_ns) / 1e9, 3);
    case TimeStyle::Local: return broken_down(abs_ns, false, false);
    case TimeStyle::LocalDate: return broken_down(abs_ns, false, true);
    case TimeStyle::Utc: return broken_down(abs_ns, true, false);
    case TimeStyle::UtcDate: return broken_down(abs_ns, true, true);
    case TimeStyle::Epoch: return format_fixed(double(abs_ns) / 1e9, 3);
    }
    return "";
}

std::string ReportContext::time_heading(const char *what) const {
    const char *unit = "";
    switch (time_style) {
    case TimeStyle::Relative: unit = " (s)"; break;
    case TimeStyle::Local: case TimeStyle::LocalDate: unit = ""; break;
    case TimeStyle::Utc: case TimeStyle::UtcDate: unit = " (UTC)"; break;
    case TimeStyle::Epoch: unit = " (epoch)"; break;
    }
    return std::string(what) + unit;
}

std::string ReportContext::capture_line() const {
    std::string out = file.empty() ? std::string("capture")
                      : file == "-"  ? std::string("standard input")
                                     : file.substr(file.find_last_of('/') + 1);
    if (!have_capture) return out + ", no packets";
    const bool utc = time_style == TimeStyle::Utc || time_style == TimeStyle::UtcDate || time_style == TimeStyle::Relative ||
                     time_style == TimeStyle::Epoch;
    out += ", " + broken_down(capture_start_ns, utc, true) + " to ";
    const bool same_day = broken_down(capture_start_ns, utc, true).substr(0, 10) ==
                          broken_down(last_packet_ns, utc, true).substr(0, 10);
    out += broken_down(last_packet_ns, utc, !same_day) + (utc ? " UTC" : "");
    out += " (" + human_duration(last_packet_ns - capture_start_ns) + ")";
    return out;
}

}  // namespace phonehome

#include "report_context_ws.hpp"

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "ws.hpp"
#include <epan/epan.h>
#include <epan/timestamp.h>

namespace phonehome::glue {

namespace {

TimeStyle time_style() {
    switch (timestamp_get_type()) {
    case TS_ABSOLUTE: return TimeStyle::Local;
    case TS_ABSOLUTE_WITH_YMD:
    case TS_ABSOLUTE_WITH_YDOY: return TimeStyle::LocalDate;
    case TS_UTC: return TimeStyle::Utc;
    case TS_UTC_WITH_YMD:
    case TS_UTC_WITH_YDOY: return TimeStyle::UtcDate;
    case TS_EPOCH: return TimeStyle::Epoch;
    default: return TimeStyle::Relative;  // relative, and the delta styles
    }
}

// tshark's arguments (Linux: /proc/self/cmdline), or none elsewhere.
std::vector<std::string> command_line() {
    std::ifstream f("/proc/self/cmdline", std::ios::binary);
    const std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::vector<std::string> args;
    for (size_t at = 0; at < all.size();) {
        const size_t end = all.find('\0', at);
        args.push_back(all.substr(at, end == std::string::npos ? std::string::npos : end - at));
        at = end == std::string::npos ? all.size() : end + 1;
    }
    return args;
}

// The value of option `-x` ("-x value" or "-xvalue") or `--long` ("--long value", "--long=value").
std::string option(const std::vector<std::string> &args, const char *short_opt, const char *long_opt) {
    const std::string s = short_opt, l = long_opt;
    for (size_t i = 1; i < args.size(); ++i) {
        const std::string &a = args[i];
        if ((a == s || a == l) && i + 1 < args.size()) return args[i + 1];
        if (a.size() > s.size() && a.compare(0, s.size(), s) == 0 && a[1] != '-') return a.substr(s.size());
        if (a.compare(0, l.size() + 1, l + "=") == 0) return a.substr(l.size() + 1);
    }
    return "";
}

}  // namespace

ReportContext report_context() {
    ReportContext ctx;
    ctx.time_style = time_style();
    ctx.plugin_version = PHONEHOME_VERSION;
    ctx.wireshark_version = epan_get_version();
    const std::vector<std::string> args = command_line();
    ctx.file = option(args, "-r", "--read-file");
    ctx.display_filter = option(args, "-Y", "--display-filter");
    if (ctx.display_filter.empty()) ctx.display_filter = option(args, "-R", "--read-filter");
    return ctx;
}

}  // namespace phonehome::glue

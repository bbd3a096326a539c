// What every rendering of a report says about where it comes from, and how
// it writes times: the capture (file, first and last packet), the filters,
// the versions, and the time style of tshark's -t option, so the reports
// line up with router and firewall logs the way Wireshark's own statistics
// do.
#pragma once

#include <cstdint>
#include <string>

namespace phonehome {

// tshark -t: r (relative, the default), a / ad (local time, with the date),
// u / ud (UTC, with the date), e (epoch seconds). Delta styles have no
// meaning for a first/last seen and fall back to relative.
enum class TimeStyle : uint8_t { Relative, Local, LocalDate, Utc, UtcDate, Epoch };

struct ReportContext {
    std::string file;            // the capture file as tshark was given it ("-" for a pipe), "" when unknown
    std::string filter;          // the report's own display filter
    std::string display_filter;  // tshark's -Y/-R, "" when none or unknown
    std::string plugin_version, wireshark_version;
    TimeStyle time_style = TimeStyle::Relative;
    bool have_capture = false;   // a packet was seen
    int64_t capture_start_ns = 0;  // absolute time of the capture's first packet
    int64_t last_packet_ns = 0;    // absolute time of the last packet the report saw

    // A time in the report's style: `rel_ns` after the capture's first packet.
    std::string time(int64_t rel_ns) const;
    // The heading of the time columns ("First seen (s)", "First seen (UTC)"...).
    std::string time_heading(const char *what) const;
    // The capture in one line: "doorbell.pcap, 2024-06-01 10:00:00 to 12:49:20 UTC (2 h 49 min)".
    std::string capture_line() const;
};

// ISO 8601 in UTC with microseconds: "2024-06-01T10:00:41.000000Z".
std::string iso8601_utc(int64_t abs_ns);
// A duration for people: "45 s", "12 min", "2 h 49 min", "3 d 4 h".
std::string human_duration(int64_t ns);

}  // namespace phonehome

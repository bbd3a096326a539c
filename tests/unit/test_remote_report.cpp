#include <gtest/gtest.h>

#include "heuristics/reports/remote_report.hpp"
#include "heuristics/reports/report_formats.hpp"
#include "heuristics/reports/text_reports.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {
// The cell of `column` in the first row of a one-row CSV without quoted commas.
std::string csv_cell(const std::string &csv, const std::string &column) {
    auto split = [](const std::string &line) {
        std::vector<std::string> cells(1);
        for (char c : line) {
            if (c == ',') cells.emplace_back();
            else cells.back() += c;
        }
        return cells;
    };
    const size_t eol = csv.find('\n');
    const auto header = split(csv.substr(0, eol));
    const auto row = split(csv.substr(eol + 1, csv.find('\n', eol + 1) - eol - 1));
    for (size_t i = 0; i < header.size() && i < row.size(); ++i)
        if (header[i] == column) return row[i];
    return "(no column " + column + ")";
}

void feed(RemoteReport &r, Analyzer &a, const PacketFacts &p, const char *name = nullptr) {
    const Verdict v = a.analyze(p);
    r.add(p, v.roles, v.findings, name, v.heartbeat.in_series ? v.heartbeat.period_s : 0, v.dead_cloud_answered);
}
}  // namespace

TEST(RemoteReport, OneRowPerDeviceAndRemoteWithBothDirections) {
    RemoteReport r;
    Analyzer a;
    feed(r, a, udp("192.168.1.20", 51506, "106.13.0.0", 1, 0, 214));
    feed(r, a, udp("192.168.1.20", 51506, "106.13.0.0", 1, 60 * kSec, 214));
    feed(r, a, tcp("192.168.1.20", 40000, "52.28.1.2", 443, tcp_flag::kSyn, 10 * kSec, 74), "api.example.com");
    feed(r, a, tcp("52.28.1.2", 443, "192.168.1.20", 40000, tcp_flag::kSyn | tcp_flag::kAck, 10 * kSec, 74));
    feed(r, a, udp("192.168.1.20", 5353, "192.168.1.1", 53, 0));  // LAN: not a remote
    const auto rows = r.rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].remote, ip("106.13.0.0"));  // findings first
    EXPECT_EQ(rows[0].packets_out, 2u);
    EXPECT_EQ(rows[0].bytes_out, 428u);
    EXPECT_EQ(rows[0].packets_in, 0u);
    EXPECT_EQ(rows[0].services_text(), "udp/1");
    EXPECT_EQ(rows[0].findings_text(), "sink:2,pinhole:1");
    EXPECT_EQ(rows[1].name, "api.example.com");
    EXPECT_EQ(rows[1].packets_out, 1u);
    EXPECT_EQ(rows[1].packets_in, 1u);
    EXPECT_EQ(rows[1].findings_text(), "-");
    ASSERT_NE(r.find(ip("192.168.1.20"), ip("52.28.1.2")), nullptr);
    EXPECT_EQ(r.find(ip("192.168.1.20"), ip("8.8.8.8")), nullptr);
}

TEST(RemoteReport, HeartbeatPeriodAndManyServices) {
    RemoteReport r;
    Analyzer a;
    for (int i = 0; i < 6; ++i)
        feed(r, a, tcp("10.0.0.5", 40000, "3.69.220.71", 8883, tcp_flag::kAck | tcp_flag::kPsh, i * 30 * kSec, 85));
    for (int port = 1; port <= 8; ++port) feed(r, a, udp("10.0.0.5", 5000, "3.69.220.71", uint16_t(port + 1000), kSec));
    const auto rows = r.rows();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].services_text(3), "udp/1001,udp/1002,udp/1003,+6");  // udp sorts before tcp
    EXPECT_EQ(rows[0].finding_packets[size_t(Finding::Heartbeat)], 0u);  // payload_len 0: not a candidate
}

TEST(RemoteReport, ADeadCloudThatAnsweredLaterSaysWhen) {
    // Three unanswered SYNs, then the service answers after all: the row
    // does not read like a remote that never answered.
    RemoteReport r;
    Analyzer a;
    for (int i = 0; i < 3; ++i)
        feed(r, a, tcp("192.168.1.94", 40000, "47.254.152.20", 8883, tcp_flag::kSyn, (10 + 2 * i) * kSec));
    ASSERT_EQ(r.rows()[0].findings_text(), "dead_cloud:1");
    EXPECT_EQ(csv_cell(remotes_csv(r.rows(), ReportContext()), "dead_cloud_answered"), "");
    feed(r, a, tcp("47.254.152.20", 8883, "192.168.1.94", 40000, tcp_flag::kSyn | tcp_flag::kAck, 75 * kSec));
    feed(r, a, tcp("47.254.152.20", 8883, "192.168.1.94", 40000, tcp_flag::kAck, 80 * kSec));
    const auto rows = r.rows();
    EXPECT_EQ(rows[0].findings_text(), "dead_cloud:1 (answered at 75.0 s)");
    EXPECT_EQ(rows[0].dead_cloud_answered_rel_ns, 75 * kSec);
    const std::string csv = remotes_csv(rows, ReportContext());
    EXPECT_EQ(csv_cell(csv, "dead_cloud"), "1");
    EXPECT_EQ(csv_cell(csv, "dead_cloud_answered"), "75.000000");
    EXPECT_NE(remotes_json(rows, ReportContext()).find("\"dead_cloud_answered\":75.000000}"), std::string::npos);
    EXPECT_NE(remotes_full_text(rows, ReportContext(), "").find("dead_cloud:1 (answered at 75.0 s)"),
              std::string::npos);
    EXPECT_NE(remotes_text(rows, {}, ReportContext(), "").find("the dead cloud answered at 75.000"),
              std::string::npos);
}

TEST(RemoteReport, ListsOnlyAddressesThatAreDevices) {
    // An Internet host's datagram to the LAN's broadcast address (Ethernet
    // broadcast): 192.168.1.255 is no device, as in the devices report. A
    // device's unicast packet sent to a group MAC still counts for it.
    RemoteReport r;
    Analyzer a;
    PacketFacts bcast = udp("217.168.1.2", 137, "192.168.1.255", 137, 0);
    bcast.dst_link_group = true;
    feed(r, a, bcast);
    PacketFacts flooded = udp("52.28.1.2", 443, "192.168.1.20", 4000, kSec);
    flooded.dst_link_group = true;
    feed(r, a, flooded);
    EXPECT_EQ(r.size(), 0u);
    EXPECT_EQ(r.find(ip("192.168.1.255"), ip("217.168.1.2")), nullptr);
    feed(r, a, udp("192.168.1.20", 5353, "192.168.1.1", 53, 2 * kSec));  // .20 sends: a device
    ASSERT_EQ(r.size(), 1u);
    const auto rows = r.rows();
    EXPECT_EQ(rows[0].device, ip("192.168.1.20"));
    EXPECT_EQ(rows[0].packets_in, 1u);
}

TEST(ReportFormats, EscapingAndShape) {
    EXPECT_EQ(json_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    EXPECT_EQ(csv_field("plain"), "plain");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");

    RemoteReport r;
    Analyzer a;
    feed(r, a, udp("192.168.1.20", 51506, "106.13.0.0", 1, 0, 214), "odd,\"name\"");
    const std::string csv = remotes_csv(r.rows(), ReportContext());
    EXPECT_NE(csv.find("\"odd,\"\"name\"\"\""), std::string::npos);
    EXPECT_EQ(csv.substr(0, csv.find('\n')).find("device,remote,name,services"), 0u);
    const std::string json = remotes_json(r.rows(), ReportContext());
    EXPECT_NE(json.find("\"name\":\"odd,\\\"name\\\"\""), std::string::npos);
    EXPECT_NE(json.find("\"sink\":1"), std::string::npos);
    EXPECT_NE(json.find("\"heartbeat_period\":null"), std::string::npos);
    EXPECT_NE(json.find("\"dead_cloud_answered\":null"), std::string::npos);
}

TEST(RemoteReport, BoundedAgainstFloodsAndSaysSo) {
    RemoteReport r(3);
    Analyzer a;
    for (int i = 0; i < 8; ++i) feed(r, a, udp("192.168.1.20", 5000, "52.28.1." + std::to_string(i + 1), 443, 0));
    EXPECT_EQ(r.size(), 3u);
    EXPECT_EQ(r.overflow_packets(), 5u);
    EXPECT_NE(r.notes().find("are not itemised"), std::string::npos);
}

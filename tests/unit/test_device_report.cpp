#include <gtest/gtest.h>

#include "heuristics/reports/device_report.hpp"
#include "heuristics/reports/text_reports.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {
void feed(DeviceReport &r, Analyzer &a, const PacketFacts &p) {
    const Verdict v = a.analyze(p);
    r.add(p, v.roles, v.findings);
}
const DeviceRow *find(const std::vector<DeviceRow> &rows, const char *addr) {
    for (const auto &row : rows)
        if (row.address == ip(addr)) return &row;
    return nullptr;
}
}  // namespace

TEST(DeviceReport, CountsEveryLocalEndpointLikeEndpointStatistics) {
    DeviceReport r;
    Analyzer a;
    PacketFacts out = udp("192.168.1.20", 51506, "106.13.0.0", 1, 0, 214);
    out.has_src_mac = true;
    out.src_mac = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
    feed(r, a, out);
    feed(r, a, udp("192.168.1.20", 51506, "106.13.0.0", 1, 600 * kSec, 214));
    feed(r, a, udp("192.168.1.10", 5000, "192.168.1.20", 80, 700 * kSec, 100));  // LAN: counts for both
    feed(r, a, udp("1.1.1.1", 53, "192.168.1.20", 4000, 800 * kSec, 90));        // inbound
    PacketFacts bcast = udp("192.168.1.10", 5000, "192.168.1.255", 9, 900 * kSec, 60);
    bcast.dst_link_group = true;  // subnet broadcast: not a device
    feed(r, a, bcast);
    feed(r, a, udp("192.168.1.10", 5353, "224.0.0.251", 5353, 950 * kSec, 80));  // multicast: not a device

    const auto rows = r.rows();
    ASSERT_EQ(rows.size(), 2u);
    const DeviceRow *bell = find(rows, "192.168.1.20");
    ASSERT_TRUE(bell);
    EXPECT_EQ(bell->packets, 4u);
    EXPECT_EQ(bell->bytes, 214u + 214u + 100u + 90u);
    EXPECT_EQ(bell->packets_sent, 2u);
    EXPECT_EQ(bell->packets_received, 2u);
    EXPECT_TRUE(bell->has_mac);
    EXPECT_EQ(format_mac(bell->mac), "02:11:22:33:44:55");
    EXPECT_EQ(bell->remote_hosts, 2u);      // 106.13.0.0 and 1.1.1.1
    EXPECT_EQ(bell->remote_endpoints, 2u);  // 106.13.0.0/udp/1 and 1.1.1.1/udp/53
    EXPECT_EQ(bell->finding_packets[0], 2u);  // sink
    EXPECT_EQ(bell->finding_packets[1], 1u);  // pinhole
    EXPECT_EQ(bell->first_rel_ns, 0);
    EXPECT_EQ(bell->last_rel_ns, 800 * kSec);
    EXPECT_DOUBLE_EQ(bell->packets_per_minute(), 4.0 / (800.0 / 60.0));

    const DeviceRow *laptop = find(rows, "192.168.1.10");
    ASSERT_TRUE(laptop);
    EXPECT_EQ(laptop->packets, 3u);
    EXPECT_FALSE(laptop->has_mac);
    EXPECT_EQ(laptop->remote_hosts, 0u);
    EXPECT_EQ(rows.front().address, ip("192.168.1.20"));  // devices with findings first
}

TEST(DeviceReport, UnicastPacketsToALinkGroupCountAsReceived) {
    // Wireshark's endpoint statistics count a packet for its IP destination
    // whatever its Ethernet destination: a unicast packet flooded to a group
    // MAC (a load-balanced cluster, a switch that lost the entry) was received
    // by that device. Only an address that never shows it is a device (a
    // subnet's broadcast address) gets no row.
    DeviceReport r;
    Analyzer a;
    feed(r, a, udp("192.168.1.20", 4000, "52.28.1.2", 443, 0, 100));
    PacketFacts in = udp("52.28.1.2", 443, "192.168.1.20", 4000, kSec, 200);
    in.dst_link_group = true;
    feed(r, a, in);
    PacketFacts lan = udp("192.168.1.10", 5000, "192.168.1.30", 80, 2 * kSec, 60);
    lan.dst_link_group = true;  // .30 has not shown it is a device yet
    feed(r, a, lan);
    EXPECT_EQ(r.device_count(), 2u);
    DeviceRow row;
    EXPECT_FALSE(r.row(ip("192.168.1.30"), &row));
    ASSERT_TRUE(r.row(ip("192.168.1.20"), &row));
    EXPECT_EQ(row.packets, 2u);
    EXPECT_EQ(row.packets_received, 1u);
    EXPECT_EQ(row.bytes, 300u);
    EXPECT_EQ(row.last_rel_ns, kSec);

    // Once .30 sends, every packet it received counts, the earlier one too.
    feed(r, a, udp("192.168.1.30", 80, "192.168.1.10", 5000, 3 * kSec, 70));
    EXPECT_EQ(r.device_count(), 3u);
    ASSERT_TRUE(r.row(ip("192.168.1.30"), &row));
    EXPECT_EQ(row.packets, 2u);
    EXPECT_EQ(row.packets_received, 1u);
    EXPECT_EQ(row.first_rel_ns, 2 * kSec);
    EXPECT_EQ(r.rows().size(), 3u);
}

TEST(DeviceReport, ShortLivedDevicesRateOverAtLeastAMinute) {
    DeviceReport r;
    Analyzer a;
    for (int i = 0; i < 10; ++i) feed(r, a, udp("10.0.0.2", 5, "10.0.0.3", 6, i * kSec / 10));
    EXPECT_DOUBLE_EQ(r.rows().front().packets_per_minute(), 10.0);
}

TEST(DeviceReport, TextReportListsDevicesAndFindingColumns) {
    DeviceReport r;
    Analyzer a;
    feed(r, a, udp("fd00::20", 51506, "2600:1f18::1", 0, 0));
    ReportContext ctx;
    ctx.filter = "udp";
    const std::string text = devices_text(r.rows(), {}, ctx, r.notes());
    EXPECT_NE(text.find("Filter: udp"), std::string::npos);
    EXPECT_NE(text.find("fd00::20"), std::string::npos);
    EXPECT_NE(text.find("sink 1"), std::string::npos);
    EXPECT_NE(text.find("1 device, 1 with findings"), std::string::npos);
    const std::string full = devices_full_text(r.rows(), ctx, r.notes());
    EXPECT_NE(full.find("pinhole"), std::string::npos);  // every finding's column
}

TEST(DeviceReport, BoundedAgainstFloodsAndSaysSo) {
    DeviceReport r(4);
    Analyzer a;
    for (int i = 0; i < 10; ++i) {
        const PacketFacts p = udp("10.0.0." + std::to_string(i + 1), 5000, "10.0.1.1", 53, i * kSec);
        const Verdict v = a.analyze(p);
        r.add(p, v.roles, v.findings);
    }
    EXPECT_LE(r.device_count(), 4u);
    EXPECT_GT(r.overflow_packets(), 0u);
    EXPECT_NE(r.notes().find("are not itemised"), std::string::npos);
    r.clear();
    EXPECT_EQ(r.overflow_packets(), 0u);
}

TEST(DeviceReport, AllRemoteSetsTogetherAreBounded) {
    // 10 devices, 60,000 remotes each: no single set reaches kMaxSetSize, but
    // together (a host and an endpoint entry per remote) they pass
    // kMaxSetEntries, where the sets stop growing and the report says so.
    static_assert(10 * 60000 * 2 > DeviceReport::kMaxSetEntries, "the test must cross the bound");
    static_assert(60000 < DeviceReport::kMaxSetSize, "and no single set may reach its own");
    DeviceReport r;
    Analyzer a;
    for (uint32_t d = 0; d < 10; ++d)
        for (uint32_t i = 0; i < 60000; ++i) {
            const std::string remote = "44." + std::to_string(i >> 16) + "." + std::to_string((i >> 8) & 255) + "." +
                                       std::to_string(i & 255);
            PacketFacts p = udp("192.168.1." + std::to_string(d + 10), 40000, remote, 443, int64_t(i) * 1000);
            r.add(p, assign_roles(p, {}), 0);
        }
    uint64_t hosts = 0, endpoints = 0;
    for (const DeviceRow &row : r.rows()) {
        hosts += row.remote_hosts;
        endpoints += row.remote_endpoints;
        EXPECT_EQ(row.packets, 60000u);  // packets are still counted in full
    }
    EXPECT_TRUE(r.saturated());
    EXPECT_EQ(hosts + endpoints, DeviceReport::kMaxSetEntries);
    EXPECT_NE(r.notes().find("remote counts are lower bounds"), std::string::npos);
    r.clear();
    EXPECT_FALSE(r.saturated());
}

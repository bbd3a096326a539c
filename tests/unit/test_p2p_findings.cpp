#include <gtest/gtest.h>

#include "heuristics/reports/device_report.hpp"
#include "heuristics/reports/text_reports.hpp"
#include "heuristics/detectors/p2p/kalay.hpp"
#include "heuristics/detectors/p2p/p2p_domains.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {
PacketFacts kalay(const std::string &src, const std::string &dst, uint32_t code, const char *uid = "") {
    PacketFacts p = udp(src, 40000, dst, 10001, 0, 120);
    p.p2p.platform = P2pPlatform::Kalay;
    p.p2p.code = code;
    p.p2p.role = kalay_role(code);
    p.p2p.name = kalay_code_name(code);
    p.p2p.set_uid(uid);
    return p;
}
}  // namespace

TEST(P2pDomains, MatchesTheDomainAndNamesUnderIt) {
    P2pDomains d;
    EXPECT_STREQ(d.match("m1.iotcplatform.com"), "iotcplatform.com");
    EXPECT_STREQ(d.match("IOTCPLATFORM.COM."), "iotcplatform.com");
    EXPECT_STREQ(d.match("push.iotcplatform.com"), "iotcplatform.com");
    EXPECT_STREQ(d.match("a.b.kalayservice.com"), "kalayservice.com");
    EXPECT_STREQ(d.match("kalay.net.cn"), "kalay.net.cn");
    EXPECT_EQ(d.match("notiotcplatform.com"), nullptr);   // a suffix, not a subdomain
    EXPECT_EQ(d.match("iotcplatform.com.evil.example"), nullptr);
    EXPECT_EQ(d.match("net.cn"), nullptr);
    EXPECT_EQ(d.match(""), nullptr);
    EXPECT_EQ(d.match("."), nullptr);
    EXPECT_STREQ(d.match("M5.IotcPlatform.Com"), "iotcplatform.com");
    EXPECT_STREQ(d.match(".kalay.net.cn.."), "kalay.net.cn");
    EXPECT_EQ(d.match("m1.iotcplatform.co"), nullptr);
    EXPECT_EQ(d.match("m1.iotcplatform.comx"), nullptr);
    // Case folds in ASCII only (RFC 4343): no locale maps another byte onto a letter.
    EXPECT_EQ(d.match("m1.iotcplatform.co\xcd"), nullptr);
    EXPECT_EQ(d.match("kalay.net.c\xce"), nullptr);
}

TEST(P2pDomains, UserDomainsAddToTheBuiltIns) {
    P2pDomains d;
    d.set_extra("cs2-network.cn, .Example.ORG.");
    EXPECT_STREQ(d.match("p2p.cs2-network.cn"), "cs2-network.cn");
    EXPECT_STREQ(d.match("x.example.org"), "example.org");
    EXPECT_STREQ(d.match("m2.iotcplatform.com"), "iotcplatform.com");
    d.set_extra("");
    EXPECT_EQ(d.match("x.example.org"), nullptr);
}

TEST(P2pRoles, ServersAndPeers) {
    EXPECT_EQ(kalay_role(kKalayGetPublicIp), P2pRole::Server);
    EXPECT_EQ(kalay_role(kKalayDeviceAddressQuery), P2pRole::Server);
    EXPECT_EQ(kalay_role(0x999999), P2pRole::Server);
    EXPECT_EQ(kalay_role(kKalayDataToClient), P2pRole::Peer);
    EXPECT_EQ(kalay_role(kKalayLanSearch), P2pRole::Peer);
    EXPECT_EQ(pppp_role(0x10), P2pRole::Server);  // DEV_LGN
    EXPECT_EQ(pppp_role(0x00), P2pRole::Server);  // HELLO
    EXPECT_EQ(pppp_role(0xD0), P2pRole::Peer);    // DRW
    EXPECT_EQ(pppp_role(0x30), P2pRole::Peer);    // LAN_SEARCH
    EXPECT_EQ(pppp_role(0xE0), P2pRole::Peer);    // ALIVE
}

TEST(P2pFindings, InternetOrLan) {
    Analyzer a;
    EXPECT_EQ(a.analyze(kalay("192.168.1.50", "52.28.1.2", kKalayGetPublicIp)).findings, finding_bit(Finding::P2p));
    EXPECT_EQ(a.analyze(kalay("52.28.1.2", "192.168.1.50", kKalayDeviceAddressReply)).findings,
              finding_bit(Finding::P2p));
    EXPECT_EQ(a.analyze(kalay("192.168.1.50", "192.168.1.60", kKalayDataToClient)).findings,
              finding_bit(Finding::P2pLan));
    EXPECT_EQ(a.analyze(kalay("192.168.1.60", "255.255.255.255", kKalayLanSearch)).findings,
              finding_bit(Finding::P2pLan));
    // No local side at all: neither.
    EXPECT_EQ(a.analyze(kalay("52.28.1.2", "47.74.1.1", kKalayGetPublicIp)).findings, 0u);
    // P2P to port 1 of an Internet host is a sink as well.
    PacketFacts both = kalay("192.168.1.50", "52.28.1.2", kKalayGetPublicIp);
    both.dst_port = 1;
    EXPECT_EQ(a.analyze(both).findings, finding_bit(Finding::P2p) | finding_bit(Finding::Sink));
}

TEST(P2pFindings, DnsForAPlatformBelongsToTheQuerier) {
    Analyzer a;
    PacketFacts q = udp("192.168.1.50", 5353, "192.168.1.1", 53, 0);
    q.dns_p2p = true;
    EXPECT_EQ(a.analyze(q).findings, finding_bit(Finding::P2pDns));
    PacketFacts r = udp("192.168.1.1", 53, "192.168.1.50", 5353, 0);
    r.dns_p2p = true;
    r.dns_response = true;
    const Verdict v = a.analyze(r);
    EXPECT_EQ(v.findings, finding_bit(Finding::P2pDns));
    IpAddress owner;
    ASSERT_TRUE(finding_device(r, v.roles, &owner));
    EXPECT_EQ(owner, ip("192.168.1.50"));
}

TEST(P2pReport, PlatformsUidsServersPeersAndPrefixes) {
    DeviceReport r;
    Analyzer a;
    auto feed = [&](const PacketFacts &p) {
        const Verdict v = a.analyze(p);
        r.add(p, v.roles, v.findings);
    };
    const char *uid = "ABCDEFGHJK1234567890";
    feed(kalay("192.168.1.50", "52.28.1.2", kKalayGetPublicIp, uid));
    feed(kalay("52.28.1.2", "192.168.1.50", kKalayDeviceAddressReply));
    feed(kalay("192.168.1.50", "52.28.9.9", kKalayPunchRequest, uid));      // same /16
    feed(kalay("192.168.1.50", "47.74.1.1", kKalayGetPublicIp, uid));       // another /16
    feed(kalay("192.168.1.50", "106.13.4.4", kKalayDataToClient));          // an Internet peer
    feed(kalay("192.168.1.60", "192.168.1.50", kKalayDataToDevice));        // a LAN peer
    PacketFacts search = kalay("192.168.1.60", "255.255.255.255", kKalayLanSearch, "ZZZZZZZZZZZZZZZZZZZ9");
    feed(search);

    const auto rows = r.rows();
    const DeviceRow *cam = nullptr, *phone = nullptr;
    for (const auto &row : rows) {
        if (row.address == ip("192.168.1.50")) cam = &row;
        if (row.address == ip("192.168.1.60")) phone = &row;
    }
    ASSERT_TRUE(cam && phone);
    EXPECT_EQ(cam->p2p_platforms, std::set<P2pPlatform>{P2pPlatform::Kalay});
    EXPECT_EQ(cam->uids, std::set<std::string>{uid});
    EXPECT_EQ(cam->p2p_servers, 3u);   // 52.28.1.2, 52.28.9.9, 47.74.1.1
    EXPECT_EQ(cam->p2p_peers, 2u);     // 106.13.4.4 and the phone
    EXPECT_EQ(cam->p2p_prefixes, 3u);  // 52.28/16, 47.74/16, 106.13/16
    EXPECT_EQ(cam->finding_packets[size_t(Finding::P2p)], 5u);
    EXPECT_EQ(cam->finding_packets[size_t(Finding::P2pLan)], 0u);
    EXPECT_EQ(phone->uids, std::set<std::string>{"ZZZZZZZZZZZZZZZZZZZ9"});
    EXPECT_EQ(phone->p2p_peers, 1u);  // the broadcast is not a peer
    EXPECT_EQ(phone->finding_packets[size_t(Finding::P2pLan)], 2u);
    const std::string text = devices_text(r.rows(), {}, ReportContext(), r.notes());
    EXPECT_NE(text.find(uid), std::string::npos);
}

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "heuristics/identity/device_directory.hpp"
#include "test_helpers.hpp"

using namespace phonehome;
using namespace phonehome::test;

namespace {

const MacAddress kPlugMac = {0x50, 0x02, 0x91, 0x1a, 0x2b, 0x3c};
const MacAddress kTvMac = {0x70, 0x2a, 0xd5, 0x44, 0x01, 0xc7};

std::string text(const std::string *s) { return s ? *s : std::string("(none)"); }

}  // namespace

TEST(DeviceDirectory, DhcpNamesTheMacAndEveryAddressItSendsFrom) {
    DeviceDirectory d;
    d.learn(kPlugMac, Announcement::DhcpName, "ESP_1A2B3C", 5);
    d.learn(kPlugMac, Announcement::DhcpVendorClass, "udhcp 1.29.3", 5);
    for (const char *addr : {"192.168.1.60", "fd12:3456:789a:1::60"}) {
        const auto l = d.labels(&kPlugMac, ip(addr), 10);
        EXPECT_EQ(text(l.name), "ESP_1A2B3C") << addr;
        EXPECT_EQ(text(l.vendor_class), "udhcp 1.29.3") << addr;
        EXPECT_EQ(l.ssdp_server, nullptr);
    }
    EXPECT_EQ(d.labels(&kTvMac, ip("192.168.1.60"), 10).name, nullptr);  // another MAC on that address
}

TEST(DeviceDirectory, NothingBeforeTheAnnouncementAndTheNameOfEachMoment) {
    DeviceDirectory d;
    const IpAddress plug = ip("192.168.1.60");
    d.learn(kPlugMac, Announcement::DhcpName, "plug-old", 100);
    d.learn(kPlugMac, Announcement::DhcpName, "kitchen-plug", 500);  // renamed on renewal
    EXPECT_EQ(d.labels(&kPlugMac, plug, 99).name, nullptr);
    EXPECT_EQ(text(d.labels(&kPlugMac, plug, 100).name), "plug-old");
    EXPECT_EQ(text(d.labels(&kPlugMac, plug, 499).name), "plug-old");
    EXPECT_EQ(text(d.labels(&kPlugMac, plug, 500).name), "kitchen-plug");
    // Asked about an early frame after everything was learnt (a second pass).
    EXPECT_EQ(text(d.labels(&kPlugMac, plug, 300).name), "plug-old");
    EXPECT_EQ(d.identity(&kPlugMac, plug).names, (std::vector<std::string>{"plug-old", "kitchen-plug"}));
}

TEST(DeviceDirectory, DhcpNameWinsThenMdnsThenNetbiosThenLlmnr) {
    DeviceDirectory d;
    const IpAddress tv = ip("192.168.1.31");
    d.learn(&kTvMac, tv, Announcement::LlmnrName, "TV", 1);
    EXPECT_EQ(text(d.labels(&kTvMac, tv, 1).name), "TV");
    d.learn(&kTvMac, tv, Announcement::NetbiosName, "LIVINGROOM-TV", 2);
    EXPECT_EQ(text(d.labels(&kTvMac, tv, 2).name), "LIVINGROOM-TV");
    d.learn(&kTvMac, tv, Announcement::MdnsName, "Living-Room-TV.local", 3);
    EXPECT_EQ(text(d.labels(&kTvMac, tv, 3).name), "Living-Room-TV.local");
    d.learn(kTvMac, Announcement::DhcpName, "living-room-tv", 4);
    EXPECT_EQ(text(d.labels(&kTvMac, tv, 4).name), "living-room-tv");
    d.learn(&kTvMac, tv, Announcement::MdnsName, "Lounge-TV.local", 5);  // a newer mDNS name does not beat DHCP
    EXPECT_EQ(text(d.labels(&kTvMac, tv, 5).name), "living-room-tv");
    EXPECT_EQ(d.identity(&kTvMac, tv).names,
              (std::vector<std::string>{"TV", "LIVINGROOM-TV", "Living-Room-TV.local", "living-room-tv",
                                        "Lounge-TV.local"}));
}

TEST(DeviceDirectory, WithoutALinkLayerTheAddressIsTheDevice) {
    DeviceDirectory d;
    const IpAddress cam = ip("fd00::52");
    d.learn(nullptr, cam, Announcement::MdnsName, "cam-garage.local", 7);
    d.learn(nullptr, cam, Announcement::SsdpServer, "Linux/4.9 UPnP/1.0 IPCam/2.1", 8);
    EXPECT_EQ(text(d.labels(nullptr, cam, 9).name), "cam-garage.local");
    EXPECT_EQ(text(d.labels(&kTvMac, cam, 9).name), "cam-garage.local");  // the address still counts
    EXPECT_EQ(text(d.labels(nullptr, cam, 9).ssdp_server), "Linux/4.9 UPnP/1.0 IPCam/2.1");
    EXPECT_EQ(d.labels(nullptr, ip("fd00::53"), 9).name, nullptr);
}

TEST(DeviceDirectory, IdentityListsNamesOnceIgnoringCaseAndEverySsdpServer) {
    DeviceDirectory d;
    const IpAddress spk = ip("192.168.1.44");
    const MacAddress mac = {0x48, 0xa6, 0xb8, 0x00, 0x00, 0x44};
    d.learn(&mac, spk, Announcement::MdnsName, "Sonos-48A6B8.local", 1);
    d.learn(&mac, spk, Announcement::MdnsName, "sonos-48a6b8.local", 2);
    d.learn(&mac, spk, Announcement::SsdpServer, "Linux UPnP/1.0 Sonos/70.3-35220 (ZPS18)", 3);
    d.learn(&mac, spk, Announcement::SsdpServer, "Linux UPnP/1.0 Sonos/71.1-38240 (ZPS18)", 9);
    d.learn(mac, Announcement::DhcpVendorClass, "udhcp 1.19.4", 4);
    d.learn(mac, Announcement::DhcpVendorClass, "udhcp 1.29.3", 8);
    const auto id = d.identity(&mac, spk);
    EXPECT_EQ(id.names, std::vector<std::string>{"Sonos-48A6B8.local"});
    EXPECT_EQ(id.vendor_class, "udhcp 1.29.3");
    EXPECT_EQ(id.ssdp_servers, (std::vector<std::string>{"Linux UPnP/1.0 Sonos/70.3-35220 (ZPS18)",
                                                         "Linux UPnP/1.0 Sonos/71.1-38240 (ZPS18)"}));
    EXPECT_TRUE(d.identity(nullptr, ip("192.168.1.45")).names.empty());
}

TEST(DeviceDirectory, RepeatsCostNothingAndTheBoundNeverForgets) {
    DeviceDirectory d(8);
    for (uint32_t f = 1; f < 1000; ++f) d.learn(kPlugMac, Announcement::DhcpName, "plug", f);
    EXPECT_EQ(d.records(), 1u);
    for (uint32_t i = 0; i < 100; ++i)
        d.learn(nullptr, IpAddress::v4(192, 168, 2, uint8_t(i)), Announcement::MdnsName, "h" + std::to_string(i), 1000 + i);
    EXPECT_EQ(d.records(), 8u);
    EXPECT_EQ(d.dropped(), 93u);
    EXPECT_EQ(text(d.labels(&kPlugMac, ip("192.168.1.60"), 5).name), "plug");
    EXPECT_EQ(d.labels(nullptr, IpAddress::v4(192, 168, 2, 50), 5000).name, nullptr);
    d.learn(kPlugMac, Announcement::DhcpName, "", 2000);  // empty: ignored
    d.learn(kPlugMac, Announcement::DhcpName, std::string(600, 'x'), 2001);  // past the bound: not learnt
    EXPECT_EQ(text(d.labels(&kPlugMac, ip("192.168.1.60"), 3000).name), "plug");
    d.clear();
    EXPECT_EQ(d.records(), 0u);
    EXPECT_EQ(d.labels(&kPlugMac, ip("192.168.1.60"), 5).name, nullptr);
}

TEST(DeviceDirectory, LongTextIsCut) {
    DeviceDirectory d;
    d.learn(kPlugMac, Announcement::DhcpVendorClass, std::string(600, 'v'), 1);
    ASSERT_NE(d.labels(&kPlugMac, ip("10.0.0.2"), 1).vendor_class, nullptr);
    EXPECT_EQ(d.labels(&kPlugMac, ip("10.0.0.2"), 1).vendor_class->size(), DeviceDirectory::kMaxText);
}

TEST(DeviceDirectory, AnAddressBelongsToTheMacThatLastSentFromIt) {
    DeviceDirectory d;
    const IpAddress lease = ip("192.168.1.77");
    EXPECT_FALSE(d.owns(kPlugMac, lease, 10));
    for (uint32_t f = 10; f < 20; ++f) d.bind(lease, kPlugMac, f);
    EXPECT_EQ(d.records(), 1u);  // sending again changes nothing
    d.bind(lease, kTvMac, 50);   // the lease went to the TV
    EXPECT_FALSE(d.owns(kPlugMac, lease, 9));
    EXPECT_TRUE(d.owns(kPlugMac, lease, 10));
    EXPECT_TRUE(d.owns(kPlugMac, lease, 49));
    EXPECT_FALSE(d.owns(kPlugMac, lease, 50));
    EXPECT_TRUE(d.owns(kTvMac, lease, 50));
    d.bind(lease, kPlugMac, 60);  // and back: the recent-binding cache must not hide it
    EXPECT_TRUE(d.owns(kPlugMac, lease, 60));
    EXPECT_TRUE(d.owns(kTvMac, lease, 59));
    EXPECT_FALSE(d.owns(kTvMac, ip("192.168.1.78"), 60));
}

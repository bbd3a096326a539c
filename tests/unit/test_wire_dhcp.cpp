// parse_dhcp_message: the client hardware address, addresses and the options
// in which a device names itself, read from DHCP bytes (RFC 2131 layout,
// options RFC 2132 and RFC 4702), on real packets from the public corpora
// compared with tshark's dissection, every truncation, option overload
// (option 52), and hand-built hostile options.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "heuristics/wire/dhcp_message.hpp"
#include "test_helpers.hpp"

namespace phonehome::wire {
namespace {

using test::hex;
using test::ip;

DhcpMessage parse(const std::vector<uint8_t> &m, bool *ok = nullptr, size_t len = SIZE_MAX) {
    return test::read_prefix<DhcpMessage>(parse_dhcp_message, m, ok, len);
}

std::string mac(const DhcpMessage &m) { return test::to_hex(m.chaddr.data(), 6); }

// A real message from its first 44 bytes (op .. chaddr), the sname and file
// fields without the zero bytes that fill them up to 64 and 128 bytes, then
// the cookie and options as captured.
std::vector<uint8_t> real_message(const char *first44, const char *sname, const char *file,
                                  const char *cookie_and_options) {
    std::vector<uint8_t> m = hex(first44);
    std::vector<uint8_t> s = hex(sname), f = hex(file);
    s.resize(64, 0);
    f.resize(128, 0);
    m.insert(m.end(), s.begin(), s.end());
    m.insert(m.end(), f.begin(), f.end());
    const auto rest = hex(cookie_and_options);
    m.insert(m.end(), rest.begin(), rest.end());
    return m;
}

std::vector<uint8_t> with_empty_sname_file(const char *first44, const char *cookie_and_options) {
    return real_message(first44, "", "", cookie_and_options);
}

// A hand-built BOOTREQUEST from 02:00:00:00:00:01 with the given sname
// (64 bytes), file (128 bytes) and, after the cookie, options.
std::vector<uint8_t> request(const std::vector<uint8_t> &options, const std::vector<uint8_t> &sname = {},
                             const std::vector<uint8_t> &file = {}) {
    std::vector<uint8_t> m = hex("0101060012345678000000000000000000000000000000000000000002000000000100000000000000000000");
    std::vector<uint8_t> s = sname, f = file;
    s.resize(64, 0);
    f.resize(128, 0);
    m.insert(m.end(), s.begin(), s.end());
    m.insert(m.end(), f.begin(), f.end());
    const auto cookie = hex("63825363");
    m.insert(m.end(), cookie.begin(), cookie.end());
    m.insert(m.end(), options.begin(), options.end());
    return m;
}

// --- real packets ---------------------------------------------------------------
// UDP payloads from /work/shared/captures/corpora/ with
//   tshark -r FILE -Y frame.number==N -T fields -e udp.payload
// and the expected values from
//   tshark ... -T fields -E occurrence=a -e dhcp.type -e dhcp.hw.type -e dhcp.hw.len -e dhcp.hw.mac_addr
//     -e dhcp.ip.client -e dhcp.ip.your -e dhcp.option.dhcp -e dhcp.option.hostname
//     -e dhcp.option.vendor_class_id -e dhcp.option.requested_ip_address -e dhcp.fqdn.name
//     -e dhcp.option.request_list_item -e dhcp.option.type -e dhcp.option.value

// suricata-verify/dhcp-eve-extended-option-60__input.pcap frame 1: a Mac's
// REQUEST. Options (offsets): 53 at 240, 61 at 243, 50 at 252, 12 at 258,
// 81 at 272, 60 at 289, 55 at 299, End at 313; 314 bytes.
const std::vector<uint8_t> kMacRequest = with_empty_sname_file(
    "01010600e01cc718000000000000000000000000000000000000000028cfdadc8d7600000000000000000000",
    "638253633501033d070128cfdadc8d763204c0a8016f0c0c4e69636b734d6163426f6f6b510f0000004e69636b734d6163426f6f6b3c08"
    "4d53465420352e30370c010f03062c2e2f1f2179f92bff");

TEST(WireDhcp, RealMacRequestAgreesWithTshark) {
    ASSERT_EQ(kMacRequest.size(), 314u);
    bool ok = false;
    const DhcpMessage m = parse(kMacRequest, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.op, kDhcpBootRequest);  // dhcp.type 1
    EXPECT_EQ(m.htype, 1);              // dhcp.hw.type
    EXPECT_EQ(m.hlen, 6);               // dhcp.hw.len
    ASSERT_TRUE(m.has_ethernet_chaddr());
    EXPECT_EQ(mac(m), "28cfdadc8d76");  // dhcp.hw.mac_addr
    EXPECT_EQ(m.ciaddr, ip("0.0.0.0"));
    EXPECT_EQ(m.yiaddr, ip("0.0.0.0"));
    EXPECT_TRUE(m.has_magic_cookie);
    EXPECT_EQ(m.message_type, kDhcpRequest);  // dhcp.option.dhcp 3
    EXPECT_EQ(m.host_name, "NicksMacBook");
    EXPECT_EQ(m.vendor_class, "MSFT 5.0");
    ASSERT_TRUE(m.has_requested_ip);
    EXPECT_EQ(m.requested_ip, ip("192.168.1.111"));
    EXPECT_EQ(m.fqdn, "NicksMacBook");  // dhcp.fqdn.name (E flag clear)
    EXPECT_EQ(m.client_id, hex("0128cfdadc8d76"));  // dhcp.option.value of option 61
    EXPECT_EQ(m.parameter_request_list, (std::vector<uint8_t>{1, 15, 3, 6, 44, 46, 47, 31, 33, 121, 249, 43}));
    EXPECT_EQ(m.overload, 0);
    EXPECT_TRUE(m.options_ended);
}

TEST(WireDhcp, RealMacRequestEveryPrefixHasWhatIsWholeInIt) {
    const DhcpMessage full = parse(kMacRequest);
    for (size_t k = 0; k <= kMacRequest.size(); ++k) {
        SCOPED_TRACE("prefix length " + std::to_string(k));
        bool ok = false;
        const DhcpMessage m = parse(kMacRequest, &ok, k);
        ASSERT_EQ(ok, k >= 236);
        if (!ok) {
            EXPECT_EQ(m.op, 0);
            EXPECT_TRUE(m.host_name.empty());
            continue;
        }
        EXPECT_EQ(mac(m), mac(full));
        EXPECT_EQ(m.has_magic_cookie, k >= 240);
        EXPECT_EQ(m.message_type, k >= 243 ? kDhcpRequest : 0);
        EXPECT_EQ(m.client_id, k >= 252 ? full.client_id : std::vector<uint8_t>{});
        EXPECT_EQ(m.has_requested_ip, k >= 258);
        EXPECT_EQ(m.host_name, k >= 272 ? full.host_name : "");
        EXPECT_EQ(m.fqdn, k >= 289 ? full.fqdn : "");
        EXPECT_EQ(m.vendor_class, k >= 299 ? full.vendor_class : "");
        EXPECT_EQ(m.parameter_request_list.size(), k >= 313 ? 12u : 0u);
        EXPECT_EQ(m.options_ended, k >= 314);
    }
}

TEST(WireDhcp, RealSwitchDiscoverAgreesWithTshark) {
    // ndpi/telegram.pcap frame 1: a TP-Link TL-SG116E switch's DISCOVER.
    const auto msg = with_empty_sname_file(
        "01010600db02c1680000800000000000000000000000000000000000d80d17d655ab00000000000000000000",
        "63825363350101370201030c09544c2d5347313136453c09544c2d5347313136453d0701d80d17d655abff");
    bool ok = false;
    const DhcpMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(mac(m), "d80d17d655ab");
    EXPECT_EQ(m.message_type, kDhcpDiscover);
    EXPECT_EQ(m.host_name, "TL-SG116E");
    EXPECT_EQ(m.vendor_class, "TL-SG116E");
    EXPECT_EQ(m.client_id, hex("01d80d17d655ab"));
    EXPECT_EQ(m.parameter_request_list, (std::vector<uint8_t>{1, 3}));
    EXPECT_FALSE(m.has_requested_ip);
    EXPECT_EQ(m.fqdn, "");
}

TEST(WireDhcp, RealServerAckAgreesWithTshark) {
    // ndpi/1kxun.pcap frame 5: a server's ACK, ciaddr and yiaddr 192.168.5.36.
    const auto msg = with_empty_sname_file(
        "02010600c091205200008000c0a80524c0a80524c0a877010000000000265ac2635500000000000000000000",
        "638253633501053604c0a8770133040000003c0104ffff00000304c0a877010610a85f010108080808a85fc001080804042a08a85fc3"
        "0c7bcc2d74ff00000000");
    bool ok = false;
    const DhcpMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.op, kDhcpBootReply);
    EXPECT_EQ(m.message_type, kDhcpAck);
    EXPECT_EQ(mac(m), "00265ac26355");
    EXPECT_EQ(m.ciaddr, ip("192.168.5.36"));
    EXPECT_EQ(m.yiaddr, ip("192.168.5.36"));
    EXPECT_TRUE(m.host_name.empty() && m.vendor_class.empty() && m.client_id.empty());
    EXPECT_TRUE(m.options_ended);
}

TEST(WireDhcp, RealOverloadOfBothFieldsAgreesWithTshark) {
    // suricata-verify/dhcp-option-52-overload-both__input.pcap frame 1: a
    // DISCOVER whose sname and file fields carry a Message option (56) each.
    const auto msg = real_message(
        "01010600ac2effff000000000000000000000000000000000000000000006c82dc4e00000000000000000000",
        "3814736e616d65206669656c64206f7665726c6f6164ff",      // sname: Message "sname field overload", End
        "381866696c65206e616d65206669656c64206f7665726c6f6164ff",  // file: Message "file name field overload", End
        "638253633501013902024e3704011c032b330400000e10340103380750616464696e67003d070100006c82dc4eff");
    ASSERT_EQ(msg.size(), 282u);
    bool ok = false;
    const DhcpMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(mac(m), "00006c82dc4e");
    EXPECT_EQ(m.message_type, kDhcpDiscover);
    EXPECT_EQ(m.overload, 3);  // "Boot file and server host names hold options (3)"
    EXPECT_EQ(m.parameter_request_list, (std::vector<uint8_t>{1, 28, 3, 43}));
    EXPECT_EQ(m.client_id, hex("0100006c82dc4e"));
    EXPECT_TRUE(m.host_name.empty() && m.vendor_class.empty());
    EXPECT_TRUE(m.options_ended);
}

// --- the fixed fields ---------------------------------------------------------------

TEST(WireDhcp, ShortOfTheFixedFieldsIsRefusedAndTheOutputReset) {
    DhcpMessage m;
    ASSERT_TRUE(parse_dhcp_message(kMacRequest.data(), kMacRequest.size(), &m));
    EXPECT_FALSE(parse_dhcp_message(kMacRequest.data(), 235, &m));
    EXPECT_EQ(m.op, 0);
    EXPECT_TRUE(m.host_name.empty() && m.client_id.empty() && !m.has_magic_cookie);
    EXPECT_FALSE(parse_dhcp_message(nullptr, 0, &m));
}

TEST(WireDhcp, PlainBootpWithoutTheCookieHasNoOptions) {
    std::vector<uint8_t> msg = request(hex("350101 0c0161 ff"));
    msg[236] = 0;  // no cookie
    bool ok = false;
    const DhcpMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_FALSE(m.has_magic_cookie);
    EXPECT_EQ(m.message_type, 0);
    EXPECT_TRUE(m.host_name.empty());
    EXPECT_EQ(mac(m), "020000000001");
}

TEST(WireDhcp, OnlyEthernetWithSixBytesIsAMac) {
    std::vector<uint8_t> msg = request({});
    EXPECT_TRUE(parse(msg).has_ethernet_chaddr());
    msg[2] = 16;  // hlen 16
    EXPECT_FALSE(parse(msg).has_ethernet_chaddr());
    msg[2] = 6;
    msg[1] = 6;  // IEEE 802
    EXPECT_FALSE(parse(msg).has_ethernet_chaddr());
}

// --- options ----------------------------------------------------------------------

TEST(WireDhcp, PadsAreSkippedAndEndStopsTheOptions) {
    const DhcpMessage m = parse(request(hex("00 00 350103 00 0c03616263 ff 3c0178")));
    EXPECT_EQ(m.message_type, kDhcpRequest);
    EXPECT_EQ(m.host_name, "abc");
    EXPECT_TRUE(m.options_ended);
    EXPECT_EQ(m.vendor_class, "");  // after End
}

TEST(WireDhcp, FirstValidOccurrenceWins) {
    // A zero-length host name and a two-byte message type are not valid; the
    // next occurrences are taken, and later ones after that are not.
    const DhcpMessage m = parse(request(hex("0c00 35020101 0c0161 350105 0c0162 350103 ff")));
    EXPECT_EQ(m.host_name, "a");
    EXPECT_EQ(m.message_type, kDhcpAck);
}

TEST(WireDhcp, AnOptionPastTheEndStopsTheOptionsAndKeepsWhatCameBefore) {
    bool ok = false;
    const DhcpMessage m = parse(request(hex("0c0161 3c10 4142")), &ok);  // vendor class claims 16, has 2
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.host_name, "a");
    EXPECT_EQ(m.vendor_class, "");
    EXPECT_FALSE(m.options_ended);
    // A lone code byte at the very end, without its length, is cut short too.
    EXPECT_FALSE(parse(request(hex("0c0161 3c"))).options_ended);
}

TEST(WireDhcp, InvalidLengthsAreIgnored) {
    const DhcpMessage m = parse(request(hex("3203 c0a801 3d01 01 3700 ff")));
    EXPECT_FALSE(m.has_requested_ip);            // 50 needs 4 bytes
    EXPECT_TRUE(m.client_id.empty());            // 61 needs at least 2
    EXPECT_TRUE(m.parameter_request_list.empty());  // 55 needs at least 1
    EXPECT_TRUE(m.options_ended);
}

TEST(WireDhcp, TextDropsTrailingNulsAndEscapesOddBytes) {
    // host name "tv\0" (a counted terminator); vendor class with a NUL inside,
    // a backslash, a space, UTF-8 "é" and a trailing NUL.
    const DhcpMessage m = parse(request(hex("0c03 747600 3c08 61005c2062c3a900 ff")));
    EXPECT_EQ(m.host_name, "tv");
    EXPECT_EQ(m.vendor_class, "a\\000\\092 b\\195\\169");
}

TEST(WireDhcp, ClientFqdnInWireFormat) {
    // E flag (0x04) set: "laptop.example.com" as labels; then with a dot in a
    // label and a space, written by the DNS label rule.
    DhcpMessage m = parse(request(hex("5117 050000 066c6170746f70 076578616d706c65 03636f6d 00 ff")));
    EXPECT_EQ(m.fqdn, "laptop.example.com");
    m = parse(request(hex("5109 040000 03612e62 01 20 ff")));  // partial name, no root label
    EXPECT_EQ(m.fqdn, "a\\046b.\\032");
}

TEST(WireDhcp, ClientFqdnWithACompressionPointerOrALongLabelIsMalformed) {
    EXPECT_EQ(parse(request(hex("5108 040000 0161 c000 00 ff"))).fqdn, "");
    EXPECT_EQ(parse(request(hex("5107 040000 0561 6263 ff"))).fqdn, "");  // label past the option
    std::vector<uint8_t> long_label = hex("5144 040000 40");
    long_label.resize(long_label.size() + 64, 'a');
    long_label.push_back(0xff);
    EXPECT_EQ(parse(request(long_label)).fqdn, "");
    // ...and the option still counts as taken: a later one is not read.
    EXPECT_EQ(parse(request(hex("5108 040000 0161 c000 00 5104 000000 62 ff"))).fqdn, "");
}

TEST(WireDhcp, ClientFqdnAsText) {
    EXPECT_EQ(parse(request(hex("5108 000000 6e61732e 00 ff"))).fqdn, "nas.");
}

// --- option overload (52) ---------------------------------------------------------

TEST(WireDhcp, OverloadedFileAndSnameFieldsAreReadAfterTheOptions) {
    // The options: message type and the overload; the file field names the
    // host, the sname field the vendor class, and repeats a host name that
    // must not replace the file field's.
    const DhcpMessage m = parse(request(hex("350101 340103 ff"), hex("3c03 616263 0c01 7a ff"),
                                        hex("0c04 63616d31 ff")));
    EXPECT_EQ(m.overload, 3);
    EXPECT_EQ(m.host_name, "cam1");
    EXPECT_EQ(m.vendor_class, "abc");
}

TEST(WireDhcp, TheOptionsFieldComesBeforeTheOverloadedOnes) {
    const DhcpMessage m = parse(request(hex("0c0161 340101 ff"), {}, hex("0c0162 3c0163 ff")));
    EXPECT_EQ(m.host_name, "a");
    EXPECT_EQ(m.vendor_class, "c");
}

TEST(WireDhcp, OverloadIsNotHonouredWithoutAnEndOrOutsideTheOptionsField) {
    const auto file = hex("0c0162 ff");
    // No End after the overload option: the file field is not read.
    EXPECT_EQ(parse(request(hex("340101"), {}, file)).host_name, "");
    // The same message with End: it is.
    EXPECT_EQ(parse(request(hex("340101 ff"), {}, file)).host_name, "b");
    // Only the sname field is overloaded (2): the file field is not read.
    EXPECT_EQ(parse(request(hex("340102 ff"), {}, file)).host_name, "");
    // Values other than 1..3 are not an overload.
    const DhcpMessage bad = parse(request(hex("340104 ff"), hex("0c0163 ff"), file));
    EXPECT_EQ(bad.overload, 0);
    EXPECT_EQ(bad.host_name, "");
    // An overload option inside the file field, pointing at sname, is ignored.
    EXPECT_EQ(parse(request(hex("340101 ff"), hex("0c0163 ff"), hex("340102 ff"))).host_name, "");
}

TEST(WireDhcp, OverloadedFieldEndsAtItsSizeWithoutEnd) {
    // A host name option that would run past the 64-byte sname field.
    std::vector<uint8_t> sname = hex("3c0178 0c3f");
    sname.resize(64, 'h');
    const DhcpMessage m = parse(request(hex("340102 ff"), sname));
    EXPECT_EQ(m.vendor_class, "x");
    EXPECT_EQ(m.host_name, "");
}

TEST(WireDhcp, RandomBytesNeverBreakTheInvariants) {
    std::mt19937_64 rng(14);
    std::vector<uint8_t> buf(600);
    for (int i = 0; i < 20000; ++i) {
        const size_t n = 200 + size_t(rng() % 400);
        test::fill_random(rng, buf, n);
        if (i & 1) buf[236] = 99, buf[237] = 130, buf[238] = 83, buf[239] = 99;
        DhcpMessage m;
        if (!parse_dhcp_message(buf.data(), n, &m)) continue;
        for (const std::string *s : {&m.host_name, &m.vendor_class, &m.fqdn}) {
            ASSERT_LE(s->size(), 4 * 255u);
            for (char c : *s) ASSERT_TRUE(c >= 0x20 && c <= 0x7e);
        }
        ASSERT_LE(m.client_id.size(), 255u);
        ASSERT_LE(m.overload, 3);
    }
}

}  // namespace
}  // namespace phonehome::wire

// parse_dns_message with records: the A/AAAA, PTR, SRV, TXT and CNAME records
// of all three sections, as mDNS and LLMNR responders announce themselves, on
// hand-built messages (RFC 6762 / RFC 6763 layouts), hostile ones, every
// truncation, and real mDNS and LLMNR packets from the public corpora
// compared with what tshark shows for them. The plain path's results must not
// change when records are asked for.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "heuristics/wire/dns_message.hpp"
#include "test_helpers.hpp"

namespace phonehome::wire {
namespace {

using test::hex;
using test::ip;

struct Parsed {
    bool ok = false;
    DnsMessage msg;
    std::vector<DnsRecord> records;
};

Parsed parse(const std::vector<uint8_t> &m, size_t len = SIZE_MAX) {
    Parsed p;
    p.ok = parse_dns_message(m.data(), len < m.size() ? len : m.size(), &p.msg, &p.records);
    return p;
}

// An mDNS response of a camera announcing its web service, laid out as a
// responder writes it: the PTR answer, then SRV, TXT, A and AAAA in the
// additional section, all compressed. Offsets are in the comments.
const std::vector<uint8_t> kAnnounce = hex({
    "0000 8400 0000 0001 0000 0004",                          //   0 response, AA; AN 1, AR 4
    "05 5f68747470 04 5f746370 05 6c6f63616c 00",             //  12 _http._tcp.local ("local" at 23)
    "000c 0001 00001194 0006 03 63616d c00c",                 //  30 PTR, TTL 4500 -> cam.<12> (at 40)
    "c028 0021 8001 00000078 000c 0000 0000 0050 03 63616d c017",  //  46 SRV port 80 -> cam.local (at 64)
    "c028 0010 8001 00001194 000d 08 6d643d43616d2058 03 615c00",  //  70 TXT "md=Cam X", "a\\\0"
    "c040 0001 8001 00000078 0004 c0a80a05",                  //  95 cam.local A 192.168.10.5
    "c040 001c 8001 00000078 0010 fe80000000000000021122fffe334455",  // 111 cam.local AAAA
});                                                           // 139 end

TEST(WireDnsRecords, ResponderAnnouncementGivesEveryRecord) {
    ASSERT_EQ(kAnnounce.size(), 139u);
    const Parsed p = parse(kAnnounce);
    ASSERT_TRUE(p.ok);
    ASSERT_EQ(p.records.size(), 5u);

    const DnsRecord &ptr = p.records[0];
    EXPECT_EQ(ptr.section, DnsSection::Answer);
    EXPECT_EQ(ptr.type, kDnsTypePtr);
    EXPECT_EQ(ptr.owner, "_http._tcp.local");
    EXPECT_EQ(ptr.target, "cam._http._tcp.local");
    EXPECT_FALSE(ptr.cache_flush);
    EXPECT_EQ(ptr.ttl, 4500u);

    const DnsRecord &srv = p.records[1];
    EXPECT_EQ(srv.section, DnsSection::Additional);
    EXPECT_EQ(srv.type, kDnsTypeSrv);
    EXPECT_EQ(srv.owner, "cam._http._tcp.local");
    EXPECT_EQ(srv.target, "cam.local");
    EXPECT_EQ(srv.port, 80);
    EXPECT_TRUE(srv.cache_flush);
    EXPECT_EQ(srv.ttl, 120u);

    const DnsRecord &txt = p.records[2];
    EXPECT_EQ(txt.type, kDnsTypeTxt);
    EXPECT_EQ(txt.owner, "cam._http._tcp.local");
    // The space stays; the backslash and the NUL are written as \ddd.
    EXPECT_EQ(txt.txt, (std::vector<std::string>{"md=Cam X", "a\\092\\000"}));

    EXPECT_EQ(p.records[3].type, kDnsTypeA);
    EXPECT_EQ(p.records[3].owner, "cam.local");
    EXPECT_EQ(p.records[3].address, ip("192.168.10.5"));
    EXPECT_EQ(p.records[4].type, kDnsTypeAaaa);
    EXPECT_EQ(p.records[4].owner, "cam.local");
    EXPECT_EQ(p.records[4].address, ip("fe80::211:22ff:fe33:4455"));
    EXPECT_EQ(p.records[4].section, DnsSection::Additional);
}

TEST(WireDnsRecords, PlainResultsAreTheSameWithOrWithoutRecords) {
    const Parsed p = parse(kAnnounce);
    DnsMessage plain;
    ASSERT_TRUE(parse_dns_message(kAnnounce.data(), kAnnounce.size(), &plain));
    EXPECT_EQ(p.msg.response, plain.response);
    EXPECT_EQ(p.msg.query_name, plain.query_name);
    EXPECT_EQ(p.msg.names, plain.names);
    EXPECT_EQ(p.msg.addresses, plain.addresses);
    // Only the answer section feeds names and addresses.
    EXPECT_EQ(plain.names, std::vector<std::string>{"_http._tcp.local"});
    EXPECT_TRUE(plain.addresses.empty());

    DnsMessage with_null;
    ASSERT_TRUE(parse_dns_message(kAnnounce.data(), kAnnounce.size(), &with_null, nullptr));
    EXPECT_EQ(with_null.names, plain.names);
}

TEST(WireDnsRecords, EveryPrefixGivesTheWholeRecordsBeforeTheCut) {
    const size_t record_ends[] = {46, 70, 95, 111, 139};
    const Parsed full = parse(kAnnounce);
    for (size_t k = 0; k <= kAnnounce.size(); ++k) {
        SCOPED_TRACE("prefix length " + std::to_string(k));
        const Parsed p = parse(kAnnounce, k);
        EXPECT_EQ(p.ok, k >= 12);
        size_t whole = 0;
        for (size_t end : record_ends) whole += k >= end;
        ASSERT_EQ(p.records.size(), whole);
        for (size_t i = 0; i < whole; ++i) {
            EXPECT_EQ(p.records[i].owner, full.records[i].owner);
            EXPECT_EQ(p.records[i].target, full.records[i].target);
            EXPECT_EQ(p.records[i].txt, full.records[i].txt);
            EXPECT_EQ(p.records[i].address, full.records[i].address);
        }
    }
}

TEST(WireDnsRecords, RecordsThatDoNotFitTheirTypeAreSkippedAndTheParseGoesOn) {
    const auto msg = hex({"0000 8400 0000 0008 0000 0000",
                          "01 61 00 0001 0001 00000001 0005 0a00000100",  //  12 A of 5 bytes
                          "c00c 001c 0001 00000001 0004 0a000002",        //  30 AAAA of 4
                          "c00c 000c 0001 00000001 0002 03 62",           //  46 PTR target past its rdata
                          "c00c 0021 0001 00000001 0004 0000 0000",       //  60 SRV without room for a target
                          "c00c 0010 0001 00000001 0003 05 6162",         //  76 TXT string past its rdata
                          "c00c 0001 0003 00000001 0004 0a000003",        //  91 A of class CHAOS
                          "c00c 000f 0001 00000001 0004 0000 c00c",       // 107 MX: not held
                          "c00c 0001 0001 00000001 0004 0a000004"});      // 123 A 10.0.0.4
    const Parsed p = parse(msg);
    ASSERT_TRUE(p.ok);
    ASSERT_EQ(p.records.size(), 1u);
    EXPECT_EQ(p.records[0].address, ip("10.0.0.4"));
    // All eight were whole records, so the plain result names each owner.
    EXPECT_EQ(p.msg.names.size(), 8u);
}

TEST(WireDnsRecords, AnswerCnameWithABrokenTargetEndsTheParseAsItDoesForNames) {
    const auto msg = hex({"0000 8180 0000 0002 0000 0001", "01 61 00 0005 0001 00000001 0002 03 77",
                          "c00c 0001 0001 00000001 0004 0a000001", "c00c 0001 0001 00000001 0004 0a000002"});
    const Parsed p = parse(msg);
    ASSERT_TRUE(p.ok);
    EXPECT_TRUE(p.records.empty());
    EXPECT_TRUE(p.msg.names.empty());
}

TEST(WireDnsRecords, CnameAndEmptyTxtAreRecords) {
    const auto msg = hex({"0000 8180 0000 0002 0000 0000", "01 61 00 0005 0001 00000001 0004 01 62 c00c",  // a CNAME b.a
                          "c00c 0010 0001 00000001 0000"});  // TXT with no strings
    const Parsed p = parse(msg);
    ASSERT_EQ(p.records.size(), 2u);
    EXPECT_EQ(p.records[0].type, kDnsTypeCname);
    EXPECT_EQ(p.records[0].target, "b.a");
    EXPECT_EQ(p.records[1].type, kDnsTypeTxt);
    EXPECT_TRUE(p.records[1].txt.empty());
}

TEST(WireDnsRecords, ProbeQueryHasItsClaimInTheAuthoritySection) {
    // RFC 6762 8.2: "cam.local ANY?" with the A record it is about to claim.
    const auto msg = hex({"0000 0000 0001 0000 0001 0000", "03 63616d 05 6c6f63616c 00 00ff 8001",  // 12 QU ANY
                          "c00c 0001 0001 00000078 0004 c0a80a05"});
    const Parsed p = parse(msg);
    ASSERT_TRUE(p.ok);
    EXPECT_FALSE(p.msg.response);
    EXPECT_EQ(p.msg.query_name, "cam.local");
    ASSERT_EQ(p.records.size(), 1u);
    EXPECT_EQ(p.records[0].section, DnsSection::Authority);
    EXPECT_EQ(p.records[0].owner, "cam.local");
    EXPECT_EQ(p.records[0].address, ip("192.168.10.5"));
}

TEST(WireDnsRecords, LoopingOwnerInTheAdditionalSectionEndsTheParse) {
    const auto msg = hex({"0000 8400 0000 0001 0000 0002", "01 61 00 0001 0001 00000001 0004 0a000001",  // 12
                          "c01d 0001 0001 00000001 0004 0a000002",   // 29 owner points at itself
                          "c00c 0001 0001 00000001 0004 0a000003"}); // 45 never reached
    const Parsed p = parse(msg);
    ASSERT_TRUE(p.ok);
    ASSERT_EQ(p.records.size(), 1u);
    EXPECT_EQ(p.records[0].address, ip("10.0.0.1"));
}

TEST(WireDnsRecords, HugeCountsReadOnlyWhatIsThereAndRecordsAreCapped) {
    // ARCOUNT 65535 with 100 A records present.
    std::vector<uint8_t> msg = hex({"0000 8400 0000 0000 0000 ffff"});
    for (int i = 0; i < 100; ++i) {
        const auto rr = hex({"00 0001 0001 00000001 0004 0a0000"});
        msg.insert(msg.end(), rr.begin(), rr.end());
        msg.push_back(uint8_t(i));
    }
    const Parsed p = parse(msg);
    ASSERT_TRUE(p.ok);
    ASSERT_EQ(p.records.size(), kDnsMaxRecords);
    EXPECT_EQ(p.records.back().address, ip("10.0.0.63"));
    EXPECT_EQ(p.records.back().owner, "<Root>");
}

TEST(WireDnsRecords, TxtStringsAreCapped) {
    std::vector<uint8_t> msg = hex({"0000 8400 0000 0001 0000 0000", "00 0010 0001 00000001 0028"});  // 40 bytes
    for (int i = 0; i < 40; ++i) msg.push_back(0);  // 40 empty strings
    const Parsed p = parse(msg);
    ASSERT_EQ(p.records.size(), 1u);
    EXPECT_EQ(p.records[0].txt.size(), kDnsMaxTxtStrings);
}

TEST(WireDnsRecords, RecordsAreClearedOnReuse) {
    Parsed p = parse(kAnnounce);
    ASSERT_FALSE(p.records.empty());
    const uint8_t junk[3] = {1, 2, 3};
    EXPECT_FALSE(parse_dns_message(junk, sizeof junk, &p.msg, &p.records));
    EXPECT_TRUE(p.records.empty());
}

// --- real packets ---------------------------------------------------------------
// UDP payloads copied from /work/shared/captures/corpora/ with
//   tshark -r FILE -Y frame.number==N -T fields -e udp.payload
// and the expected values from
//   tshark ... -e dns.resp.name -e dns.resp.type -e dns.ptr.domain_name -e dns.srv.target -e dns.srv.port
//              -e dns.a -e dns.aaaa -e dns.txt -e dns.resp.ttl

// ndpi/telegram.pcap frame 4: a Sonos speaker (192.168.1.69) answers for its
// Spotify Connect service; its host name and address ride in the additional
// section.
const std::vector<uint8_t> kSonos = hex(
    "000084000000000100000003105f73706f746966792d636f6e6e656374045f746370056c6f63616c00000c000100000078002f11736f6e"
    "6f73373832384341303546414343105f73706f746966792d636f6e6e656374045f746370056c6f63616c0011736f6e6f7337383238434130"
    "3546414343105f73706f746966792d636f6e6e656374045f746370056c6f63616c000010800100001194001d0b56455253494f4e3d312e30"
    "1043506174683d2f73706f746966797a6311736f6e6f73373832384341303546414343105f73706f746966792d636f6e6e656374045f7463"
    "70056c6f63616c000021800100000078001f00000000057811736f6e6f73373832384341303546414343056c6f63616c0011736f6e6f7337"
    "3832384341303546414343056c6f63616c0000018001000000780004c0a80145");

TEST(WireDnsRecords, RealMdnsSonosAnnouncementAgreesWithTshark) {
    const Parsed p = parse(kSonos);
    ASSERT_TRUE(p.ok);
    EXPECT_TRUE(p.msg.response);
    const std::string instance = "sonos7828CA05FACC._spotify-connect._tcp.local";
    ASSERT_EQ(p.records.size(), 4u);
    // dns.resp.type 12,16,33,1; dns.resp.ttl 120,4500,120,120
    EXPECT_EQ(p.records[0].type, kDnsTypePtr);
    EXPECT_EQ(p.records[0].owner, "_spotify-connect._tcp.local");
    EXPECT_EQ(p.records[0].target, instance);  // dns.ptr.domain_name
    EXPECT_EQ(p.records[0].ttl, 120u);
    EXPECT_EQ(p.records[1].type, kDnsTypeTxt);
    EXPECT_EQ(p.records[1].owner, instance);
    EXPECT_EQ(p.records[1].txt, (std::vector<std::string>{"VERSION=1.0", "CPath=/spotifyzc"}));  // dns.txt
    EXPECT_EQ(p.records[1].ttl, 4500u);
    EXPECT_EQ(p.records[2].type, kDnsTypeSrv);
    EXPECT_EQ(p.records[2].target, "sonos7828CA05FACC.local");  // dns.srv.target
    EXPECT_EQ(p.records[2].port, 1400);                          // dns.srv.port
    EXPECT_EQ(p.records[3].type, kDnsTypeA);
    EXPECT_EQ(p.records[3].owner, "sonos7828CA05FACC.local");  // dns.resp.name
    EXPECT_EQ(p.records[3].address, ip("192.168.1.69"));       // dns.a, and the packet's ip.src
    EXPECT_EQ(p.records[3].section, DnsSection::Additional);
    for (const DnsRecord &r : p.records) EXPECT_EQ(r.cache_flush, r.type != kDnsTypePtr);  // dns.resp.cache_flush
}

// What identity learning asks for: only the addresses, the same records as
// in the full list, in its order, with everything else unchanged.
TEST(WireDnsRecords, AddressesAloneAreTheFullListsAddressRecords) {
    for (const std::vector<uint8_t> *m : {&kSonos, &kAnnounce}) {
        const Parsed full = parse(*m);
        DnsMessage msg;
        std::vector<DnsRecord> addresses;
        ASSERT_TRUE(parse_dns_message(m->data(), m->size(), &msg, &addresses, DnsRecordKinds::Addresses));
        EXPECT_EQ(msg.names, full.msg.names);
        EXPECT_EQ(msg.addresses, full.msg.addresses);
        std::vector<const DnsRecord *> expected;
        for (const DnsRecord &r : full.records)
            if (r.type == kDnsTypeA || r.type == kDnsTypeAaaa) expected.push_back(&r);
        ASSERT_EQ(addresses.size(), expected.size());
        ASSERT_FALSE(addresses.empty());
        for (size_t i = 0; i < addresses.size(); ++i) {
            EXPECT_EQ(addresses[i].owner, expected[i]->owner);
            EXPECT_EQ(addresses[i].address, expected[i]->address);
            EXPECT_EQ(addresses[i].section, expected[i]->section);
            EXPECT_EQ(addresses[i].ttl, expected[i]->ttl);
            EXPECT_EQ(addresses[i].cache_flush, expected[i]->cache_flush);
        }
    }
    EXPECT_EQ(parse(kSonos).records.size(), 4u);  // PTR, TXT, SRV and the A record
}

// The other records still count towards the cap: an A record past the 64th
// record is no more kept alone than in the full list.
TEST(WireDnsRecords, AddressesAloneKeepTheFullListsCap) {
    std::vector<uint8_t> msg = hex({"0000 8400 0000 0000 0000 0050"});  // ARCOUNT 80
    for (int i = 0; i < 70; ++i) {
        const auto txt = hex({"00 0010 0001 00000001 0002 0161"});  // TXT "a"
        msg.insert(msg.end(), txt.begin(), txt.end());
    }
    for (int i = 0; i < 10; ++i) {
        const auto rr = hex({"00 0001 0001 00000001 0004 0a000001"});
        msg.insert(msg.end(), rr.begin(), rr.end());
    }
    DnsMessage m;
    std::vector<DnsRecord> addresses;
    ASSERT_TRUE(parse_dns_message(msg.data(), msg.size(), &m, &addresses, DnsRecordKinds::Addresses));
    EXPECT_TRUE(addresses.empty());
    EXPECT_EQ(parse(msg).records.size(), kDnsMaxRecords);
}

TEST(WireDnsRecords, RealLlmnrResponseAgreesWithTshark) {
    // suricata-verify/llmnr__llmnr-udp__input.pcap frame 2: 192.168.10.101
    // answers "hs2011?" with its own single-label name and address.
    const auto msg = hex(
        "c341800000010001000000000668733230313100000100010648533230313100000100010000001e0004c0a80a65");
    const Parsed p = parse(msg);
    ASSERT_TRUE(p.ok);
    EXPECT_TRUE(p.msg.response);
    EXPECT_EQ(p.msg.query_name, "hs2011");  // dns.qry.name
    ASSERT_EQ(p.records.size(), 1u);
    EXPECT_EQ(p.records[0].section, DnsSection::Answer);
    EXPECT_EQ(p.records[0].type, kDnsTypeA);          // dns.resp.type 1
    EXPECT_EQ(p.records[0].owner, "HS2011");          // dns.resp.name
    EXPECT_EQ(p.records[0].address, ip("192.168.10.101"));  // dns.a, and the packet's ip.src
    EXPECT_EQ(p.records[0].ttl, 30u);                 // dns.resp.ttl
    EXPECT_FALSE(p.records[0].cache_flush);
}

TEST(WireDnsRecords, RealLlmnrResponseWithAuthorityAndAdditionalAgreesWithTshark) {
    // suricata-verify/llmnr__llmnr-sticky-buffers__input.pcap frame 2: one
    // answer, an NS record (not held) in authority and its glue A record in
    // additional. dns.resp.name testhost.local|local|auth.local, dns.resp.type
    // 1|2|1, dns.a 192.168.1.200|192.168.1.1.
    const auto msg = hex(
        "04d2850000010001000100010874657374686f7374056c6f63616c00000100010874657374686f7374056c6f63616c000001000100"
        "0000780004c0a801c8056c6f63616c000002000100000e10000c0461757468056c6f63616c000461757468056c6f63616c0000010001"
        "000000780004c0a80101");
    const Parsed p = parse(msg);
    ASSERT_TRUE(p.ok);
    ASSERT_EQ(p.records.size(), 2u);
    EXPECT_EQ(p.records[0].owner, "testhost.local");
    EXPECT_EQ(p.records[0].address, ip("192.168.1.200"));
    EXPECT_EQ(p.records[1].section, DnsSection::Additional);
    EXPECT_EQ(p.records[1].owner, "auth.local");
    EXPECT_EQ(p.records[1].address, ip("192.168.1.1"));
    // The plain result has the answer's address only.
    EXPECT_EQ(p.msg.addresses, std::vector<IpAddress>{ip("192.168.1.200")});
}

}  // namespace
}  // namespace phonehome::wire

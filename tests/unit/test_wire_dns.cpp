// parse_dns_message: names, answer addresses and the QR bit read straight from
// DNS message bytes, on hand-built messages (RFC 1035 layout), hostile
// compression, every truncation, and real responses from the public captures
// compared with what tshark shows for them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "heuristics/wire/dns_message.hpp"
#include "test_helpers.hpp"

namespace phonehome::wire {
namespace {

using test::ip;

std::vector<uint8_t> bytes(std::initializer_list<const char *> parts) { return test::hex(parts); }

DnsMessage parse(const std::vector<uint8_t> &m, bool *ok = nullptr) {
    DnsMessage out;
    const bool r = parse_dns_message(m.data(), m.size(), &out);
    if (ok) *ok = r;
    return out;
}

std::vector<IpAddress> ips(std::initializer_list<const char *> texts) {
    std::vector<IpAddress> v;
    for (const char *t : texts) v.push_back(ip(t));
    return v;
}

// www.example.com A IN, answered through a CNAME chain:
//   www.example.com  CNAME web.example.com
//   web.example.com  CNAME edge.cdn.example.net
//   edge.cdn.example.net A 192.0.2.1, A 192.0.2.2, AAAA 2001:db8::1
// plus, in the additional section, a glue-like A 198.51.100.7 and an EDNS OPT
// record, neither of which may be reported. Offsets are in the comments.
const std::vector<uint8_t> kChain = bytes({
    "1234 8180 0001 0005 0000 0002",                   //  0 header: response, RD RA, QD 1 AN 5 AR 2
    "03 777777 07 6578616d706c65 03 636f6d 00",        // 12 www.example.com ("example" at 16)
    "0001 0001",                                       // 29 A IN
    "c00c 0005 0001 0000012c 0006 03 776562 c010",     // 33 CNAME web.<16> (target at 45)
    "c02d 0005 0001 0000003c 0016",                    // 51 web.example.com CNAME
    "04 65646765 03 63646e 07 6578616d706c65 03 6e6574 00",  // 63 edge.cdn.example.net
    "c03f 0001 0001 0000001e 0004 c0000201",           // 85 A 192.0.2.1
    "c03f 0001 0001 0000001e 0004 c0000202",           // 101 A 192.0.2.2
    "c03f 001c 0001 0000001e 0010 20010db8000000000000000000000001",  // 117 AAAA 2001:db8::1
    "c03f 0001 0001 0000001e 0004 c6336407",           // 145 additional: A 198.51.100.7
    "00 0029 1000 00000000 0000",                      // 161 additional: OPT, 4096-byte UDP
});                                                    // 172 end

const std::vector<std::string> kChainNames = {
    "www.example.com", "www.example.com", "web.example.com", "web.example.com", "edge.cdn.example.net",
    "edge.cdn.example.net", "edge.cdn.example.net", "edge.cdn.example.net"};

TEST(WireDns, ChainResponseGivesNamesAndAnswerAddresses) {
    ASSERT_EQ(kChain.size(), 172u);
    bool ok = false;
    const DnsMessage m = parse(kChain, &ok);
    ASSERT_TRUE(ok);
    EXPECT_TRUE(m.response);
    EXPECT_EQ(m.query_name, "www.example.com");
    EXPECT_EQ(m.names, kChainNames);
    // The additional section's 198.51.100.7 must not be here.
    EXPECT_EQ(m.addresses, ips({"192.0.2.1", "192.0.2.2", "2001:db8::1"}));
}

TEST(WireDns, QueryHasItsNameAndNoAddresses) {
    const auto query = bytes({"abcd 0100 0001 0000 0000 0000", "03 777777 07 6578616d706c65 03 636f6d 00 0001 0001"});
    bool ok = false;
    const DnsMessage m = parse(query, &ok);
    ASSERT_TRUE(ok);
    EXPECT_FALSE(m.response);
    EXPECT_EQ(m.query_name, "www.example.com");
    EXPECT_EQ(m.names, std::vector<std::string>{"www.example.com"});
    EXPECT_TRUE(m.addresses.empty());
}

// Each prefix parses to exactly the questions and answer records that are
// whole in it.
TEST(WireDns, EveryPrefixGivesTheWholeRecordsBeforeTheCut) {
    struct Stage {
        size_t from;  // prefixes of at least this length ...
        size_t names, addresses;
    };
    const Stage stages[] = {{33, 1, 0}, {51, 3, 0}, {85, 5, 0}, {101, 6, 1}, {117, 7, 2}, {145, 8, 3}};
    const DnsMessage full = parse(kChain);
    for (size_t k = 0; k <= kChain.size(); ++k) {
        SCOPED_TRACE("prefix length " + std::to_string(k));
        DnsMessage m;
        const bool ok = parse_dns_message(kChain.data(), k, &m);
        if (k < 33) {
            EXPECT_FALSE(ok);
            EXPECT_TRUE(m.names.empty() && m.addresses.empty() && m.query_name.empty());
            continue;
        }
        ASSERT_TRUE(ok);
        size_t names = 0, addresses = 0;
        for (const Stage &s : stages)
            if (k >= s.from) names = s.names, addresses = s.addresses;
        EXPECT_TRUE(m.response);
        EXPECT_EQ(m.query_name, "www.example.com");
        EXPECT_EQ(m.names, std::vector<std::string>(full.names.begin(), full.names.begin() + names));
        EXPECT_EQ(m.addresses, std::vector<IpAddress>(full.addresses.begin(), full.addresses.begin() + addresses));
    }
}

TEST(WireDns, OutputIsResetOnReuse) {
    DnsMessage m;
    ASSERT_TRUE(parse_dns_message(kChain.data(), kChain.size(), &m));
    const uint8_t junk[3] = {1, 2, 3};
    EXPECT_FALSE(parse_dns_message(junk, sizeof junk, &m));
    EXPECT_FALSE(m.response);
    EXPECT_TRUE(m.query_name.empty() && m.names.empty() && m.addresses.empty());
    EXPECT_FALSE(parse_dns_message(nullptr, 0, &m));
}

// --- compression ----------------------------------------------------------

TEST(WireDns, PointerToItselfIsRefused) {
    bool ok = true;
    parse(bytes({"0000 8180 0001 0000 0000 0000", "c00c 0001 0001"}), &ok);
    EXPECT_FALSE(ok);
}

TEST(WireDns, PointerBackIntoItsOwnNameIsALoopAndRefused) {
    // "a" then a pointer to the "a" label: a.a.a.a... for ever.
    bool ok = true;
    parse(bytes({"0000 8180 0001 0000 0000 0000", "01 61 c00c 0001 0001"}), &ok);
    EXPECT_FALSE(ok);
}

TEST(WireDns, TwoPointersAtEachOtherAreRefused) {
    // The answer's owner (at 19) points to 35, which points back to 19: the
    // first of the two is a forward pointer. The question still counts.
    bool ok = false;
    const DnsMessage m = parse(bytes({"0000 8180 0001 0001 0000 0000", "01 61 00 0001 0001",
                                      "c023 0001 0001 00000001 0004 0a000001", "c013"}),
                               &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.names, std::vector<std::string>{"a"});
    EXPECT_TRUE(m.addresses.empty());
}

TEST(WireDns, ForwardPointerInTheQuestionIsRefused) {
    // The question's name points at a valid name further on.
    bool ok = true;
    parse(bytes({"0000 0100 0001 0000 0000 0000", "c012 0001 0001", "01 61 00"}), &ok);
    EXPECT_FALSE(ok);
}

TEST(WireDns, ForwardPointerInAnAnswerEndsTheParseThere) {
    // Second answer's owner points forward (to 60) at a valid name.
    const auto msg = bytes({"0000 8180 0001 0002 0000 0000",         // 0
                            "01 61 00 0001 0001",                    // 12 question "a"
                            "c00c 0001 0001 00000001 0004 0a000001",  // 19 a A 10.0.0.1
                            "c03c 0001 0001 00000001 0004 0a000002",  // 35 <60> A 10.0.0.2
                            "00 00 00 00 00 00 00 00 00",             // 51 filler
                            "01 62 00"});                            // 60 "b"
    bool ok = false;
    const DnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.names, (std::vector<std::string>{"a", "a"}));
    EXPECT_EQ(m.addresses, ips({"10.0.0.1"}));
}

// A chain of `pointers` pointers, each to the one before, the first to the
// question name "a" at 12; then an A record whose owner points at the last
// one, so its name takes pointers + 1 jumps.
std::vector<uint8_t> pointer_chain(size_t pointers) {
    std::vector<uint8_t> m = bytes({"0000 8180 0001 0002 0000 0000", "01 61 00 0001 0001"});  // question at 12
    // First answer: owner "a" (pointer), a private type whose rdata holds the chain.
    const size_t rdlen = 2 * pointers;
    const auto rr = bytes({"c00c ff00 0001 00000001"});
    m.insert(m.end(), rr.begin(), rr.end());
    m.push_back(uint8_t(rdlen >> 8));
    m.push_back(uint8_t(rdlen));
    size_t prev = 12;
    for (size_t i = 0; i < pointers; ++i) {
        const size_t here = m.size();
        m.push_back(uint8_t(0xc0 | prev >> 8));
        m.push_back(uint8_t(prev));
        prev = here;
    }
    m.push_back(uint8_t(0xc0 | prev >> 8));
    m.push_back(uint8_t(prev));
    const auto a = bytes({"0001 0001 00000001 0004 0a000009"});
    m.insert(m.end(), a.begin(), a.end());
    return m;
}

TEST(WireDns, ThirtyTwoPointerJumpsAreFollowedAndThirtyThreeAreNot) {
    bool ok = false;
    DnsMessage m = parse(pointer_chain(31), &ok);  // 32 jumps
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.names, (std::vector<std::string>{"a", "a", "a"}));
    EXPECT_EQ(m.addresses, ips({"10.0.0.9"}));

    m = parse(pointer_chain(32), &ok);  // 33 jumps: the A record is malformed
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.names, (std::vector<std::string>{"a", "a"}));
    EXPECT_TRUE(m.addresses.empty());
}

// --- name text --------------------------------------------------------------

std::vector<uint8_t> question_with_labels(const std::vector<std::string> &labels) {
    std::vector<uint8_t> m = bytes({"0000 0100 0001 0000 0000 0000"});
    for (const std::string &l : labels) {
        m.push_back(uint8_t(l.size()));
        m.insert(m.end(), l.begin(), l.end());
    }
    const auto tail = bytes({"00 0001 0001"});
    m.insert(m.end(), tail.begin(), tail.end());
    return m;
}

TEST(WireDns, RootNameIsWrittenAsWiresharkDoes) {
    bool ok = false;
    const DnsMessage m = parse(bytes({"0000 0100 0001 0000 0000 0000", "00 0002 0001"}), &ok);  // . NS
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.query_name, "<Root>");
}

TEST(WireDns, OddLabelBytesAreEscapedAsDecimal) {
    // "a.b", "c\d", " x", 0x7f 0x00 0xff, then "com"
    const auto msg = bytes({"0000 0100 0001 0000 0000 0000", "03 612e62 03 635c64 02 2078 03 7f00ff 03 636f6d 00",
                            "0001 0001"});
    bool ok = false;
    const DnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.query_name, "a\\046b.c\\092d.\\032x.\\127\\000\\255.com");
}

TEST(WireDns, NameTextIsLimitedTo1024Characters) {
    // 16 labels of 62 and one of 16: 1008 characters and 16 dots.
    std::vector<std::string> labels(16, std::string(62, 'x'));
    labels.push_back(std::string(16, 'y'));
    bool ok = false;
    DnsMessage m = parse(question_with_labels(labels), &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.query_name.size(), 1024u);

    labels.back().push_back('y');
    m = parse(question_with_labels(labels), &ok);
    EXPECT_FALSE(ok);

    // Escapes count: 5 labels of 63 zero bytes are 5 * 252 characters.
    m = parse(question_with_labels(std::vector<std::string>(5, std::string(63, '\0'))), &ok);
    EXPECT_FALSE(ok);
    m = parse(question_with_labels(std::vector<std::string>(4, std::string(63, '\0'))), &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.query_name.size(), 4 * 252u + 3);
}

TEST(WireDns, ReservedLabelTypesAreRefused) {
    bool ok = true;
    parse(bytes({"0000 0100 0001 0000 0000 0000", "41 61 00 0001 0001"}), &ok);  // 0x40: extended label
    EXPECT_FALSE(ok);
    parse(bytes({"0000 0100 0001 0000 0000 0000", "81 61 00 0001 0001"}), &ok);  // 0x80
    EXPECT_FALSE(ok);
}

// --- sections and record types ------------------------------------------------

TEST(WireDns, AllQuestionsAreNamed) {
    const auto msg = bytes({"0000 0100 0002 0000 0000 0000", "01 61 03 636f6d 00 0001 0001",  // 12 a.com
                            "01 62 c00e 0001 0001"});                                          // 23 b.<com>
    bool ok = false;
    const DnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.query_name, "a.com");
    EXPECT_EQ(m.names, (std::vector<std::string>{"a.com", "b.com"}));
}

TEST(WireDns, NoQuestionStillReadsTheAnswers) {
    const auto msg = bytes({"0000 8400 0000 0001 0000 0000", "01 61 00 0001 0001 00000001 0004 0a000001"});
    bool ok = false;
    const DnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.query_name, "");
    EXPECT_EQ(m.names, std::vector<std::string>{"a"});
    EXPECT_EQ(m.addresses, ips({"10.0.0.1"}));
}

TEST(WireDns, OtherRecordTypesAreSkippedByTheirLength) {
    const auto msg = bytes({"0000 8180 0001 0004 0000 0000", "01 61 00 0010 0001",  // a TXT
                            "c00c 0010 0001 00000001 0006 05 68656c6c6f",          // TXT "hello"
                            "c00c 002e 0001 00000001 0003 c00c00",                 // RRSIG-typed junk with a pointer
                            "c00c 0001 0001 00000001 0004 0a000003",               // A 10.0.0.3
                            "c00c 001c 0001 00000001 0010 fe800000000000000000000000000001"});  // AAAA fe80::1
    bool ok = false;
    const DnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.names, (std::vector<std::string>{"a", "a", "a", "a", "a"}));
    EXPECT_EQ(m.addresses, ips({"10.0.0.3", "fe80::1"}));
}

TEST(WireDns, AddressesNeedClassInAndTheRightLength) {
    const auto msg = bytes({"0000 8180 0001 0005 0000 0000", "01 61 00 0001 0001",
                            "c00c 0001 0003 00000001 0004 0a000001",                        // CHAOS: no
                            "c00c 0001 0001 00000001 0005 0a00000200",                      // 5-byte A: no
                            "c00c 001c 0001 00000001 0004 0a000003",                        // 4-byte AAAA: no
                            "c00c 0001 8001 00000078 0004 0a000004",                        // mDNS cache flush: yes
                            "c00c 0001 0001 00000001 0004 0a000005"});                      // plain: yes
    bool ok = false;
    const DnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.names.size(), 6u);
    EXPECT_EQ(m.addresses, ips({"10.0.0.4", "10.0.0.5"}));
}

TEST(WireDns, AuthorityAndAdditionalSectionsAreNotRead) {
    // One answer, one NS in authority, the NS host's A in additional.
    const auto msg = bytes({"0000 8180 0001 0001 0001 0001", "01 61 00 0001 0001",   // 12 question a
                            "c00c 0001 0001 00000001 0004 0a000001",                // 19 a A 10.0.0.1
                            "c00c 0002 0001 00000001 0005 026e73 c00c",             // 35 a NS ns.a
                            "c02f 0001 0001 00000001 0004 0a000035"});               // 52 ns.a A 10.0.0.53
    bool ok = false;
    const DnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.names, (std::vector<std::string>{"a", "a"}));
    EXPECT_EQ(m.addresses, ips({"10.0.0.1"}));
}

TEST(WireDns, CnameTargetMustLieInsideItsRdata) {
    // RDLENGTH 2 cuts "web" short: the record and everything after is dropped.
    const auto msg = bytes({"0000 8180 0001 0002 0000 0000", "01 61 00 0001 0001",
                            "c00c 0005 0001 00000001 0002 03 776562 00",
                            "c00c 0001 0001 00000001 0004 0a000001"});
    bool ok = false;
    const DnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.names, std::vector<std::string>{"a"});
    EXPECT_TRUE(m.addresses.empty());
}

TEST(WireDns, RdataPastTheEndStopsTheParse) {
    const auto msg = bytes({"0000 8180 0001 0002 0000 0000", "01 61 00 0001 0001",
                            "c00c 0001 0001 00000001 0004 0a000001",
                            "c00c 0001 0001 00000001 0008 0a000002"});  // claims 8, has 4
    bool ok = false;
    const DnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.addresses, ips({"10.0.0.1"}));
    EXPECT_EQ(m.names.size(), 2u);
}

TEST(WireDns, NamesAndAddressesAreCappedAt64) {
    std::vector<uint8_t> msg = bytes({"0000 8180 0001 0064 0000 0000", "01 61 00 0001 0001"});  // 100 answers
    for (int i = 0; i < 100; ++i) {
        const auto rr = bytes({"c00c 0001 0001 00000001 0004 0a0000"});
        msg.insert(msg.end(), rr.begin(), rr.end());
        msg.push_back(uint8_t(i));
    }
    bool ok = false;
    const DnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.names.size(), kDnsMaxNames);
    ASSERT_EQ(m.addresses.size(), kDnsMaxAddresses);
    EXPECT_EQ(m.addresses.front(), ip("10.0.0.0"));
    EXPECT_EQ(m.addresses.back(), ip("10.0.0.63"));
}

TEST(WireDns, HeaderOnlyOrCutQuestionIsRefused) {
    bool ok = true;
    parse(bytes({"0000 8180 0001 0000 0000"}), &ok);  // 10 bytes
    EXPECT_FALSE(ok);
    parse(bytes({"0000 8180 0001 0000 0000 0000 01 61 00 0001"}), &ok);  // no QCLASS
    EXPECT_FALSE(ok);
    parse(bytes({"0000 8180 0000 0000 0000 0000"}), &ok);  // no question to parse
    EXPECT_TRUE(ok);
}

TEST(WireDns, RandomBytesNeverBreakTheInvariants) {
    std::mt19937_64 rng(7);
    std::vector<uint8_t> buf(600);
    for (int i = 0; i < 20000; ++i) {
        const size_t n = size_t(rng() % buf.size());
        test::fill_random(rng, buf, n);
        if (n >= 12 && (i & 1)) buf[4] = 0, buf[5] = 1, buf[6] = 0, buf[7] = uint8_t(rng() % 8);  // plausible counts
        DnsMessage m;
        if (!parse_dns_message(buf.data(), n, &m)) continue;
        ASSERT_LE(m.names.size(), kDnsMaxNames);
        ASSERT_LE(m.addresses.size(), kDnsMaxAddresses);
        if (!m.query_name.empty()) {
            ASSERT_EQ(m.query_name, m.names.front());
        }
        for (const std::string &name : m.names) {
            ASSERT_FALSE(name.empty());
            ASSERT_LE(name.size(), kDnsMaxNameText);
            for (char c : name) ASSERT_TRUE(c >= 0x21 && c <= 0x7e);
        }
    }
}

// --- real captures ------------------------------------------------------------
// UDP payloads copied from /work/shared/captures/public/ with
//   tshark -r FILE -Y frame.number==N -T fields -e udp.payload
// and the expected values from
//   tshark ... -e dns.qry.name -e dns.resp.name -e dns.cname -e dns.a -e dns.aaaa

// ndpi-alexa-app.pcapng frame 63: www.amazon.com, two CNAMEs and four A records.
const std::vector<uint8_t> kAmazon = test::hex(
    "a88a818000010006000000000377777706616d617a6f6e03636f6d0000010001c00c00050001000004e8000a037777770363646ec010c02c"
    "0005000100000006001f0e643361673468756b6b683632796e0a636c6f756466726f6e74036e657400c042000100010000000400043455d1"
    "c5c042000100010000000400043455d18fc042000100010000000400043455d1d8c042000100010000000400043455d17a");

TEST(WireDns, RealResponseAmazonCnameChainAgreesWithTshark) {
    bool ok = false;
    const DnsMessage m = parse(kAmazon, &ok);
    ASSERT_TRUE(ok);
    EXPECT_TRUE(m.response);
    EXPECT_EQ(m.query_name, "www.amazon.com");  // dns.qry.name
    // dns.qry.name, then per answer dns.resp.name (+ dns.cname for the CNAMEs)
    const std::string cf = "d3ag4hukkh62yn.cloudfront.net";
    EXPECT_EQ(m.names, (std::vector<std::string>{"www.amazon.com", "www.amazon.com", "www.cdn.amazon.com",
                                                 "www.cdn.amazon.com", cf, cf, cf, cf, cf}));
    EXPECT_EQ(m.addresses, ips({"52.85.209.197", "52.85.209.143", "52.85.209.216", "52.85.209.122"}));  // dns.a
}

TEST(WireDns, RealResponseAaaaAgreesWithTshark) {
    // ndpi-alexa-app.pcapng frame 16: connectivitycheck.android.com AAAA.
    const auto msg = test::hex(
        "5d508180000100010000000011636f6e6e6563746976697479636865636b07616e64726f696403636f6d00001c0001c00c001c000100"
        "00012b00102607f8b040000813000000000000200e");
    bool ok = false;
    const DnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_TRUE(m.response);
    EXPECT_EQ(m.query_name, "connectivitycheck.android.com");
    EXPECT_EQ(m.names, (std::vector<std::string>{"connectivitycheck.android.com", "connectivitycheck.android.com"}));
    EXPECT_EQ(m.addresses, ips({"2607:f8b0:4000:813::200e"}));  // dns.aaaa
}

TEST(WireDns, RealResponseNestCnameToEc2AgreesWithTshark) {
    // ndpi-nest_log_sink.pcap frame 213: the CNAME target's tail is a pointer
    // into the question name ("amazonaws" + <com>).
    const auto msg = test::hex(
        "6cc68180000100020000000007637a66653130350766726f6e7430310569616430310a70726f64756374696f6e046e65737403636f6d"
        "0000010001c00c00050001000000780028116563322d33352d3137342d38322d32333709636f6d707574652d3109616d617a6f6e617773"
        "c032c047000100010008f431000423ae52ed");
    bool ok = false;
    const DnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    const std::string q = "czfe105.front01.iad01.production.nest.com";
    const std::string ec2 = "ec2-35-174-82-237.compute-1.amazonaws.com";
    EXPECT_EQ(m.query_name, q);
    EXPECT_EQ(m.names, (std::vector<std::string>{q, q, ec2, ec2}));
    EXPECT_EQ(m.addresses, ips({"35.174.82.237"}));
}

TEST(WireDns, RealResponseEveryPrefixIsAPrefixOfTheResult) {
    const DnsMessage full = parse(kAmazon);
    const size_t question_end = 12 + 16 + 4;
    for (size_t k = 0; k <= kAmazon.size(); ++k) {
        DnsMessage m;
        const bool ok = parse_dns_message(kAmazon.data(), k, &m);
        ASSERT_EQ(ok, k >= question_end) << k;
        if (!ok) continue;
        ASSERT_LE(m.names.size(), full.names.size());
        ASSERT_LE(m.addresses.size(), full.addresses.size());
        EXPECT_TRUE(std::equal(m.names.begin(), m.names.end(), full.names.begin())) << k;
        EXPECT_TRUE(std::equal(m.addresses.begin(), m.addresses.end(), full.addresses.begin())) << k;
        if (k == kAmazon.size()) {
            EXPECT_EQ(m.addresses.size(), 4u);
        }
        if (k == kAmazon.size() - 1) {
            EXPECT_EQ(m.addresses.size(), 3u);
        }
    }
}

}  // namespace
}  // namespace phonehome::wire

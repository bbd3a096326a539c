// parse_nbns_message: NetBIOS names (first-level decoded, RFC 1001 14.1),
// questions, NB records and node status tables read from NetBIOS Name
// Service bytes (RFC 1002 4.2), on real packets from the public corpora
// compared with tshark's dissection, every truncation, and hand-built
// hostile messages.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "heuristics/wire/nbns_message.hpp"
#include "test_helpers.hpp"

namespace phonehome::wire {
namespace {

using test::hex;
using test::ip;

NbnsMessage parse(const std::vector<uint8_t> &m, bool *ok = nullptr, size_t len = SIZE_MAX) {
    return test::read_prefix<NbnsMessage>(parse_nbns_message, m, ok, len);
}

// The first-level encoding of a 16-byte name: "NAME" padded with spaces to
// 15 bytes, then `suffix`; as the 0x20 length byte and 32 letters.
std::string encoded(const std::string &name, uint8_t suffix) {
    std::string raw = name;
    raw.resize(15, ' ');
    raw.push_back(char(suffix));
    std::string out = "20";
    for (unsigned char c : raw) {
        static const char *digits = "0123456789abcdef";
        for (unsigned half : {unsigned(c) >> 4, unsigned(c) & 15u}) {
            const unsigned letter = 'A' + half;
            out.push_back(digits[letter >> 4]);
            out.push_back(digits[letter & 15]);
        }
    }
    return out;
}

// --- real packets ---------------------------------------------------------------
// UDP payloads from /work/shared/captures/corpora/ with
//   tshark -r FILE -Y frame.number==N -T fields -e udp.payload
// and the expected values from
//   tshark ... -T fields -E occurrence=a -e nbns.flags -e nbns.name -e nbns.type -e nbns.ttl
//     -e nbns.nb_flags -e nbns.addr -e nbns.number_of_names -e nbns.name_flags -e nbns.unit_id

// suricata-verify/smb2-ntlmssp-negotiateflags__input.pcap frame 25: a Windows
// 10 host (192.168.199.133) registers its workstation name by broadcast. The
// question ends at 50, the additional NB record (its name a pointer to the
// question's) at 68.
const std::vector<uint8_t> kRegistration = hex(
    "a7842910000100000000000120454545464644454c464545504641434e464744424547454244414646464241410000200001c00c00200001"
    "000493e000060000c0a8c785");

TEST(WireNbns, RealRegistrationAgreesWithTshark) {
    ASSERT_EQ(kRegistration.size(), 68u);
    bool ok = false;
    const NbnsMessage m = parse(kRegistration, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.transaction_id, 0xa784);
    EXPECT_FALSE(m.response);
    EXPECT_EQ(m.opcode, kNbnsRegistration);  // nbns.flags.opcode 5
    EXPECT_TRUE(m.broadcast);                // nbns.flags.broadcast
    ASSERT_EQ(m.questions.size(), 1u);
    EXPECT_EQ(m.questions[0].name.name, "DESKTOP-V1FA0UQ");  // nbns.name DESKTOP-V1FA0UQ<00>
    EXPECT_EQ(m.questions[0].name.suffix, kNbWorkstation);
    EXPECT_EQ(m.questions[0].name.scope, "");
    EXPECT_EQ(m.questions[0].type, kNbnsTypeNb);
    ASSERT_EQ(m.records.size(), 1u);
    const NbnsRecord &r = m.records[0];
    EXPECT_EQ(r.section, DnsSection::Additional);
    EXPECT_EQ(r.name.name, "DESKTOP-V1FA0UQ");
    EXPECT_EQ(r.type, kNbnsTypeNb);
    EXPECT_EQ(r.ttl, 300000u);  // nbns.ttl
    ASSERT_EQ(r.addresses.size(), 1u);
    EXPECT_EQ(r.addresses[0].flags, 0);                      // nbns.nb_flags 0x0000: unique, B-node
    EXPECT_EQ(r.addresses[0].address, ip("192.168.199.133"));  // nbns.addr, and the packet's ip.src
}

TEST(WireNbns, RealRegistrationEveryPrefixHasWhatIsWholeInIt) {
    for (size_t k = 0; k <= kRegistration.size(); ++k) {
        SCOPED_TRACE("prefix length " + std::to_string(k));
        bool ok = false;
        const NbnsMessage m = parse(kRegistration, &ok, k);
        ASSERT_EQ(ok, k >= 50);
        EXPECT_EQ(m.questions.size(), k >= 50 ? 1u : 0u);
        EXPECT_EQ(m.records.size(), k >= 68 ? 1u : 0u);
        EXPECT_EQ(m.opcode, k >= 50 ? kNbnsRegistration : 0);
    }
}

// ndpi/netbios.pcap frame 55: 10.0.4.24 answers a node status query with its
// name table and unit ID.
const std::vector<uint8_t> kNodeStatus = hex(
    "20a88400000000010000000020434b41414141414141414141414141414141414141414141414141414141414100002100010000000000"
    "770447554e4e4152202020202020202020000400564947494c414e545f47524f55502000840047554e4e4152202020202020202020200400"
    "564947494c414e545f47524f5550201e8400001cc410790f0000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000");

TEST(WireNbns, RealNodeStatusResponseAgreesWithTshark) {
    bool ok = false;
    const NbnsMessage m = parse(kNodeStatus, &ok);
    ASSERT_TRUE(ok);
    EXPECT_TRUE(m.response);
    EXPECT_EQ(m.opcode, kNbnsQuery);
    EXPECT_TRUE(m.questions.empty());
    ASSERT_EQ(m.records.size(), 1u);
    const NbnsRecord &r = m.records[0];
    // nbns.name *<00><00>...<00> (15 bytes: "*" and fourteen NULs), type NBSTAT
    std::string wildcard = "*";
    for (int i = 0; i < 14; ++i) wildcard += "\\000";
    EXPECT_EQ(r.name.name, wildcard);
    EXPECT_EQ(r.name.suffix, 0);
    EXPECT_EQ(r.type, kNbnsTypeNbstat);
    // nbns.number_of_names 4; the names and nbns.name_flags 0x0400|0x8400|0x0400|0x8400
    ASSERT_EQ(r.node_names.size(), 4u);
    const std::pair<std::string, uint8_t> names[] = {
        {"GUNNAR", 0x00}, {"VIGILANT_GROUP", 0x00}, {"GUNNAR", 0x20}, {"VIGILANT_GROUP", 0x1e}};
    const uint16_t flags[] = {0x0400, 0x8400, 0x0400, 0x8400};
    for (size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(r.node_names[i].name.name, names[i].first);
        EXPECT_EQ(r.node_names[i].name.suffix, names[i].second);
        EXPECT_EQ(r.node_names[i].flags, flags[i]);
    }
    ASSERT_TRUE(r.has_unit_id);
    EXPECT_EQ(test::to_hex(r.unit_id.data(), 6), "001cc410790f");  // nbns.unit_id 00:1c:c4:10:79:0f
}

TEST(WireNbns, RealPositiveQueryResponseAgreesWithTshark) {
    // ndpi/netbios.pcap frame 69: 10.0.4.24 answers for GUNNAR<00>.
    const auto msg = hex(
        "8486850000000001000000002045484646454f454f4542464343414341434143414341434143414341434141410000200001000493e000"
        "0600000a000418");
    bool ok = false;
    const NbnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_TRUE(m.response);
    ASSERT_EQ(m.records.size(), 1u);
    EXPECT_EQ(m.records[0].section, DnsSection::Answer);
    EXPECT_EQ(m.records[0].name.name, "GUNNAR");
    EXPECT_EQ(m.records[0].name.suffix, kNbWorkstation);
    EXPECT_EQ(m.records[0].ttl, 300000u);
    ASSERT_EQ(m.records[0].addresses.size(), 1u);
    EXPECT_EQ(m.records[0].addresses[0].address, ip("10.0.4.24"));
}

TEST(WireNbns, RealBroadcastQueryAgreesWithTshark) {
    // ndpi/netbios.pcap frame 1: "who is XSTREAM_HY<00>?", broadcast, RD.
    const auto msg = hex("a7490110000100000000000020464946444645464345464542454e46504549464a4341434143414341434141410000200001");
    bool ok = false;
    const NbnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_FALSE(m.response);
    EXPECT_TRUE(m.broadcast);  // nbns.flags 0x0110
    ASSERT_EQ(m.questions.size(), 1u);
    EXPECT_EQ(m.questions[0].name.name, "XSTREAM_HY");
    EXPECT_EQ(m.questions[0].type, kNbnsTypeNb);
    EXPECT_TRUE(m.records.empty());
}

// --- names ------------------------------------------------------------------------

std::vector<uint8_t> query_for(const std::string &name_hex) {
    return hex("0001 0110 0001 0000 0000 0000 " + name_hex + " 0020 0001");
}

TEST(WireNbns, FirstLevelEncodingRoundTrips) {
    const NbnsMessage m = parse(query_for(encoded("NAS-1", 0x20) + "00"));
    ASSERT_EQ(m.questions.size(), 1u);
    EXPECT_EQ(m.questions[0].name.name, "NAS-1");
    EXPECT_EQ(m.questions[0].name.suffix, kNbServer);
}

TEST(WireNbns, InvalidFirstLevelEncodingIsRefused) {
    std::string good = encoded("PC", 0);
    bool ok = true;
    for (const char *letter : {"51", "61", "40", "00"}) {  // 'Q', 'a', '@', NUL
        std::string bad = good;
        bad.replace(2 + 2 * 5, 2, letter);
        parse(query_for(bad + "00"), &ok);
        EXPECT_FALSE(ok) << letter;
    }
    parse(query_for(good + "00"), &ok);
    EXPECT_TRUE(ok);
    // 31 or 33 letters, or a plain DNS name, are not NetBIOS names.
    parse(query_for("1f" + good.substr(2, 62) + "00"), &ok);
    EXPECT_FALSE(ok);
    parse(query_for("21" + good.substr(2) + "41" + "00"), &ok);
    EXPECT_FALSE(ok);
    parse(query_for("0477706164 00"), &ok);
    EXPECT_FALSE(ok);
    parse(query_for("00"), &ok);  // the root name
    EXPECT_FALSE(ok);
}

TEST(WireNbns, OddNameBytesAreEscapedAndOnlyTrailingSpacesDropped) {
    // " a\b" with a byte 0xe9: the leading space stays.
    std::string raw = " a\\b\xe9";
    const NbnsMessage m = parse(query_for(encoded(raw, 0x1c) + "00"));
    ASSERT_EQ(m.questions.size(), 1u);
    EXPECT_EQ(m.questions[0].name.name, " a\\092b\\233");
    EXPECT_EQ(m.questions[0].name.suffix, kNbDomainControllers);
}

TEST(WireNbns, ScopeLabelsFollowTheName) {
    const NbnsMessage m = parse(query_for(encoded("FRED", 0) + "07 6e657462696f73 03 636f6d 00"));
    ASSERT_EQ(m.questions.size(), 1u);
    EXPECT_EQ(m.questions[0].name.name, "FRED");
    EXPECT_EQ(m.questions[0].name.scope, "netbios.com");
}

TEST(WireNbns, ScopeTextIsLimited) {
    // Five 63-byte scope labels are 319 characters with dots: too long.
    std::string labels;
    for (int i = 0; i < 5; ++i) labels += "3f" + std::string(126, '6');
    bool ok = true;
    parse(query_for(encoded("X", 0) + labels + "00"), &ok);
    EXPECT_FALSE(ok);
    labels.resize(4 * 128);  // four: 255 characters
    const NbnsMessage m = parse(query_for(encoded("X", 0) + labels + "00"), &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.questions[0].name.scope.size(), 255u);
}

TEST(WireNbns, CompressionLoopInARecordEndsTheParse) {
    // The answer's name at 12 points at itself; a second answer is never read.
    const auto msg = hex("0001 8500 0000 0002 0000 0000 c00c 0020 0001 00000001 0006 0000 0a000001");
    bool ok = false;
    const NbnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_TRUE(m.records.empty());
}

// --- records ----------------------------------------------------------------------

// A response with one answer of `type` and the given rdata, for GUNNAR<00>.
std::vector<uint8_t> answer(const char *type, const std::string &rdata_hex) {
    const std::vector<uint8_t> rd = hex(rdata_hex);
    char len[5];
    std::snprintf(len, sizeof len, "%04zx", rd.size());
    return hex("0001 8500 0000 0001 0000 0000 " + encoded("GUNNAR", 0) + "00 " + type + " 0001 00000e10 " + len +
               " " + rdata_hex);
}

TEST(WireNbns, NbRecordWithSeveralAddresses) {
    const NbnsMessage m = parse(answer("0020", "0000 0a000001 6000 0a000002"));
    ASSERT_EQ(m.records.size(), 1u);
    ASSERT_EQ(m.records[0].addresses.size(), 2u);
    EXPECT_EQ(m.records[0].addresses[1].flags, 0x6000);  // H-node
    EXPECT_EQ(m.records[0].addresses[1].address, ip("10.0.0.2"));
    EXPECT_EQ(m.records[0].ttl, 3600u);
}

TEST(WireNbns, NbRecordOfPartialEntriesKeepsItsNameButNoAddresses) {
    bool ok = false;
    std::vector<uint8_t> msg = answer("0020", "0000 0a000001 6000 0a00");
    const NbnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    ASSERT_EQ(m.records.size(), 1u);
    EXPECT_EQ(m.records[0].name.name, "GUNNAR");
    EXPECT_TRUE(m.records[0].addresses.empty());
    // An empty NB record (a negative response) is whole too.
    EXPECT_EQ(parse(answer("0020", "")).records.size(), 1u);
}

TEST(WireNbns, NodeStatusTableCutShortHasNoNames) {
    // NUM_NAMES 4 with room for one.
    const std::string one = "47554e4e4152202020202020202020000400";
    const NbnsMessage m = parse(answer("0021", "04" + one));
    ASSERT_EQ(m.records.size(), 1u);
    EXPECT_TRUE(m.records[0].node_names.empty());
    EXPECT_FALSE(m.records[0].has_unit_id);
    // One name and no statistics: the name, no unit ID.
    const NbnsMessage n = parse(answer("0021", "01" + one + "0011"));
    ASSERT_EQ(n.records[0].node_names.size(), 1u);
    EXPECT_FALSE(n.records[0].has_unit_id);
}

TEST(WireNbns, EntriesAreCapped) {
    std::string nb;
    for (int i = 0; i < 100; ++i) nb += "0000 0a000001 ";
    EXPECT_EQ(parse(answer("0020", nb)).records[0].addresses.size(), kNbnsMaxEntries);
    std::string table = "ff";
    for (int i = 0; i < 255; ++i) table += "47554e4e4152202020202020202020000400";
    table += "001cc410790f";
    const NbnsMessage m = parse(answer("0021", table));
    EXPECT_EQ(m.records[0].node_names.size(), kNbnsMaxEntries);
    EXPECT_TRUE(m.records[0].has_unit_id);
}

TEST(WireNbns, HugeCountsReadOnlyWhatIsThereAndRecordsAreCapped) {
    // 65535 answers claimed, 20 present (each a pointer to the first's name).
    std::vector<uint8_t> msg = answer("0020", "0000 0a000001");
    msg[6] = 0xff, msg[7] = 0xff;
    for (int i = 0; i < 19; ++i) {
        const auto rr = hex("c00c 0020 0001 00000001 0006 0000 0a000002");
        msg.insert(msg.end(), rr.begin(), rr.end());
    }
    bool ok = false;
    const NbnsMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.records.size(), kNbnsMaxRecords);
    // QDCOUNT 65535 with one question present.
    std::vector<uint8_t> q = query_for(encoded("PC", 0) + "00");
    q[4] = 0xff, q[5] = 0xff;
    EXPECT_EQ(parse(q, &ok).questions.size(), 1u);
    EXPECT_TRUE(ok);
}

TEST(WireNbns, OutputIsResetOnReuse) {
    NbnsMessage m;
    ASSERT_TRUE(parse_nbns_message(kNodeStatus.data(), kNodeStatus.size(), &m));
    const uint8_t junk[5] = {1, 2, 3, 4, 5};
    EXPECT_FALSE(parse_nbns_message(junk, sizeof junk, &m));
    EXPECT_TRUE(m.records.empty() && m.questions.empty() && !m.response && m.transaction_id == 0);
}

TEST(WireNbns, RandomBytesNeverBreakTheInvariants) {
    std::mt19937_64 rng(137);
    std::vector<uint8_t> buf(600);
    for (int i = 0; i < 20000; ++i) {
        const size_t n = size_t(rng() % buf.size());
        test::fill_random(rng, buf, n);
        if (n >= 12 && (i & 1)) buf[4] = 0, buf[5] = 0, buf[6] = 0, buf[7] = 1;  // a lone answer
        NbnsMessage m;
        if (!parse_nbns_message(buf.data(), n, &m)) continue;
        ASSERT_LE(m.questions.size(), kNbnsMaxQuestions);
        ASSERT_LE(m.records.size(), kNbnsMaxRecords);
        for (const NbnsRecord &r : m.records) {
            ASSERT_LE(r.name.name.size(), 60u);
            ASSERT_LE(r.name.scope.size(), 255u);
            ASSERT_LE(r.addresses.size(), kNbnsMaxEntries);
        }
    }
}

}  // namespace
}  // namespace phonehome::wire

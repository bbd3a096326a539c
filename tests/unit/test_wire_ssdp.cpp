// parse_ssdp_message: the kind of SSDP message and the header values that
// describe a UPnP device, read from SSDP bytes (UPnP Device Architecture 2.0
// section 1), on real packets from the public corpora compared with tshark's
// dissection, every truncation, and hand-built odd and hostile messages.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "heuristics/wire/printable_text.hpp"
#include "heuristics/wire/ssdp_message.hpp"
#include "test_helpers.hpp"

namespace phonehome::wire {
namespace {

using test::hex;

SsdpMessage parse(const std::string &text, bool *ok = nullptr, size_t len = SIZE_MAX) {
    SsdpMessage out;
    const bool r = parse_ssdp_message(reinterpret_cast<const uint8_t *>(text.data()),
                                      len < text.size() ? len : text.size(), &out);
    if (ok) *ok = r;
    return out;
}

std::string text(const std::vector<uint8_t> &b) { return std::string(b.begin(), b.end()); }

// --- real packets ---------------------------------------------------------------
// UDP payloads from /work/shared/captures/corpora/ with
//   tshark -r FILE -Y frame.number==N -T fields -e udp.payload
// and the expected values from
//   tshark ... -T fields -E occurrence=a -e http.request.method -e http.response.code -e http.server
//     -e http.user_agent -e http.location -e http.request.line -e http.response.line

// zeek/raw_packets.pcap frame 11: a TP-Link TL-WDR3600 router announces its
// root device.
const std::string kRouterNotify = text(hex(
    "4e4f54494659202a20485454502f312e310d0a484f53543a203233392e3235352e3235352e3235303a313930300d0a43414348452d434f4e"
    "54524f4c3a206d61782d6167653d3130300d0a4c4f434154494f4e3a20687474703a2f2f3139322e3136382e312e313a313930302f696764"
    "2e786d6c0d0a4e543a2075706e703a726f6f746465766963650d0a4e54533a20737364703a616c6976650d0a5345525645523a2069706f73"
    "2f372e302055506e502f312e3020544c2d574452333630302f312e300d0a55534e3a20757569643a30363062373335332d666361362d3430"
    "37302d383566342d3166626662396164643632633a3a75706e703a726f6f746465766963650d0a0d0a"));

TEST(WireSsdp, RealRouterNotifyAgreesWithTshark) {
    bool ok = false;
    const SsdpMessage m = parse(kRouterNotify, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.kind, SsdpKind::Notify);  // http.request.method NOTIFY
    EXPECT_EQ(m.status, 0);
    EXPECT_EQ(m.server, "ipos/7.0 UPnP/1.0 TL-WDR3600/1.0");       // http.server
    EXPECT_EQ(m.location, "http://192.168.1.1:1900/igd.xml");       // http.location
    EXPECT_EQ(m.nt, "upnp:rootdevice");                             // http.request.line "NT: upnp:rootdevice\r\n"
    EXPECT_EQ(m.nts, "ssdp:alive");
    EXPECT_EQ(m.usn, "uuid:060b7353-fca6-4070-85f4-1fbfb9add62c::upnp:rootdevice");
    EXPECT_EQ(m.st, "");
    EXPECT_EQ(m.user_agent, "");
}

TEST(WireSsdp, RealRouterNotifyEveryPrefixHasTheWholeLinesInIt) {
    const SsdpMessage full = parse(kRouterNotify);
    // Where each line ends (just past its LF).
    auto line_end = [&](const char *header) { return kRouterNotify.find('\n', kRouterNotify.find(header)) + 1; };
    const size_t start_end = kRouterNotify.find('\n') + 1;
    for (size_t k = 0; k <= kRouterNotify.size(); ++k) {
        SCOPED_TRACE("prefix length " + std::to_string(k));
        bool ok = false;
        const SsdpMessage m = parse(kRouterNotify, &ok, k);
        ASSERT_EQ(ok, k >= start_end);
        EXPECT_EQ(m.location, k >= line_end("LOCATION:") ? full.location : "");
        EXPECT_EQ(m.nt, k >= line_end("NT:") ? full.nt : "");
        EXPECT_EQ(m.nts, k >= line_end("NTS:") ? full.nts : "");
        EXPECT_EQ(m.server, k >= line_end("SERVER:") ? full.server : "");
        EXPECT_EQ(m.usn, k >= line_end("USN:") ? full.usn : "");
    }
}

TEST(WireSsdp, RealRokuSearchResponseAgreesWithTshark) {
    // ndpi/anyconnect-vpn.pcap frame 411: a Roku answers a DIAL search; its
    // headers are in mixed case ("Server:", "LOCATION:").
    const std::string msg = text(hex(
        "485454502f312e3120323030204f4b0d0a43616368652d436f6e74726f6c3a206d61782d6167653d333630300d0a53543a2075726e3a"
        "6469616c2d6d756c746973637265656e2d6f72673a736572766963653a6469616c3a310d0a55534e3a20757569643a32393563303030"
        "342d363830372d313036642d383063662d6438333133343230373766623a3a75726e3a6469616c2d6d756c746973637265656e2d6f72"
        "673a736572766963653a6469616c3a310d0a4578743a200d0a5365727665723a20526f6b752055506e502f312e3020526f6b752f392e"
        "312e300d0a4c4f434154494f4e3a20687474703a2f2f31302e302e302e3135313a383036302f6469616c2f64642e786d6c0d0a57414b"
        "4555503a204d41433d64383a33313a33343a32303a37373a66623b54696d656f75743d31300d0a0d0a"));
    bool ok = false;
    const SsdpMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.kind, SsdpKind::Response);
    EXPECT_EQ(m.status, 200);                                 // http.response.code
    EXPECT_EQ(m.server, "Roku UPnP/1.0 Roku/9.1.0");          // http.server
    EXPECT_EQ(m.location, "http://10.0.0.151:8060/dial/dd.xml");  // http.location
    EXPECT_EQ(m.st, "urn:dial-multiscreen-org:service:dial:1");
    EXPECT_EQ(m.usn, "uuid:295c0004-6807-106d-80cf-d831342077fb::urn:dial-multiscreen-org:service:dial:1");
}

TEST(WireSsdp, RealChromeSearchAgreesWithTshark) {
    // ndpi/ssdp-m-search-ua.pcap frame 1: Chrome on a Mac looks for DIAL devices.
    const std::string msg = text(hex(
        "4d2d534541524348202a20485454502f312e310d0a484f53543a203233392e3235352e3235352e3235303a313930300d0a4d414e3a20"
        "22737364703a646973636f766572220d0a4d583a20310d0a53543a2075726e3a6469616c2d6d756c746973637265656e2d6f72673a73"
        "6572766963653a6469616c3a310d0a555345522d4147454e543a20476f6f676c65204368726f6d652f39392e302e343834342e373420"
        "4d6163204f5320580d0a0d0a"));
    bool ok = false;
    const SsdpMessage m = parse(msg, &ok);
    ASSERT_TRUE(ok);
    EXPECT_EQ(m.kind, SsdpKind::MSearch);                                // http.request.method
    EXPECT_EQ(m.user_agent, "Google Chrome/99.0.4844.74 Mac OS X");      // http.user_agent
    EXPECT_EQ(m.st, "urn:dial-multiscreen-org:service:dial:1");
    EXPECT_EQ(m.server, "");
}

// --- start lines --------------------------------------------------------------------

TEST(WireSsdp, StartLinesOfTheThreeKinds) {
    bool ok = false;
    EXPECT_EQ(parse("NOTIFY * HTTP/1.1\r\n", &ok).kind, SsdpKind::Notify);
    EXPECT_TRUE(ok);
    EXPECT_EQ(parse("M-SEARCH * HTTP/1.1\n", &ok).kind, SsdpKind::MSearch);
    EXPECT_TRUE(ok);
    SsdpMessage m = parse("HTTP/1.0 404 Not Found\r\n", &ok);
    EXPECT_TRUE(ok);
    EXPECT_EQ(m.kind, SsdpKind::Response);
    EXPECT_EQ(m.status, 404);
    m = parse("HTTP/1.1 200\r\n", &ok);  // no reason phrase
    EXPECT_TRUE(ok);
    EXPECT_EQ(m.status, 200);
}

TEST(WireSsdp, OtherStartLinesAreRefused) {
    for (const char *line :
         {"", "NOTIFY * HTTP/1.1", "notify * HTTP/1.1\r\n", "GET / HTTP/1.1\r\n", "NOTIFY *  HTTP/1.1\r\n",
          "NOTIFY * HTTP/1.10\r\n", "NOTIFY * http/1.1\r\n", "NOTIFY HTTP/1.1\r\n", "HTTP/1.1 20 OK\r\n",
          "HTTP/1.1 2000 OK\r\n", "HTTP/x.1 200 OK\r\n", "M-SEARCH * HTTP/1.\r\n", "\r\nNOTIFY * HTTP/1.1\r\n"}) {
        bool ok = true;
        const SsdpMessage m = parse(line, &ok);
        EXPECT_FALSE(ok) << line;
        EXPECT_EQ(m.status, 0);
    }
}

// --- headers ----------------------------------------------------------------------

TEST(WireSsdp, HeaderNamesAreCaseInsensitiveAndValuesTrimmed) {
    const SsdpMessage m = parse(
        "NOTIFY * HTTP/1.1\r\nserver:Linux UPnP/1.0 Sonos/70.3\r\nLocation : \t http://10.0.0.2:1400/xml \t\r\n"
        "nT: urn:x\r\nUSN:\r\n\r\n");
    EXPECT_EQ(m.server, "Linux UPnP/1.0 Sonos/70.3");
    EXPECT_EQ(m.location, "http://10.0.0.2:1400/xml");
    EXPECT_EQ(m.nt, "urn:x");
    EXPECT_EQ(m.usn, "");
}

TEST(WireSsdp, FirstOccurrenceWinsEvenWhenEmpty) {
    const SsdpMessage m = parse("NOTIFY * HTTP/1.1\r\nSERVER:\r\nSERVER: second\r\nST: a\r\nst: b\r\n\r\n");
    EXPECT_EQ(m.server, "");
    EXPECT_EQ(m.st, "a");
}

TEST(WireSsdp, LinesEndWithLfOrCrLf) {
    const SsdpMessage m = parse("NOTIFY * HTTP/1.1\nSERVER: a\r\nUSN: b\nNT: c\r\n\n");
    EXPECT_EQ(m.server, "a");
    EXPECT_EQ(m.usn, "b");
    EXPECT_EQ(m.nt, "c");
}

TEST(WireSsdp, AnEmptyLineEndsTheHeadersAndTheBodyIsNotRead) {
    const SsdpMessage m = parse("NOTIFY * HTTP/1.1\r\nNT: a\r\n\r\nSERVER: in the body\r\n");
    EXPECT_EQ(m.nt, "a");
    EXPECT_EQ(m.server, "");
}

TEST(WireSsdp, LinesWithoutAColonAndContinuationLinesAreSkipped) {
    const SsdpMessage m =
        parse("NOTIFY * HTTP/1.1\r\nno colon here\r\nNT: a\r\n SERVER: folded\r\n\tUSN: tab\r\nNTS: b\r\n\r\n");
    EXPECT_EQ(m.nt, "a");
    EXPECT_EQ(m.server, "");
    EXPECT_EQ(m.usn, "");
    EXPECT_EQ(m.nts, "b");
}

TEST(WireSsdp, ALastLineWithoutLfIsNotRead) {
    EXPECT_EQ(parse("NOTIFY * HTTP/1.1\r\nSERVER: x\r").server, "");
    EXPECT_EQ(parse("NOTIFY * HTTP/1.1\r\nSERVER: x\n").server, "x");
}

TEST(WireSsdp, OddBytesAreEscaped) {
    const std::string msg = std::string("NOTIFY * HTTP/1.1\r\nSERVER: a\\b\x01 \xc3\xa9") + '\0' + "z\r\n\r\n";
    EXPECT_EQ(parse(msg).server, "a\\092b\\001 \\195\\169\\000z");
}

TEST(WireSsdp, ValuesAreCutToTheirCap) {
    const std::string long_value(kSsdpMaxValue + 100, 'v');
    SsdpMessage m = parse("NOTIFY * HTTP/1.1\r\nLOCATION: " + long_value + "\r\nNT: after\r\n\r\n");
    EXPECT_EQ(m.location, std::string(kSsdpMaxValue, 'v'));
    EXPECT_EQ(m.nt, "after");
    // A value of odd bytes is cut before escaping: four characters a byte.
    m = parse("NOTIFY * HTTP/1.1\r\nSERVER: " + std::string(kSsdpMaxValue + 10, '\x7f') + "\r\n\r\n");
    EXPECT_EQ(m.server.size(), printable_max_text(kSsdpMaxValue));
}

TEST(WireSsdp, HeaderLinesAreCapped) {
    std::string msg = "NOTIFY * HTTP/1.1\r\n";
    for (size_t i = 0; i + 1 < kSsdpMaxHeaderLines; ++i) msg += "X-Filler: " + std::to_string(i) + "\r\n";
    EXPECT_EQ(parse(msg + "NT: last\r\n\r\n").nt, "last");             // line 64
    EXPECT_EQ(parse(msg + "X-One-More: 1\r\nNT: last\r\n\r\n").nt, "");  // line 65
}

TEST(WireSsdp, OutputIsResetOnReuse) {
    SsdpMessage m;
    const std::string good = "HTTP/1.1 200 OK\r\nSERVER: x\r\n\r\n";
    ASSERT_TRUE(parse_ssdp_message(reinterpret_cast<const uint8_t *>(good.data()), good.size(), &m));
    const std::string bad = "GET / HTTP/1.1\r\n";
    EXPECT_FALSE(parse_ssdp_message(reinterpret_cast<const uint8_t *>(bad.data()), bad.size(), &m));
    EXPECT_EQ(m.kind, SsdpKind::Notify);
    EXPECT_EQ(m.status, 0);
    EXPECT_EQ(m.server, "");
    EXPECT_FALSE(parse_ssdp_message(nullptr, 0, &m));
}

std::vector<const std::string *> values(const SsdpMessage &m) {
    return {&m.server, &m.user_agent, &m.nt, &m.st, &m.nts, &m.usn, &m.location};  // in ssdp_field bit order
}

// Reading only some values gives exactly those values of the whole reading
// and leaves the others empty, whichever line each is on.
void expect_fields_agree(const std::string &msg) {
    const uint8_t *data = reinterpret_cast<const uint8_t *>(msg.data());
    SsdpMessage all;
    const bool ok = parse_ssdp_message(data, msg.size(), &all);
    for (uint32_t fields : {ssdp_field::kServer, ssdp_field::kLocation | ssdp_field::kUsn, ssdp_field::kNt,
                            ssdp_field::kUserAgent | ssdp_field::kSt | ssdp_field::kNts, uint32_t(0)}) {
        SsdpMessage some;
        ASSERT_EQ(parse_ssdp_message(data, msg.size(), &some, fields), ok);
        EXPECT_EQ(some.kind, all.kind);
        EXPECT_EQ(some.status, all.status);
        const auto s = values(some), a = values(all);
        for (size_t i = 0; i < s.size(); ++i) EXPECT_EQ(*s[i], fields & (1u << i) ? *a[i] : "") << msg << " " << i;
    }
}

TEST(WireSsdp, OnlyTheAskedValuesAreRead) {
    expect_fields_agree(kRouterNotify);
    // SERVER twice (the first wins, also when reading stops after it), after and
    // before the other values, absent, and past the line cap.
    expect_fields_agree("NOTIFY * HTTP/1.1\r\nUSN: u\r\nSERVER: first\r\nSERVER: second\r\nNT: n\r\n\r\n");
    expect_fields_agree("HTTP/1.1 200 OK\r\nSERVER: s\r\nST: t\r\nLOCATION: l\r\n\r\n");
    expect_fields_agree("M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\nUSER-AGENT: ua\r\n\r\nSERVER: body\r\n");
    expect_fields_agree("GET / HTTP/1.1\r\nSERVER: s\r\n\r\n");
    std::string capped = "NOTIFY * HTTP/1.1\r\n";
    for (size_t i = 0; i < kSsdpMaxHeaderLines; ++i) capped += "X-Filler: " + std::to_string(i) + "\r\n";
    expect_fields_agree(capped + "SERVER: late\r\n\r\n");
    SsdpMessage m;
    const std::string two = "NOTIFY * HTTP/1.1\r\nSERVER: first\r\nSERVER: second\r\n\r\n";
    ASSERT_TRUE(parse_ssdp_message(reinterpret_cast<const uint8_t *>(two.data()), two.size(), &m,
                                   ssdp_field::kServer));
    EXPECT_EQ(m.server, "first");
}

TEST(WireSsdp, RandomBytesNeverBreakTheInvariants) {
    std::mt19937_64 rng(1900);
    std::vector<uint8_t> buf(600);
    const std::string start = "NOTIFY * HTTP/1.1\r\nSERVER: ";
    for (int i = 0; i < 20000; ++i) {
        const size_t n = size_t(rng() % buf.size());
        test::fill_random(rng, buf, n);
        for (size_t j = 0; j < n; ++j)
            if (buf[j] % 7 == 0) buf[j] = '\n';  // plenty of lines
        if ((i & 1) && n > start.size()) std::copy(start.begin(), start.end(), buf.begin());
        SsdpMessage m;
        if (!parse_ssdp_message(buf.data(), n, &m)) continue;
        SsdpMessage server_only;
        ASSERT_TRUE(parse_ssdp_message(buf.data(), n, &server_only, ssdp_field::kServer));
        ASSERT_EQ(server_only.server, m.server);
        for (const std::string *s : {&m.server, &m.user_agent, &m.nt, &m.st, &m.nts, &m.usn, &m.location}) {
            ASSERT_LE(s->size(), printable_max_text(kSsdpMaxValue));
            for (char c : *s) ASSERT_TRUE(c >= 0x20 && c <= 0x7e);
        }
    }
}

}  // namespace
}  // namespace phonehome::wire

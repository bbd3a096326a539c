// Fuzzes the parsers of heuristics/wire (IP/TCP/UDP headers and the search
// for them, DNS message, TLS ClientHello SNI, QUIC Initial CRYPTO frames, MQTT
// fixed header, DTLS record headers): none may read out of bounds, what they report must
// respect their documented limits, and reading a prefix of the input may only
// give a prefix of what the whole input gives (they work on what was
// captured, so a longer capture can add facts but never change them).
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "heuristics/wire/dns_message.hpp"
#include "heuristics/wire/dtls_record.hpp"
#include "heuristics/wire/ip_packet.hpp"
#include "heuristics/wire/mqtt_header.hpp"
#include "heuristics/wire/quic_initial.hpp"
#include "heuristics/wire/tls_client_hello.hpp"

namespace {

using namespace phonehome::wire;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

bool printable(const std::string &s) {
    for (char c : s)
        if (c < 0x21 || c > 0x7e) return false;
    return true;
}

template <typename T>
bool starts_with(const std::vector<T> &whole, const std::vector<T> &part) {
    if (part.size() > whole.size()) return false;
    for (size_t i = 0; i < part.size(); ++i)
        if (!(whole[i] == part[i])) return false;
    return true;
}

void fuzz_dns(const uint8_t *data, size_t size) {
    DnsMessage whole;
    const bool ok = parse_dns_message(data, size, &whole);
    if (!ok) check(whole.names.empty() && whole.addresses.empty() && whole.query_name.empty() && !whole.response);
    check(whole.names.size() <= kDnsMaxNames && whole.addresses.size() <= kDnsMaxAddresses);
    if (!whole.query_name.empty()) check(!whole.names.empty() && whole.names.front() == whole.query_name);
    for (const std::string &n : whole.names) check(!n.empty() && n.size() <= kDnsMaxNameText && printable(n));

    DnsMessage part;
    if (parse_dns_message(data, size / 2, &part)) {
        check(ok && part.response == whole.response && part.query_name == whole.query_name);
        check(starts_with(whole.names, part.names) && starts_with(whole.addresses, part.addresses));
    }
}

void fuzz_tls(const uint8_t *data, size_t size) {
    std::string whole;
    const bool ok = tls_client_hello_sni(data, size, &whole);
    if (ok) check(!whole.empty() && whole.size() <= kTlsMaxHostName && printable(whole));

    std::string part;
    if (tls_client_hello_sni(data, size / 2, &part)) check(ok && part == whole);
}

void fuzz_mqtt(const uint8_t *data, size_t size) {
    MqttHeader whole;
    const bool ok = parse_mqtt_header(data, size, &whole);
    check(ok == (whole.type != 0));
    if (ok) check(whole.type == data[0] >> 4);
    if (whole.has_keepalive) check(whole.type == kMqttConnect);

    MqttHeader part;
    if (parse_mqtt_header(data, size / 2, &part)) {
        check(ok && part.type == whole.type);
        if (part.has_keepalive) check(whole.has_keepalive && part.keepalive_s == whole.keepalive_s);
    }
}

// Records that tile the input exactly: each inside it, one after the other.
void fuzz_dtls(const uint8_t *data, size_t size) {
    DtlsRecord records[kMaxDtlsRecords];
    size_t n = 0;
    if (!read_dtls_records(data, size, records, &n)) return;
    check(n >= 1 && n <= kMaxDtlsRecords && records[0].offset == 0);
    for (size_t i = 0; i < n; ++i) {
        check(records[i].offset + kDtlsRecordHeader + records[i].length <= size);
        check(dtls_content_type_name(records[i].content_type) != nullptr);
        if (i + 1 < n) check(records[i + 1].offset == records[i].offset + kDtlsRecordHeader + records[i].length);
    }
}

void fuzz_ip(const uint8_t *data, size_t size) {
    IpHeader ip;
    if (parse_ip_header(data, size, &ip)) {
        check(ip.header_len <= size);
        check(ip.src.family == ip.dst.family && ip.src.is_v4() == ((data[0] >> 4) == 4));
        const uint8_t *t = data + ip.header_len;
        const size_t n = size - ip.header_len;
        TransportHeader th;
        if (parse_tcp_header(t, n, ip.upper_len, &th)) check(th.header_len >= 20 && th.header_len <= 60);
        if (parse_udp_header(t, n, &th)) check(th.header_len == 8);
        // The header just parsed is found again by its addresses, at this
        // offset or at a later one that also carries them.
        size_t at = 0;
        check(find_ip_header(data, size, ip.src, ip.dst, &at));
    }
    for (bool v6 : {false, true}) {
        size_t outer = 0;
        if (find_icmp_error_outer_header(data, size, size / 2, v6, &outer)) check(outer + 8 < size / 2 + 1);
    }
}

void fuzz_quic(const uint8_t *data, size_t size) {
    std::string sni;
    if (quic_initial_sni(data, size, &sni)) check(!sni.empty() && sni.size() <= kTlsMaxHostName && printable(sni));
    std::string bare;
    if (tls_handshake_client_hello_sni(data, size, &bare)) check(!bare.empty() && printable(bare));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    try {
        fuzz_dns(data, size);
        fuzz_tls(data, size);
        fuzz_mqtt(data, size);
        fuzz_dtls(data, size);
        fuzz_ip(data, size);
        fuzz_quic(data, size);
    } catch (const std::bad_alloc &) {
        // The only exception the parsers may throw; anything else escapes and
        // fails the run.
    }
    return 0;
}

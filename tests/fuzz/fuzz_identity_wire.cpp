// Fuzzes the readers of heuristics/wire through which devices announce who
// they are (DHCP, DNS records as mDNS and LLMNR carry them, NetBIOS Name
// Service, SSDP): none may read out of bounds, what they report must respect
// their documented limits (caps, printable text), and reading a prefix of the
// input may only give a prefix of what the whole input gives.
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "heuristics/wire/dhcp_message.hpp"
#include "heuristics/wire/dns_message.hpp"
#include "heuristics/wire/nbns_message.hpp"
#include "heuristics/wire/printable_text.hpp"
#include "heuristics/wire/ssdp_message.hpp"

namespace {

using namespace phonehome::wire;

void check(bool ok) {
    if (!ok) __builtin_trap();
}

// The free-text rule keeps spaces; the DNS label rule does not.
bool printable_text(const std::string &s, size_t max) {
    if (s.size() > max) return false;
    for (char c : s)
        if (c < 0x20 || c > 0x7e) return false;
    return true;
}

// A value the prefix has must be the whole message's; an absent one ("") may
// be anything.
bool same_or_absent(const std::string &part, const std::string &whole) { return part.empty() || part == whole; }
template <typename T>
bool same_or_absent(const std::vector<T> &part, const std::vector<T> &whole) {
    return part.empty() || part == whole;
}

// The lengths at which a prefix is compared with the whole input.
std::vector<size_t> cuts(size_t size) { return {size / 2, size - size / 8, size ? size - 1 : 0}; }

// --- DHCP ---------------------------------------------------------------------

void fuzz_dhcp(const uint8_t *data, size_t size) {
    DhcpMessage whole;
    const bool ok = parse_dhcp_message(data, size, &whole);
    if (!ok) check(whole.op == 0 && whole.host_name.empty() && whole.client_id.empty() && !whole.has_magic_cookie);
    for (const std::string *s : {&whole.host_name, &whole.vendor_class, &whole.fqdn})
        check(printable_text(*s, printable_max_text(255)));
    check(whole.client_id.size() <= 255 && whole.parameter_request_list.size() <= 255 && whole.overload <= 3);
    if (!whole.has_magic_cookie) check(whole.message_type == 0 && !whole.options_ended);

    for (size_t n : cuts(size)) {
        DhcpMessage part;
        if (!parse_dhcp_message(data, n, &part)) continue;
        check(ok && part.op == whole.op && part.chaddr == whole.chaddr && part.ciaddr == whole.ciaddr &&
              part.yiaddr == whole.yiaddr);
        check(!part.has_magic_cookie || whole.has_magic_cookie);
        check(part.message_type == 0 || part.message_type == whole.message_type);
        check(same_or_absent(part.host_name, whole.host_name) && same_or_absent(part.vendor_class, whole.vendor_class));
        check(same_or_absent(part.fqdn, whole.fqdn) && same_or_absent(part.client_id, whole.client_id));
        check(same_or_absent(part.parameter_request_list, whole.parameter_request_list));
        check(!part.has_requested_ip || (whole.has_requested_ip && part.requested_ip == whole.requested_ip));
        check(part.overload == 0 || part.overload == whole.overload);
        check(!part.options_ended || whole.options_ended);
    }
}

// --- DNS records --------------------------------------------------------------

bool same_record(const DnsRecord &a, const DnsRecord &b) {
    return a.section == b.section && a.type == b.type && a.cache_flush == b.cache_flush && a.ttl == b.ttl &&
           a.owner == b.owner && a.address == b.address && a.target == b.target && a.port == b.port &&
           a.txt == b.txt;
}

bool records_start_with(const std::vector<DnsRecord> &whole, const std::vector<DnsRecord> &part) {
    if (part.size() > whole.size()) return false;
    for (size_t i = 0; i < part.size(); ++i)
        if (!same_record(whole[i], part[i])) return false;
    return true;
}

void fuzz_dns_records(const uint8_t *data, size_t size) {
    DnsMessage with, plain;
    std::vector<DnsRecord> whole;
    const bool ok = parse_dns_message(data, size, &with, &whole);
    // Asking for the records changes nothing else.
    check(ok == parse_dns_message(data, size, &plain));
    check(with.response == plain.response && with.query_name == plain.query_name && with.names == plain.names &&
          with.addresses == plain.addresses);
    if (!ok) check(whole.empty());
    check(whole.size() <= kDnsMaxRecords);
    for (const DnsRecord &r : whole) {
        check(!r.owner.empty() && r.owner.size() <= kDnsMaxNameText && r.target.size() <= kDnsMaxNameText);
        check(r.txt.size() <= kDnsMaxTxtStrings);
        for (const std::string &t : r.txt) check(printable_text(t, printable_max_text(255)));
        const bool has_address = r.type == kDnsTypeA || r.type == kDnsTypeAaaa;
        check(!has_address || r.address.is_v4() == (r.type == kDnsTypeA));
        check(r.target.empty() == (r.type != kDnsTypeCname && r.type != kDnsTypePtr && r.type != kDnsTypeSrv));
    }
    // The addresses alone are exactly the full list's A and AAAA records.
    DnsMessage addressed;
    std::vector<DnsRecord> addresses;
    check(ok == parse_dns_message(data, size, &addressed, &addresses, DnsRecordKinds::Addresses));
    check(addressed.names == plain.names && addressed.addresses == plain.addresses);
    std::vector<DnsRecord> expected;
    for (const DnsRecord &r : whole)
        if (r.type == kDnsTypeA || r.type == kDnsTypeAaaa) expected.push_back(r);
    check(addresses.size() == expected.size() && records_start_with(expected, addresses));
    for (size_t n : cuts(size)) {
        DnsMessage m;
        std::vector<DnsRecord> part;
        if (parse_dns_message(data, n, &m, &part)) check(ok && records_start_with(whole, part));
    }
}

// --- NetBIOS Name Service --------------------------------------------------------

bool same_name(const NbName &a, const NbName &b) {
    return a.name == b.name && a.suffix == b.suffix && a.scope == b.scope;
}

bool same_nbns_record(const NbnsRecord &a, const NbnsRecord &b) {
    if (a.section != b.section || !same_name(a.name, b.name) || a.type != b.type || a.ttl != b.ttl ||
        a.has_unit_id != b.has_unit_id || a.unit_id != b.unit_id || a.addresses.size() != b.addresses.size() ||
        a.node_names.size() != b.node_names.size())
        return false;
    for (size_t i = 0; i < a.addresses.size(); ++i)
        if (a.addresses[i].flags != b.addresses[i].flags || a.addresses[i].address != b.addresses[i].address)
            return false;
    for (size_t i = 0; i < a.node_names.size(); ++i)
        if (!same_name(a.node_names[i].name, b.node_names[i].name) || a.node_names[i].flags != b.node_names[i].flags)
            return false;
    return true;
}

void check_nb_name(const NbName &n) {
    check(printable_text(n.name, printable_max_text(15)) && n.scope.size() <= 255);
}

void fuzz_nbns(const uint8_t *data, size_t size) {
    NbnsMessage whole;
    const bool ok = parse_nbns_message(data, size, &whole);
    if (!ok) check(whole.questions.empty() && whole.records.empty() && !whole.response);
    check(whole.questions.size() <= kNbnsMaxQuestions && whole.records.size() <= kNbnsMaxRecords);
    for (const NbnsQuestion &q : whole.questions) check_nb_name(q.name);
    for (const NbnsRecord &r : whole.records) {
        check_nb_name(r.name);
        check(r.addresses.size() <= kNbnsMaxEntries && r.node_names.size() <= kNbnsMaxEntries);
        check(r.addresses.empty() || r.type == kNbnsTypeNb);
        check((r.node_names.empty() && !r.has_unit_id) || r.type == kNbnsTypeNbstat);
        for (const NbNodeName &e : r.node_names) check_nb_name(e.name);
    }
    for (size_t n : cuts(size)) {
        NbnsMessage part;
        if (!parse_nbns_message(data, n, &part)) continue;
        check(ok && part.transaction_id == whole.transaction_id && part.opcode == whole.opcode);
        check(part.questions.size() <= whole.questions.size() && part.records.size() <= whole.records.size());
        for (size_t i = 0; i < part.questions.size(); ++i)
            check(same_name(part.questions[i].name, whole.questions[i].name) &&
                  part.questions[i].type == whole.questions[i].type);
        for (size_t i = 0; i < part.records.size(); ++i) check(same_nbns_record(part.records[i], whole.records[i]));
    }
}

// --- SSDP ------------------------------------------------------------------------

std::vector<const std::string *> ssdp_values(const SsdpMessage &m) {
    return {&m.server, &m.user_agent, &m.nt, &m.st, &m.nts, &m.usn, &m.location};
}

void fuzz_ssdp(const uint8_t *data, size_t size) {
    SsdpMessage whole;
    const bool ok = parse_ssdp_message(data, size, &whole);
    for (const std::string *s : ssdp_values(whole)) {
        check(printable_text(*s, printable_max_text(kSsdpMaxValue)));
        if (!ok) check(s->empty());
    }
    check(whole.status <= 999 && (whole.kind == SsdpKind::Response || whole.status == 0));
    // What the plugin reads: SERVER alone, the same value.
    SsdpMessage server_only;
    check(parse_ssdp_message(data, size, &server_only, ssdp_field::kServer) == ok);
    check(server_only.server == whole.server && server_only.usn.empty() && server_only.kind == whole.kind);
    for (size_t n : cuts(size)) {
        SsdpMessage part;
        if (!parse_ssdp_message(data, n, &part)) continue;
        check(ok && part.kind == whole.kind && part.status == whole.status);
        const auto p = ssdp_values(part), w = ssdp_values(whole);
        for (size_t i = 0; i < p.size(); ++i) check(same_or_absent(*p[i], *w[i]));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    try {
        fuzz_dhcp(data, size);
        fuzz_dns_records(data, size);
        fuzz_nbns(data, size);
        fuzz_ssdp(data, size);
    } catch (const std::bad_alloc &) {
        // The only exception the readers may throw; anything else escapes and
        // fails the run.
    }
    return 0;
}

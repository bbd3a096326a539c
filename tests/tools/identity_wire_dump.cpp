// Developer tool (not a test): runs the identity wire readers over UDP
// payloads and prints what they read, one JSON object a line, for
// compare_identity_wire.py to set beside tshark's dissection of the same
// packets. Input lines: "<reader> <payload hex>", reader one of dhcp, dns,
// nbns, ssdp.
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "heuristics/wire/dhcp_message.hpp"
#include "heuristics/wire/dns_message.hpp"
#include "heuristics/wire/nbns_message.hpp"
#include "heuristics/wire/ssdp_message.hpp"

namespace {

using namespace phonehome;
using namespace phonehome::wire;

// The readers' text is printable ASCII; only '"' and '\' need escaping.
std::string quoted(const std::string &s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    return out + "\"";
}

std::string hex(const uint8_t *p, size_t n) {
    static const char *digits = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < n; ++i) s += {digits[p[i] >> 4], digits[p[i] & 15]};
    return s;
}

struct Json {
    std::string text = "{";
    void raw(const char *key, const std::string &value) {
        if (text.size() > 1) text += ",";
        text += quoted(key) + ":" + value;
    }
    void str(const char *key, const std::string &value) { raw(key, quoted(value)); }
    void num(const char *key, long value) { raw(key, std::to_string(value)); }
    void list(const char *key, const std::vector<std::string> &items) {
        std::string v = "[";
        for (const std::string &i : items) v += (v.size() > 1 ? "," : "") + i;
        raw(key, v + "]");
    }
    std::string done() { return text + "}"; }
};

std::string dump_dhcp(const std::vector<uint8_t> &p) {
    DhcpMessage m;
    Json j;
    j.raw("ok", parse_dhcp_message(p.data(), p.size(), &m) ? "true" : "false");
    j.num("op", m.op);
    j.num("htype", m.htype);
    j.num("hlen", m.hlen);
    j.str("chaddr", hex(m.chaddr.data(), m.chaddr.size()));
    j.str("ciaddr", m.ciaddr.to_string());
    j.str("yiaddr", m.yiaddr.to_string());
    j.num("message_type", m.message_type);
    j.str("host_name", m.host_name);
    j.str("vendor_class", m.vendor_class);
    j.str("requested_ip", m.has_requested_ip ? m.requested_ip.to_string() : "");
    j.str("client_id", hex(m.client_id.data(), m.client_id.size()));
    j.str("fqdn", m.fqdn);
    std::vector<std::string> prl;
    for (uint8_t c : m.parameter_request_list) prl.push_back(std::to_string(c));
    j.list("parameter_request_list", prl);
    j.num("overload", m.overload);
    return j.done();
}

std::string dump_dns(const std::vector<uint8_t> &p) {
    DnsMessage m;
    std::vector<DnsRecord> records;
    Json j;
    j.raw("ok", parse_dns_message(p.data(), p.size(), &m, &records) ? "true" : "false");
    j.raw("response", m.response ? "true" : "false");
    j.str("query_name", m.query_name);
    std::vector<std::string> rs;
    for (const DnsRecord &r : records) {
        Json o;
        o.num("section", long(r.section));
        o.num("type", r.type);
        o.num("ttl", long(r.ttl));
        o.raw("cache_flush", r.cache_flush ? "true" : "false");
        o.str("owner", r.owner);
        if (r.type == kDnsTypeA || r.type == kDnsTypeAaaa) o.str("address", r.address.to_string());
        o.str("target", r.target);
        o.num("port", r.port);
        std::vector<std::string> txt;
        for (const std::string &t : r.txt) txt.push_back(quoted(t));
        o.list("txt", txt);
        rs.push_back(o.done());
    }
    j.list("records", rs);
    return j.done();
}

std::string nb_name(const NbName &n) {
    Json o;
    o.str("name", n.name);
    o.num("suffix", n.suffix);
    o.str("scope", n.scope);
    return o.done();
}

std::string dump_nbns(const std::vector<uint8_t> &p) {
    NbnsMessage m;
    Json j;
    j.raw("ok", parse_nbns_message(p.data(), p.size(), &m) ? "true" : "false");
    j.raw("response", m.response ? "true" : "false");
    j.num("opcode", m.opcode);
    j.raw("broadcast", m.broadcast ? "true" : "false");
    std::vector<std::string> qs, rs;
    for (const NbnsQuestion &q : m.questions) qs.push_back("{\"name\":" + nb_name(q.name) + ",\"type\":" + std::to_string(q.type) + "}");
    for (const NbnsRecord &r : m.records) {
        Json o;
        o.num("section", long(r.section));
        o.raw("name", nb_name(r.name));
        o.num("type", r.type);
        o.num("ttl", long(r.ttl));
        std::vector<std::string> addrs, nodes;
        for (const NbAddress &a : r.addresses)
            addrs.push_back("{\"flags\":" + std::to_string(a.flags) + ",\"address\":" + quoted(a.address.to_string()) + "}");
        for (const NbNodeName &e : r.node_names)
            nodes.push_back("{\"name\":" + nb_name(e.name) + ",\"flags\":" + std::to_string(e.flags) + "}");
        o.list("addresses", addrs);
        o.list("node_names", nodes);
        o.str("unit_id", r.has_unit_id ? hex(r.unit_id.data(), 6) : "");
        rs.push_back(o.done());
    }
    j.list("questions", qs);
    j.list("records", rs);
    return j.done();
}

std::string dump_ssdp(const std::vector<uint8_t> &p) {
    SsdpMessage m;
    Json j;
    j.raw("ok", parse_ssdp_message(p.data(), p.size(), &m) ? "true" : "false");
    j.num("kind", long(m.kind));
    j.num("status", m.status);
    j.str("server", m.server);
    j.str("user_agent", m.user_agent);
    j.str("nt", m.nt);
    j.str("st", m.st);
    j.str("nts", m.nts);
    j.str("usn", m.usn);
    j.str("location", m.location);
    return j.done();
}

}  // namespace

int main() {
    std::string reader, digits;
    while (std::cin >> reader >> digits) {
        std::vector<uint8_t> p;
        for (size_t i = 0; i + 1 < digits.size(); i += 2) p.push_back(uint8_t(std::stoul(digits.substr(i, 2), nullptr, 16)));
        std::string line = "{}";
        if (reader == "dhcp") line = dump_dhcp(p);
        if (reader == "dns") line = dump_dns(p);
        if (reader == "nbns") line = dump_nbns(p);
        if (reader == "ssdp") line = dump_ssdp(p);
        std::cout << line << '\n';
    }
}

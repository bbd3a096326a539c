#include "heuristics/wire/nbns_message.hpp"

#include "heuristics/common/byte_order.hpp"
#include "heuristics/wire/dns_name.hpp"
#include "heuristics/wire/printable_text.hpp"

namespace phonehome::wire {

namespace {

constexpr size_t kHeaderLen = 12;
constexpr size_t kQuestionTail = 4;  // QUESTION_TYPE, QUESTION_CLASS
constexpr size_t kRecordFixed = 10;  // RR_TYPE, RR_CLASS, TTL, RDLENGTH
constexpr size_t kNameBytes = 16;    // 15 name bytes and the suffix
constexpr size_t kEncodedLen = 2 * kNameBytes;
constexpr size_t kNbEntryLen = 6;     // NB_FLAGS, NB_ADDRESS
constexpr size_t kNodeNameLen = 18;   // 16 name bytes, NAME_FLAGS
constexpr size_t kUnitIdLen = 6;
// A scope is a domain name; anything longer is malformed (and compression
// could otherwise make its text long).
constexpr size_t kMaxScopeText = 255;

// The 15 name bytes at `raw` without their space padding, and the suffix.
void set_name(const uint8_t *raw, NbName *name) {
    size_t n = kNameBytes - 1;
    while (n > 0 && raw[n - 1] == ' ') --n;
    name->name.clear();
    append_printable(&name->name, raw, n);
    name->suffix = raw[kNameBytes - 1];
}

// First-level decoding (RFC 1001 14.1): each byte is two letters 'A' + its
// half-bytes, high first.
bool decode_first_level(const uint8_t *label, uint8_t raw[kNameBytes]) {
    for (size_t i = 0; i < kNameBytes; ++i) {
        const unsigned hi = unsigned(label[2 * i]) - 'A', lo = unsigned(label[2 * i + 1]) - 'A';
        if (hi > 15 || lo > 15) return false;
        raw[i] = uint8_t(hi << 4 | lo);
    }
    return true;
}

// Reads the encoded name at `pos` (the second-level encoding is a DNS name
// whose first label is the first-level encoded NetBIOS name, the rest the
// scope) into *name and sets *next past it.
bool read_nb_name(const uint8_t *msg, size_t len, size_t pos, NbName *name, size_t *next) {
    uint8_t raw[kNameBytes];
    bool first = true;
    name->scope.clear();
    const bool ok = walk_dns_name(msg, len, pos, next, [&](const uint8_t *label, size_t n) {
        if (first) {
            first = false;
            return n == kEncodedLen && decode_first_level(label, raw);
        }
        if (!name->scope.empty()) name->scope.push_back('.');
        append_dns_label(&name->scope, label, n);
        return name->scope.size() <= kMaxScopeText;
    });
    if (!ok || first) return false;  // the root name is no NetBIOS name
    set_name(raw, name);
    return true;
}

bool read_question(const uint8_t *msg, size_t len, size_t *pos, NbnsMessage *out) {
    NbnsQuestion q;
    size_t next = 0;
    if (!read_nb_name(msg, len, *pos, &q.name, &next) || len - next < kQuestionTail) return false;
    q.type = be16(msg + next);
    if (out->questions.size() < kNbnsMaxQuestions) out->questions.push_back(std::move(q));
    *pos = next + kQuestionTail;
    return true;
}

// An NB record's rdata: whole 6-byte entries, else none are kept.
void read_nb_entries(const uint8_t *rd, size_t n, NbnsRecord *r) {
    if (n % kNbEntryLen != 0) return;
    for (size_t at = 0; at < n && r->addresses.size() < kNbnsMaxEntries; at += kNbEntryLen)
        r->addresses.push_back(NbAddress{be16(rd + at), IpAddress::v4(rd + at + 2)});
}

// An NBSTAT record's rdata (RFC 1002 4.2.18): NUM_NAMES, the name table, then
// the statistics, which begin with the unit ID.
void read_node_status(const uint8_t *rd, size_t n, NbnsRecord *r) {
    if (n < 1) return;
    const size_t count = rd[0];
    const size_t table_end = 1 + count * kNodeNameLen;
    if (n < table_end) return;
    for (size_t i = 0; i < count && r->node_names.size() < kNbnsMaxEntries; ++i) {
        const uint8_t *e = rd + 1 + i * kNodeNameLen;
        NbNodeName entry;
        set_name(e, &entry.name);
        entry.flags = be16(e + kNameBytes);
        r->node_names.push_back(std::move(entry));
    }
    if (n - table_end >= kUnitIdLen) {
        r->has_unit_id = true;
        for (size_t i = 0; i < kUnitIdLen; ++i) r->unit_id[i] = rd[table_end + i];
    }
}

bool read_record(const uint8_t *msg, size_t len, size_t *pos, DnsSection section, NbnsMessage *out) {
    NbnsRecord r;
    size_t p = 0;
    if (!read_nb_name(msg, len, *pos, &r.name, &p) || len - p < kRecordFixed) return false;
    r.section = section;
    r.type = be16(msg + p);
    r.ttl = be32(msg + p + 4);
    const size_t rdlength = be16(msg + p + 8);
    const size_t rdata = p + kRecordFixed;
    if (len - rdata < rdlength) return false;
    if (r.type == kNbnsTypeNb) read_nb_entries(msg + rdata, rdlength, &r);
    if (r.type == kNbnsTypeNbstat) read_node_status(msg + rdata, rdlength, &r);
    if (out->records.size() < kNbnsMaxRecords) out->records.push_back(std::move(r));
    *pos = rdata + rdlength;
    return true;
}

}  // namespace

bool parse_nbns_message(const uint8_t *data, size_t len, NbnsMessage *out) {
    *out = NbnsMessage();
    if (!data || len < kHeaderLen) return false;
    const uint16_t counts[4] = {be16(data + 4), be16(data + 6), be16(data + 8), be16(data + 10)};
    size_t pos = kHeaderLen;
    if (counts[0] > 0 && !read_question(data, len, &pos, out)) return false;
    const uint16_t flags = be16(data + 2);
    out->transaction_id = be16(data);
    out->response = (flags & 0x8000) != 0;
    out->opcode = uint8_t(flags >> 11 & 0xf);
    out->broadcast = (flags & 0x0010) != 0;
    out->rcode = uint8_t(flags & 0xf);

    for (uint16_t i = 1; i < counts[0]; ++i)
        if (!read_question(data, len, &pos, out)) return true;
    const DnsSection sections[3] = {DnsSection::Answer, DnsSection::Authority, DnsSection::Additional};
    for (size_t s = 0; s < 3; ++s)
        for (uint16_t i = 0; i < counts[s + 1]; ++i)
            if (!read_record(data, len, &pos, sections[s], out)) return true;
    return true;
}

}  // namespace phonehome::wire

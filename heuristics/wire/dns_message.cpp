#include "heuristics/wire/dns_message.hpp"

#include "heuristics/common/byte_order.hpp"
#include "heuristics/wire/dns_name.hpp"
#include "heuristics/wire/printable_text.hpp"

namespace phonehome::wire {

namespace {

constexpr size_t kHeaderLen = 12;
constexpr size_t kQuestionTail = 4;   // QTYPE, QCLASS
constexpr size_t kRecordFixed = 10;   // TYPE, CLASS, TTL, RDLENGTH
constexpr uint16_t kClassIn = 1;
// mDNS (RFC 6762) uses the top bit of CLASS as the cache-flush flag; the
// record is still class IN.
constexpr uint16_t kClassMask = 0x7fff;

// A name's text, built in a fixed buffer so names that are not kept (the cap
// was reached, or the record turns out to be cut short) cost no allocation.
struct NameText {
    char buf[kDnsMaxNameText];
    size_t n = 0;

    bool put(char c) {
        if (n == sizeof buf) return false;
        buf[n++] = c;
        return true;
    }
    bool put_label_byte(uint8_t b) {
        if (dns_label_byte_plain(b)) return put(char(b));
        char esc[4];
        decimal_escape(b, esc);
        return put(esc[0]) && put(esc[1]) && put(esc[2]) && put(esc[3]);
    }
    std::string str() const { return std::string(buf, n); }
};

// Reads the (possibly compressed) name at `pos` of the message's first `len`
// bytes into *text and sets *next to the offset just after the name where it
// was written (after its first pointer, if any). False when it is malformed,
// cut short, too long, or compressed in a way that could loop.
bool read_name(const uint8_t *msg, size_t len, size_t pos, NameText *text, size_t *next) {
    text->n = 0;
    bool any_label = false;
    const bool ok = walk_dns_name(msg, len, pos, next, [&](const uint8_t *label, size_t label_len) {
        if (any_label && !text->put('.')) return false;
        for (size_t i = 0; i < label_len; ++i)
            if (!text->put_label_byte(label[i])) return false;
        any_label = true;
        return true;
    });
    if (!ok) return false;
    if (!any_label) {
        // Wireshark's text for the root name.
        static const char kRoot[] = "<Root>";
        for (const char *c = kRoot; *c; ++c) text->put(*c);
    }
    return true;
}

void add_name(const NameText &text, DnsMessage *out) {
    if (out->names.size() < kDnsMaxNames) out->names.push_back(text.str());
}

void add_address(const IpAddress &addr, DnsMessage *out) {
    if (out->addresses.size() < kDnsMaxAddresses) out->addresses.push_back(addr);
}

// One question at *pos; on success adds its name and moves *pos past it.
bool read_question(const uint8_t *msg, size_t len, size_t *pos, NameText *name, DnsMessage *out) {
    size_t next = 0;
    if (!read_name(msg, len, *pos, name, &next) || len - next < kQuestionTail) return false;
    add_name(*name, out);
    *pos = next + kQuestionTail;
    return true;
}

// The fixed part of a resource record, after its owner name.
struct RecordHead {
    uint16_t type = 0;
    uint16_t rr_class = 0;  // as on the wire, mDNS cache-flush bit included
    size_t rdata = 0, rdata_end = 0;  // offsets in the message
};

// Reads the fixed part at `p`; false when it or its rdata is cut short.
bool read_record_head(const uint8_t *msg, size_t len, size_t p, RecordHead *h) {
    if (len - p < kRecordFixed) return false;
    h->type = be16(msg + p);
    h->rr_class = be16(msg + p + 2);
    const size_t rdlength = be16(msg + p + 8);
    h->rdata = p + kRecordFixed;
    if (len - h->rdata < rdlength) return false;
    h->rdata_end = h->rdata + rdlength;
    return true;
}

// A TXT record's character-strings (length byte, bytes), made printable
// (into *txt when not null); false when one runs past the rdata.
bool read_txt(const uint8_t *rd, size_t rdlength, std::vector<std::string> *txt) {
    for (size_t at = 0; at < rdlength;) {
        const size_t n = rd[at];
        if (rdlength - at - 1 < n) return false;
        if (txt && txt->size() < kDnsMaxTxtStrings) {
            txt->emplace_back();
            append_printable(&txt->back(), rd + at + 1, n);
        }
        at += 1 + n;
    }
    return true;
}

// Where the records go: every one counts towards kDnsMaxRecords, but with
// addresses_only only A and AAAA records are written out (the others are
// still checked, so the ones kept are exactly those the full parse keeps).
struct RecordSink {
    std::vector<DnsRecord> *records;
    bool addresses_only;
    size_t counted = 0;
};

// Adds the whole record described by `h` and `owner` to the sink when it is
// of class IN, of a type DnsRecord holds, and its rdata fits that type.
// `scratch` holds a target name while it is read.
void add_record(const uint8_t *msg, const RecordHead &h, const NameText &owner, NameText *scratch,
                DnsSection section, RecordSink *sink) {
    if (sink->counted >= kDnsMaxRecords || (h.rr_class & kClassMask) != kClassIn) return;
    const bool address = h.type == kDnsTypeA || h.type == kDnsTypeAaaa;
    const bool keep = address || !sink->addresses_only;
    DnsRecord r;
    const uint8_t *rd = msg + h.rdata;
    const size_t rdlength = h.rdata_end - h.rdata;
    size_t ignored = 0;
    switch (h.type) {
        case kDnsTypeA:
            if (rdlength != 4) return;
            r.address = IpAddress::v4(rd);
            break;
        case kDnsTypeAaaa:
            if (rdlength != 16) return;
            r.address = IpAddress::v6(rd);
            break;
        case kDnsTypeCname:
        case kDnsTypePtr:
            // The target must lie inside the rdata (pointers only go
            // backwards, so limiting the length is enough).
            if (!read_name(msg, h.rdata_end, h.rdata, scratch, &ignored)) return;
            if (keep) r.target = scratch->str();
            break;
        case kDnsTypeSrv:  // priority, weight, port, target
            if (rdlength < 6 || !read_name(msg, h.rdata_end, h.rdata + 6, scratch, &ignored)) return;
            r.port = be16(rd + 4);
            if (keep) r.target = scratch->str();
            break;
        case kDnsTypeTxt:
            if (!read_txt(rd, rdlength, keep ? &r.txt : nullptr)) return;
            break;
        default:
            return;
    }
    ++sink->counted;
    if (!keep) return;
    r.section = section;
    r.type = h.type;
    r.cache_flush = (h.rr_class & ~kClassMask) != 0;
    r.ttl = be32(msg + h.rdata - 6);  // TTL, then RDLENGTH, before the rdata
    r.owner = owner.str();
    sink->records->push_back(std::move(r));
}

// One answer-section record at *pos. Nothing is added unless the whole record
// is there, so a truncated message gives a prefix of the full result. With
// kRecords the record also goes to the sink.
template <bool kRecords>
bool read_answer(const uint8_t *msg, size_t len, size_t *pos, NameText *owner, NameText *target, DnsMessage *out,
                 RecordSink *records) {
    size_t p = 0;
    RecordHead h;
    if (!read_name(msg, len, *pos, owner, &p) || !read_record_head(msg, len, p, &h)) return false;
    const uint16_t type = h.type;
    const uint16_t rr_class = h.rr_class & kClassMask;
    const size_t rdlength = h.rdata_end - h.rdata;

    const bool cname = type == kDnsTypeCname;
    size_t ignored = 0;
    // The target must lie inside the rdata (pointers only go backwards, so
    // limiting the length is enough).
    if (cname && !read_name(msg, h.rdata_end, h.rdata, target, &ignored)) return false;

    add_name(*owner, out);
    if (cname) add_name(*target, out);
    if (rr_class == kClassIn && type == kDnsTypeA && rdlength == 4) add_address(IpAddress::v4(msg + h.rdata), out);
    if (rr_class == kClassIn && type == kDnsTypeAaaa && rdlength == 16) add_address(IpAddress::v6(msg + h.rdata), out);
    if constexpr (kRecords) add_record(msg, h, *owner, target, DnsSection::Answer, records);
    *pos = h.rdata_end;
    return true;
}

// One authority- or additional-section record at *pos, for the sink only.
bool read_other_record(const uint8_t *msg, size_t len, size_t *pos, NameText *owner, NameText *target,
                       DnsSection section, RecordSink *records) {
    size_t p = 0;
    RecordHead h;
    if (!read_name(msg, len, *pos, owner, &p) || !read_record_head(msg, len, p, &h)) return false;
    add_record(msg, h, *owner, target, section, records);
    *pos = h.rdata_end;
    return true;
}

void reset(DnsMessage *out) {
    out->response = false;
    out->query_name.clear();
    out->names.clear();
    out->addresses.clear();
}

// The parse, with or without the records (a template, so the plain path is
// compiled without a trace of them).
template <bool kRecords>
bool parse(const uint8_t *data, size_t len, DnsMessage *out, RecordSink *records) {
    reset(out);
    if constexpr (kRecords) records->records->clear();
    if (!data || len < kHeaderLen) return false;
    const uint16_t qdcount = be16(data + 4);
    const uint16_t ancount = be16(data + 6);

    // Two 1 KiB buffers on the stack: the owner and a CNAME target are both
    // needed before the record is known to be whole.
    NameText a, b;
    size_t pos = kHeaderLen;
    if (qdcount > 0) {
        if (!read_question(data, len, &pos, &a, out)) return false;
        out->query_name = out->names.front();
    }
    out->response = (data[2] & 0x80) != 0;

    for (uint16_t i = 1; i < qdcount; ++i)
        if (!read_question(data, len, &pos, &a, out)) return true;
    for (uint16_t i = 0; i < ancount; ++i)
        if (!read_answer<kRecords>(data, len, &pos, &a, &b, out, records)) return true;
    if constexpr (kRecords) {
        const uint16_t nscount = be16(data + 8);
        const uint16_t arcount = be16(data + 10);
        for (uint16_t i = 0; i < nscount; ++i)
            if (!read_other_record(data, len, &pos, &a, &b, DnsSection::Authority, records)) return true;
        for (uint16_t i = 0; i < arcount; ++i)
            if (!read_other_record(data, len, &pos, &a, &b, DnsSection::Additional, records)) return true;
    }
    return true;
}

}  // namespace

bool parse_dns_message(const uint8_t *data, size_t len, DnsMessage *out) {
    return parse<false>(data, len, out, nullptr);
}

bool parse_dns_message(const uint8_t *data, size_t len, DnsMessage *out, std::vector<DnsRecord> *records,
                       DnsRecordKinds kinds) {
    if (!records) return parse<false>(data, len, out, nullptr);
    RecordSink sink{records, kinds == DnsRecordKinds::Addresses};
    return parse<true>(data, len, out, &sink);
}

}  // namespace phonehome::wire

#include "heuristics/wire/dns_message.hpp"

#include "heuristics/common/byte_order.hpp"
#include "heuristics/wire/dns_name.hpp"
#include "heuristics/wire/printable_text.hpp"

namespace phonehome::wire {

namespace {

constexpr size_t kHeaderLen = 12;
constexpr size_t kQuestionTail = 4;   // QTYPE, QCLASS
constexpr size_t kRecordFixed = 10;   // TYPE, CLASS, TTL, RDLENGTH
constexpr uint16_t kTypeA = 1, kTypeCname = 5, kTypeAaaa = 28;
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

// One answer-section record at *pos. Nothing is added unless the whole record
// is there, so a truncated message gives a prefix of the full result.
bool read_answer(const uint8_t *msg, size_t len, size_t *pos, NameText *owner, NameText *target, DnsMessage *out) {
    size_t p = 0;
    if (!read_name(msg, len, *pos, owner, &p) || len - p < kRecordFixed) return false;
    const uint16_t type = be16(msg + p);
    const uint16_t rr_class = be16(msg + p + 2) & kClassMask;
    const size_t rdlength = be16(msg + p + 8);
    const size_t rdata = p + kRecordFixed;
    if (len - rdata < rdlength) return false;
    const size_t rdata_end = rdata + rdlength;

    const bool cname = type == kTypeCname;
    size_t ignored = 0;
    // The target must lie inside the rdata (pointers only go backwards, so
    // limiting the length is enough).
    if (cname && !read_name(msg, rdata_end, rdata, target, &ignored)) return false;

    add_name(*owner, out);
    if (cname) add_name(*target, out);
    if (rr_class == kClassIn && type == kTypeA && rdlength == 4) add_address(IpAddress::v4(msg + rdata), out);
    if (rr_class == kClassIn && type == kTypeAaaa && rdlength == 16) add_address(IpAddress::v6(msg + rdata), out);
    *pos = rdata_end;
    return true;
}

void reset(DnsMessage *out) {
    out->response = false;
    out->query_name.clear();
    out->names.clear();
    out->addresses.clear();
}

}  // namespace

bool parse_dns_message(const uint8_t *data, size_t len, DnsMessage *out) {
    reset(out);
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
        if (!read_answer(data, len, &pos, &a, &b, out)) return true;
    return true;
}

}  // namespace phonehome::wire

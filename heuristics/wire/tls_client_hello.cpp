#include "heuristics/wire/tls_client_hello.hpp"

namespace phonehome::wire {

namespace {

constexpr uint8_t kContentHandshake = 22;
constexpr uint8_t kHandshakeClientHello = 1;
constexpr uint16_t kExtServerName = 0;
constexpr uint8_t kNameTypeHostName = 0;
constexpr size_t kRecordHeaderLen = 5;
constexpr size_t kRandomLen = 32;
constexpr size_t kMaxSessionIdLen = 32;

// Reads [pos, end) of a length-delimited TLS structure. `end` is where the
// structure ends by its declared length (nested structures must fit in it);
// `avail` is where the captured bytes of the first record stop. Reading a
// field needs both; skipping over declared bytes needs only `end`, so a
// structure that was cut short fails at the first field actually read.
struct Reader {
    const uint8_t *d;
    size_t pos;
    size_t end;
    size_t avail;

    bool captured(size_t n) const { return n <= end - pos && pos <= avail && n <= avail - pos; }
    bool skip(size_t n) {
        if (n > end - pos) return false;
        pos += n;
        return true;
    }
    bool u8(size_t *v) {
        if (!captured(1)) return false;
        *v = d[pos++];
        return true;
    }
    bool u16(size_t *v) {
        if (!captured(2)) return false;
        *v = size_t(d[pos]) << 8 | d[pos + 1];
        pos += 2;
        return true;
    }
    bool u24(size_t *v) {
        if (!captured(3)) return false;
        *v = size_t(d[pos]) << 16 | size_t(d[pos + 1]) << 8 | d[pos + 2];
        pos += 3;
        return true;
    }
    // A vector with a 1- or 2-byte length prefix, as a structure of its own;
    // false when it overruns this one (malformed) or its length is not there.
    bool vec8(Reader *inner) {
        size_t n = 0;
        return u8(&n) && take(n, inner);
    }
    bool vec16(Reader *inner) {
        size_t n = 0;
        return u16(&n) && take(n, inner);
    }
    bool take(size_t n, Reader *inner) {
        if (n > end - pos) return false;
        *inner = Reader{d, pos, pos + n, avail};
        pos += n;
        return true;
    }
    bool at_end() const { return pos >= end; }
};

bool valid_host_name(const uint8_t *p, size_t n) {
    if (n == 0 || n > kTlsMaxHostName) return false;
    for (size_t i = 0; i < n; ++i)
        if (p[i] < 0x21 || p[i] > 0x7e) return false;
    return true;
}

// The ServerNameList of a server_name extension: the first host_name entry.
bool read_server_name_list(Reader ext, std::string *sni) {
    Reader list{};
    if (!ext.vec16(&list)) return false;
    while (!list.at_end()) {
        size_t type = 0, n = 0;
        if (!list.u8(&type) || !list.u16(&n) || !list.captured(n)) return false;
        if (type == kNameTypeHostName) {
            if (!valid_host_name(list.d + list.pos, n)) return false;
            sni->assign(reinterpret_cast<const char *>(list.d + list.pos), n);
            return true;
        }
        // Other name types (none are defined) are skipped by their length.
        list.skip(n);
    }
    return false;
}

// The ClientHello body after the handshake header, up to its extensions.
bool skip_to_extensions(Reader *hello) {
    Reader v{};
    if (!hello->skip(2 + kRandomLen)) return false;  // legacy_version, random
    if (!hello->vec8(&v) || v.end - v.pos > kMaxSessionIdLen) return false;  // legacy_session_id
    if (!hello->vec16(&v)) return false;  // cipher_suites
    return hello->vec8(&v);  // legacy_compression_methods
}

}  // namespace

namespace {

// A ClientHello handshake message at `pos` of a structure ending at `end`,
// with `avail` bytes captured: its first host_name.
bool client_hello_sni(const uint8_t *data, size_t pos, size_t end, size_t avail, std::string *sni) {
    Reader record{data, pos, end, avail};
    size_t type = 0, body_len = 0;
    if (!record.u8(&type) || type != kHandshakeClientHello || !record.u24(&body_len)) return false;
    // The handshake's own length bounds what is nested in it, even where it
    // runs past the record (a fragmented handshake).
    Reader hello{data, record.pos, record.pos + body_len, avail};
    if (!skip_to_extensions(&hello)) return false;

    Reader extensions{};
    if (!hello.vec16(&extensions)) return false;
    while (!extensions.at_end()) {
        size_t ext_type = 0;
        Reader ext{};
        if (!extensions.u16(&ext_type) || !extensions.vec16(&ext)) return false;
        // Only the first server_name extension counts (a second is illegal).
        if (ext_type == kExtServerName) return read_server_name_list(ext, sni);
    }
    return false;
}

}  // namespace

bool tls_client_hello_sni(const uint8_t *data, size_t len, std::string *sni) {
    if (!data || len < kRecordHeaderLen) return false;
    if (data[0] != kContentHandshake || data[1] != 3) return false;
    const size_t record_len = size_t(data[3]) << 8 | data[4];
    // Bytes past the first record belong to the next one; a handshake that
    // continues there is read only as far as this record goes.
    const size_t avail = record_len < len - kRecordHeaderLen ? kRecordHeaderLen + record_len : len;
    return client_hello_sni(data, kRecordHeaderLen, kRecordHeaderLen + record_len, avail, sni);
}

bool tls_handshake_client_hello_sni(const uint8_t *data, size_t len, std::string *sni) {
    if (!data || len < 4) return false;
    // The message's own length is the only bound; `len` says what is here.
    const size_t msg_len = 4 + (size_t(data[1]) << 16 | size_t(data[2]) << 8 | data[3]);
    return client_hello_sni(data, 0, msg_len, len, sni);
}

}  // namespace phonehome::wire

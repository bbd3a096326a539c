#include "heuristics/wire/dtls_record.hpp"

#include "heuristics/common/byte_order.hpp"

namespace phonehome::wire {

const char *dtls_content_type_name(uint8_t type) {
    switch (type) {
    case 20: return "ChangeCipherSpec";
    case 21: return "Alert";
    case 22: return "Handshake";
    case 23: return "Application Data";
    default: return nullptr;
    }
}

const char *dtls_handshake_type_name(int type) {
    switch (type) {
    case 1: return "ClientHello";
    case 2: return "ServerHello";
    case 3: return "HelloVerifyRequest";
    case 11: return "Certificate";
    case 12: return "ServerKeyExchange";
    case 13: return "CertificateRequest";
    case 14: return "ServerHelloDone";
    case 15: return "CertificateVerify";
    case 16: return "ClientKeyExchange";
    case 20: return "Finished";
    default: return nullptr;
    }
}

bool read_dtls_records(const uint8_t *data, size_t len, DtlsRecord *out, size_t *count) {
    *count = 0;
    size_t pos = 0, n = 0;
    while (pos < len) {
        if (len - pos < kDtlsRecordHeader) return false;
        const uint8_t *h = data + pos;
        const uint16_t version = be16(h + 1);
        if (!dtls_content_type_name(h[0]) || (version != 0xFEFF && version != 0xFEFD && version != 0xFEFC))
            return false;
        const uint16_t length = be16(h + 11);
        if (length > len - pos - kDtlsRecordHeader) return false;
        DtlsRecord r;
        r.offset = uint16_t(pos);
        r.content_type = h[0];
        r.version = version;
        r.epoch = be16(h + 3);
        r.length = length;
        if (r.content_type == 22 && r.epoch == 0 && length > 0) r.handshake_type = h[kDtlsRecordHeader];
        if (n < kMaxDtlsRecords) out[n] = r;
        ++n;
        pos += kDtlsRecordHeader + length;
    }
    *count = n < kMaxDtlsRecords ? n : kMaxDtlsRecords;
    return n > 0;
}

}  // namespace phonehome::wire

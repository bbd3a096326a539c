// Reads DTLS record headers (RFC 6347 section 4.1) from a payload that is
// expected to be nothing but DTLS records, as Kalay SDK 4.x sessions carry
// them (go2rtc pkg/tutk: data messages from byte 28, CC51 frames between
// their 28-byte header and the HMAC tail). Nothing is decrypted; the records
// are only named: content type, version, epoch, length and, for a handshake
// record in the clear (epoch 0), the handshake message type.
//
// Every read is bounds-checked; nothing throws.
#pragma once

#include <cstddef>
#include <cstdint>

namespace phonehome::wire {

struct DtlsRecord {
    uint16_t offset = 0;        // of the record header in the payload
    uint8_t content_type = 0;   // 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data
    uint16_t version = 0;       // 0xFEFF DTLS 1.0, 0xFEFD DTLS 1.2, 0xFEFC DTLS 1.3
    uint16_t epoch = 0;
    uint16_t length = 0;        // of the fragment after the 13-byte header
    int handshake_type = -1;    // handshake record of epoch 0: its msg_type; else -1
};

inline constexpr size_t kDtlsRecordHeader = 13;
inline constexpr size_t kMaxDtlsRecords = 8;

// Reads the records that exactly fill `data[0..len)`: true when there is at
// least one, every header is plausible (a known content type and DTLS
// version) and the last record ends at `len`. Up to kMaxDtlsRecords are
// written to `out`, their number to *count.
bool read_dtls_records(const uint8_t *data, size_t len, DtlsRecord *out, size_t *count);

const char *dtls_content_type_name(uint8_t type);      // "Handshake", ... or nullptr
const char *dtls_handshake_type_name(int type);        // "ClientHello", ... or nullptr

}  // namespace phonehome::wire

// Reads the server name (SNI, RFC 6066) a TLS client asks for from the bytes
// of its ClientHello, so the plugin needs no protocol tree for it.
//
// Every read is bounds-checked against what was captured; nothing throws
// except std::bad_alloc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace phonehome::wire {

inline constexpr size_t kTlsMaxHostName = 255;

// `data` is the start of a TCP segment's payload, `len` the bytes captured.
// If it begins with a TLS handshake record (content type 22, major version 3)
// whose handshake is a ClientHello (type 1), finds the server_name extension
// (type 0) and its first host_name entry (name type 0) and copies it to *sni.
//
// Works on what was captured: only the first record is read, and the
// ClientHello is read up to the end of that record or of `len`, whichever
// comes first. The name is found when its bytes are all there, so a
// ClientHello cut short (or continued in a second record) before the name
// returns false. Lengths nested inside the handshake must agree with the
// handshake length.
//
// The host name is copied as is; it must be 1..kTlsMaxHostName bytes of
// printable ASCII without space (0x21..0x7e), else the result is false.
// *sni is written only when the result is true.
bool tls_client_hello_sni(const uint8_t *data, size_t len, std::string *sni);

// The same for a bare handshake message without the record header, as QUIC
// carries it in CRYPTO frames: `data` starts at the handshake type byte and
// `len` bytes of the message are at hand.
bool tls_handshake_client_hello_sni(const uint8_t *data, size_t len, std::string *sni);

}  // namespace phonehome::wire

// The body sizes PPPP message types have on the wire (pmarrapese/iot
// pppp.fdesc), for decryptions that must prove themselves: a datagram that a
// published vendor key or a recovered key turns into a consistent header is
// only taken for PPPP when its body also has its type's size. Fixed layouts
// must match exactly; variable ones (DRW, DRW_ACK, relay and address lists)
// must agree with their own count or marker fields.
#pragma once

#include <cstddef>
#include <cstdint>

namespace phonehome {

// `body` is the decrypted body (datagram bytes 4..), `n` its length.
bool pppp_body_fits_layout(uint8_t type, const uint8_t *body, size_t n);

// What the length alone allows, before the body is decrypted: false when
// no body of `n` bytes can fit the type's layout.
bool pppp_body_size_possible(uint8_t type, size_t n);

// Body bytes a type's layout fixes whatever the sender: the D1 marker of
// DRW, DRW_ACK and PSR, and in every socket address the high byte of the
// family (2, or 0 in some logins) and the 8 zero bytes of sin_zero. Offsets
// are datagram offsets (header included). Returns how many were written.
struct PpppKnownByte {
    uint16_t offset;
    uint8_t value;
};
inline constexpr size_t kPpppMaxKnownBytes = 18;
size_t pppp_known_body_bytes(uint8_t type, size_t body_len, PpppKnownByte *out);

// Types with an empty body whatever the vendor: HELLO, LAN_SEARCH, ALIVE,
// ALIVE_ACK, CLOSE and the other 4-byte messages. Key recovery uses them as
// known plaintext.
bool pppp_type_has_empty_body(uint8_t type);

}  // namespace phonehome

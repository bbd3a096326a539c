// The server name a QUIC client asks for, from the decrypted payload of its
// Initial packet (Wireshark derives the Initial keys and decrypts it; the
// plugin reads the "Decrypted QUIC" bytes it leaves, no protocol tree). The
// ClientHello travels in CRYPTO frames (RFC 9000, 19.6), which clients may
// split and reorder inside one packet (Chrome does), so the frames are put
// back in order before the ClientHello is read. Bounds-checked; no throws
// except std::bad_alloc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace phonehome::wire {

// The largest stretch of CRYPTO data reassembled from one packet.
inline constexpr size_t kQuicMaxCrypto = 4096;

// `frames` are the decrypted frames of one Initial packet. Walks PADDING,
// PING, ACK, CRYPTO and CONNECTION_CLOSE frames (the only ones an Initial may
// carry) and stops at anything else. The CRYPTO data contiguous from stream
// offset 0 is read as a ClientHello; true with its first host_name.
bool quic_initial_sni(const uint8_t *frames, size_t len, std::string *sni);

}  // namespace phonehome::wire

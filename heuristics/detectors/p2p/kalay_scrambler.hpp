// The "Charlie" scrambler of ThroughTek Kalay (TUTK IOTC): a keyless, fixed
// transform of 16-byte blocks (word rotations, a byte permutation and an XOR
// with the first 16 bytes of "Charlie is the designer of P2P!!") plus a short
// tail handled byte-wise. It hides the header from naive matching but is no
// encryption: both directions are public (go2rtc pkg/tutk/crypto.go).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace phonehome {

// Public implementations disagree on the tail (the len % 16 bytes after the
// last full block): go2rtc permutes a 2-, 4- or 8-byte tail before the XOR,
// other ports only XOR it. Both are seen on the wire, so both are supported.
enum class KalayTail { Permuted, Unpermuted };

// Header flags bit 0: only the 16-byte header and body bytes 16..63 are
// scrambled, the rest travels as is (go2rtc TransCodeBlob).
inline constexpr uint8_t kKalayFlagPartial = 0x01;

// One 16-byte block. `in` and `out` may alias.
void kalay_scramble_block(const uint8_t *in, uint8_t *out);
void kalay_descramble_block(const uint8_t *in, uint8_t *out);

// The first two bytes of kalay_descramble_block(in), computed from input
// bytes 8..15 alone (they are what the permutation brings to the front) with
// two rotations and a few shifts: the cheap test a scrambled header must
// pass before it is descrambled, little-endian (04 02 reads 0x0204).
uint16_t kalay_descrambled_magic(const uint8_t *in);

// A whole buffer of any length: full blocks, then the tail. `in` and `out`
// may be the same buffer (not otherwise overlapping).
void kalay_scramble(const uint8_t *in, uint8_t *out, size_t len, KalayTail tail = KalayTail::Permuted);
void kalay_descramble(const uint8_t *in, uint8_t *out, size_t len, KalayTail tail = KalayTail::Permuted);

// A whole datagram, honouring the partial mode. Scrambling reads the flag
// from the plaintext header, descrambling from the descrambled header.
std::vector<uint8_t> kalay_scramble_message(const uint8_t *plain, size_t len,
                                            KalayTail tail = KalayTail::Permuted);
std::vector<uint8_t> kalay_descramble_message(const uint8_t *wire, size_t len,
                                              KalayTail tail = KalayTail::Permuted);

}  // namespace phonehome

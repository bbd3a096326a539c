// P2P_Proprietary_Encrypt of CS2 Network PPPP: a byte-wise XOR with a fixed
// 256-byte table, indexed by the previous ciphertext byte and a 4-byte seed
// folded from a vendor pre-shared key (magicus/pppp-dissector PPPP.md). The
// PSKs are public, so this is obfuscation; it matters because an encrypted
// datagram shows no 0xF1 magic.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace phonehome {

using PpppSeed = std::array<uint8_t, 4>;

// k0 = sum(b), k1 = -sum(b), k2 = sum(b / 3), k3 = xor(b), all mod 256, over
// the PSK's bytes taken as unsigned.
PpppSeed pppp_fold_key(std::string_view psk);

// `in` and `out` may be the same buffer.
void pppp_encrypt(const PpppSeed &seed, const uint8_t *in, uint8_t *out, size_t len);
void pppp_decrypt(const PpppSeed &seed, const uint8_t *in, uint8_t *out, size_t len);

std::vector<uint8_t> pppp_encrypt(std::string_view psk, const uint8_t *data, size_t len);
std::vector<uint8_t> pppp_decrypt(std::string_view psk, const uint8_t *data, size_t len);

// The 256-byte table, for tests (it must be a permutation) and tools.
const uint8_t *pppp_table();

}  // namespace phonehome

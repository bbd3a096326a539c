#include "heuristics/detectors/p2p/kalay_scrambler.hpp"

#include <algorithm>
#include <cstring>

namespace phonehome {
namespace {

// First 16 bytes of "Charlie is the designer of P2P!!"; the rest is unused.
constexpr uint8_t kKey[16] = {'C', 'h', 'a', 'r', 'l', 'i', 'e', ' ', 'i', 's', ' ', 't', 'h', 'e', ' ', 'd'};

// out[j] = in[P[j]]. Every permutation here is its own inverse, which is why
// scrambling and descrambling can use the same tables.
constexpr uint8_t kPerm16[16] = {11, 9, 8, 15, 13, 10, 12, 14, 2, 1, 5, 0, 6, 4, 7, 3};
constexpr uint8_t kPerm2[2] = {1, 0};
constexpr uint8_t kPerm4[4] = {2, 3, 0, 1};
constexpr uint8_t kPerm8[8] = {7, 4, 3, 2, 1, 6, 5, 0};

uint32_t rotl(uint32_t x, unsigned r) {
    r &= 31;
    return r == 0 ? x : (x << r) | (x >> (32 - r));
}

// Rotates the little-endian u32 word at offset i (0, 4, 8, 12) left by
// base + i; a negative base rotates right by -base + i.
void rotate_words(uint8_t *b, int base) {
    for (int i = 0; i < 16; i += 4) {
        uint32_t w = uint32_t(b[i]) | uint32_t(b[i + 1]) << 8 | uint32_t(b[i + 2]) << 16 | uint32_t(b[i + 3]) << 24;
        const int r = base >= 0 ? base + i : 32 - ((-base + i) & 31);
        w = rotl(w, unsigned(r));
        for (int k = 0; k < 4; ++k) b[i + k] = uint8_t(w >> (8 * k));
    }
}

void permute(uint8_t *b, const uint8_t *perm, size_t n) {
    uint8_t tmp[16];
    for (size_t j = 0; j < n; ++j) tmp[j] = b[perm[j]];
    std::memcpy(b, tmp, n);
}

void xor_key(uint8_t *b, size_t n) {
    for (size_t j = 0; j < n; ++j) b[j] ^= kKey[j];
}

const uint8_t *tail_perm(size_t n, KalayTail tail) {
    if (tail != KalayTail::Permuted) return nullptr;
    switch (n) {
    case 2: return kPerm2;
    case 4: return kPerm4;
    case 8: return kPerm8;
    default: return nullptr;  // other lengths are only XORed in every port
    }
}

}  // namespace

void kalay_descramble_block(const uint8_t *in, uint8_t *out) {
    uint8_t b[16];
    std::memcpy(b, in, 16);
    rotate_words(b, 3);
    permute(b, kPerm16, 16);
    xor_key(b, 16);
    rotate_words(b, 1);
    std::memcpy(out, b, 16);
}

uint16_t kalay_descrambled_magic(const uint8_t *in) {
    // Descrambling rotates the word at 8 left by 11 and the one at 12 by 15,
    // then brings bytes 11, 9, 8 and 15 to the front, XORs them with "Char"
    // and rotates that word left by 1.
    const uint32_t r8 = rotl(uint32_t(in[8]) | uint32_t(in[9]) << 8 | uint32_t(in[10]) << 16 | uint32_t(in[11]) << 24, 11);
    const uint32_t r12 =
        rotl(uint32_t(in[12]) | uint32_t(in[13]) << 8 | uint32_t(in[14]) << 16 | uint32_t(in[15]) << 24, 15);
    const uint32_t front = (r8 >> 24) | (r8 & 0xFF00u) | (r8 & 0xFFu) << 16 | (r12 & 0xFF000000u);
    const uint32_t key = uint32_t(kKey[0]) | uint32_t(kKey[1]) << 8 | uint32_t(kKey[2]) << 16 | uint32_t(kKey[3]) << 24;
    return uint16_t(rotl(front ^ key, 1));
}

void kalay_scramble_block(const uint8_t *in, uint8_t *out) {
    uint8_t b[16];
    std::memcpy(b, in, 16);
    rotate_words(b, -1);
    xor_key(b, 16);
    permute(b, kPerm16, 16);
    rotate_words(b, -3);
    std::memcpy(out, b, 16);
}

void kalay_scramble(const uint8_t *in, uint8_t *out, size_t len, KalayTail tail) {
    size_t off = 0;
    for (; len - off >= 16; off += 16) kalay_scramble_block(in + off, out + off);
    const size_t n = len - off;
    if (n == 0) return;
    uint8_t t[16];
    std::memcpy(t, in + off, n);
    xor_key(t, n);
    if (const uint8_t *p = tail_perm(n, tail)) permute(t, p, n);
    std::memcpy(out + off, t, n);
}

void kalay_descramble(const uint8_t *in, uint8_t *out, size_t len, KalayTail tail) {
    size_t off = 0;
    for (; len - off >= 16; off += 16) kalay_descramble_block(in + off, out + off);
    const size_t n = len - off;
    if (n == 0) return;
    uint8_t t[16];
    std::memcpy(t, in + off, n);
    if (const uint8_t *p = tail_perm(n, tail)) permute(t, p, n);
    xor_key(t, n);
    std::memcpy(out + off, t, n);
}

namespace {

// The header and the body are transformed separately: the body's blocks
// restart at offset 16, and in partial mode its region ends at byte 64.
std::vector<uint8_t> transform_message(const uint8_t *src, size_t len, KalayTail tail, bool scramble) {
    std::vector<uint8_t> out(src, src + len);
    auto run = [&](size_t from, size_t to) {
        if (scramble)
            kalay_scramble(src + from, out.data() + from, to - from, tail);
        else
            kalay_descramble(src + from, out.data() + from, to - from, tail);
    };
    if (len < 16) {
        run(0, len);
        return out;
    }
    run(0, 16);
    const uint8_t flags = scramble ? src[3] : out[3];
    const size_t body_end = (flags & kKalayFlagPartial) ? std::min<size_t>(len, 64) : len;
    run(16, body_end);
    return out;
}

}  // namespace

std::vector<uint8_t> kalay_scramble_message(const uint8_t *plain, size_t len, KalayTail tail) {
    return transform_message(plain, len, tail, true);
}

std::vector<uint8_t> kalay_descramble_message(const uint8_t *wire, size_t len, KalayTail tail) {
    return transform_message(wire, len, tail, false);
}

}  // namespace phonehome

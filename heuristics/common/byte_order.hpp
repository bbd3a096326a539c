// Fixed-width integers read from packet bytes. Callers check the bounds.
#pragma once

#include <cstdint>

namespace phonehome {

inline uint16_t be16(const uint8_t *p) { return uint16_t(p[0] << 8 | p[1]); }
inline uint32_t be24(const uint8_t *p) { return uint32_t(p[0]) << 16 | uint32_t(p[1]) << 8 | p[2]; }
inline uint32_t be32(const uint8_t *p) { return uint32_t(p[0]) << 24 | be24(p + 1); }
inline uint16_t le16(const uint8_t *p) { return uint16_t(p[0] | p[1] << 8); }

}  // namespace phonehome

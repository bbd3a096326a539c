#include "heuristics/wire/quic_initial.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "heuristics/wire/tls_client_hello.hpp"

namespace phonehome::wire {

namespace {

// A variable-length integer (RFC 9000, 16).
bool varint(const uint8_t *d, size_t len, size_t *pos, uint64_t *v) {
    if (*pos >= len) return false;
    const size_t n = size_t(1) << (d[*pos] >> 6);
    if (n > len - *pos) return false;
    uint64_t x = d[*pos] & 0x3f;
    for (size_t i = 1; i < n; ++i) x = x << 8 | d[*pos + i];
    *pos += n;
    *v = x;
    return true;
}

bool skip_varints(const uint8_t *d, size_t len, size_t *pos, uint64_t count) {
    uint64_t ignored = 0;
    for (uint64_t i = 0; i < count; ++i)
        if (!varint(d, len, pos, &ignored)) return false;
    return true;
}

struct Piece {
    uint64_t offset;
    const uint8_t *data;
    size_t len;
};

constexpr size_t kMaxPieces = 32;

}  // namespace

bool quic_initial_sni(const uint8_t *frames, size_t len, std::string *sni) {
    if (!frames) return false;
    std::array<Piece, kMaxPieces> pieces{};
    size_t n_pieces = 0;
    size_t pos = 0;
    while (pos < len) {
        const uint8_t type = frames[pos++];
        if (type == 0x00 || type == 0x01) continue;  // PADDING, PING
        if (type == 0x02 || type == 0x03) {          // ACK (with ECN counts)
            uint64_t largest = 0, delay = 0, ranges = 0, first = 0;
            if (!varint(frames, len, &pos, &largest) || !varint(frames, len, &pos, &delay) ||
                !varint(frames, len, &pos, &ranges) || !varint(frames, len, &pos, &first))
                break;
            if (ranges > len || !skip_varints(frames, len, &pos, ranges * 2)) break;
            if (type == 0x03 && !skip_varints(frames, len, &pos, 3)) break;
            continue;
        }
        if (type == 0x06) {  // CRYPTO: offset, length, data
            uint64_t offset = 0, n = 0;
            if (!varint(frames, len, &pos, &offset) || !varint(frames, len, &pos, &n) || n > len - pos) break;
            if (n_pieces < kMaxPieces) pieces[n_pieces++] = Piece{offset, frames + pos, size_t(n)};
            pos += size_t(n);
            continue;
        }
        break;  // CONNECTION_CLOSE or a frame an Initial must not carry: nothing more to read
    }
    if (n_pieces == 0) return false;

    // Put the pieces in stream order and copy the run that starts at 0.
    std::sort(pieces.begin(), pieces.begin() + long(n_pieces),
              [](const Piece &a, const Piece &b) { return a.offset < b.offset; });
    std::array<uint8_t, kQuicMaxCrypto> buf;
    size_t have = 0;
    for (size_t i = 0; i < n_pieces; ++i) {
        const Piece &p = pieces[i];
        if (p.offset > have) break;  // a gap: the rest is in another packet
        const size_t skip = size_t(have - p.offset);
        if (skip >= p.len) continue;  // a repeat of bytes already here
        const size_t take = std::min(p.len - skip, buf.size() - have);
        std::memcpy(buf.data() + have, p.data + skip, take);
        have += take;
        if (have == buf.size()) break;
    }
    return tls_handshake_client_hello_sni(buf.data(), have, sni);
}

}  // namespace phonehome::wire

#include "heuristics/detectors/p2p/pppp_key_candidate.hpp"

#include <algorithm>

#include "heuristics/detectors/p2p/pppp_body.hpp"
#include "heuristics/detectors/p2p/pppp_cipher.hpp"
#include "heuristics/detectors/p2p/pppp_layout.hpp"

namespace phonehome {
namespace {

constexpr uint8_t kMagic = 0xF1;
constexpr unsigned kCheckBits = 8;      // a pinned byte confirmed by another triple
constexpr unsigned kTypeBits = 4;       // a type byte whose layout allows the length
constexpr unsigned kAckCountBits = 8;   // a DRW_ACK count that agrees with the length
constexpr unsigned kUidBits = 24;       // a valid UID under a key pinned elsewhere
constexpr size_t kUidMessageLen = 4 + 20;

struct InverseTable {
    uint8_t v[256];
    InverseTable() {
        for (int i = 0; i < 256; ++i) v[pppp_table()[i]] = uint8_t(i);
    }
};
const InverseTable &inverse() {
    static const InverseTable t;
    return t;
}

uint8_t keystream(const PpppSeed &k, uint8_t prev) { return pppp_table()[(k[prev & 3] + prev) & 0xFF]; }

// What a plaintext byte at position i of a UID-carrying message can be: the
// type, then the UID's prefix and check characters (upper-case letters or
// NULs); the length bytes are pinned already, the serial can be anything.
bool plausible_uid_message_byte(size_t i, uint8_t p, size_t len) {
    if (i == 1) return pppp_uid_at_body_start(p, len - 4) && pppp_body_size_possible(p, len - 4);
    const bool text = (i >= 4 && i < 12) || (i >= 16 && i < kUidMessageLen);
    return !text || p == 0 || (p >= 'A' && p <= 'Z');
}

}  // namespace

bool PpppKeyCandidate::seen(const Triple &t) const {
    return std::find(triples_.begin(), triples_.begin() + n_triples_, t) != triples_.begin() + n_triples_;
}

void PpppKeyCandidate::remember(const Triple &t) {
    triples_[next_triple_] = t;
    next_triple_ = uint8_t((next_triple_ + 1) % kMaxTriples);
    if (n_triples_ < kMaxTriples) ++n_triples_;
}

bool PpppKeyCandidate::pin(uint8_t prev, uint8_t cipher, uint8_t plain, bool *check) {
    const uint8_t idx = prev & 3;
    const uint8_t value = uint8_t(inverse().v[cipher ^ plain] - prev);
    *check = known_ & (1u << idx);
    if (*check) return key_[idx] == value;
    key_[idx] = value;
    known_ |= uint8_t(1u << idx);
    return true;
}

bool PpppKeyCandidate::add_header(const uint8_t *data, size_t len, bool *fresh, unsigned *bits) {
    const size_t body = len - 4;
    const Triple header[3] = {{0, data[0], kMagic}, {data[1], data[2], uint8_t(body >> 8)}, {data[2], data[3], uint8_t(body)}};
    for (const Triple &t : header) {
        bool check = false;
        if (!pin(t.prev, t.cipher, t.plain, &check)) return false;
        if (seen(t)) continue;
        remember(t);
        *fresh = true;
        if (check) *bits += kCheckBits;
    }
    if (!(known_ & (1u << (data[0] & 3)))) return true;
    const uint8_t type = uint8_t(data[1] ^ keystream(key_, data[0]));
    if (!pppp_type_name(type, 0) || !pppp_body_size_possible(type, body)) return false;
    const Triple t{data[0], data[1], type};
    if (!seen(t)) {
        remember(t);
        *bits += kTypeBits;
    }
    return true;
}

bool PpppKeyCandidate::add_known_body(const uint8_t *data, size_t len, unsigned *bits) {
    if (!(known_ & (1u << (data[0] & 3)))) return true;  // the type is not known yet
    const uint8_t type = uint8_t(data[1] ^ keystream(key_, data[0]));
    PpppKnownByte known[kPpppMaxKnownBytes];
    const size_t n = pppp_known_body_bytes(type, len - 4, known);
    Triple counted[kPpppMaxKnownBytes];  // checks count once per distinct triple
    size_t n_counted = 0;
    for (size_t i = 0; i < n; ++i) {
        const size_t at = known[i].offset;
        const Triple t{data[at - 1], data[at], known[i].value};
        bool check = false;
        if (!pin(t.prev, t.cipher, t.plain, &check)) return false;
        if (check && std::find(counted, counted + n_counted, t) == counted + n_counted) {
            counted[n_counted++] = t;
            *bits += kCheckBits;
        }
    }
    return true;
}

// The unknown key bytes a UID-carrying message decides: for each, the one
// value that makes every plaintext byte it produces plausible.
static bool solve_uid_bytes(const uint8_t *data, size_t len, PpppSeed *k, uint8_t *known) {
    for (int idx = 0; idx < 4; ++idx) {
        if (*known & (1u << idx)) continue;
        int found = -1;
        for (int v = 0; v < 256; ++v) {
            bool fits = true, used = false;
            for (size_t i = 1; i < kUidMessageLen && fits; ++i) {
                const uint8_t prev = data[i - 1];
                if ((prev & 3) != idx) continue;
                used = true;
                fits = plausible_uid_message_byte(i, uint8_t(data[i] ^ pppp_table()[(v + prev) & 0xFF]), len);
            }
            if (!used) return false;  // this datagram says nothing about the byte
            if (!fits) continue;
            if (found >= 0) return false;  // two values fit: undecided
            found = v;
        }
        if (found < 0) return false;
        (*k)[idx] = uint8_t(found);
        *known |= uint8_t(1u << idx);
    }
    return true;
}

bool PpppKeyCandidate::solve_from_structure(const uint8_t *data, size_t len) {
    if (complete()) return false;
    const uint8_t type_idx = data[0] & 3;
    const bool type_known = known_ & (1u << type_idx);
    std::optional<PpppKeyCandidate> solution;
    for (int h = 0; h < 256; ++h) {
        if (type_known && h > 0) break;
        PpppKeyCandidate c = *this;
        if (!type_known) {
            c.key_[type_idx] = uint8_t(h);
            c.known_ |= uint8_t(1u << type_idx);
        }
        const uint8_t type = uint8_t(data[1] ^ keystream(c.key_, data[0]));
        if (!pppp_type_name(type, 0) || !pppp_body_size_possible(type, len - 4)) continue;
        // Every type is some value of the type byte's key byte: only a type
        // whose body can prove itself (a UID, a socket address's padding)
        // may be guessed, or a weak layout (QUERY_DID, DRW) would fit too.
        PpppKnownByte fixed[kPpppMaxKnownBytes];
        if (!type_known && !pppp_uid_at_body_start(type, len - 4) && pppp_known_body_bytes(type, len - 4, fixed) < 9)
            continue;
        unsigned unused = 0;
        if (!c.add_known_body(data, len, &unused)) continue;
        if (!c.complete() && !(len >= kUidMessageLen && pppp_uid_at_body_start(type, len - 4) &&
                               solve_uid_bytes(data, len, &c.key_, &c.known_)))
            continue;
        if (!c.complete() || !decode_pppp(data, len, PpppKey{c.key_, std::string(), PpppKeySource::Recovered}))
            continue;
        if (solution) return false;  // two ways to read the datagram: undecided
        solution = c;
    }
    if (!solution) return false;
    key_ = solution->key_;
    known_ = 0x0F;
    return true;
}

PpppKeyCandidate::Outcome PpppKeyCandidate::add(const uint8_t *data, size_t len, std::optional<PpppMessage> *message) {
    if (data == nullptr || len < 4 || len - 4 > 0xFFFF) return Outcome::Inconsistent;
    PpppKeyCandidate next = *this;
    bool fresh = false;
    unsigned bits = 0, body_bits = 0;
    if (!next.add_header(data, len, &fresh, &bits) || !next.add_known_body(data, len, &body_bits))
        return Outcome::Inconsistent;
    // A resend (or the same login to another server) is no further evidence,
    // even where what was learnt since lets more of it be checked.
    if (!fresh) bits = 0;
    else bits += body_bits;
    // Solving costs thousands of operations: only for a hypothesis an earlier
    // datagram started and this one agrees with so far (a random datagram
    // meets the first byte of a hypothesis once in 256), never on the first.
    const bool solved = fresh && datagrams_ >= 1 && next.solve_from_structure(data, len);
    std::optional<PpppMessage> m;
    if (next.complete()) {
        m = decode_pppp(data, len, PpppKey{next.key_, std::string(), PpppKeySource::Recovered});
        if (!m) return Outcome::Inconsistent;
        // A UID the key was solved for is no evidence of the key.
        if (m->uid && fresh && !solved && !next.uid_credited_) {
            next.uid_credited_ = true;
            bits += kUidBits;
        }
        if (m->type == 0xD1 && fresh) bits += kAckCountBits;
    }
    if (fresh) next.datagrams_ = uint8_t(std::min(255, next.datagrams_ + 1));
    next.evidence_ = uint8_t(std::min(255u, next.evidence_ + bits));
    *this = next;
    if (m && datagrams_ >= kConfirmDatagrams && evidence_ >= kConfirmBits) {
        *message = std::move(m);
        return Outcome::Confirmed;
    }
    return Outcome::Consistent;
}

std::optional<PpppKeyCandidate> PpppKeyCandidate::from_datagram(const uint8_t *data, size_t len) {
    PpppKeyCandidate c;
    std::optional<PpppMessage> unused;
    if (c.add(data, len, &unused) == Outcome::Inconsistent) return std::nullopt;
    return c;
}

}  // namespace phonehome

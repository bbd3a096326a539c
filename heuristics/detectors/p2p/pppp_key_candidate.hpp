// One hypothesis about the 4 key bytes of an endpoint's PPPP traffic, built
// from known plaintext, and the evidence gathered for it.
//
// P2P_Proprietary_Encrypt XORs byte i with T[(k[c(i-1) & 3] + c(i-1)) & 0xFF],
// c(i-1) being the previous ciphertext byte (0 before the first) and T a
// permutation. So one known plaintext byte p under ciphertext c pins one key
// byte: k[prev & 3] = T^-1[c ^ p] - prev. Every PPPP message starts with F1
// and its length field follows from the datagram's length; HELLO,
// LAN_SEARCH, ALIVE, ALIVE_ACK and CLOSE are nothing but that header; once the
// type byte decrypts, DRW messages add their D1 marker and socket addresses
// their zero padding (pppp_layout.hpp).
//
// A key byte pinned again by a *different* (prev, c, p) triple is a check
// that a random datagram passes with odds of 1/256: 8 bits of evidence. The
// same header triples again (a resent datagram, or the same login sent to
// four servers) are no evidence at all, nor is anything else in such a
// datagram: a protocol that repeats constant bytes cannot confirm itself. The
// type byte, once its key byte is pinned, must decrypt to a type whose layout
// allows the datagram's length (about 4 bits); a DRW_ACK's count must agree
// with its length (8 bits counted); a valid UID under a key completed by
// other datagrams is worth 24 bits (20 random bytes pass its letter rules with
// odds of about 2^-50).
//
// Key bytes the known plaintext leaves open are solved for from a datagram's
// structure: each plaintext byte depends on one key byte only, so a key byte
// is the one value under which the type byte is a type that fits the length,
// the body's fixed bytes come out right and every UID byte it encrypts is a
// letter or a NUL. A solved key is no evidence of itself: it only completes
// the hypothesis, which the evidence gathered must then support.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "heuristics/detectors/p2p/pppp.hpp"

namespace phonehome {

class PpppKeyCandidate {
public:
    // Evidence needed to claim anything, and the datagrams it must come from.
    static constexpr unsigned kConfirmBits = 32;
    static constexpr unsigned kConfirmDatagrams = 2;

    enum class Outcome : uint8_t {
        Inconsistent,  // the datagram cannot be PPPP under this hypothesis
        Consistent,    // merged; not (yet) enough evidence
        Confirmed,     // merged, complete, and enough evidence: `message` holds the datagram
    };

    // A hypothesis from one datagram alone; nullopt when the datagram cannot
    // be a PPPP message under any key (its own known bytes disagree).
    static std::optional<PpppKeyCandidate> from_datagram(const uint8_t *data, size_t len);

    // Tests the datagram against the hypothesis and merges what it teaches.
    // On Inconsistent the candidate is left as it was.
    Outcome add(const uint8_t *data, size_t len, std::optional<PpppMessage> *message);

    // A datagram of the endpoint this hypothesis could not explain. A real
    // key explains nearly all of its endpoint's undecoded traffic; a
    // hypothesis born of noise explains almost nothing, and must not live on
    // to gather chance agreements from millions of datagrams (a flood):
    // after kMissBudget misses, plus 8 per supporting datagram, it is spent.
    void miss() {
        if (misses_ < 255) ++misses_;
    }
    bool spent() const { return misses_ >= kMissBudget + 8u * datagrams_; }
    static constexpr unsigned kMissBudget = 16;

    bool complete() const { return known_ == 0x0F; }
    PpppSeed seed() const { return key_; }
    unsigned evidence_bits() const { return evidence_; }
    unsigned datagrams() const { return datagrams_; }

private:
    struct Triple {
        uint8_t prev, cipher, plain;
        bool operator==(const Triple &o) const { return prev == o.prev && cipher == o.cipher && plain == o.plain; }
    };
    // The header triples of the last datagrams (a ring): what tells a new
    // datagram from a resend.
    static constexpr size_t kMaxTriples = 12;

    // Pins k[prev & 3] from one known plaintext byte; false on a
    // contradiction. `*check` is set when the byte was pinned already.
    bool pin(uint8_t prev, uint8_t cipher, uint8_t plain, bool *check);
    bool seen(const Triple &t) const;
    void remember(const Triple &t);
    // Header bytes 0, 2 and 3, then the type byte: false on a contradiction;
    // `*fresh` when a triple was new, `*bits` the evidence.
    bool add_header(const uint8_t *data, size_t len, bool *fresh, unsigned *bits);
    // The body bytes the decrypted type's layout fixes.
    bool add_known_body(const uint8_t *data, size_t len, unsigned *bits);
    // The key bytes still unknown, from what the datagram's layout fixes:
    // every type byte value whose type allows the length is tried, its body's
    // known bytes pinned, a UID's letters solved for; true when exactly one
    // complete key decrypts a well-formed message.
    bool solve_from_structure(const uint8_t *data, size_t len);

    PpppSeed key_{};
    uint8_t known_ = 0;  // bit i: key_[i] is pinned
    uint8_t datagrams_ = 0;
    uint8_t evidence_ = 0;  // bits, saturating
    bool uid_credited_ = false;
    uint8_t misses_ = 0;
    uint8_t n_triples_ = 0, next_triple_ = 0;
    std::array<Triple, kMaxTriples> triples_{};
};

}  // namespace phonehome

// The keys PPPP datagrams are tried with: the vendor PSKs published by
// people who took the apps apart (each with its source in pppp_keys.cpp and
// docs/protocols/pppp.md), the user's keys (PSK strings, or the 4 seed bytes
// a PSK folds into, written in hex), and, from key recovery, seeds nobody
// published.
//
// A keyring indexes its keys by the first ciphertext byte they give the F1
// magic: P2P_Proprietary_Encrypt's first keystream byte depends on the seed
// alone, so a datagram whose first byte no key produces is rejected with one
// table look-up, whatever the number of keys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "heuristics/detectors/p2p/pppp_cipher.hpp"

namespace phonehome {

// Where a key came from; it decides how much a decryption must prove (see
// PpppKeyring::strict) and what pppp.key shows.
enum class PpppKeySource : uint8_t {
    Plain,      // no encryption
    BuiltIn,    // a published vendor PSK
    User,       // the pppp.keys preference or the pppp_keys table
    Recovered,  // recovered from the traffic (pppp_key_recovery.hpp)
};

struct PpppKey {
    PpppSeed seed{};
    std::string label;  // the PSK, or the seed as "69:97:cc:19"
    PpppKeySource source = PpppKeySource::Plain;
};

// A published vendor key and where it was published.
struct PpppVendorKey {
    const char *psk;
    const char *vendors;  // UID prefixes or brands that use it
};

// In the order they are tried.
const std::vector<PpppVendorKey> &pppp_vendor_keys();

// "69:97:cc:19" (lower-case hex, colon-separated).
std::string pppp_seed_text(const PpppSeed &seed);

// A key as a user writes it: "0x6997cc19" or "69:97:cc:19" (either case) is
// the 4 seed bytes themselves; anything else is a PSK string to fold.
// nullopt for an empty string.
std::optional<PpppKey> pppp_parse_user_key(std::string_view text);

class PpppKeyring {
public:
    // The vendor keys, then `user_keys` (pppp_parse_user_key forms; empty
    // entries ignored).
    explicit PpppKeyring(const std::vector<std::string> &user_keys = {});

    // The indices of the keys whose F1 encrypts to `first_byte`, in trying
    // order (plaintext starts with F1 itself and needs no key).
    const std::vector<uint16_t> &for_first_byte(uint8_t first_byte) const { return by_first_byte_[first_byte]; }
    const PpppKey &key(size_t index) const { return keys_[index]; }

    // A vendor key tried on every datagram is a guess, so what it decrypts
    // must also fit its type's layout; plaintext and the user's own keys only
    // need a consistent header (a malformed body is then shown as such).
    static bool strict(PpppKeySource s) { return s == PpppKeySource::BuiltIn || s == PpppKeySource::Recovered; }

    size_t size() const { return keys_.size(); }

private:
    std::vector<PpppKey> keys_;
    std::vector<uint16_t> by_first_byte_[256];
};

// The ciphertext byte the F1 magic becomes under `seed`.
uint8_t pppp_first_cipher_byte(const PpppSeed &seed);

}  // namespace phonehome

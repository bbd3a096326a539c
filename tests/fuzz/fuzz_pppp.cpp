// Fuzzes parse_pppp and P2P_Proprietary_Encrypt: the parser must never read
// out of bounds, anything it claims must be self-consistent, and decryption
// must invert encryption. One extra user key is always passed so that the
// user-key path runs too.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "heuristics/detectors/p2p/pppp.hpp"
#include "heuristics/detectors/p2p/pppp_cipher.hpp"

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    using namespace phonehome;
    static const std::vector<std::string> extra = {"FERRY@88"};

    if (auto m = parse_pppp(data, size, extra)) {
        check(m->bytes.size() == size);
        check(size >= 4 && m->length == size - 4);
        check(m->bytes[0] == 0xF1 && m->name != nullptr && *m->name != '\0');
        if (m->uid) check(m->uid->size() >= 10);
        if (m->key.empty())
            check(m->bytes == std::vector<uint8_t>(data, data + size));
        else
            check(pppp_encrypt(m->key, m->bytes.data(), m->bytes.size()) == std::vector<uint8_t>(data, data + size));
    }

    // Round trip under a key derived from the input itself.
    const std::string key(reinterpret_cast<const char *>(data), size < 16 ? size : 16);
    const std::vector<uint8_t> c = pppp_encrypt(key, data, size);
    check(pppp_decrypt(key, c.data(), c.size()) == std::vector<uint8_t>(data, data + size));
    return 0;
}

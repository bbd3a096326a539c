// Fuzzes parse_kalay and the Charlie scrambler: the parser must never read out
// of bounds, anything it claims must be self-consistent, and scrambling must
// invert descrambling for every input, tail variant and mode.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "heuristics/detectors/p2p/kalay.hpp"
#include "heuristics/detectors/p2p/kalay_scrambler.hpp"

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    using namespace phonehome;

    if (auto m = parse_kalay(data, size)) {
        check(m->bytes.size() == size);
        check(size >= 16 && m->length == size - 16);
        check(m->bytes[0] == 0x04 && m->bytes[1] == 0x02);
        if (m->uid) check(m->uid->size() == 20);
        // What was claimed must scramble back to the input. A partial message
        // re-scrambles from its own header flag, so this holds in every mode.
        if (m->encoding != KalayEncoding::Plain)
            check(kalay_scramble_message(m->bytes.data(), m->bytes.size(), m->tail) ==
                  std::vector<uint8_t>(data, data + size));
    }

    for (KalayTail tail : {KalayTail::Permuted, KalayTail::Unpermuted}) {
        std::vector<uint8_t> buf(data, data + size);
        kalay_scramble(buf.data(), buf.data(), buf.size(), tail);
        kalay_descramble(buf.data(), buf.data(), buf.size(), tail);
        check(std::vector<uint8_t>(data, data + size) == buf);

        // Message level: descramble(scramble(x)) == x for any x, because the
        // partial flag is read from the plaintext on the way in and from the
        // recovered header on the way out.
        const std::vector<uint8_t> wire = kalay_scramble_message(data, size, tail);
        check(kalay_descramble_message(wire.data(), wire.size(), tail) == std::vector<uint8_t>(data, data + size));
    }
    return 0;
}

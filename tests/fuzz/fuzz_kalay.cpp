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

    KalayContext sdk4;
    sdk4.sdk4 = true;
    for (const KalayContext &ctx : {KalayContext{}, sdk4}) {
        auto m = parse_kalay(data, size, ctx);
        if (!m) continue;
        // The cheap test in front of the parser must never turn away what it claims.
        check(kalay_may_be(data, size));
        check(m->bytes.size() == size && m->name != nullptr);
        for (size_t i = 0; i < m->n_dtls; ++i)
            check(m->dtls[i].offset + wire::kDtlsRecordHeader + m->dtls[i].length <= size);
        if (m->framing == KalayFraming::Cc51) {
            check(m->bytes == std::vector<uint8_t>(data, data + size) && m->cc51.has_value());
            check(size >= 28 && m->length == size - 12 && data[0] == 0x51 && data[1] == 0xCC);
            continue;
        }
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

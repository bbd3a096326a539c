// Fuzzes PPPP key recovery: the input is a conversation of datagrams between
// a few endpoints, some on the PPPP ports. Whatever the recovery reads must
// be the datagram decrypted under the key it names (a consistent header, a
// body that fits its layout), never the first datagram it saw, and the table
// must stay within its bound.
//
// Input: records of [who, length, bytes...]: bits 0-2 of `who` pick the
// sender, bits 3-5 the receiver among 8 endpoints (two of them servers on
// 32100, one the 32108 broadcast); a length past the input's end is cut.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "heuristics/detectors/p2p/pppp_cipher.hpp"
#include "heuristics/detectors/p2p/pppp_key_recovery.hpp"
#include "heuristics/detectors/p2p/pppp_layout.hpp"

namespace {

void check(bool ok) {
    if (!ok) __builtin_trap();
}

phonehome::PpppEndpoint endpoint(unsigned i) {
    using phonehome::IpAddress;
    switch (i & 7) {
    case 0: return {IpAddress::v4(52, 28, 1, 10), phonehome::kPpppServerPort};
    case 1: return {IpAddress::v4(47, 88, 2, 20), phonehome::kPpppServerPort};
    case 2: return {IpAddress::v4(192, 168, 1, 255), phonehome::kPpppLanPort};
    case 3: return {IpAddress::v4(192, 168, 1, 20), 41000};
    case 4: return {IpAddress::v4(192, 168, 1, 77), 15000};
    case 5: return {IpAddress::v4(192, 168, 1, 78), phonehome::kPpppLanPort};
    case 6: return {*IpAddress::parse("2001:db8::7"), 23456};
    default: return {IpAddress::v4(100, 64, 3, 9), 50000};
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    using namespace phonehome;
    PpppKeyRecovery recovery(4);  // small, so eviction runs too
    size_t pos = 0, datagrams = 0;
    while (pos + 2 <= size) {
        const unsigned who = data[pos];
        size_t len = data[pos + 1];
        pos += 2;
        if (len > size - pos) len = size - pos;
        const uint8_t *d = data + pos;
        pos += len;
        ++datagrams;
        const auto m = recovery.observe(endpoint(who), endpoint(who >> 3), d, len);
        check(recovery.endpoints() <= 4);
        if (!m) continue;
        check(datagrams >= 2);
        check(m->key_source == PpppKeySource::Recovered && m->bytes.size() == len);
        check(pppp_header_valid(m->bytes.data(), len));
        check(pppp_body_fits_layout(m->type, m->bytes.data() + 4, len - 4) && !m->malformed);
        std::vector<uint8_t> wire(len);
        pppp_encrypt(m->seed, m->bytes.data(), wire.data(), len);
        check(wire == std::vector<uint8_t>(d, d + len));
    }
    return 0;
}

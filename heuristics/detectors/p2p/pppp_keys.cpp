#include "heuristics/detectors/p2p/pppp_keys.hpp"

#include <cctype>

namespace phonehome {
namespace {

// Published PSKs, in trying order. Sources:
//  - "camera", "SHIX", "SSD@cs2-network." and the prefix table below them:
//    magicus/pppp-dissector (MIT), PPPP.md, "Pre-shared Key" (extracted from a
//    decompiled Android app); "SSD@cs2-network." is the key of the CS2
//    servers themselves.
//  - "vstarcam2019": BrownFineSecurity/vstarcam-p2p-decrypt (MIT), the
//    VStarcam CB73 LAN search of ../shared/captures/real.
//  - "aqarager19kn": absent42/Aqara-LANLink, the tests of its
//    custom_components/aqara_lanlink/ptz framing (a real 24-byte PUNCH_PKT
//    of an Aqara camera, and the "initStringApp" its cloud hands out).
const std::vector<PpppVendorKey> kVendorKeys = {
    {"camera", "DGB, DGHA, DGHG, DGKA..DGKC, DGOA..DGOK, NMSA, NMSB, NMSZ, PETA, PETAA"},
    {"SHIX", "AAA, ABC, DDD, EEE, FFF, HBW, NNN, PIXA..PIXD, XIAODOU"},
    {"SSD@cs2-network.", "CS2 Network P2P servers"},
    {"vstarcam2019", "VStarcam"},
    {"aqarager19kn", "Aqara cameras (AQARADE...)"},
    {"@@@@....", "ACCQ, ACCR, ACCS, BCCQ"},
    {"VMSV", "VMA, VMP, VMS, VMV"},
    {"FERRY@88", "FYIOT, FYPPCS, FYRTOS"},
    {"mycamera", "PPIL, PPLL, PPSL"},
    {"Deng123abc", "LIUX, PIR, TUT"},
    {"Duncom", "DUNIOTA, NANOIOT"},
    {"JX20130716", "AYS, XYX"},
    {"hyWHzyhtzH", "THPC"},
    {"JYDGAOZHANP2P", "JYDGZ"},
    {"SZGMBESTER", "XGAK"},
};

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// "0x" + 8 hex digits, or 4 colon-separated hex pairs.
std::optional<PpppSeed> parse_seed_text(std::string_view t) {
    std::string digits;
    if (t.size() == 10 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
        digits = std::string(t.substr(2));
    } else if (t.size() == 11 && t[2] == ':' && t[5] == ':' && t[8] == ':') {
        for (size_t i = 0; i < t.size(); i += 3) digits += t.substr(i, 2);
    } else {
        return std::nullopt;
    }
    PpppSeed seed{};
    for (size_t i = 0; i < 4; ++i) {
        const int hi = hex_digit(digits[2 * i]), lo = hex_digit(digits[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        seed[i] = uint8_t(hi << 4 | lo);
    }
    return seed;
}

}  // namespace

const std::vector<PpppVendorKey> &pppp_vendor_keys() { return kVendorKeys; }

std::string pppp_seed_text(const PpppSeed &seed) {
    static const char *digits = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < 4; ++i) {
        if (i) s.push_back(':');
        s.push_back(digits[seed[i] >> 4]);
        s.push_back(digits[seed[i] & 15]);
    }
    return s;
}

std::optional<PpppKey> pppp_parse_user_key(std::string_view text) {
    if (text.empty()) return std::nullopt;
    PpppKey k;
    k.source = PpppKeySource::User;
    if (const auto seed = parse_seed_text(text)) {
        k.seed = *seed;
        k.label = pppp_seed_text(*seed);
    } else {
        k.seed = pppp_fold_key(text);
        k.label = std::string(text);
    }
    return k;
}

uint8_t pppp_first_cipher_byte(const PpppSeed &seed) {
    const uint8_t magic = 0xF1;
    uint8_t c = 0;
    pppp_encrypt(seed, &magic, &c, 1);
    return c;
}

PpppKeyring::PpppKeyring(const std::vector<std::string> &user_keys) {
    for (const PpppVendorKey &v : kVendorKeys) keys_.push_back({pppp_fold_key(v.psk), v.psk, PpppKeySource::BuiltIn});
    for (const std::string &text : user_keys)
        if (auto k = pppp_parse_user_key(text)) keys_.push_back(std::move(*k));
    for (size_t i = 0; i < keys_.size() && i <= UINT16_MAX; ++i)
        by_first_byte_[pppp_first_cipher_byte(keys_[i].seed)].push_back(uint16_t(i));
}

}  // namespace phonehome

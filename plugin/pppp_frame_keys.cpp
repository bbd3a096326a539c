#include "pppp_frame_keys.hpp"

#include <memory>
#include <new>

namespace phonehome::glue {

namespace {

int proto_owner = -1;
// Set once a frame kept a recovered key; later passes look for one only then.
// Never cleared: a stale true costs a look-up, a wrong false would lose frames.
bool any_stored = false;

// Built at registration, before any packet: plain pointers, so the test every
// UDP datagram meets pays no guard of a function-local static.
PpppKeyring *keyring_now = nullptr;     // the vendor keys, then the user's
PpppKeyRecovery *recovery_now = nullptr;
// Bit b: a datagram starting with byte b may be PPPP (F1, or F1 under a key).
uint64_t first_bytes[4] = {};

void index_first_bytes() {
    for (uint64_t &w : first_bytes) w = 0;
    for (int b = 0; b < 256; ++b)
        if (b == 0xF1 || !keyring_now->for_first_byte(uint8_t(b)).empty()) first_bytes[b >> 6] |= uint64_t(1) << (b & 63);
}

const PpppKeyring &current_keyring() { return *keyring_now; }
PpppKeyRecovery &recovery() { return *recovery_now; }

}  // namespace

void pppp_frame_keys_init(int proto_pppp) {
    proto_owner = proto_pppp;
    static PpppKeyring vendor_keys;
    static PpppKeyRecovery recovery_state;
    keyring_now = &vendor_keys;
    recovery_now = &recovery_state;
    index_first_bytes();
}

void pppp_set_user_keys(const std::vector<std::string> &keys) {
    static std::unique_ptr<PpppKeyring> with_user_keys;
    auto ring = std::make_unique<PpppKeyring>(keys);
    keyring_now = ring.get();
    with_user_keys = std::move(ring);
    index_first_bytes();
}

void pppp_forget_recovered_keys() noexcept { recovery().reset(); }

bool pppp_worth_trying(packet_info *pinfo, uint8_t first_byte) noexcept {
    if ((first_bytes[first_byte >> 6] >> (first_byte & 63)) & 1) return true;
    if (PINFO_FD_VISITED(pinfo)) return any_stored;
    return recovery().might_observe(uint16_t(pinfo->srcport), uint16_t(pinfo->destport));
}

const PpppFrameKey *pppp_stored_key(packet_info *pinfo) {
    if (proto_owner < 0) return nullptr;
    return static_cast<const PpppFrameKey *>(
        p_get_proto_data(wmem_file_scope(), pinfo, proto_owner, guint32(pinfo->curr_layer_num)));
}

void pppp_store_key(packet_info *pinfo, const PpppFrameKey &key) {
    if (proto_owner < 0) return;
    auto *slot = static_cast<PpppFrameKey *>(wmem_alloc(wmem_file_scope(), sizeof(PpppFrameKey)));
    *slot = key;
    p_add_proto_data(wmem_file_scope(), pinfo, proto_owner, guint32(pinfo->curr_layer_num), slot);
    any_stored = true;
}

bool pppp_endpoints(packet_info *pinfo, PpppEndpoint *src, PpppEndpoint *dst) {
    const address &s = pinfo->src, &d = pinfo->dst;
    if (s.type == AT_IPv4 && d.type == AT_IPv4 && s.len == 4 && d.len == 4) {
        src->addr = IpAddress::v4(static_cast<const uint8_t *>(s.data));
        dst->addr = IpAddress::v4(static_cast<const uint8_t *>(d.data));
    } else if (s.type == AT_IPv6 && d.type == AT_IPv6 && s.len == 16 && d.len == 16) {
        src->addr = IpAddress::v6(static_cast<const uint8_t *>(s.data));
        dst->addr = IpAddress::v6(static_cast<const uint8_t *>(d.data));
    } else {
        return false;
    }
    src->port = uint16_t(pinfo->srcport);
    dst->port = uint16_t(pinfo->destport);
    return true;
}

std::optional<PpppMessage> pppp_decode(const uint8_t *data, size_t len, bool first_pass, const PpppEndpoint *src,
                                       const PpppEndpoint *dst, const PpppFrameKey *stored,
                                       std::optional<PpppFrameKey> *to_store) {
    if (auto m = parse_pppp(data, len, current_keyring())) return m;
    if (!first_pass) {
        if (!stored) return std::nullopt;
        auto m = decode_pppp(data, len, PpppKey{stored->seed, std::string(), PpppKeySource::Recovered});
        if (m) m->key = "recovered " + pppp_seed_text(stored->seed);
        return m;
    }
    if (!src || !dst || !recovery().interested(*src, *dst)) return std::nullopt;
    const uint64_t before = recovery().keys_recovered();
    auto m = recovery().observe(*src, *dst, data, len);
    if (m) *to_store = PpppFrameKey{m->seed, recovery().keys_recovered() != before};
    return m;
}

}  // namespace phonehome::glue

#include "kalay_conversation.hpp"

#include <cstring>

#include "ws_compat.hpp"

namespace phonehome::glue {

namespace {

int proto_owner = -1;
constexpr uint16_t kKalayLanPort = 32761;

struct Endpoint {
    uint8_t addr[16];
    int len;
    uint32_t port;
};

struct ConversationState {
    bool sdk4;
    bool device_known;
    Endpoint device;
};

bool unicast(const address &a) {
    if (a.type == AT_IPv4 && a.len == 4) {
        const auto *b = static_cast<const uint8_t *>(a.data);
        return b[0] < 224 && !(b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255);
    }
    if (a.type == AT_IPv6 && a.len == 16) return static_cast<const uint8_t *>(a.data)[0] != 0xFF;
    return false;
}

Endpoint endpoint(const address &a, uint32_t port) {
    Endpoint e{};
    e.len = a.len <= 16 ? a.len : 16;
    if (a.data && e.len > 0) std::memcpy(e.addr, a.data, size_t(e.len));
    e.port = port;
    return e;
}

bool same(const Endpoint &e, const address &a, uint32_t port) {
    return e.port == port && e.len == a.len && a.data && std::memcmp(e.addr, a.data, size_t(e.len)) == 0;
}

ConversationState *state_of(packet_info *pinfo) {
    conversation_t *conv = find_or_create_conversation(pinfo);
    auto *s = static_cast<ConversationState *>(conversation_get_proto_data(conv, proto_owner));
    if (!s) {
        s = static_cast<ConversationState *>(wmem_alloc0(wmem_file_scope(), sizeof(ConversationState)));
        conversation_add_proto_data(conv, proto_owner, s);
    }
    return s;
}

}  // namespace

void kalay_conversation_init(int proto_kalay) { proto_owner = proto_kalay; }

KalayFrameContext kalay_frame_context(packet_info *pinfo, bool shows_sdk4, KalaySender sender) {
    KalayFrameContext unknown{shows_sdk4, -1};
    if (proto_owner < 0) return unknown;
    const guint32 key = guint32(pinfo->curr_layer_num);
    if (PINFO_FD_VISITED(pinfo)) {
        const auto *kept = static_cast<const KalayFrameContext *>(p_get_proto_data(wmem_file_scope(), pinfo, proto_owner, key));
        return kept ? *kept : unknown;
    }
    ConversationState *s = state_of(pinfo);
    s->sdk4 = s->sdk4 || shows_sdk4;
    // The message's own word first, then the LAN port.
    if (sender == KalaySender::Device) {
        s->device = endpoint(pinfo->src, pinfo->srcport);
        s->device_known = true;
    } else if (sender == KalaySender::Client && unicast(pinfo->dst)) {
        s->device = endpoint(pinfo->dst, pinfo->destport);
        s->device_known = true;
    } else if (!s->device_known && (pinfo->srcport == kKalayLanPort) != (pinfo->destport == kKalayLanPort)) {
        s->device = pinfo->srcport == kKalayLanPort ? endpoint(pinfo->src, pinfo->srcport)
                                                     : endpoint(pinfo->dst, pinfo->destport);
        s->device_known = true;
    }
    KalayFrameContext fc{s->sdk4, -1};
    if (s->device_known) fc.from_device = same(s->device, pinfo->src, pinfo->srcport) ? 1 : 0;
    auto *kept = static_cast<KalayFrameContext *>(wmem_alloc(wmem_file_scope(), sizeof(KalayFrameContext)));
    *kept = fc;
    p_add_proto_data(wmem_file_scope(), pinfo, proto_owner, key, kept);
    return fc;
}

}  // namespace phonehome::glue

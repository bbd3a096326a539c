// Protocol "kalay": ThroughTek Kalay (TUTK IOTC) over UDP, as a heuristic
// dissector. The core (heuristics/detectors/p2p/kalay.cpp) recognises the datagram by
// its descrambled header and hands back plain data; this file shows it, with
// the descrambled bytes as their own data source, and notes the message for
// the phonehome analysis.
#include <cstring>
#include <type_traits>

#include "heuristics/detectors/p2p/kalay.hpp"
#include "p2p_dissectors.hpp"
#include "p2p_notes.hpp"
#include "ws.hpp"
#include "ws_compat.hpp"

using namespace phonehome;

namespace {

int proto_kalay = -1;
int hf_version = -1, hf_flags = -1, hf_length = -1, hf_seq = -1, hf_code = -1, hf_direction = -1;
int hf_session = -1, hf_uid = -1, hf_channel = -1, hf_scrambled = -1, hf_encoding = -1, hf_peer_port = -1;
int hf_peer_ip = -1, hf_body = -1;
gint ett_kalay = -1;
expert_field ei_tail_ambiguous = EI_INIT;

constexpr size_t kHeaderLen = 16;

// The parse result as plain data, so no C++ object lives while Wireshark
// functions (which may longjmp) run.
struct KalayView {
    uint8_t *bytes;  // descrambled datagram, in packet memory
    size_t len;
    KalayEncoding encoding;
    bool tail_ambiguous;
    uint8_t version, flags, direction_byte;
    uint16_t length, seq;
    uint32_t code;
    const char *name;
    bool has_uid;
    char uid[24];
    bool has_channel;
    uint16_t channel;
    bool has_peer;
    uint32_t peer_ip;
    uint16_t peer_port;
};
static_assert(std::is_trivially_destructible_v<KalayView>);

bool parse_view(const uint8_t *data, size_t len, wmem_allocator_t *pool, KalayView *v) noexcept {
    try {
        const auto m = parse_kalay(data, len);
        if (!m || m->bytes.size() != len) return false;
        *v = KalayView{};
        v->bytes = static_cast<uint8_t *>(wmem_alloc(pool, len));
        std::memcpy(v->bytes, m->bytes.data(), len);
        v->len = len;
        v->encoding = m->encoding;
        v->tail_ambiguous = m->tail_ambiguous;
        v->version = m->version;
        v->flags = m->flags;
        v->direction_byte = m->direction_byte;
        v->length = m->length;
        v->seq = m->seq;
        v->code = m->code;
        v->name = m->name;
        if (m->uid) {
            v->has_uid = true;
            std::snprintf(v->uid, sizeof v->uid, "%s", m->uid->c_str());
        }
        if (m->channel) {
            v->has_channel = true;
            v->channel = *m->channel;
        }
        if (m->peer) {
            v->has_peer = true;
            v->peer_ip = m->peer->ipv4;
            v->peer_port = m->peer->port;
        }
        return true;
    } catch (...) {
        return false;
    }
}

value_string code_vals[16];
const value_string direction_vals[] = {
    {0x21, "client to device"}, {0x12, "device to client"}, {0x18, "server exchange"}, {0x33, "server exchange"},
    {0x34, "server exchange"},  {0x43, "server exchange"},  {0, nullptr}};

void fill_code_vals() {
    const uint32_t codes[] = {kKalayLanSearch,   kKalaySearchReply,  kKalayGetPublicIp,  kKalayDeviceAddressQuery,
                              kKalayDeviceAddressReply, kKalayPunchRequest, kKalayPunchAck, kKalayPunchOk,
                              kKalayDataToDevice, kKalayDataToClient, kKalayDevicePing,  kKalayPingAck};
    size_t i = 0;
    for (uint32_t c : codes) code_vals[i++] = {c, kalay_code_name(c)};
    code_vals[i] = {0, nullptr};
}

ws_compat::heur_result dissect_kalay_heur(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *) {
    const guint len = tvb_captured_length(tvb);
    // A datagram cut short by the capture cannot be checked against its
    // length field: leave it to others.
    if (len < kHeaderLen || len != tvb_reported_length(tvb)) return FALSE;
    KalayView v;
    if (!parse_view(tvb_get_ptr(tvb, 0, int(len)), len, pinfo->pool, &v)) return FALSE;

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "Kalay");
    col_clear(pinfo->cinfo, COL_INFO);
    col_add_str(pinfo->cinfo, COL_INFO, v.name);
    if (v.has_uid) col_append_fstr(pinfo->cinfo, COL_INFO, ", UID %s", v.uid);
    if (v.has_channel) col_append_fstr(pinfo->cinfo, COL_INFO, ", channel %u", v.channel);
    if (v.encoding != KalayEncoding::Plain) col_append_fstr(pinfo->cinfo, COL_INFO, " (%s)", kalay_encoding_name(v.encoding));

    P2pObservation obs;
    obs.platform = P2pPlatform::Kalay;
    obs.role = kalay_role(v.code);
    obs.code = v.code;
    obs.name = v.name;
    if (v.has_uid) obs.set_uid(v.uid);
    glue::note_p2p(pinfo, obs);

    // The fields sit on the descrambled bytes (a "Descrambled Kalay" tab)
    // when the datagram was scrambled.
    tvbuff_t *plain = tvb;
    if (v.encoding != KalayEncoding::Plain) {
        plain = tvb_new_child_real_data(tvb, v.bytes, guint(v.len), gint(v.len));
        add_new_data_source(pinfo, plain, "Descrambled Kalay");
    }
    proto_item *ti = proto_tree_add_item(tree, proto_kalay, plain, 0, -1, ENC_NA);
    proto_item_append_text(ti, ", %s", v.name);
    proto_tree *kt = proto_item_add_subtree(ti, ett_kalay);
    proto_item_set_generated(proto_tree_add_boolean(kt, hf_scrambled, tvb, 0, 0, v.encoding != KalayEncoding::Plain));
    proto_item *enc = proto_tree_add_string(kt, hf_encoding, tvb, 0, 0, kalay_encoding_name(v.encoding));
    proto_item_set_generated(enc);
    if (v.tail_ambiguous) expert_add_info(pinfo, enc, &ei_tail_ambiguous);
    proto_tree_add_item(kt, hf_version, plain, 2, 1, ENC_NA);
    proto_tree_add_item(kt, hf_flags, plain, 3, 1, ENC_NA);
    proto_tree_add_item(kt, hf_length, plain, 4, 2, ENC_LITTLE_ENDIAN);
    proto_tree_add_item(kt, hf_seq, plain, 6, 2, ENC_LITTLE_ENDIAN);
    proto_tree_add_uint(kt, hf_code, plain, 8, 3, v.code);
    proto_tree_add_item(kt, hf_direction, plain, 10, 1, ENC_NA);
    if (v.has_channel)
        proto_tree_add_uint(kt, hf_channel, plain, 14, 2, v.channel);
    else
        proto_tree_add_item(kt, hf_session, plain, 12, 4, ENC_NA);
    if (v.has_uid) proto_tree_add_string(kt, hf_uid, plain, 16, 20, v.uid);
    if (v.has_peer) {
        proto_tree_add_uint(kt, hf_peer_port, plain, 38, 2, v.peer_port);
        proto_tree_add_ipv4(kt, hf_peer_ip, plain, 40, 4, g_htonl(v.peer_ip));
    }
    if (v.len > kHeaderLen) proto_tree_add_item(kt, hf_body, plain, int(kHeaderLen), -1, ENC_NA);
    return TRUE;
}

}  // namespace

namespace phonehome::glue {

void kalay_register() {
    fill_code_vals();
    static hf_register_info hf[] = {
        {&hf_version, {"Version", "kalay.version", FT_UINT8, BASE_HEX, nullptr, 0x0, "IOTC protocol version", HFILL}},
        {&hf_flags, {"Flags", "kalay.flags", FT_UINT8, BASE_HEX, nullptr, 0x0,
                     "0x02 connection stages, 0x0a data; bit 0: only bytes 16..63 scrambled", HFILL}},
        {&hf_length, {"Length", "kalay.length", FT_UINT16, BASE_DEC, nullptr, 0x0, "Body length (datagram - 16)", HFILL}},
        {&hf_seq, {"Sequence", "kalay.seq", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_code, {"Message code", "kalay.code", FT_UINT24, BASE_HEX, VALS(code_vals), 0x0,
                    "Bytes 8..10 of the header", HFILL}},
        {&hf_direction, {"Direction", "kalay.direction", FT_UINT8, BASE_HEX, VALS(direction_vals), 0x0, nullptr, HFILL}},
        {&hf_session, {"Session bytes", "kalay.session", FT_BYTES, BASE_NONE, nullptr, 0x0, nullptr, HFILL}},
        {&hf_uid, {"UID", "kalay.uid", FT_STRING, BASE_NONE, nullptr, 0x0, "The device's 20-character UID", HFILL}},
        {&hf_channel, {"Channel", "kalay.channel", FT_UINT16, BASE_DEC, nullptr, 0x0, "Session data channel", HFILL}},
        {&hf_scrambled, {"Scrambled", "kalay.scrambled", FT_BOOLEAN, BASE_NONE, nullptr, 0x0,
                         "Sent scrambled with the \"Charlie\" block scrambler", HFILL}},
        {&hf_encoding, {"Encoding", "kalay.encoding", FT_STRING, BASE_NONE, nullptr, 0x0,
                        "plain, scrambled, or partial (bytes 16..63 only)", HFILL}},
        {&hf_peer_port, {"Peer port", "kalay.peer.port", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_peer_ip, {"Peer address", "kalay.peer.ip", FT_IPv4, BASE_NONE, nullptr, 0x0, nullptr, HFILL}},
        {&hf_body, {"Body", "kalay.body", FT_BYTES, BASE_NONE, nullptr, 0x0, nullptr, HFILL}},
    };
    static gint *ett[] = {&ett_kalay};
    static ei_register_info ei[] = {
        {&ei_tail_ambiguous, {"kalay.tail_ambiguous", PI_UNDECODED, PI_NOTE,
                              "The short tail may use the other scrambler variant; the last bytes may read wrong",
                              EXPFILL}},
    };
    proto_kalay = proto_register_protocol("ThroughTek Kalay (TUTK IOTC)", "Kalay", "kalay");
    proto_register_field_array(proto_kalay, hf, G_N_ELEMENTS(hf));
    proto_register_subtree_array(ett, G_N_ELEMENTS(ett));
    expert_register_field_array(expert_register_protocol(proto_kalay), ei, G_N_ELEMENTS(ei));
}

void kalay_handoff() {
    heur_dissector_add("udp", dissect_kalay_heur, "ThroughTek Kalay over UDP", "kalay_udp", proto_kalay,
                       HEURISTIC_ENABLE);
}

}  // namespace phonehome::glue

// Protocol "kalay": ThroughTek Kalay (TUTK IOTC) over UDP, as a heuristic
// dissector. The core (heuristics/detectors/p2p/kalay.cpp) recognises the
// datagram by its descrambled header, or by the CC51 framing of SDK 4.x, and
// hands back plain data; kalay_conversation.cpp says which side is the
// device and whether the conversation speaks SDK 4.x; this file shows it,
// with the descrambled bytes as their own data source, and notes the message
// for the phonehome analysis.
#include <cstdio>
#include <cstring>
#include <type_traits>

#include "heuristics/detectors/p2p/kalay.hpp"
#include "kalay_conversation.hpp"
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
int hf_command = -1, hf_command_flags = -1, hf_message = -1, hf_framing = -1, hf_sdk = -1, hf_sdk4 = -1;
int hf_dtls = -1, hf_dtls_type = -1, hf_dtls_version = -1, hf_dtls_epoch = -1, hf_dtls_length = -1;
int hf_dtls_handshake = -1;
int hf_cc51_command = -1, hf_cc51_length = -1, hf_cc51_response = -1, hf_cc51_seq = -1, hf_cc51_channel = -1;
int hf_cc51_ticket = -1, hf_cc51_session = -1, hf_cc51_counter = -1, hf_cc51_hmac = -1;
gint ett_kalay = -1, ett_dtls = -1;
expert_field ei_tail_ambiguous = EI_INIT;

constexpr size_t kHeaderLen = 16;
constexpr uint8_t kToDevice = 0x21, kFromDevice = 0x12;

// The parse result as plain data, so no C++ object lives while Wireshark
// functions (which may longjmp) run.
struct KalayView {
    uint8_t *bytes;  // descrambled datagram, in packet memory
    size_t len;
    KalayFraming framing;
    KalayEncoding encoding;
    bool tail_ambiguous;
    uint8_t version, flags, direction_byte;
    uint16_t length, seq, command, command_flags;
    uint32_t code;
    const char *name;
    bool sdk4, shows_sdk4, server_exchange;
    KalaySender sender;
    bool has_sdk;
    uint32_t sdk;
    bool has_uid;
    char uid[24];
    bool has_channel;
    uint16_t channel;
    bool has_peer;
    uint32_t peer_ip;
    uint16_t peer_port;
    size_t n_dtls;
    wire::DtlsRecord dtls[wire::kMaxDtlsRecords];
    bool has_cc51;
    KalayCc51 cc51;
};
static_assert(std::is_trivially_destructible_v<KalayView>);

bool parse_view(const uint8_t *data, size_t len, wmem_allocator_t *pool, bool sdk4, KalayView *v) noexcept {
    try {
        KalayContext ctx;
        ctx.sdk4 = sdk4;
        const auto m = parse_kalay(data, len, ctx);
        if (!m || m->bytes.size() != len) return false;
        *v = KalayView{};
        v->bytes = static_cast<uint8_t *>(wmem_alloc(pool, len));
        std::memcpy(v->bytes, m->bytes.data(), len);
        v->len = len;
        v->framing = m->framing;
        v->encoding = m->encoding;
        v->tail_ambiguous = m->tail_ambiguous;
        v->version = m->version;
        v->flags = m->flags;
        v->direction_byte = m->direction_byte;
        v->length = m->length;
        v->seq = m->seq;
        v->command = m->command;
        v->command_flags = m->command_flags;
        v->code = m->code;
        v->name = m->name;
        v->sdk4 = m->sdk4;
        v->shows_sdk4 = m->shows_sdk4;
        v->server_exchange = m->direction == KalayDirection::ServerExchange;
        v->sender = m->sender;
        if (m->sdk_version) {
            v->has_sdk = true;
            v->sdk = *m->sdk_version;
        }
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
        v->n_dtls = m->n_dtls;
        for (size_t i = 0; i < m->n_dtls; ++i) v->dtls[i] = m->dtls[i];
        if (m->cc51) {
            v->has_cc51 = true;
            v->cc51 = *m->cc51;
        }
        return true;
    } catch (...) {
        return false;
    }
}

value_string code_vals[16];
value_string command_vals[9];
const value_string direction_vals[] = {
    {0x21, "client to device"}, {0x12, "device to client"}, {0x18, "server exchange"}, {0x33, "server exchange"},
    {0x34, "server exchange"},  {0x43, "server exchange"},  {0, nullptr}};
const value_string cc51_command_vals[] = {
    {kCc51Discovery, "Discovery"}, {kCc51Keepalive, "Keepalive"}, {kCc51Dtls, "DTLS data"}, {0, nullptr}};
const value_string dtls_type_vals[] = {
    {20, "ChangeCipherSpec"}, {21, "Alert"}, {22, "Handshake"}, {23, "Application Data"}, {0, nullptr}};
const value_string dtls_version_vals[] = {
    {0xFEFF, "DTLS 1.0"}, {0xFEFD, "DTLS 1.2"}, {0xFEFC, "DTLS 1.3"}, {0, nullptr}};
value_string dtls_handshake_vals[16];

void fill_vals() {
    const uint32_t codes[] = {kKalayLanSearch,   kKalaySearchReply,  kKalayGetPublicIp,  kKalayDeviceAddressQuery,
                              kKalayDeviceAddressReply, kKalayPunchRequest, kKalayPunchAck, kKalayPunchOk,
                              kKalayDataToDevice, kKalayDataToClient, kKalayDevicePing,  kKalayPingAck,
                              kKalayPublicIpReply};
    size_t i = 0;
    for (uint32_t c : codes) code_vals[i++] = {c, kalay_code_name(c)};
    code_vals[i] = {0, nullptr};
    i = 0;
    for (unsigned c = 0; c <= 0xFFFF && i < 8; ++c)
        if (const char *name = kalay_sdk4_command_name(uint16_t(c))) command_vals[i++] = {c, name};
    command_vals[i] = {0, nullptr};
    i = 0;
    for (int t = 0; t < 256 && i < 15; ++t)
        if (const char *name = wire::dtls_handshake_type_name(t)) dtls_handshake_vals[i++] = {guint32(t), name};
    dtls_handshake_vals[i] = {0, nullptr};
}

// 0x21 or 0x12 from which side is the device where that is known (the
// connection stages with servers keep their byte); else byte 10 as sent.
uint8_t direction_of(const KalayView &v, const glue::KalayFrameContext &fc) {
    if (fc.from_device < 0 || (v.server_exchange && !v.sdk4)) return v.direction_byte;
    return fc.from_device ? kFromDevice : kToDevice;
}

void add_dtls(proto_tree *tree, tvbuff_t *tvb, const KalayView &v) {
    for (size_t i = 0; i < v.n_dtls; ++i) {
        const wire::DtlsRecord &r = v.dtls[i];
        proto_item *ti = proto_tree_add_item(tree, hf_dtls, tvb, r.offset, int(wire::kDtlsRecordHeader + r.length), ENC_NA);
        const char *type = wire::dtls_content_type_name(r.content_type);
        const char *hs = wire::dtls_handshake_type_name(r.handshake_type);
        proto_item_set_text(ti, "DTLS record: %s%s%s%s", type ? type : "?", hs ? " (" : "", hs ? hs : "", hs ? ")" : "");
        proto_tree *dt = proto_item_add_subtree(ti, ett_dtls);
        proto_tree_add_item(dt, hf_dtls_type, tvb, r.offset, 1, ENC_NA);
        proto_tree_add_item(dt, hf_dtls_version, tvb, r.offset + 1, 2, ENC_BIG_ENDIAN);
        proto_tree_add_item(dt, hf_dtls_epoch, tvb, r.offset + 3, 2, ENC_BIG_ENDIAN);
        proto_tree_add_item(dt, hf_dtls_length, tvb, r.offset + 11, 2, ENC_BIG_ENDIAN);
        if (r.handshake_type >= 0) proto_tree_add_item(dt, hf_dtls_handshake, tvb, r.offset + 13, 1, ENC_NA);
    }
}

void add_sdk(proto_tree *tree, tvbuff_t *tvb, int offset, uint32_t sdk) {
    char text[24];
    std::snprintf(text, sizeof text, "%u.%u.%u.%u", sdk >> 24, (sdk >> 16) & 0xFF, (sdk >> 8) & 0xFF, sdk & 0xFF);
    proto_tree_add_string(tree, hf_sdk, tvb, offset, 4, text);
}

void add_cc51(proto_tree *kt, tvbuff_t *tvb, const KalayView &v) {
    const KalayCc51 &c = v.cc51;
    proto_tree_add_item(kt, hf_cc51_command, tvb, 4, 2, ENC_LITTLE_ENDIAN);
    proto_tree_add_item(kt, hf_cc51_length, tvb, 6, 2, ENC_LITTLE_ENDIAN);
    proto_tree_add_boolean(kt, hf_cc51_response, tvb, 8, 2, c.response);
    if (c.command == kCc51Dtls)
        proto_tree_add_item(kt, hf_cc51_channel, tvb, 13, 1, ENC_NA);
    else if (c.command == kCc51Discovery)
        proto_tree_add_item(kt, hf_cc51_seq, tvb, 12, 2, ENC_LITTLE_ENDIAN);
    proto_tree_add_item(kt, hf_cc51_ticket, tvb, 14, 2, ENC_LITTLE_ENDIAN);
    if (c.counter) {
        proto_tree_add_item(kt, hf_cc51_counter, tvb, 16, 4, ENC_LITTLE_ENDIAN);
        proto_tree_add_item(kt, hf_cc51_session, tvb, 20, 8, ENC_NA);
    } else {
        proto_tree_add_item(kt, hf_cc51_session, tvb, 16, 8, ENC_NA);
    }
    if (v.has_sdk) add_sdk(kt, tvb, 24, v.sdk);
    add_dtls(kt, tvb, v);
    proto_tree_add_item(kt, hf_cc51_hmac, tvb, c.hmac_offset, int(kCc51HmacLen), ENC_NA);
}

void add_iotc(proto_tree *kt, tvbuff_t *plain, const KalayView &v, uint8_t direction, const glue::KalayFrameContext &fc) {
    proto_tree_add_item(kt, hf_version, plain, 2, 1, ENC_NA);
    proto_tree_add_item(kt, hf_flags, plain, 3, 1, ENC_NA);
    proto_tree_add_item(kt, hf_length, plain, 4, 2, ENC_LITTLE_ENDIAN);
    proto_tree_add_item(kt, hf_seq, plain, 6, 2, ENC_LITTLE_ENDIAN);
    proto_tree_add_uint(kt, hf_code, plain, 8, 3, v.code);
    proto_tree_add_item(kt, hf_command, plain, 8, 2, ENC_LITTLE_ENDIAN);
    proto_tree_add_item(kt, hf_command_flags, plain, 10, 2, ENC_LITTLE_ENDIAN);
    proto_item *dir = proto_tree_add_uint(kt, hf_direction, plain, 10, 1, direction);
    if (direction != v.direction_byte)
        proto_item_append_text(dir, " (the %s sent it; byte 10 says 0x%02x)", fc.from_device ? "device" : "client",
                               v.direction_byte);
    if (v.has_channel)
        proto_tree_add_uint(kt, hf_channel, plain, 14, v.sdk4 ? 1 : 2, v.channel);
    else
        proto_tree_add_item(kt, hf_session, plain, 12, 4, ENC_NA);
    if (v.has_uid) proto_tree_add_string(kt, hf_uid, plain, 16, 20, v.uid);
    if (v.has_sdk)
        add_sdk(kt, plain, v.command == kKalayCmdDiscoveryRequest || v.command == kKalayCmdDiscoveryReply ? 52 : 48,
                v.sdk);
    if (v.has_peer) {
        proto_tree_add_uint(kt, hf_peer_port, plain, 38, 2, v.peer_port);
        proto_tree_add_ipv4(kt, hf_peer_ip, plain, 40, 4, g_htonl(v.peer_ip));
    }
    add_dtls(kt, plain, v);
    if (v.len > kHeaderLen) proto_tree_add_item(kt, hf_body, plain, int(kHeaderLen), -1, ENC_NA);
}

void set_columns(packet_info *pinfo, const KalayView &v) {
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "Kalay");
    col_clear(pinfo->cinfo, COL_INFO);
    col_add_str(pinfo->cinfo, COL_INFO, v.name);
    if (v.has_uid) col_append_fstr(pinfo->cinfo, COL_INFO, ", UID %s", v.uid);
    if (v.has_channel) col_append_fstr(pinfo->cinfo, COL_INFO, ", channel %u", v.channel);
    if (v.n_dtls > 0) {
        const char *type = wire::dtls_content_type_name(v.dtls[0].content_type);
        const char *hs = wire::dtls_handshake_type_name(v.dtls[0].handshake_type);
        col_append_fstr(pinfo->cinfo, COL_INFO, ", DTLS %s%s%s%s", type ? type : "", hs ? " (" : "", hs ? hs : "",
                        hs ? ")" : "");
    }
    if (v.encoding != KalayEncoding::Plain) col_append_fstr(pinfo->cinfo, COL_INFO, " (%s)", kalay_encoding_name(v.encoding));
}

ws_compat::heur_result dissect_kalay_heur(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *) {
    const guint len = tvb_captured_length(tvb);
    // A datagram cut short by the capture cannot be checked against its
    // length field: leave it to others.
    if (len < kHeaderLen || len != tvb_reported_length(tvb)) return FALSE;
    const uint8_t *data = tvb_get_ptr(tvb, 0, int(len));
    if (!kalay_may_be(data, len)) return FALSE;  // most datagrams end here
    KalayView v;
    if (!parse_view(data, len, pinfo->pool, false, &v)) return FALSE;
    const glue::KalayFrameContext fc = glue::kalay_frame_context(pinfo, v.shows_sdk4, v.sender);
    if (fc.sdk4 && !v.sdk4 && !parse_view(data, len, pinfo->pool, true, &v)) return FALSE;  // named after SDK 4.x
    const uint8_t direction = direction_of(v, fc);

    set_columns(pinfo, v);
    P2pObservation obs;
    obs.platform = P2pPlatform::Kalay;
    obs.role = v.sdk4 ? P2pRole::Peer : kalay_role(v.code);
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
    proto_item_set_generated(proto_tree_add_string(kt, hf_message, tvb, 0, 0, v.name));
    proto_item_set_generated(
        proto_tree_add_string(kt, hf_framing, tvb, 0, 0, v.framing == KalayFraming::Cc51 ? "CC51" : "IOTC"));
    proto_item_set_generated(proto_tree_add_boolean(kt, hf_sdk4, tvb, 0, 0, v.sdk4));
    proto_item_set_generated(proto_tree_add_boolean(kt, hf_scrambled, tvb, 0, 0, v.encoding != KalayEncoding::Plain));
    proto_item *enc = proto_tree_add_string(kt, hf_encoding, tvb, 0, 0, kalay_encoding_name(v.encoding));
    proto_item_set_generated(enc);
    if (v.tail_ambiguous) expert_add_info(pinfo, enc, &ei_tail_ambiguous);
    if (v.has_cc51)
        add_cc51(kt, plain, v);
    else
        add_iotc(kt, plain, v, direction, fc);
    return TRUE;
}

}  // namespace

namespace phonehome::glue {

void kalay_register() {
    fill_vals();
    static hf_register_info hf[] = {
        {&hf_version, {"Version", "kalay.version", FT_UINT8, BASE_HEX, nullptr, 0x0, "IOTC protocol version", HFILL}},
        {&hf_flags, {"Flags", "kalay.flags", FT_UINT8, BASE_HEX, nullptr, 0x0,
                     "0x02 connection stages, 0x0a data; bit 0: only bytes 16..63 scrambled", HFILL}},
        {&hf_length, {"Length", "kalay.length", FT_UINT16, BASE_DEC, nullptr, 0x0, "Body length (datagram - 16)", HFILL}},
        {&hf_seq, {"Sequence", "kalay.seq", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_code, {"Message code", "kalay.code", FT_UINT24, BASE_HEX, VALS(code_vals), 0x0,
                    "Bytes 8..10 of the header, as the older SDKs are known", HFILL}},
        {&hf_direction, {"Direction", "kalay.direction", FT_UINT8, BASE_HEX, VALS(direction_vals), 0x0,
                         "Who sent the message: 0x21 the client, 0x12 the device, from which side of the "
                         "conversation is the device where that is known, else byte 10 as sent",
                         HFILL}},
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
        {&hf_command, {"Command", "kalay.command", FT_UINT16, BASE_HEX, VALS(command_vals), 0x0,
                       "Bytes 8..9 (little-endian), as SDK 4.x reads them", HFILL}},
        {&hf_command_flags, {"Command flags", "kalay.command_flags", FT_UINT16, BASE_HEX, nullptr, 0x0,
                             "Bytes 10..11 (little-endian), as SDK 4.x reads them", HFILL}},
        {&hf_message, {"Message", "kalay.message", FT_STRING, BASE_NONE, nullptr, 0x0,
                       "The message's name: by SDK 4.x command where the conversation shows that SDK, else by code",
                       HFILL}},
        {&hf_framing, {"Framing", "kalay.framing", FT_STRING, BASE_NONE, nullptr, 0x0,
                       "IOTC (04 02 header) or CC51 (51 CC header, SDK 4.x)", HFILL}},
        {&hf_sdk, {"SDK version", "kalay.sdk", FT_STRING, BASE_NONE, nullptr, 0x0,
                   "The SDK release a discovery or punch message carries", HFILL}},
        {&hf_sdk4, {"SDK 4.x", "kalay.sdk4", FT_BOOLEAN, BASE_NONE, nullptr, 0x0,
                    "Named after SDK 4.x: this message or an earlier one of the conversation showed that SDK",
                    HFILL}},
        {&hf_dtls, {"DTLS record", "kalay.dtls", FT_BYTES, BASE_NONE, nullptr, 0x0,
                    "A DTLS record carried by an SDK 4.x session (not decrypted)", HFILL}},
        {&hf_dtls_type, {"Content type", "kalay.dtls.content_type", FT_UINT8, BASE_DEC, VALS(dtls_type_vals), 0x0,
                         nullptr, HFILL}},
        {&hf_dtls_version, {"Version", "kalay.dtls.version", FT_UINT16, BASE_HEX, VALS(dtls_version_vals), 0x0,
                            nullptr, HFILL}},
        {&hf_dtls_epoch, {"Epoch", "kalay.dtls.epoch", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_dtls_length, {"Length", "kalay.dtls.length", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_dtls_handshake, {"Handshake type", "kalay.dtls.handshake_type", FT_UINT8, BASE_DEC,
                              VALS(dtls_handshake_vals), 0x0, "Of a handshake record sent in the clear", HFILL}},
        {&hf_cc51_command, {"CC51 command", "kalay.cc51.command", FT_UINT16, BASE_HEX, VALS(cc51_command_vals), 0x0,
                            nullptr, HFILL}},
        {&hf_cc51_length, {"CC51 length", "kalay.cc51.length", FT_UINT16, BASE_DEC, nullptr, 0x0,
                           "Datagram length - 12", HFILL}},
        {&hf_cc51_response, {"CC51 response", "kalay.cc51.response", FT_BOOLEAN, BASE_NONE, nullptr, 0x0,
                             "Bytes 8..9 are FF FF: the device answers", HFILL}},
        {&hf_cc51_seq, {"CC51 sequence", "kalay.cc51.seq", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_cc51_channel, {"CC51 channel", "kalay.cc51.channel", FT_UINT8, BASE_DEC, nullptr, 0x0,
                            "0 main, 1 back channel", HFILL}},
        {&hf_cc51_ticket, {"CC51 ticket", "kalay.cc51.ticket", FT_UINT16, BASE_HEX, nullptr, 0x0,
                           "Handed out by the device's discovery reply", HFILL}},
        {&hf_cc51_session, {"CC51 session id", "kalay.cc51.session", FT_BYTES, BASE_NONE, nullptr, 0x0, nullptr,
                            HFILL}},
        {&hf_cc51_counter, {"CC51 keepalive counter", "kalay.cc51.counter", FT_UINT32, BASE_DEC, nullptr, 0x0, nullptr,
                            HFILL}},
        {&hf_cc51_hmac, {"CC51 HMAC-SHA1", "kalay.cc51.hmac", FT_BYTES, BASE_NONE, nullptr, 0x0,
                         "Over the header, keyed with the UID and the auth key", HFILL}},
    };
    static gint *ett[] = {&ett_kalay, &ett_dtls};
    static ei_register_info ei[] = {
        {&ei_tail_ambiguous, {"kalay.tail_ambiguous", PI_UNDECODED, PI_NOTE,
                              "The short tail may use the other scrambler variant; the last bytes may read wrong",
                              EXPFILL}},
    };
    proto_kalay = proto_register_protocol("ThroughTek Kalay (TUTK IOTC)", "Kalay", "kalay");
    proto_register_field_array(proto_kalay, hf, G_N_ELEMENTS(hf));
    proto_register_subtree_array(ett, G_N_ELEMENTS(ett));
    expert_register_field_array(expert_register_protocol(proto_kalay), ei, G_N_ELEMENTS(ei));
    glue::kalay_conversation_init(proto_kalay);
}

void kalay_handoff() {
    heur_dissector_add("udp", dissect_kalay_heur, "ThroughTek Kalay over UDP", "kalay_udp", proto_kalay,
                       HEURISTIC_ENABLE);
}

}  // namespace phonehome::glue

// Protocol "pppp": CS2 Network PPPP (iLnkP2P, Yi, HLP2P) over UDP, as a
// heuristic dissector and on its well-known ports (32100 servers, 32108 LAN
// discovery). pppp_frame_keys.cpp picks the key (plaintext, the vendor and
// user keys, or one recovered from the traffic on the first pass); this file
// shows the result, with the decrypted bytes as their own data source, and
// notes the message for the phonehome analysis.
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "heuristics/detectors/p2p/pppp.hpp"
#include "p2p_dissectors.hpp"
#include "list_uat.hpp"
#include "p2p_notes.hpp"
#include "pppp_frame_keys.hpp"
#include "ws.hpp"
#include "ws_compat.hpp"

using namespace phonehome;

namespace {

int proto_pppp = -1;
int hf_magic = -1, hf_type = -1, hf_length = -1, hf_key = -1, hf_encrypted = -1, hf_uid = -1;
int hf_key_seed = -1, hf_key_recovered = -1;
int hf_addr = -1, hf_addr_role = -1, hf_addr_family = -1, hf_addr_port = -1, hf_addr_ip = -1;
int hf_nat_type = -1, hf_api_version = -1, hf_result = -1, hf_login_interval = -1;
int hf_drw_marker = -1, hf_drw_channel = -1, hf_drw_index = -1, hf_drw_count = -1, hf_drw_acked = -1;
int hf_keepalive = -1, hf_body = -1;
gint ett_pppp = -1, ett_addr = -1;
expert_field ei_malformed = EI_INIT, ei_key_confirmed = EI_INIT;

const char *pref_keys = "";
glue::ListUat *uat_keys = nullptr;

constexpr size_t kMaxAddresses = 8, kMaxAcked = 64;

// The parse result as plain data (see kalay_dissector.cpp for why).
struct PpppView {
    uint8_t *bytes;
    size_t len;
    char key[64];
    bool encrypted;
    bool recovered;
    bool confirmed_here;  // the recovered key was confirmed by this datagram
    uint8_t seed[4];
    uint8_t type;
    const char *name;
    bool malformed;
    bool has_uid;
    char uid[32];
    uint16_t uid_offset;
    bool has_nat, has_api, has_result, has_interval, has_drw;
    uint8_t nat_type, login_interval, channel;
    uint32_t api_version;
    int8_t result;
    uint16_t index;
    size_t n_addresses;
    PpppSockaddr addresses[kMaxAddresses];
    size_t n_acked;
    uint16_t acked[kMaxAcked];
    bool keepalive;
};
static_assert(std::is_trivially_destructible_v<PpppView>);

// Everything the frame's first pass needs besides the bytes, as plain data.
struct FrameContext {
    bool first_pass;
    bool have_endpoints;
    PpppEndpoint src, dst;
    const glue::PpppFrameKey *stored;
};

bool parse_view(const uint8_t *data, size_t len, wmem_allocator_t *pool, const FrameContext &ctx, PpppView *v,
                glue::PpppFrameKey *to_store, bool *store) noexcept {
    try {
        std::optional<glue::PpppFrameKey> learned;
        const auto m = glue::pppp_decode(data, len, ctx.first_pass, ctx.have_endpoints ? &ctx.src : nullptr,
                                         ctx.have_endpoints ? &ctx.dst : nullptr, ctx.stored, &learned);
        if (!m || m->bytes.size() != len) return false;
        *v = PpppView{};
        if (learned) {
            *to_store = *learned;
            *store = true;
        }
        v->recovered = m->key_source == PpppKeySource::Recovered;
        v->confirmed_here = learned ? learned->confirmed_here : (ctx.stored && ctx.stored->confirmed_here);
        std::memcpy(v->seed, m->seed.data(), 4);
        v->bytes = static_cast<uint8_t *>(wmem_alloc(pool, len));
        std::memcpy(v->bytes, m->bytes.data(), len);
        v->len = len;
        v->encrypted = !m->key.empty();
        std::snprintf(v->key, sizeof v->key, "%s", m->key.c_str());
        v->type = m->type;
        v->name = m->name;
        v->malformed = m->malformed;
        if (m->uid) {
            v->has_uid = true;
            std::snprintf(v->uid, sizeof v->uid, "%s", m->uid->c_str());
            v->uid_offset = m->uid_offset;
        }
        if (m->nat_type) { v->has_nat = true; v->nat_type = *m->nat_type; }
        if (m->api_version) { v->has_api = true; v->api_version = *m->api_version; }
        if (m->result) { v->has_result = true; v->result = *m->result; }
        if (m->login_interval) { v->has_interval = true; v->login_interval = *m->login_interval; }
        if (m->channel && m->index) { v->has_drw = true; v->channel = *m->channel; v->index = *m->index; }
        else if (m->channel) { v->has_drw = true; v->channel = *m->channel; }
        v->n_addresses = std::min(m->addresses.size(), kMaxAddresses);
        for (size_t i = 0; i < v->n_addresses; ++i) v->addresses[i] = m->addresses[i];
        v->n_acked = std::min(m->acked.size(), kMaxAcked);
        for (size_t i = 0; i < v->n_acked; ++i) v->acked[i] = m->acked[i];
        v->keepalive = m->keepalive;
        return true;
    } catch (...) {
        return false;
    }
}

value_string type_vals[257];

void fill_type_vals() {
    size_t n = 0;
    for (unsigned t = 0; t < 256; ++t)
        if (const char *name = pppp_type_name(uint8_t(t), 0)) type_vals[n++] = {t, name};
    type_vals[n] = {0, nullptr};
}

void add_address(proto_tree *tree, tvbuff_t *tvb, const PpppSockaddr &a) {
    proto_item *ti = proto_tree_add_item(tree, hf_addr, tvb, a.offset, 16, ENC_NA);
    proto_item_append_text(ti, " (%s): %u.%u.%u.%u:%u", a.role, a.ipv4 >> 24, (a.ipv4 >> 16) & 0xFF,
                           (a.ipv4 >> 8) & 0xFF, a.ipv4 & 0xFF, a.port);
    proto_tree *at = proto_item_add_subtree(ti, ett_addr);
    proto_item_set_generated(proto_tree_add_string(at, hf_addr_role, tvb, a.offset, 0, a.role));
    proto_tree_add_uint(at, hf_addr_family, tvb, a.offset, 2, a.family);
    proto_tree_add_uint(at, hf_addr_port, tvb, a.offset + 2, 2, a.port);
    proto_tree_add_ipv4(at, hf_addr_ip, tvb, a.offset + 4, 4, g_htonl(a.ipv4));
}

int dissect_pppp_common(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree) {
    const guint len = tvb_captured_length(tvb);
    if (len < 4 || len != tvb_reported_length(tvb)) return 0;
    // Most UDP datagrams stop here: a first byte no key gives F1 and no
    // recovery state or PPPP port in sight.
    const uint8_t *data = tvb_get_ptr(tvb, 0, int(len));
    if (!glue::pppp_worth_trying(pinfo, data[0])) return 0;
    FrameContext ctx{};
    ctx.first_pass = !PINFO_FD_VISITED(pinfo);
    ctx.have_endpoints = glue::pppp_endpoints(pinfo, &ctx.src, &ctx.dst);
    ctx.stored = ctx.first_pass ? nullptr : glue::pppp_stored_key(pinfo);
    PpppView v;
    glue::PpppFrameKey to_store{};
    bool store = false;
    const bool ok = parse_view(data, len, pinfo->pool, ctx, &v, &to_store, &store);
    if (store) glue::pppp_store_key(pinfo, to_store);
    if (!ok) return 0;

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "PPPP");
    col_clear(pinfo->cinfo, COL_INFO);
    col_add_str(pinfo->cinfo, COL_INFO, v.name);
    if (v.has_uid) col_append_fstr(pinfo->cinfo, COL_INFO, ", UID %s", v.uid);
    if (v.has_drw) col_append_fstr(pinfo->cinfo, COL_INFO, ", channel %u index %u", v.channel, v.index);
    if (v.recovered)
        col_append_fstr(pinfo->cinfo, COL_INFO, " (key %s)", v.key);
    else if (v.encrypted)
        col_append_fstr(pinfo->cinfo, COL_INFO, " (key \"%s\")", v.key);

    P2pObservation obs;
    obs.platform = P2pPlatform::Pppp;
    obs.role = pppp_role(v.type);
    obs.code = v.type;
    obs.name = v.name;
    if (v.has_uid) obs.set_uid(v.uid);
    glue::note_p2p(pinfo, obs);

    tvbuff_t *plain = tvb;
    if (v.encrypted) {
        plain = tvb_new_child_real_data(tvb, v.bytes, guint(v.len), gint(v.len));
        add_new_data_source(pinfo, plain, "Decrypted PPPP");
    }
    proto_item *ti = proto_tree_add_item(tree, proto_pppp, plain, 0, -1, ENC_NA);
    proto_item_append_text(ti, ", %s", v.name);
    proto_tree *pt = proto_item_add_subtree(ti, ett_pppp);
    proto_item_set_generated(proto_tree_add_boolean(pt, hf_encrypted, tvb, 0, 0, v.encrypted));
    if (v.encrypted) {
        proto_item *key = proto_tree_add_string(pt, hf_key, tvb, 0, 0, v.key);
        proto_item_set_generated(key);
        proto_item_set_generated(proto_tree_add_bytes_with_length(pt, hf_key_seed, tvb, 0, 0, v.seed, 4));
        proto_item_set_generated(proto_tree_add_boolean(pt, hf_key_recovered, tvb, 0, 0, v.recovered));
        if (v.confirmed_here)
            expert_add_info_format(pinfo, key, &ei_key_confirmed,
                                   "PPPP key %02x:%02x:%02x:%02x recovered from the traffic: this and earlier "
                                   "datagrams of the endpoint decrypt to consistent messages under it",
                                   v.seed[0], v.seed[1], v.seed[2], v.seed[3]);
    }
    proto_tree_add_item(pt, hf_magic, plain, 0, 1, ENC_NA);
    proto_item *type_item = proto_tree_add_item(pt, hf_type, plain, 1, 1, ENC_NA);
    proto_item_append_text(type_item, " [%s]", v.name);
    proto_tree_add_item(pt, hf_length, plain, 2, 2, ENC_BIG_ENDIAN);
    if (v.has_uid) proto_tree_add_string(pt, hf_uid, plain, v.uid_offset, 20, v.uid);
    if (v.has_nat) proto_item_set_generated(proto_tree_add_uint(pt, hf_nat_type, plain, 4, 0, v.nat_type));
    if (v.has_api) {
        proto_item *api = proto_tree_add_string_format_value(
            pt, hf_api_version, plain, 4, 0, "", "%u.%u.%u", (v.api_version >> 16) & 0xFF, (v.api_version >> 8) & 0xFF,
            v.api_version & 0xFF);
        proto_item_set_generated(api);
    }
    if (v.has_result) proto_item_set_generated(proto_tree_add_int(pt, hf_result, plain, 4, 0, v.result));
    if (v.has_interval)
        proto_item_set_generated(proto_tree_add_uint(pt, hf_login_interval, plain, 4, 0, v.login_interval));
    for (size_t i = 0; i < v.n_addresses; ++i) add_address(pt, plain, v.addresses[i]);
    if (v.has_drw && v.len >= 8) {
        proto_tree_add_item(pt, hf_drw_marker, plain, 4, 1, ENC_NA);
        proto_tree_add_item(pt, hf_drw_channel, plain, 5, 1, ENC_NA);
        if (v.type == 0xD1) {
            proto_tree_add_item(pt, hf_drw_count, plain, 6, 2, ENC_BIG_ENDIAN);
            for (size_t i = 0; i < v.n_acked; ++i)
                proto_tree_add_uint(pt, hf_drw_acked, plain, int(8 + 2 * i), 2, v.acked[i]);
        } else {
            proto_tree_add_item(pt, hf_drw_index, plain, 6, 2, ENC_BIG_ENDIAN);
        }
    }
    if (v.keepalive) proto_item_set_generated(proto_tree_add_boolean(pt, hf_keepalive, plain, 1, 1, TRUE));
    if (v.len > 4) proto_tree_add_item(pt, hf_body, plain, 4, -1, ENC_NA);
    if (v.malformed) expert_add_info(pinfo, ti, &ei_malformed);
    return int(len);
}

ws_compat::heur_result dissect_pppp_heur(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *) {
    return dissect_pppp_common(tvb, pinfo, tree) > 0;
}

int dissect_pppp_port(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *) {
    return dissect_pppp_common(tvb, pinfo, tree);
}

void apply_prefs() {
    std::vector<std::string> keys;
    std::string current;
    std::string all = pref_keys ? pref_keys : "";
    const std::string rows = glue::list_uat_values(uat_keys);
    if (!rows.empty()) all += (all.empty() ? "" : ",") + rows;
    for (const char *c = all.c_str(); ; ++c) {
        if (*c == ',' || *c == '\0') {
            while (!current.empty() && current.back() == ' ') current.pop_back();
            size_t start = current.find_first_not_of(' ');
            if (start != std::string::npos) keys.push_back(current.substr(start));
            current.clear();
            if (*c == '\0') break;
        } else {
            current.push_back(*c);
        }
    }
    glue::pppp_set_user_keys(keys);
}

void forget_recovered_keys() { glue::pppp_forget_recovered_keys(); }

void apply_prefs_noexcept() {
    try {
        apply_prefs();
    } catch (...) {
    }
}

}  // namespace

namespace phonehome::glue {

void pppp_register() {
    fill_type_vals();
    static const true_false_string tfs_keepalive = {"ALIVE/ALIVE_ACK keepalive", "not a keepalive"};
    static hf_register_info hf[] = {
        {&hf_magic, {"Magic", "pppp.magic", FT_UINT8, BASE_HEX, nullptr, 0x0, "0xF1", HFILL}},
        {&hf_type, {"Type", "pppp.type", FT_UINT8, BASE_HEX, VALS(type_vals), 0x0, "Message type", HFILL}},
        {&hf_length, {"Length", "pppp.length", FT_UINT16, BASE_DEC, nullptr, 0x0, "Body length (datagram - 4)", HFILL}},
        {&hf_key, {"Key", "pppp.key", FT_STRING, BASE_NONE, nullptr, 0x0,
                   "The key that decrypted the message (P2P_Proprietary_Encrypt): the PSK, the 4 key bytes the "
                   "user gave in hex, or \"recovered\" and the 4 key bytes recovered from the traffic",
                   HFILL}},
        {&hf_key_seed, {"Key bytes", "pppp.key.seed", FT_BYTES, SEP_COLON, nullptr, 0x0,
                        "The 4 key bytes that decrypted the message (a PSK folds into them)", HFILL}},
        {&hf_key_recovered, {"Key recovered", "pppp.key.recovered", FT_BOOLEAN, BASE_NONE, nullptr, 0x0,
                             "The key was recovered from the traffic, not configured or published", HFILL}},
        {&hf_encrypted, {"Encrypted", "pppp.encrypted", FT_BOOLEAN, BASE_NONE, nullptr, 0x0, nullptr, HFILL}},
        {&hf_uid, {"UID", "pppp.uid", FT_STRING, BASE_NONE, nullptr, 0x0, "Device ID as PREFIX-NNNNNN-CHECK", HFILL}},
        {&hf_addr, {"Socket address", "pppp.addr", FT_BYTES, BASE_NONE, nullptr, 0x0, nullptr, HFILL}},
        {&hf_addr_role, {"Role", "pppp.addr.role", FT_STRING, BASE_NONE, nullptr, 0x0,
                         "local, wan, target, to or relay", HFILL}},
        {&hf_addr_family, {"Family", "pppp.addr.family", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_addr_port, {"Port", "pppp.addr.port", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_addr_ip, {"Address", "pppp.addr.ip", FT_IPv4, BASE_NONE, nullptr, 0x0, nullptr, HFILL}},
        {&hf_nat_type, {"NAT type", "pppp.nat_type", FT_UINT8, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_api_version, {"API version", "pppp.api_version", FT_STRING, BASE_NONE, nullptr, 0x0, nullptr, HFILL}},
        {&hf_result, {"Result", "pppp.result", FT_INT8, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_login_interval, {"Login interval (s)", "pppp.login_interval", FT_UINT8, BASE_DEC, nullptr, 0x0,
                              "Seconds between logins the server asks for", HFILL}},
        {&hf_drw_marker, {"DRW marker", "pppp.drw.marker", FT_UINT8, BASE_HEX, nullptr, 0x0, "0xD1", HFILL}},
        {&hf_drw_channel, {"Channel", "pppp.drw.channel", FT_UINT8, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_drw_index, {"Index", "pppp.drw.index", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_drw_count, {"Acknowledged count", "pppp.drw.count", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_drw_acked, {"Acknowledged index", "pppp.drw.acked", FT_UINT16, BASE_DEC, nullptr, 0x0, nullptr, HFILL}},
        {&hf_keepalive, {"Keepalive", "pppp.keepalive", FT_BOOLEAN, BASE_NONE, TFS(&tfs_keepalive), 0x0, nullptr,
                         HFILL}},
        {&hf_body, {"Body", "pppp.body", FT_BYTES, BASE_NONE, nullptr, 0x0, nullptr, HFILL}},
    };
    static gint *ett[] = {&ett_pppp, &ett_addr};
    static ei_register_info ei[] = {
        {&ei_malformed, {"pppp.malformed", PI_MALFORMED, PI_ERROR,
                         "Malformed PPPP message: the body does not fit its type's layout", EXPFILL}},
        {&ei_key_confirmed, {"pppp.key_confirmed", PI_DECRYPTION, PI_NOTE,
                             "PPPP key recovered from the traffic", EXPFILL}},
    };
    proto_pppp = proto_register_protocol("CS2 Network PPPP", "PPPP", "pppp");
    proto_register_field_array(proto_pppp, hf, G_N_ELEMENTS(hf));
    proto_register_subtree_array(ett, G_N_ELEMENTS(ett));
    expert_register_field_array(expert_register_protocol(proto_pppp), ei, G_N_ELEMENTS(ei));
    module_t *prefs = prefs_register_protocol(proto_pppp, apply_prefs_noexcept);
    prefs_register_string_preference(prefs, "keys", "Extra keys",
                                     "Keys to try after the published vendor keys, separated by commas: "
                                     "pre-shared key strings, or the 4 key bytes a PSK folds into, in hex "
                                     "(0x6997cc19 or 69:97:cc:19)",
                                     &pref_keys);
    uat_keys = glue::register_list_uat(prefs, "pppp_keys", "Extra keys (table)",
                                       "Pre-shared keys, or 4 key bytes in hex (0x6997cc19 or 69:97:cc:19), one "
                                       "per row",
                                       "Key", glue::check_nonempty, apply_prefs_noexcept);
    glue::pppp_frame_keys_init(proto_pppp);
    register_init_routine(forget_recovered_keys);
}

void pppp_handoff() {
    dissector_handle_t handle = create_dissector_handle(dissect_pppp_port, proto_pppp);
    dissector_add_uint_range_with_preference("udp.port", "32100,32108", handle);
    heur_dissector_add("udp", dissect_pppp_heur, "CS2 PPPP over UDP", "pppp_udp", proto_pppp, HEURISTIC_ENABLE);
    apply_prefs_noexcept();
}

}  // namespace phonehome::glue

#include "heuristics/wire/mqtt_header.hpp"

#include "heuristics/common/byte_order.hpp"

namespace phonehome::wire {

namespace {

constexpr size_t kMaxLengthBytes = 4;

// The Remaining Length after the first byte: 7 bits a byte, least significant
// first, the top bit set on every byte but the last. Sets *value and *after
// (the offset of the variable header).
bool read_remaining_length(const uint8_t *data, size_t len, size_t *value, size_t *after) {
    size_t v = 0;
    for (size_t i = 0; i < kMaxLengthBytes; ++i) {
        const size_t at = 1 + i;
        if (at >= len) return false;
        v |= size_t(data[at] & 0x7f) << (7 * i);
        if (!(data[at] & 0x80)) {
            *value = v;
            *after = at + 1;
            return true;
        }
    }
    return false;  // a fifth length byte is malformed
}

// A CONNECT's variable header in its `n` available bytes.
void read_connect(const uint8_t *p, size_t n, MqttHeader *out) {
    if (n < 2) return;
    const size_t name_len = be16(p);
    // protocol name, then level, connect flags and keep-alive (4 bytes)
    if (n - 2 < name_len || n - 2 - name_len < 4) return;
    out->has_keepalive = true;
    out->keepalive_s = be16(p + 2 + name_len + 2);
}

}  // namespace

bool parse_mqtt_header(const uint8_t *data, size_t len, MqttHeader *out) {
    *out = MqttHeader{};
    if (!data || len < 2) return false;
    const uint8_t type = data[0] >> 4;
    if (type == 0) return false;
    size_t remaining = 0, body = 0;
    if (!read_remaining_length(data, len, &remaining, &body)) return false;
    out->type = type;
    if (type == kMqttConnect) {
        const size_t captured = len - body;
        read_connect(data + body, remaining < captured ? remaining : captured, out);
    }
    return true;
}

}  // namespace phonehome::wire

#include "heuristics/detectors/heartbeat/series_key.hpp"

namespace phonehome {

uint32_t size_class(uint32_t payload_len) {
    if (payload_len <= 256) return payload_len;
    // e = floor(log2(len)) >= 8; the two bits below the leading one pick the
    // quarter of [2^e, 2^(e+1)).
    uint32_t e = 31 - uint32_t(__builtin_clz(payload_len));
    uint32_t quarter = (payload_len >> (e - 2)) & 3;
    return 257 + (e - 8) * 4 + quarter;
}

SeriesKey SeriesKey::by_size(const FlowKey &flow, Transport transport, Direction direction, uint32_t payload_len) {
    SeriesKey k;
    k.flow = flow;
    k.transport = transport;
    k.direction = direction;
    k.kind_source = KindSource::SizeClass;
    k.kind = size_class(payload_len);
    return k;
}

SeriesKey SeriesKey::by_message(const FlowKey &flow, Transport transport, Direction direction,
                                uint32_t message_type) {
    SeriesKey k;
    k.flow = flow;
    k.transport = transport;
    k.direction = direction;
    k.kind_source = KindSource::MessageType;
    k.kind = message_type;
    return k;
}

}  // namespace phonehome

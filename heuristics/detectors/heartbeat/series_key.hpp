// What makes packets members of one candidate heartbeat series: the same flow,
// transport and direction, and the same "kind" of message. The kind is either
// a size class of the payload (all a TLS-wrapped keepalive shows) or a message
// type a dissector recognised (MQTT PINGREQ, a Kalay or PPPP message code).
// Keying on the kind keeps the pings of a session apart from its data, so a
// keepalive inside one long connection is still visible as a series.
#pragma once

#include <cstddef>
#include <cstdint>

#include "heuristics/common/flow_key.hpp"
#include "heuristics/common/packet_facts.hpp"

namespace phonehome {

enum class Direction : uint8_t { Outbound, Inbound };  // device -> remote, remote -> device

enum class KindSource : uint8_t { SizeClass, MessageType };

// The protocols whose dissectors hand message types to the heartbeat engine.
// The protocol goes in the high half of the kind so their codes never collide.
enum class MessageProtocol : uint8_t { Mqtt = 1, Kalay = 2, Pppp = 3 };

constexpr uint32_t message_kind(MessageProtocol protocol, uint16_t code) {
    return uint32_t(protocol) << 16 | code;
}

// The payload length itself up to 256 bytes (keepalives are small and of fixed
// size, so exact lengths separate them from everything else); above that four
// buckets per power of two (about 25 % wide), since large messages of one kind
// vary in length. Classes: 0..256 exact, then 257 (257..319 bytes), 258
// (320..383), ... up to 352 for lengths near 4 GiB. Monotonic in the length.
uint32_t size_class(uint32_t payload_len);

struct SeriesKey {
    FlowKey flow;
    Transport transport = Transport::Other;
    Direction direction = Direction::Outbound;
    KindSource kind_source = KindSource::SizeClass;
    uint32_t kind = 0;  // a size_class() or a message_kind()

    static SeriesKey by_size(const FlowKey &flow, Transport transport, Direction direction, uint32_t payload_len);
    static SeriesKey by_message(const FlowKey &flow, Transport transport, Direction direction, uint32_t message_type);

    bool operator==(const SeriesKey &o) const {
        return kind == o.kind && kind_source == o.kind_source && direction == o.direction &&
               transport == o.transport && flow == o.flow;
    }
};

struct SeriesKeyHash {
    // The hash of `k` from its flow's FlowKeyHash (flow_key.hpp).
    static size_t from_flow(FlowHash flow, const SeriesKey &k) noexcept {
        const size_t v = flow.value;
        const uint64_t extra = uint64_t(k.kind) << 24 | uint64_t(k.kind_source) << 16 | uint64_t(k.direction) << 8 |
                               uint64_t(k.transport);
        return v ^ (extra + 0x9E3779B97F4A7C15ULL + (v << 6) + (v >> 2));
    }
    size_t operator()(const SeriesKey &k) const noexcept { return from_flow(FlowHash{FlowKeyHash()(k.flow)}, k); }
};

}  // namespace phonehome

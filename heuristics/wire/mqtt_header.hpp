// Reads an MQTT control packet's type and, for a CONNECT, its keep-alive
// from the packet's bytes (MQTT 3.1 "MQIsdp", 3.1.1 and 5 share this layout),
// so the plugin needs no protocol tree for it.
//
// Every read is bounds-checked against what was captured; nothing throws.
#pragma once

#include <cstddef>
#include <cstdint>

namespace phonehome::wire {

inline constexpr uint8_t kMqttConnect = 1, kMqttPingReq = 12, kMqttPingResp = 13;

struct MqttHeader {
    uint8_t type = 0;  // control packet type, high nibble of the first byte (1 CONNECT ... 12 PINGREQ, 13 PINGRESP)
    bool has_keepalive = false;  // a CONNECT whose variable header was complete
    uint16_t keepalive_s = 0;
};

// `data` is the start of an MQTT control packet (the first one in a TCP
// segment's payload). Resets *out and returns false if there are fewer than 2
// bytes, the type is 0, or the Remaining Length varint is malformed (more than
// 4 bytes) or cut short.
//
// For a CONNECT (type 1) the variable header is the protocol name (2-byte
// length + bytes, e.g. "MQTT" or "MQIsdp"), the protocol level (1), the
// connect flags (1) and the keep-alive (2, big-endian); has_keepalive is set
// only when all of those bytes lie within both `len` and the Remaining Length.
// The protocol name is not checked: the caller decides what is MQTT.
bool parse_mqtt_header(const uint8_t *data, size_t len, MqttHeader *out);

}  // namespace phonehome::wire

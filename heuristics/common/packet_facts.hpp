// What the core needs to know about one captured packet, as plain data. The
// Wireshark glue fills it from the dissection (outermost IP header, its
// transport, TCP flags, link-layer addresses); tests and fuzzers fill it
// directly.
#pragma once

#include <array>
#include <cstdint>

#include "heuristics/common/ip_address.hpp"
#include "heuristics/detectors/p2p/p2p_observation.hpp"

namespace phonehome {

enum class Transport : uint8_t { Other, Udp, Tcp, Icmp };

const char *transport_name(Transport t);

namespace tcp_flag {
constexpr uint16_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10;
}

using MacAddress = std::array<uint8_t, 6>;

struct PacketFacts {
    uint32_t frame_number = 0;
    int64_t time_ns = 0;       // capture time stamp (absolute), nanoseconds
    int64_t rel_time_ns = 0;   // since the first packet of the capture
    uint32_t frame_len = 0;    // bytes on the wire, as conversation statistics count them

    IpAddress src, dst;
    Transport transport = Transport::Other;
    uint16_t src_port = 0, dst_port = 0;  // UDP and TCP only
    uint16_t tcp_flags = 0;               // TCP only
    // TCP only: the sequence number, when the segment's header was read
    // (false for a header Wireshark reassembled from IP fragments).
    bool has_tcp_seq = false;
    uint32_t tcp_seq = 0;
    uint32_t payload_len = 0;             // transport payload (UDP data, TCP segment data)

    bool has_src_mac = false, has_dst_mac = false;
    MacAddress src_mac{}, dst_mac{};
    // The link-layer destination was a broadcast or multicast group, so the IP
    // destination (e.g. a subnet broadcast 192.168.1.255) is not one device.
    bool dst_link_group = false;

    // Set by the Kalay and PPPP dissectors when they claimed the datagram.
    P2pObservation p2p;
    // A DNS query or response naming a P2P platform domain, and which of the
    // two it is (the querier is the device).
    bool dns_p2p = false;
    bool dns_response = false;

    // MQTT, as Wireshark's dissector decoded it on whatever port: the message
    // type (12 PINGREQ, 13 PINGRESP, 1 CONNECT ...) and a CONNECT's keep-alive.
    bool has_mqtt_type = false;
    uint8_t mqtt_type = 0;
    bool has_mqtt_keepalive = false;
    uint16_t mqtt_keepalive_s = 0;
};

}  // namespace phonehome

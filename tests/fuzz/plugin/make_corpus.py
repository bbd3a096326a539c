#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_plugin: raw IP packets (no link layer), one
per file, as the harness dissects them (WTAP_ENCAP_RAW_IP).

Most seeds are frames of the bundled captures (captures/*.pcap, Ethernet:
the 14-byte header is stripped); the kinds of packet the captures do not hold
(IPv6 to port 1, ICMP/ICMPv6 errors quoting a datagram, GTP-U, GRE and
IP-in-IP tunnels, a fragment, a TCP SYN to port 1) are built here with the
captures' own packet builders. Standard library only; byte-identical output:

    python3 tests/fuzz/plugin/make_corpus.py            # rewrites corpus/
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
CAPTURES = os.path.join(REPO, "captures")
sys.path.insert(0, CAPTURES)

from pcapgen.checksum import inet_checksum  # noqa: E402
from pcapgen.ip import ipv4, ipv6  # noqa: E402
from pcapgen.transport import tcp, udp  # noqa: E402

# (capture, frame number, seed name)
FRAMES = [
    ("doorbell", 3, "ntp_request"),
    ("doorbell", 7, "udp_to_port1_sink"),
    ("doorbell", 10, "udp_to_port1_pinhole"),
    ("doorbell", 13, "mdns"),
    ("doorbell", 19, "dns_query"),
    ("doorbell", 20, "dns_response"),
    ("doorbell", 24, "tls_client_hello"),
    ("doorbell", 25, "tls_server_hello"),
    ("doorbell", 32, "tcp_fin"),
    ("doorbell", 69, "ssdp"),
    ("doorbell", 117, "udp_subnet_broadcast"),
    ("doorbell", 121, "udp_to_port1_lan"),
    ("doorbell", 202, "smb2"),
    ("doorbell", 371, "udp_to_port1_documentation"),
    ("kalay", 7, "dns_query_m1_iotcplatform"),
    ("kalay", 8, "dns_response_m1_iotcplatform"),
    ("kalay", 17, "kalay_scrambled_uid"),
    ("kalay", 18, "kalay_scrambled"),
    ("kalay", 31, "kalay_scrambled_uid2"),
    ("kalay", 164, "kalay_plain_a"),
    ("kalay", 166, "kalay_plain_lan"),
    ("kalay", 171, "kalay_lan_a"),
    ("kalay", 172, "kalay_lan_b"),
    ("kalay", 1219, "kalay_heartbeat"),
    ("kalay", 1228, "kalay_internet"),
    ("kalay", 1239, "kalay_internet_b"),
    ("kalay", 1488, "kalay_partially_scrambled"),
    ("pppp", 5, "pppp_hello_key_ssd"),
    ("pppp", 11, "pppp_uid_key_ssd"),
    ("pppp", 17, "pppp_plain"),
    ("pppp", 37, "pppp_key_shix"),
    ("pppp", 87, "pppp_heartbeat_uid"),
    ("pppp", 88, "pppp_heartbeat_ack"),
    ("pppp", 411, "pppp_lan"),
    ("pppp", 437, "pppp_lan_b"),
    ("pppp", 875, "pppp_vendor_key"),
    ("pppp", 932, "pppp_vstarcam"),
    ("pppp", 954, "pppp_vstarcam_b"),
    ("heartbeats", 18, "tcp_syn_ack"),
    ("heartbeats", 20, "mqtt_connect"),
    ("heartbeats", 21, "mqtt_connack"),
    ("heartbeats", 23, "dns_query_m2_iotcplatform"),
    ("heartbeats", 29, "tcp_syn_8883"),
    ("heartbeats", 32, "tls_client_hello_b"),
    ("heartbeats", 54, "tcp_syn_dead_cloud"),
    ("heartbeats", 55, "mqtt_pingreq"),
    ("heartbeats", 56, "mqtt_pingresp"),
    ("heartbeats", 287, "mqtt_pingreq_heartbeat"),
    ("heartbeats", 296, "kalay_heartbeat_uid"),
    ("heartbeats", 318, "mqtt_publish"),
    ("ordinary", 34, "ipv6_dns_query"),
    ("ordinary", 35, "ipv6_dns_response"),
    ("ordinary", 36, "ipv6_tcp_syn"),
    ("ordinary", 39, "ipv6_tls_client_hello"),
    ("ordinary", 241, "ipv6_mdns"),
    ("p2p_negatives", 8, "dcerpc_udp"),
    ("p2p_negatives", 9, "stun"),
    ("p2p_negatives", 34, "quic"),
    ("p2p_negatives", 174, "adwin_config"),
    ("p2p_negatives", 549, "dtls"),
    ("heartbeat_negatives", 15, "tcp_bulk"),
]


def read_pcap(path):
    """The frames of a classic little- or big-endian pcap, in order."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise ValueError(f"{path}: not a classic pcap")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    if linktype != 1:
        raise ValueError(f"{path}: link type {linktype}, expected Ethernet")
    frames, off = [], 24
    while off + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        frames.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return frames


def strip_ethernet(frame):
    ethertype = struct.unpack("!H", frame[12:14])[0]
    if ethertype not in (0x0800, 0x86DD):
        raise ValueError(f"ethertype {ethertype:#06x} is not IP")
    return frame[14:]


def icmp4(src, dst, icmp_type, code, quoted):
    body = struct.pack("!BBHI", icmp_type, code, 0, 0) + quoted
    csum = inet_checksum(body)
    return ipv4(src, dst, 1, body[:2] + struct.pack("!H", csum) + body[4:], ident=0x1c3)


def icmp6(src, dst, icmp_type, code, quoted):
    import ipaddress
    body = struct.pack("!BBHI", icmp_type, code, 0, 0) + quoted
    pseudo = ipaddress.IPv6Address(src).packed + ipaddress.IPv6Address(dst).packed + \
        struct.pack("!IxxxB", len(body), 58)
    csum = inet_checksum(pseudo + body)
    return ipv6(src, dst, 58, body[:2] + struct.pack("!H", csum) + body[4:])


def gtpu(teid, inner):
    # GTPv1-U, T-PDU (type 0xff), no optional fields.
    return struct.pack("!BBHI", 0x30, 0xFF, len(inner), teid) + inner


def synthesized(captured):
    rtp = bytes.fromhex("80000a1b0002d3f0a1b2c3d4") + bytes(range(160))
    v6_sink = ipv6("fd12:3456:789a::20", "2600:1f18::7", 17,
                   udp("fd12:3456:789a::20", "2600:1f18::7", 51506, 1, rtp))
    v6_sink_port0 = ipv6("fe80::1a2b:3cff:fe4d:5e6f", "2a05:d018::42", 17,
                         udp("fe80::1a2b:3cff:fe4d:5e6f", "2a05:d018::42", 40000, 0, b"\x00" * 16))
    sink = captured["udp_to_port1_sink"]
    kalay = captured["kalay_internet"]
    pppp = captured["pppp_vstarcam"]
    out = {
        "ipv6_udp_to_port1_sink": v6_sink,
        "ipv6_link_local_to_port0": v6_sink_port0,
        # The remote's port unreachable for the doorbell's datagram: the
        # outer header is the packet, the quoted one an old packet's copy.
        "icmp_port_unreachable_quoting_udp": icmp4("106.13.0.0", "192.168.1.20", 3, 3, sink[:28]),
        "icmp_unreachable_quoting_whole_udp": icmp4("10.0.0.1", "192.168.1.20", 3, 1, sink),
        "icmp_time_exceeded_quoting_kalay": icmp4("100.64.0.1", "192.168.1.52", 11, 0, kalay[:64]),
        "icmpv6_port_unreachable_quoting_udp": icmp6("2600:1f18::7", "fd12:3456:789a::20", 1, 4, v6_sink[:48 + 8]),
        "icmpv6_too_big_quoting_udp": icmp6("2001:db8:ffff::1", "fd12:3456:789a::20", 2, 0, v6_sink),
        # Tunnels: the real traffic is the inner packet.
        "gtpu_tunnel_udp_to_port1": ipv4("10.20.0.1", "10.20.0.2", 17,
                                         udp("10.20.0.1", "10.20.0.2", 2152, 2152, gtpu(0x1234, sink))),
        "gtpu_tunnel_kalay": ipv4("10.20.0.1", "10.20.0.2", 17,
                                  udp("10.20.0.1", "10.20.0.2", 2152, 2152, gtpu(0xBEEF, kalay))),
        "gtpu_ipv6_outer_pppp": ipv6("2001:db8:1::1", "2001:db8:1::2", 17,
                                     udp("2001:db8:1::1", "2001:db8:1::2", 2152, 2152, gtpu(7, pppp))),
        "gre_tunnel_udp_to_port1": ipv4("198.51.100.1", "198.51.100.2", 47, struct.pack("!HH", 0, 0x0800) + sink),
        "ipip_tunnel_kalay": ipv4("198.51.100.1", "198.51.100.2", 4, kalay),
        "ipv6_in_ipv4_sink": ipv4("198.51.100.1", "198.51.100.2", 41, v6_sink),
        "tcp_syn_to_port1": ipv4("192.168.1.20", "52.28.9.9", 6,
                                 tcp("192.168.1.20", "52.28.9.9", 40123, 1, 1000, 0, 0x02)),
        "ipv6_tcp_syn_to_port0": ipv6("fd12:3456:789a::20", "2600:1f18::7", 6,
                                      tcp("fd12:3456:789a::20", "2600:1f18::7", 40123, 0, 1000, 0, 0x02)),
    }
    # First fragment of a datagram to port 1 (MF set, offset 0), and a
    # truncated copy of the sink (IP total length larger than the capture).
    frag = bytearray(sink[:20 + 8 + 24])
    frag[6:8] = struct.pack("!H", 0x2000)
    frag[2:4] = struct.pack("!H", len(frag))
    frag[10:12] = b"\x00\x00"
    frag[10:12] = struct.pack("!H", inet_checksum(bytes(frag[:20])))
    out["ipv4_first_fragment_to_port1"] = bytes(frag)
    out["udp_to_port1_truncated"] = sink[:40]
    return out


def main():
    out_dir = os.path.join(HERE, "corpus")
    os.makedirs(out_dir, exist_ok=True)
    for name in os.listdir(out_dir):
        os.remove(os.path.join(out_dir, name))
    pcaps, captured = {}, {}
    for capture, number, name in FRAMES:
        if capture not in pcaps:
            pcaps[capture] = read_pcap(os.path.join(CAPTURES, capture + ".pcap"))
        captured[name] = strip_ethernet(pcaps[capture][number - 1])
    seeds = dict(captured)
    seeds.update(synthesized(captured))
    for name, packet in sorted(seeds.items()):
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(packet)
    print(f"{len(seeds)} seeds written to {out_dir}")


if __name__ == "__main__":
    main()

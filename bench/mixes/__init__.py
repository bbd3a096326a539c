"""The benchmark's home-network mixes, one module each, built from shared parts:

    wire      frames from per-flow templates (Ethernet, IPv4/IPv6, TCP/UDP, checksums)
    blocks    TCP handshakes, bulk transfers, closes, DNS lookups, TLS openings, payload bytes
    planner   the household, activity planning and the time-ordered merge into a pcap
    lan, cloud, cameras, lookalikes, sessions, streams, iotchatter
              activities (generators of (time, frame)) a mix mixes into its planner
    web, udp, iot
              the mixes: a household, and a plan of activities with their packet shares

Everything is deterministic: the same mix, seed, packets and hours give byte-identical files.
Standard library only, plus captures/pcapgen's payload builders (DNS, NTP, TLS, MQTT, Kalay,
PPPP, QUIC, DHCP, mDNS, SSDP).
"""
import os
import sys

# captures/pcapgen (the test captures' payload builders) is a top-level package of captures/.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "captures"))

from .iot import IotMix  # noqa: E402
from .udp import UdpMix  # noqa: E402
from .web import WebMix  # noqa: E402

MIXES = {m.NAME: m for m in (WebMix, UdpMix, IotMix)}
